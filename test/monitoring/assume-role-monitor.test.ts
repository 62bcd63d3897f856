/**
 * AssumeRoleMonitor creates no trust policy, so IAM simulation does not apply here.
 * What must hold is that the rule's event pattern matches the CloudTrail events that hand
 * out the watched roles' credentials and nothing else. aws-cdk-lib cannot evaluate event
 * patterns offline, so `matches` below implements the subset of EventBridge's matching
 * the monitor uses (value lists, `exists`, `anything-but`) and the tests run sample
 * CloudTrail events, shaped as in the IAM and Roles Anywhere CloudTrail documentation,
 * through the synthesized pattern.
 */
import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AssumeRoleMonitor } from '../../src';
import { CALLER_ACCOUNT, OTHER_ACCOUNT, TEST_ACCOUNT, TEST_ENV } from '../support/env';
import { nagFindings } from '../support/nag';
import { resolveIntrinsics, templateOf } from '../support/template';

const DEPLOY = `arn:aws:iam::${TEST_ACCOUNT}:role/deploy`;
const ADMINS = `arn:aws:iam::${TEST_ACCOUNT}:role/sso/admins`;

function newStack(): Stack {
  return new Stack(new App(), 'Security', { env: TEST_ENV });
}

function encryptedTopic(stack: Stack): sns.Topic {
  const key = new kms.Key(stack, 'AlertsKey', { enableKeyRotation: true });
  return new sns.Topic(stack, 'Alerts', { masterKey: key, enforceSSL: true });
}

/** EventBridge matching, for the operators the monitor uses. */
function matches(pattern: any, event: any): boolean {
  return Object.entries(pattern).every(([key, rule]) => {
    const value = event?.[key];
    if (Array.isArray(rule)) {
      return rule.some((r: any) => {
        if (r !== null && typeof r === 'object') {
          if ('exists' in r) return r.exists ? value !== undefined : value === undefined;
          if ('anything-but' in r) return value !== undefined && !(r['anything-but'] as unknown[]).includes(value);
          throw new Error(`operator not supported by the test matcher: ${JSON.stringify(r)}`);
        }
        return Array.isArray(value) ? value.includes(r) : value === r;
      });
    }
    return value !== undefined && typeof value === 'object' && matches(rule, value);
  });
}

/** The rule's pattern from the synthesized template, with intrinsics evaluated. */
function patternOf(stack: Stack): any {
  const template = templateOf(stack);
  const [rule] = Object.values(template.Resources).filter(r => r.Type === 'AWS::Events::Rule');
  return resolveIntrinsics(template, rule.Properties.EventPattern);
}

/** A CloudTrail event as EventBridge delivers it. */
function cloudTrailEvent(source: string, eventName: string, roleArn: string, extra: Record<string, unknown> = {}): any {
  return {
    'source': source,
    'detail-type': 'AWS API Call via CloudTrail',
    'account': TEST_ACCOUNT,
    'detail': {
      eventSource: source === 'aws.sts' ? 'sts.amazonaws.com' : 'rolesanywhere.amazonaws.com',
      eventName,
      readOnly: true,
      requestParameters: { roleArn, roleSessionName: 'session' },
      recipientAccountId: TEST_ACCOUNT,
      ...extra,
    },
  };
}

const assumeRole = (roleArn: string, callerAccount: string, extra: Record<string, unknown> = {}) => cloudTrailEvent('aws.sts', 'AssumeRole', roleArn, {
  userIdentity: { type: 'AssumedRole', accountId: callerAccount, arn: `arn:aws:sts::${callerAccount}:assumed-role/ci/run-1` },
  ...extra,
});
const withSaml = (roleArn: string) => cloudTrailEvent('aws.sts', 'AssumeRoleWithSAML', roleArn, {
  userIdentity: { type: 'SAMLUser', principalId: 'x:alice', userName: 'alice', identityProvider: 'x' },
});
const withWebIdentity = (roleArn: string) => cloudTrailEvent('aws.sts', 'AssumeRoleWithWebIdentity', roleArn, {
  userIdentity: { type: 'WebIdentityUser', identityProvider: 'token.actions.githubusercontent.com', userName: 'repo:acme/api:ref:refs/heads/main' },
});
const rolesAnywhere = (roleArn: string) => cloudTrailEvent('aws.rolesanywhere', 'CreateSession', roleArn, {
  userIdentity: { type: 'Unknown', principalId: 'serial' },
});

