/**
 * AssumeRoleMonitor creates no trust policy, so IAM simulation does not apply here.
 * What must hold is that the rule's event pattern matches the CloudTrail events that hand
 * out the watched roles' credentials and nothing else. aws-cdk-lib cannot evaluate event
 * patterns offline, so `matches` below implements the subset of EventBridge's matching
 * the monitor uses (value lists, `exists`, `anything-but`, `$or`, arrays of objects) and
 * the tests run sample CloudTrail records, shaped as the examples of the IAM CloudTrail
 * documentation (cited at the fixtures below), through the synthesized pattern.
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

/** EventBridge matching, for the operators the monitor uses (`$or`, arrays of objects included). */
function matches(pattern: any, event: any): boolean {
  return Object.entries(pattern).every(([key, rule]) => {
    if (key === '$or') return (rule as any[]).some(alternative => matches(alternative, event));
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
    // A field inside an array of objects matches when one element matches.
    if (Array.isArray(value)) return value.some(v => v !== null && typeof v === 'object' && matches(rule, v));
    return value !== undefined && typeof value === 'object' && matches(rule, value);
  });
}

/** The rule's pattern from the synthesized template, with intrinsics evaluated. */
function patternOf(stack: Stack): any {
  const template = templateOf(stack);
  const [rule] = Object.values(template.Resources).filter(r => r.Type === 'AWS::Events::Rule');
  return resolveIntrinsics(template, rule.Properties.EventPattern);
}

/** A CloudTrail record as EventBridge delivers it ("AWS API Call via CloudTrail"). */
function delivered(source: string, record: Record<string, unknown>): any {
  return { 'source': source, 'detail-type': 'AWS API Call via CloudTrail', 'account': TEST_ACCOUNT, 'detail': record };
}

/*
 * Sample CloudTrail records shaped as the examples in "Logging IAM and AWS STS API calls
 * with AWS CloudTrail", section "Example AWS STS API events in CloudTrail log"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-integration.html#cloudtrail-integration_examples-sts-api):
 * the role the caller named is in requestParameters.roleArn, and STS lists the role in
 * resources[] with type AWS::IAM::Role (AssumeRoleWithSAML lists the SAML provider too).
 * Account ids and names are this test's.
 */

/** AssumeRole by a role of `callerAccount`, as in the documented AssumeRole example. */
function assumeRole(roleArn: string, callerAccount: string, extra: Record<string, unknown> = {}, requestedArn: string = roleArn): any {
  return delivered('aws.sts', {
    eventVersion: '1.08',
    userIdentity: {
      type: 'AssumedRole',
      principalId: 'AROAIN5ATK5U7KEXAMPLE:JohnRole1',
      arn: `arn:aws:sts::${callerAccount}:assumed-role/JohnDoe/JohnRole1`,
      accountId: callerAccount,
      accessKeyId: 'ASIAI44QH8DHBEXAMPLE',
      sessionContext: {
        sessionIssuer: { type: 'Role', principalId: 'AROAIN5ATK5U7KEXAMPLE', arn: `arn:aws:iam::${callerAccount}:role/JohnDoe`, accountId: callerAccount, userName: 'JohnDoe' },
        attributes: { creationDate: '2014-07-18T14:59:24Z', mfaAuthenticated: 'false' },
      },
    },
    eventTime: '2014-07-18T15:07:39Z',
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRole',
    awsRegion: 'us-east-2',
    sourceIPAddress: '192.0.2.101',
    userAgent: 'aws-cli/1.11.10 Python/2.7.8 Linux/3.2.45-0.6.wd.865.49.315.metal1.x86_64 botocore/1.4.67',
    requestParameters: { roleArn: requestedArn, roleSessionName: 'JohnRole1', durationSeconds: 3600 },
    responseElements: {
      credentials: { accessKeyId: 'ASIAQRSTUVWXYZEXAMPLE', sessionToken: '<encoded session token blob>', expiration: 'Jul 18, 2023, 4:07:39 PM' },
      assumedRoleUser: { assumedRoleId: 'AROAIFR7WHDTSOYQYHFUE:JohnRole1', arn: `arn:aws:sts::${TEST_ACCOUNT}:assumed-role/x/JohnRole1` },
    },
    readOnly: true,
    resources: [{ ARN: roleArn, accountId: TEST_ACCOUNT, type: 'AWS::IAM::Role' }],
    requestID: '4EXAMPLE-0e8d-11e4-96e4-e55c0EXAMPLE',
    eventID: 'dEXAMPLE-ac7f-466c-a608-4ac8dEXAMPLE',
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: TEST_ACCOUNT,
    sharedEventID: 'bEXAMPLE-efea-4a70-b951-19a88EXAMPLE',
    eventCategory: 'Management',
    ...extra,
  });
}

/** AssumeRoleWithSAML, as in the documented example: no caller account, a SAMLUser. */
function withSaml(roleArn: string): any {
  return delivered('aws.sts', {
    eventVersion: '1.08',
    userIdentity: { type: 'SAMLUser', principalId: 'SampleUkh1i4+ExamplexL/jEvs=:SamlExample', userName: 'SamlExample', identityProvider: 'bdGOnTesti4+ExamplexL/jEvs=' },
    eventTime: '2023-08-28T18:30:58Z',
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRoleWithSAML',
    awsRegion: 'us-east-2',
    sourceIPAddress: '192.0.2.101',
    userAgent: 'aws-internal/3 aws-sdk-java/1.12.479',
    requestParameters: {
      sAMLAssertionID: '_c0046cEXAMPLEb9d4b8eEXAMPLE2619aEXAMPLE',
      roleSessionName: 'MyAssignedRoleSessionName',
      durationSeconds: 3600,
      roleArn,
      principalArn: `arn:aws:iam::${TEST_ACCOUNT}:saml-provider/Shibboleth`,
    },
    responseElements: {
      subjectType: 'transient',
      issuer: 'https://server.example.com/idp/shibboleth',
      audience: 'https://signin.aws.amazon.com/saml',
      nameQualifier: 'SbdGOnUkh1i4+EXAMPLExL/jEvs=',
    },
    readOnly: true,
    resources: [
      { ARN: roleArn, accountId: TEST_ACCOUNT, type: 'AWS::IAM::Role' },
      { ARN: `arn:aws:iam::${TEST_ACCOUNT}:saml-provider/test-saml-provider`, accountId: TEST_ACCOUNT, type: 'AWS::IAM::SAMLProvider' },
    ],
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: TEST_ACCOUNT,
    eventCategory: 'Management',
  });
}

