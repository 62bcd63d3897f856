/**
 * The environment of every test file (jest `setupFiles`); child processes the tests start
 * inherit it.
 *
 * - jsii's deprecation mode is `fail`: a call of a deprecated aws-cdk-lib API throws
 *   instead of printing a warning that users would see in their `cdk synth` output (see
 *   `deprecations.ts` for the few calls aws-cdk-lib makes itself).
 * - aws-cdk-lib's built-in CloudFormation validation is off (`CDK_VALIDATION=false`). In
 *   these apps it would only warn (without the `@aws-cdk/core:validateAgainstDefaultRules`
 *   flag its findings are downgraded to warnings, which no test reads), and it costs one to
 *   two seconds per synthesis. The examples test turns it back on with that flag, so that
 *   every pattern's templates are validated with findings as errors, as in an app made by
 *   `cdk init`.
 */
process.env.JSII_DEPRECATED = 'fail';
process.env.CDK_VALIDATION = 'false';
