/**
 * Every test runs with jsii's deprecation mode set to `fail`: a call of a deprecated
 * aws-cdk-lib API throws instead of printing a warning that users would see in their
 * `cdk synth` output. Example apps and CLI runs started by the tests inherit it.
 */
process.env.JSII_DEPRECATED = 'fail';

/**
 * Runs `body` with deprecation warnings quiet: for aws-cdk-lib constructs that call a
 * deprecated API of aws-cdk-lib themselves, which no caller can avoid.
 */
export async function withoutDeprecationFailures<T>(body: () => T | Promise<T>): Promise<T> {
  process.env.JSII_DEPRECATED = 'quiet';
  try {
    return await body();
  } finally {
    process.env.JSII_DEPRECATED = 'fail';
  }
}
