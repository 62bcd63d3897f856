/**
 * AccessKeyGuardrails creates no trust policy of its own, so its simulation is of what it
 * decides: the service control policy document (iam-simulate with the SCP, for break-glass
 * and other principals), and the rule's event pattern against CloudTrail records shaped as
 * the IAM documentation's examples (matched by a small EventBridge matcher, as the
 * AssumeRoleMonitor tests do).
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { App, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AccessKeyGuardrails, AnalyzerScope, ConfigRecorderSetup, LegacyAccessKey } from '../../src';
import { TEST_ACCOUNT, TEST_ENV } from '../support/env';
import { nagFindings } from '../support/nag';
import { resolveIntrinsics, templateOf } from '../support/template';

function newStack(): Stack {
  return new Stack(new App(), 'Guardrails', { env: TEST_ENV });
}

function alerts(stack: Stack): sns.Topic {
  return new sns.Topic(stack, 'Alerts', { masterKey: new kms.Key(stack, 'AlertsKey', { enableKeyRotation: true }), enforceSSL: true });
}

/** A bucket for AWS Config that passes the AwsSolutions checks. */
function configBucket(stack: Stack): s3.Bucket {
  const logs = new s3.Bucket(stack, 'AccessLogs', { enforceSSL: true, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL, encryption: s3.BucketEncryption.S3_MANAGED });
  return new s3.Bucket(stack, 'ConfigBucket', {
    enforceSSL: true, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL, encryption: s3.BucketEncryption.S3_MANAGED, serverAccessLogsBucket: logs,
  });
}

