/**
 * Runs `body` with jsii deprecation warnings quiet instead of failing (the tests' mode, set
 * in `setup.ts`): for aws-cdk-lib constructs that call a deprecated API of aws-cdk-lib
 * themselves, which no caller can avoid.
 */
export async function withoutDeprecationFailures<T>(body: () => T | Promise<T>): Promise<T> {
  process.env.JSII_DEPRECATED = 'quiet';
  try {
    return await body();
  } finally {
    process.env.JSII_DEPRECATED = 'fail';
  }
}