describe('AssumeRoleMonitor', () => {
  test('creates a rule on the four credential-vending events of the roles, in the state that receives read-only management events', () => {
    // GIVEN
    const stack = newStack();
    const role = new iam.Role(stack, 'Deploy', { assumedBy: new iam.AccountPrincipal(CALLER_ACCOUNT) });
    // WHEN
    new AssumeRoleMonitor(stack, 'Monitor', { roles: [role], roleArns: [ADMINS], topic: encryptedTopic(stack) });
    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Events::Rule', {
      State: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
      Name: Match.absent(),
      EventPattern: {
        'source': ['aws.sts', 'aws.rolesanywhere'],
        'detail-type': ['AWS API Call via CloudTrail'],
        'detail': {
          eventName: ['AssumeRole', 'AssumeRoleWithWebIdentity', 'AssumeRoleWithSAML', 'CreateSession'],
          requestParameters: { roleArn: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Deploy'), 'Arn'] }, ADMINS] },
          errorCode: Match.absent(),
          userIdentity: Match.absent(),
        },
      },
      Targets: [{ Arn: { Ref: Match.stringLikeRegexp('^Alerts') }, Id: Match.anyValue() }],
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Action: 'sns:Publish', Principal: { Service: 'events.amazonaws.com' } })]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({ Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Principal: { Service: 'events.amazonaws.com' } })]),
      },
    });
  });

  test('adds the failed-only and unknown-account filters', () => {
    const stack = newStack();
    new AssumeRoleMonitor(stack, 'Monitor', {
      roleArns: [DEPLOY], topic: encryptedTopic(stack), failedOnly: true, knownAccounts: [TEST_ACCOUNT, CALLER_ACCOUNT],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        detail: {
          errorCode: [{ exists: true }],
          userIdentity: { accountId: [{ 'anything-but': [TEST_ACCOUNT, CALLER_ACCOUNT] }] },
        },
      },
    });
  });

  test('sends to any EventBridge target, given or added later', () => {
    const stack = newStack();
    const queue = new sqs.Queue(stack, 'Findings', { enforceSSL: true });
    const monitor = new AssumeRoleMonitor(stack, 'Monitor', { roleArns: [DEPLOY], targets: [new targets.SqsQueue(queue)] });
    monitor.addTarget(new targets.SnsTopic(encryptedTopic(stack)));
    const rule = Object.values(templateOf(stack).Resources).find(r => r.Type === 'AWS::Events::Rule')!;
    expect(rule.Properties.Targets).toHaveLength(2);
  });

  test('matches the snapshot', () => {
    const stack = newStack();
    new AssumeRoleMonitor(stack, 'Monitor', { roleArns: [DEPLOY, ADMINS], topic: encryptedTopic(stack), knownAccounts: [TEST_ACCOUNT] });
    expect(templateOf(stack)).toMatchSnapshot();
  });

  test('passes AwsSolutions and AccessPatterns checks', () => {
    const stack = newStack();
    const role = new iam.Role(stack, 'Deploy', { assumedBy: new iam.ArnPrincipal(`arn:aws:iam::${CALLER_ACCOUNT}:role/ci`) });
    new AssumeRoleMonitor(stack, 'Monitor', { roles: [role], topic: encryptedTopic(stack), failedOnly: true });
    expect(nagFindings(stack)).toEqual([]);
  });

  describe('event pattern against sample CloudTrail events', () => {
    test('every way of getting a watched role\'s credentials is reported; other roles and other calls are not', () => {
      const stack = newStack();
      new AssumeRoleMonitor(stack, 'Monitor', { roleArns: [DEPLOY, ADMINS], topic: encryptedTopic(stack) });
      const pattern = patternOf(stack);
      expect(matches(pattern, assumeRole(DEPLOY, CALLER_ACCOUNT))).toBe(true);
      expect(matches(pattern, withSaml(ADMINS))).toBe(true);
      expect(matches(pattern, withWebIdentity(DEPLOY))).toBe(true);
      expect(matches(pattern, rolesAnywhere(DEPLOY))).toBe(true);
      expect(matches(pattern, assumeRole(`arn:aws:iam::${TEST_ACCOUNT}:role/other`, CALLER_ACCOUNT))).toBe(false);
      expect(matches(pattern, cloudTrailEvent('aws.sts', 'GetCallerIdentity', DEPLOY))).toBe(false);
      expect(matches(pattern, cloudTrailEvent('aws.iam', 'UpdateAssumeRolePolicy', DEPLOY))).toBe(false);
    });

    test('failedOnly reports denied attempts only', () => {
      const stack = newStack();
      new AssumeRoleMonitor(stack, 'Monitor', { roleArns: [DEPLOY], topic: encryptedTopic(stack), failedOnly: true });
      const pattern = patternOf(stack);
      expect(matches(pattern, assumeRole(DEPLOY, OTHER_ACCOUNT, { errorCode: 'AccessDenied', errorMessage: 'not authorized' }))).toBe(true);
      expect(matches(pattern, assumeRole(DEPLOY, OTHER_ACCOUNT))).toBe(false);
    });

    test('knownAccounts reports callers from other accounts only', () => {
      const stack = newStack();
      new AssumeRoleMonitor(stack, 'Monitor', { roleArns: [DEPLOY], topic: encryptedTopic(stack), knownAccounts: [TEST_ACCOUNT, CALLER_ACCOUNT] });
      const pattern = patternOf(stack);
      expect(matches(pattern, assumeRole(DEPLOY, OTHER_ACCOUNT))).toBe(true);
      expect(matches(pattern, assumeRole(DEPLOY, CALLER_ACCOUNT))).toBe(false);
      // Federated callers carry no caller account: not reported with this filter.
      expect(matches(pattern, withSaml(DEPLOY))).toBe(false);
    });

    test('the pattern follows the watched role\'s ARN', () => {
      const stack = newStack();
      const role = new iam.Role(stack, 'Deploy', { assumedBy: new iam.AccountPrincipal(CALLER_ACCOUNT) });
      new AssumeRoleMonitor(stack, 'Monitor', { roles: [role], topic: encryptedTopic(stack) });
      const pattern = patternOf(stack);
      const arn = pattern.detail.requestParameters.roleArn[0];
      expect(arn).toMatch(/^arn:aws:iam::222222222222:role\/Deploy/);
      expect(matches(pattern, assumeRole(arn, CALLER_ACCOUNT))).toBe(true);
    });
  });

  describe('validation', () => {
    const cases: Array<[string, (s: Stack) => any, RegExp]> = [
      ['no role', (s) => ({ topic: encryptedTopic(s) }), /Invalid AssumeRoleMonitor 'Security\/Monitor' prop 'roles': no role to watch/],
      ['malformed role ARN', (s) => ({ roleArns: ['arn:aws:iam::222222222222:user/bob'], topic: encryptedTopic(s) }), /prop 'roleArns': 'arn:aws:iam::222222222222:user\/bob' is not a valid iam ARN/],
      ['duplicate role', (s) => ({ roleArns: [DEPLOY, DEPLOY], topic: encryptedTopic(s) }), /prop 'roleArns': 'arn:aws:iam::222222222222:role\/deploy' is listed more than once/],
      ['no target', () => ({ roleArns: [DEPLOY] }), /prop 'targets': the rule has no target/],
      ['empty known accounts', (s) => ({ roleArns: [DEPLOY], topic: encryptedTopic(s), knownAccounts: [] }), /prop 'knownAccounts': the list is empty/],
      ['malformed account', (s) => ({ roleArns: [DEPLOY], topic: encryptedTopic(s), knownAccounts: ['1234'] }), /prop 'knownAccounts': '1234' is not a 12-digit AWS account id/],
      ['duplicate account', (s) => ({ roleArns: [DEPLOY], topic: encryptedTopic(s), knownAccounts: [TEST_ACCOUNT, TEST_ACCOUNT] }), /prop 'knownAccounts': '222222222222' is listed more than once/],
    ];
    test.each(cases)('%s', (_name, props, message) => {
      const stack = newStack();
      expect(() => new AssumeRoleMonitor(stack, 'Monitor', props(stack))).toThrow(message);
    });
  });

  test('accepts tokens for role ARNs and accounts', () => {
    const stack = newStack();
    const arn = new CfnParameter(stack, 'RoleArn').valueAsString;
    const account = new CfnParameter(stack, 'Account').valueAsString;
    new AssumeRoleMonitor(stack, 'Monitor', { roleArns: [arn], topic: encryptedTopic(stack), knownAccounts: [account] });
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { detail: { requestParameters: { roleArn: [{ Ref: 'RoleArn' }] }, userIdentity: { accountId: [{ 'anything-but': [{ Ref: 'Account' }] }] } } },
    });
  });
});
