import { Duration, Token } from 'aws-cdk-lib';
import { AccessPatternError, pathOf } from '../../src/core/errors';
import {
  duplicatesOf, parseArn, validateAccountId, validateArn, validateExternalId, validateIamName, validateIamPath,
  validateIsoDuration, validateLength, validateRoleArn,
} from '../../src/core/validation';

const site = { kind: 'Thing', path: 'App/Stack/Thing' };

describe('validators', () => {
  test('the house error names the construct, path, prop, value and fix', () => {
    expect(() => validateAccountId(site, 'account', '12345')).toThrow(AccessPatternError);
    expect(() => validateAccountId(site, 'account', '12345'))
      .toThrow("Invalid Thing 'App/Stack/Thing' prop 'account': '12345' is not a 12-digit AWS account id; pass the account id as a string of 12 digits, e.g. '111122223333' (keep leading zeros).");
  });

  test('skip unresolved tokens', () => {
    const token = Token.asString({ Ref: 'X' });
    expect(() => validateAccountId(site, 'account', token)).not.toThrow();
    expect(() => validateRoleArn(site, 'arn', token)).not.toThrow();
    expect(() => validateLength(site, 'name', token, 1, 2)).not.toThrow();
    expect(() => validateIamPath(site, 'path', token)).not.toThrow();
    expect(() => validateExternalId(site, 'id', token)).not.toThrow();
    expect(validateIsoDuration(site, 'd', token, Duration.hours(1), Duration.hours(12))).toBeUndefined();
  });

  test('parse ARNs of every partition', () => {
    expect(parseArn('arn:aws-us-gov:iam::111122223333:role/x')).toEqual({ partition: 'aws-us-gov', service: 'iam', region: '', account: '111122223333', resource: 'role/x' });
    expect(parseArn('arn:aws-cn:sso:::instance/ssoins-1234567890abcdef')?.account).toBe('');
    expect(parseArn('not-an-arn')).toBeUndefined();
    expect(() => validateArn(site, 'arn', 'arn:aws:sso:::instance/ssoins-1', { service: 'sso', requireAccount: false, example: 'x' })).not.toThrow();
    expect(() => validateArn(site, 'arn', 'arn:aws:s3:::bucket', { service: 'iam', example: 'arn:aws:iam::111122223333:role/x' }))
      .toThrow(/prop 'arn': 'arn:aws:s3:::bucket' is not a valid iam ARN of the expected kind; pass an ARN such as 'arn:aws:iam::111122223333:role\/x'/);
  });

  test('role ARNs accept paths', () => {
    expect(validateRoleArn(site, 'arn', 'arn:aws:iam::111122223333:role/ci/github/deploy')?.resource).toBe('role/ci/github/deploy');
  });

  test('IAM names and paths', () => {
    expect(() => validateIamName(site, 'roleName', 'ok+=,.@_-name')).not.toThrow();
    expect(() => validateIamName(site, 'roleName', '')).toThrow(/is 0 characters long, outside 1-64/);
    expect(() => validateIamName(site, 'name', 'x'.repeat(33), 32)).toThrow(/outside 1-32/);
    expect(() => validateIamPath(site, 'path', '/')).not.toThrow();
    expect(() => validateIamPath(site, 'path', '/a/b/')).not.toThrow();
    expect(() => validateIamPath(site, 'path', '/a')).toThrow(/is not an IAM path/);
    expect(() => validateIamPath(site, 'path', `/${'a'.repeat(511)}/`)).toThrow(/at most 512 characters/);
  });

  test('ISO-8601 durations within bounds', () => {
    expect(validateIsoDuration(site, 'sessionDuration', 'PT8H', Duration.hours(1), Duration.hours(12))).toBe(28800);
    expect(() => validateIsoDuration(site, 'sessionDuration', 'PT13H', Duration.hours(1), Duration.hours(12))).toThrow(/13 hours is outside 1 hour to 12 hours/);
    expect(() => validateIsoDuration(site, 'sessionDuration', '8 hours', Duration.hours(1), Duration.hours(12))).toThrow(/'8 hours' is not an ISO-8601 duration/);
  });

  test('duplicates and paths before super()', () => {
    expect(duplicatesOf(['a', 'b', 'a', Token.asString({ Ref: 'X' }), Token.asString({ Ref: 'X' })])).toEqual(['a']);
    const scope = { node: { path: 'App/Stack' } } as any;
    expect(pathOf(scope, 'Role')).toBe('App/Stack/Role');
    expect(pathOf({ node: { path: '' } } as any, 'Root')).toBe('Root');
  });
});
