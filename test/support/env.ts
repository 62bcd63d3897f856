/** Accounts and environment used across the tests. */
export const TEST_ACCOUNT = '222222222222';
export const CALLER_ACCOUNT = '111111111111';
export const OTHER_ACCOUNT = '333333333333';
export const TEST_REGION = 'us-east-1';
export const TEST_ENV = { account: TEST_ACCOUNT, region: TEST_REGION };
export const TEST_ORG = 'o-a1b2c3d4e5';
export const OTHER_ORG = 'o-zzzzzzzzzz';