/** AssumeRoleWithWebIdentity, as in the documented example: a WebIdentityUser. */
function withWebIdentity(roleArn: string): any {
  return delivered('aws.sts', {
    eventVersion: '1.08',
    userIdentity: {
      type: 'WebIdentityUser',
      principalId: 'accounts.google.com:<id-of-application>.apps.googleusercontent.com:<id-of-user>',
      userName: '<id of user>',
      identityProvider: 'accounts.google.com',
    },
    eventTime: '2023-03-23T01:39:51Z',
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRoleWithWebIdentity',
    awsRegion: 'us-east-2',
    sourceIPAddress: '192.0.2.101',
    userAgent: 'aws-cli/2.13.29 Python/3.11.6',
    requestParameters: { durationSeconds: 3600, roleArn, roleSessionName: 'MyAssignedRoleSessionName' },
    responseElements: {
      provider: 'accounts.google.com',
      subjectFromWebIdentityToken: '<id of user>',
      audience: '<id of application>.apps.googleusercontent.com',
    },
    readOnly: true,
    resources: [{ ARN: roleArn, accountId: TEST_ACCOUNT, type: 'AWS::IAM::Role' }],
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: TEST_ACCOUNT,
    eventCategory: 'Management',
  });
}

/**
 * IAM Roles Anywhere CreateSession: its request carries roleArn, profileArn and
 * trustAnchorArn (https://docs.aws.amazon.com/rolesanywhere/latest/userguide/authentication-create-session.html);
 * the caller is a certificate, not an AWS identity. Whether CloudTrail fills resources[]
 * for it is not documented, so this record has none and must match on requestParameters.
 */
function rolesAnywhere(roleArn: string): any {
  return delivered('aws.rolesanywhere', {
    eventVersion: '1.08',
    userIdentity: { type: 'Unknown', principalId: '0123456789abcdef0123456789abcdef' },
    eventSource: 'rolesanywhere.amazonaws.com',
    eventName: 'CreateSession',
    awsRegion: 'us-east-1',
    requestParameters: {
      roleArn,
      profileArn: `arn:aws:rolesanywhere:us-east-1:${TEST_ACCOUNT}:profile/00000000-0000-0000-0000-000000000001`,
      trustAnchorArn: `arn:aws:rolesanywhere:us-east-1:${TEST_ACCOUNT}:trust-anchor/00000000-0000-0000-0000-000000000002`,
      durationSeconds: 3600,
    },
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: TEST_ACCOUNT,
  });
}

/** Another STS or IAM call naming a watched role. */
function otherCall(source: string, eventName: string, roleArn: string): any {
  return delivered(source, {
    eventSource: `${source.slice(4)}.amazonaws.com`,
    eventName,
    requestParameters: { roleArn, roleName: roleArn.split('/').pop() },
    resources: [{ ARN: roleArn, accountId: TEST_ACCOUNT, type: 'AWS::IAM::Role' }],
    recipientAccountId: TEST_ACCOUNT,
  });
}

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
          $or: [
            { requestParameters: { roleArn: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Deploy'), 'Arn'] }, ADMINS] } },
            { resources: { ARN: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Deploy'), 'Arn'] }, ADMINS] } },
          ],
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
      expect(matches(pattern, otherCall('aws.sts', 'GetCallerIdentity', DEPLOY))).toBe(false);
      expect(matches(pattern, otherCall('aws.iam', 'UpdateAssumeRolePolicy', DEPLOY))).toBe(false);
    });

    test('a call that named the role differently is still reported through resources[].ARN', () => {
      // GIVEN a monitor of the role's canonical ARN (with its path)
      const stack = newStack();
      new AssumeRoleMonitor(stack, 'Monitor', { roleArns: [ADMINS], topic: encryptedTopic(stack) });
      const pattern = patternOf(stack);
      // WHEN requestParameters.roleArn is not the ARN STS recorded in resources[]
      const event = assumeRole(ADMINS, CALLER_ACCOUNT, {}, `arn:aws:iam::${TEST_ACCOUNT}:role/admins`);
      // THEN the resources[] entry STS recorded still matches
      expect(matches(pattern, event)).toBe(true);
      expect(matches({ ...pattern, detail: { ...pattern.detail, $or: [pattern.detail.$or[0]] } }, event)).toBe(false);
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
      const arn = pattern.detail.$or[0].requestParameters.roleArn[0];
      expect(pattern.detail.$or[1].resources.ARN).toEqual([arn]);
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
      EventPattern: {
        detail: {
          $or: [{ requestParameters: { roleArn: [{ Ref: 'RoleArn' }] } }, { resources: { ARN: [{ Ref: 'RoleArn' }] } }],
          userIdentity: { accountId: [{ 'anything-but': [{ Ref: 'Account' }] }] },
        },
      },
    });
  });
});