describe('AWS Config rules', () => {
  test('key age, unused credentials and root keys, with the documented parameters and their defaults', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    new AccessKeyGuardrails(stack, 'Keys', { topic: alerts(stack) });
    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Config::ConfigRule', {
      Source: { Owner: 'AWS', SourceIdentifier: 'ACCESS_KEYS_ROTATED' },
      InputParameters: { maxAccessKeyAge: 90 },
      MaximumExecutionFrequency: 'TwentyFour_Hours',
    });
    template.hasResourceProperties('AWS::Config::ConfigRule', {
      Source: { Owner: 'AWS', SourceIdentifier: 'IAM_USER_UNUSED_CREDENTIALS_CHECK' },
      InputParameters: { maxCredentialUsageAge: 90 },
    });
    template.hasResourceProperties('AWS::Config::ConfigRule', {
      Source: { Owner: 'AWS', SourceIdentifier: 'IAM_ROOT_ACCESS_KEY_CHECK' },
      InputParameters: Match.absent(),
    });
    template.resourceCountIs('AWS::Config::ConfigurationRecorder', 0);
  });

  test('the ages are configurable', () => {
    const stack = newStack();
    new AccessKeyGuardrails(stack, 'Keys', { topic: alerts(stack), maxAccessKeyAge: Duration.days(45), maxCredentialUsageAge: Duration.days(30) });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Config::ConfigRule', { InputParameters: { maxAccessKeyAge: 45 } });
    template.hasResourceProperties('AWS::Config::ConfigRule', { InputParameters: { maxCredentialUsageAge: 30 } });
  });

  test('on request, a recorder of the IAM resource types through the service-linked role, its delivery channel, and the rules after them', () => {
    const stack = newStack();
    const bucket = configBucket(stack);
    const guardrails = new AccessKeyGuardrails(stack, 'Keys', { topic: alerts(stack), configRecorder: ConfigRecorderSetup.create(bucket) });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Config::ConfigurationRecorder', {
      RoleARN: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${TEST_ACCOUNT}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`]] },
      RecordingGroup: { AllSupported: false, ResourceTypes: ['AWS::IAM::User', 'AWS::IAM::Group', 'AWS::IAM::Role', 'AWS::IAM::Policy'] },
    });
    template.hasResourceProperties('AWS::Config::DeliveryChannel', { S3BucketName: { Ref: Match.stringLikeRegexp('ConfigBucket') } });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'AWSConfigBucketDelivery',
          Principal: { Service: 'config.amazonaws.com' },
          Action: 's3:PutObject',
          Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'AWS:SourceAccount': TEST_ACCOUNT } },
        })]),
      },
    });
    const recorderId = stack.resolve((guardrails.recorder!).logicalId);
    for (const rule of Object.values(templateOf(stack).Resources).filter(r => r.Type === 'AWS::Config::ConfigRule')) {
      expect((rule as any).DependsOn).toEqual(expect.arrayContaining([recorderId]));
    }
  });
});

describe('IAM Access Analyzer', () => {
  test('an account unused access analyzer with a 90-day tracking period by default', () => {
    const stack = newStack();
    new AccessKeyGuardrails(stack, 'Keys', { topic: alerts(stack) });
    Template.fromStack(stack).hasResourceProperties('AWS::AccessAnalyzer::Analyzer', {
      Type: 'ACCOUNT_UNUSED_ACCESS',
      AnalyzerConfiguration: { UnusedAccessConfiguration: { UnusedAccessAge: 90 } },
    });
  });

  test('organization scope and another tracking period; or none at all', () => {
    const stack = newStack();
    new AccessKeyGuardrails(stack, 'Org', { topic: alerts(stack), analyzerScope: AnalyzerScope.ORGANIZATION, unusedAccessAge: Duration.days(180) });
    Template.fromStack(stack).hasResourceProperties('AWS::AccessAnalyzer::Analyzer', {
      Type: 'ORGANIZATION_UNUSED_ACCESS',
      AnalyzerConfiguration: { UnusedAccessConfiguration: { UnusedAccessAge: 180 } },
    });
    const other = newStack();
    new AccessKeyGuardrails(other, 'NoAnalyzer', { topic: alerts(other), unusedAccessAnalyzer: false });
    Template.fromStack(other).resourceCountIs('AWS::AccessAnalyzer::Analyzer', 0);
  });
});

/** EventBridge matching for the operators the rule uses (value lists, nested objects). */
function matches(pattern: any, event: any): boolean {
  return Object.entries(pattern).every(([key, rule]) => {
    const value = event?.[key];
    if (Array.isArray(rule)) return rule.includes(value);
    return value !== undefined && typeof value === 'object' && matches(rule, value);
  });
}

/*
 * A CreateAccessKey record shaped as the example in "Logging IAM and AWS STS API calls with
 * AWS CloudTrail", section "IAM API event in CloudTrail log file"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-integration.html), as
 * EventBridge delivers it. Account ids and names are this test's.
 */
function iamCall(eventName: string, extra: Record<string, unknown> = {}): any {
  return {
    'source': 'aws.iam',
    'detail-type': 'AWS API Call via CloudTrail',
    'account': TEST_ACCOUNT,
    'region': 'us-east-1',
    'detail': {
      eventVersion: '1.08',
      userIdentity: { type: 'IAMUser', principalId: 'AIDACKCEVSQ6C2EXAMPLE', arn: `arn:aws:iam::${TEST_ACCOUNT}:user/JaneDoe`, accountId: TEST_ACCOUNT, userName: 'JaneDoe' },
      eventTime: '2014-07-15T21:39:40Z',
      eventSource: 'iam.amazonaws.com',
      eventName,
      awsRegion: 'us-east-1',
      sourceIPAddress: '192.0.2.101',
      userAgent: 'aws-cli/2.13.5 Python/3.11.4 Linux/4.14.255-314-253.539.amzn2.x86_64 exec-env/CloudShell exe/x86_64.amzn.2',
      requestParameters: { userName: 'JaneDoe' },
      readOnly: false,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: TEST_ACCOUNT,
      ...extra,
    },
  };
}

describe('the EventBridge rule', () => {
  function pattern(): any {
    const stack = newStack();
    new AccessKeyGuardrails(stack, 'Keys', { topic: alerts(stack) });
    const template = templateOf(stack);
    const [rule] = Object.values(template.Resources).filter(r => r.Type === 'AWS::Events::Rule');
    return resolveIntrinsics(template, rule.Properties.EventPattern);
  }

  test.each(['CreateAccessKey', 'UpdateAccessKey', 'CreateUser', 'CreateLoginProfile'])('reports %s', (name) => {
    expect(matches(pattern(), iamCall(name))).toBe(true);
  });

  test.each(['ListAccessKeys', 'DeleteAccessKey', 'CreateRole', 'GetUser'])('does not report %s', (name) => {
    expect(matches(pattern(), iamCall(name))).toBe(false);
  });

  test('does not report another service\'s event of the same name', () => {
    const event = iamCall('CreateUser', { eventSource: 'transfer.amazonaws.com' });
    expect(matches(pattern(), { ...event, source: 'aws.transfer' })).toBe(false);
  });

  test('sent to the topic and to any other target, also added later; the rule stays in the default state (write events)', () => {
    const stack = newStack();
    const queue = new sqs.Queue(stack, 'Queue', { enforceSSL: true });
    const guardrails = new AccessKeyGuardrails(stack, 'Keys', { topic: alerts(stack), targets: [new targets.SqsQueue(queue)] });
    guardrails.addTarget(new targets.SqsQueue(new sqs.Queue(stack, 'Second', { enforceSSL: true })));
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
      State: 'ENABLED',
      Targets: [
        Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('Alerts') } }),
        Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Queue'), 'Arn'] } }),
        Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Second'), 'Arn'] } }),
      ],
    });
  });
});

describe('the service control policy', () => {
  const simulateScp = async (document: any, principal: string) => {
    const result = await runSimulation({
      identityPolicies: [{ name: 'admin', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }],
      serviceControlPolicies: [{
        orgIdentifier: 'r-root',
        policies: [
          { name: 'FullAWSAccess', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } },
          { name: 'DenyAccessKeys', policy: document },
        ],
      }],
      resourceControlPolicies: [],
      request: {
        action: 'iam:CreateAccessKey',
        principal,
        resource: { accountId: TEST_ACCOUNT, resource: `arn:aws:iam::${TEST_ACCOUNT}:user/legacy/app` },
        // IAM sets aws:PrincipalArn to the role's ARN, path included, for a session of the role.
        contextVariables: { 'aws:PrincipalArn': principal },
      },
    } as any, {});
    if (result.resultType === 'error') throw new Error(JSON.stringify(result.errors));
    return result.overallResult === 'Allowed' ? 'Allowed' : 'Denied';
  };

  function scp(props: { allowLegacyKeyRotation?: boolean } = {}): any {
    const stack = newStack();
    const guardrails = new AccessKeyGuardrails(stack, 'Keys', { topic: alerts(stack), breakGlassPrincipalArns: ['arn:aws:iam::*:role/break-glass/*'], ...props });
    return stack.resolve(guardrails.serviceControlPolicy!.toJSON());
  }

  test('denies iam:CreateAccessKey outside the break-glass path, and is not deployed', () => {
    const stack = newStack();
    const guardrails = new AccessKeyGuardrails(stack, 'Keys', { topic: alerts(stack), breakGlassPrincipalArns: ['arn:aws:iam::*:role/break-glass/*'] });
    expect(stack.resolve(guardrails.serviceControlPolicy!.toJSON())).toEqual({
      Version: '2012-10-17',
      Statement: [{
        Sid: 'DenyAccessKeysOutsideBreakGlass',
        Effect: 'Deny',
        Action: 'iam:CreateAccessKey',
        Resource: '*',
        Condition: { ArnNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:role/break-glass/*', `arn:*:iam::*:role${LegacyAccessKey.ROTATION_ROLE_PATH}*`] } },
      }],
    });
    Template.fromStack(stack).resourceCountIs('AWS::Organizations::Policy', 0);
    expect(new AccessKeyGuardrails(stack, 'NoScp', { topic: alerts(newStack()) }).serviceControlPolicy).toBeUndefined();
  });

  test('an administrator outside the path is denied; the break-glass role and the rotation functions are not', async () => {
    const document = scp();
    expect(await simulateScp(document, `arn:aws:iam::${TEST_ACCOUNT}:role/Admin`)).toBe('Denied');
    expect(await simulateScp(document, `arn:aws:iam::${TEST_ACCOUNT}:user/legacy/app`)).toBe('Denied');
    expect(await simulateScp(document, `arn:aws:iam::${TEST_ACCOUNT}:role/break-glass/Emergency`)).toBe('Allowed');
    expect(await simulateScp(document, `arn:aws:iam::${TEST_ACCOUNT}:role${LegacyAccessKey.ROTATION_ROLE_PATH}Legacy-RotationRole-ABC`)).toBe('Allowed');
  });

  test('without the rotation exemption, the rotation functions are denied too', async () => {
    expect(await simulateScp(scp({ allowLegacyKeyRotation: false }), `arn:aws:iam::${TEST_ACCOUNT}:role${LegacyAccessKey.ROTATION_ROLE_PATH}X`)).toBe('Denied');
  });
});

describe('four ways', () => {
  test('snapshot', () => {
    const stack = newStack();
    new AccessKeyGuardrails(stack, 'Keys', { topic: alerts(stack), configRecorder: ConfigRecorderSetup.create(configBucket(stack)) });
    expect(templateOf(stack)).toMatchSnapshot();
  });

  test('no nag finding', () => {
    const stack = newStack();
    new AccessKeyGuardrails(stack, 'Keys', { topic: alerts(stack), configRecorder: ConfigRecorderSetup.create(configBucket(stack)), breakGlassPrincipalArns: ['arn:aws:iam::*:role/break-glass/*'] });
    expect(nagFindings(stack)).toEqual([]);
  });

  test('tokens as inputs: a topic and a bucket from parameters; break-glass principals must be written out', () => {
    const stack = newStack();
    const topic = sns.Topic.fromTopicArn(stack, 'Imported', new CfnParameter(stack, 'TopicArn').valueAsString);
    const bucket = s3.Bucket.fromBucketName(stack, 'Bucket', new CfnParameter(stack, 'ConfigBucketName').valueAsString);
    new AccessKeyGuardrails(stack, 'Keys', { topic, configRecorder: ConfigRecorderSetup.create(bucket) });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Events::Rule', { Targets: [Match.objectLike({ Arn: { Ref: 'TopicArn' } })] });
    template.hasResourceProperties('AWS::Config::DeliveryChannel', { S3BucketName: { Ref: 'ConfigBucketName' } });
    const arns = new CfnParameter(stack, 'BreakGlass', { type: 'CommaDelimitedList' });
    expect(() => new AccessKeyGuardrails(stack, 'Scp', { topic, breakGlassPrincipalArns: arns.valueAsList }))
      .toThrow(/prop 'breakGlassPrincipalArns': the list holds values only known at deploy time, but the service control policy is a document this stack does not deploy/);
  });
});

describe('validation', () => {
  const make = (props: ConstructorParameters<typeof AccessKeyGuardrails>[2]) => () => {
    const stack = newStack();
    return new AccessKeyGuardrails(stack, 'Keys', { topic: alerts(stack), ...props });
  };

  test('no target', () => {
    expect(() => new AccessKeyGuardrails(newStack(), 'Keys', {})).toThrow(/Invalid AccessKeyGuardrails 'Guardrails\/Keys' prop 'targets': the rule has no target/);
  });
  test('ages: whole days within the documented ranges', () => {
    expect(make({ maxAccessKeyAge: Duration.days(0) })).toThrow(/prop 'maxAccessKeyAge': 0 days is outside 1 day to 365 days/);
    expect(make({ maxCredentialUsageAge: Duration.hours(12) })).toThrow(/prop 'maxCredentialUsageAge': 12 hours is outside/);
    expect(make({ unusedAccessAge: Duration.days(366) })).toThrow(/prop 'unusedAccessAge': 366 days is outside 1 day to 365 days/);
    expect(make({ maxAccessKeyAge: Duration.hours(36) })).toThrow(/prop 'maxAccessKeyAge': 1 day 12 hours is not a whole number of days/);
  });
  test('break-glass principals: named, narrow, not empty', () => {
    expect(make({ breakGlassPrincipalArns: [] })).toThrow(/prop 'breakGlassPrincipalArns': the list is empty, so nobody could create an access key/);
    expect(make({ breakGlassPrincipalArns: ['break-glass'] })).toThrow(/'break-glass' is not an IAM role or user ARN pattern/);
    expect(make({ breakGlassPrincipalArns: ['arn:aws:iam::*:role/*'] })).toThrow(/'arn:aws:iam::\*:role\/\*' exempts every role/);
    expect(make({ breakGlassPrincipalArns: ['arn:aws:iam::111111111111:role/bg', 'arn:aws:iam::111111111111:role/bg'] })).toThrow(/is listed more than once/);
  });
});
