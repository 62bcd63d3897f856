import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { App, AssetStaging, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { LegacyAccessKey } from '../../src';
import { TEST_ACCOUNT, TEST_ENV } from '../support/env';
import { nagFindings } from '../support/nag';
import { simulate, serviceCaller, awsCaller } from '../support/simulate';
import { resolveIntrinsics, templateOf } from '../support/template';

const OFFICE = '203.0.113.0/24';
const ENDPOINT = 'vpce-1a2b3c4d';

function newStack(): Stack {
  return new Stack(new App(), 'Legacy', { env: TEST_ENV });
}

/** A legacy key that reads one bucket, usable from the office range and one VPC endpoint. */
function reportingKey(stack: Stack, props: Partial<ConstructorParameters<typeof LegacyAccessKey>[2]> = {}): LegacyAccessKey {
  const key = new LegacyAccessKey(stack, 'ReportingApp', { allowedSourceIps: [OFFICE], allowedVpcEndpointIds: [ENDPOINT], ...props });
  key.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['s3:GetObject'],
    resources: [s3.Bucket.fromBucketName(stack, 'Reports', 'acme-reports').arnForObjects('daily/report.csv')],
  }));
  return key;
}

const ofType = (stack: Stack, type: string) => Object.entries(templateOf(stack).Resources).filter(([, r]) => r.Type === type);

describe('the user and its key', () => {
  test('an IAM user with a permissions boundary, no console password, no policy of its own but the grants', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    const key = reportingKey(stack);
    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::User', 1);
    template.hasResourceProperties('AWS::IAM::User', {
      Path: '/legacy/',
      PermissionsBoundary: { Ref: Match.stringLikeRegexp('ReportingAppBoundary') },
      LoginProfile: Match.absent(),
      Policies: Match.absent(),
      ManagedPolicyArns: Match.absent(),
      Groups: Match.absent(),
    });
    expect(key.grantPrincipal).toBe(key.user);
  });

  test('the key is in no template resource and no output: the rotation function creates it', () => {
    const stack = newStack();
    reportingKey(stack);
    const template = templateOf(stack);
    expect(ofType(stack, 'AWS::IAM::AccessKey')).toEqual([]);
    expect(template.Outputs ?? {}).toEqual({});
    expect(JSON.stringify(template)).not.toMatch(/SecretAccessKey/);
    // The secret starts with the user name only.
    const [[, secret]] = ofType(stack, 'AWS::SecretsManager::Secret');
    expect(secret.Properties.SecretString).toEqual({ 'Fn::Join': ['', ['{"UserName":"', { Ref: expect.stringMatching(/^ReportingAppUser/) }, '"}']] });
    expect(secret.Properties.GenerateSecretString).toBeUndefined();
  });

  test('rotated every 30 days by default, right after deployment, by the function this library ships', () => {
    const stack = newStack();
    const key = reportingKey(stack);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      SecretId: { Ref: Match.stringLikeRegexp('ReportingAppSecret') },
      RotationLambdaARN: { 'Fn::GetAtt': [Match.stringLikeRegexp('ReportingAppRotationFunction'), 'Arn'] },
      RotationRules: { ScheduleExpression: 'rate(30 days)' },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Runtime: Match.stringLikeRegexp('^nodejs\\d+\\.x$'),
      Timeout: 120,
    });
    expect(key.rotationFunction.role?.roleName).toBeDefined();
    template.hasResourceProperties('AWS::IAM::Role', { Path: LegacyAccessKey.ROTATION_ROLE_PATH });
    // Only Secrets Manager, and only for this account, may invoke it (confused deputy).
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction', Principal: 'secretsmanager.amazonaws.com', SourceAccount: TEST_ACCOUNT,
    });
  });

  test('the rotation function may manage the keys of its one user, and nothing else in IAM', () => {
    const stack = newStack();
    reportingKey(stack);
    const template = templateOf(stack);
    const statements = ofType(stack, 'AWS::IAM::Policy')
      .filter(([id]) => id.startsWith('ReportingAppRotationRole'))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
    const iamStatements = statements.filter((s: any) => [s.Action].flat().some((a: string) => a.startsWith('iam:')));
    expect(iamStatements).toEqual([{
      Effect: 'Allow',
      Action: ['iam:CreateAccessKey', 'iam:ListAccessKeys', 'iam:UpdateAccessKey', 'iam:DeleteAccessKey'],
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^ReportingAppUser/), 'Arn'] },
    }]);
    expect(resolveIntrinsics(template, { Ref: 'AWS::AccountId' })).toBe(TEST_ACCOUNT);
  });

  test('the function code is JavaScript: the handler file, transpiled from this folder', () => {
    const stack = newStack();
    const key = reportingKey(stack);
    const staged = (key.rotationFunction.node.findChild('Code').node.findChild('Stage') as AssetStaging).absoluteStagedPath;
    expect(readdirSync(staged).sort()).toEqual(['index.js', 'rotation.js']);
    expect(readFileSync(join(staged, 'index.js'), 'utf8')).toMatch(/exports\.handler = handler/);
    expect(readFileSync(join(staged, 'index.js'), 'utf8')).toMatch(/require\("\.\/rotation"\)/);
  });
});

describe('networks', () => {
  test('the boundary denies every request from outside the allowed address ranges and VPC endpoints', () => {
    const stack = newStack();
    reportingKey(stack);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Sid: 'DenyOutsideAllowedNetworks',
          Effect: 'Deny',
          Action: '*',
          Resource: '*',
          Condition: { NotIpAddress: { 'aws:SourceIp': [OFFICE] }, StringNotEquals: { 'aws:SourceVpce': [ENDPOINT] } },
        }]),
      },
    });
  });

  test('with a boundary of your own, the network deny goes into the user\'s policy', () => {
    const stack = newStack();
    const boundary = iam.ManagedPolicy.fromManagedPolicyName(stack, 'Std', 'standard-boundary');
    reportingKey(stack, { permissionsBoundary: boundary, allowedVpcEndpointIds: undefined });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
    template.hasResourceProperties('AWS::IAM::Policy', {
      Users: [{ Ref: Match.stringLikeRegexp('ReportingAppUser') }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { NotIpAddress: { 'aws:SourceIp': [OFFICE] } } })]) },
    });
    expect(nagFindings(stack)).toEqual([]);
  });

  test('a named waiver drops the conditions, leaves a warning and records the reason', () => {
    const stack = newStack();
    const key = new LegacyAccessKey(stack, 'Vendor', { networkConditionWaiver: 'vendor appliance on changing addresses (SEC-1234)' });
    Annotations.fromStack(stack).hasWarning('/Legacy/Vendor', Match.stringLikeRegexp('may be used from any network \\(networkConditionWaiver: vendor appliance'));
    expect(key.node.metadata.find(m => m.type === 'cdk-access-patterns:networkConditionWaiver')?.data).toBe('vendor appliance on changing addresses (SEC-1234)');
    expect(JSON.stringify(templateOf(stack))).not.toMatch(/aws:Source(Ip|Vpce)/);
  });
});

test('with addresses only, a request through a VPC endpoint is denied: it has no source IP to match', async () => {
  const stack = newStack();
  new LegacyAccessKey(stack, 'IpOnly', { allowedSourceIps: [OFFICE] });
  const template = templateOf(stack);
  const boundary = ofType(stack, 'AWS::IAM::ManagedPolicy').map(([id, p]) => ({ name: id, policy: resolveIntrinsics(template, p.Properties.PolicyDocument) }));
  const decide = async (context: Record<string, string>) => {
    const result = await runSimulation({
      identityPolicies: [{ name: 'app', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] } }],
      permissionBoundaryPolicies: boundary,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      request: {
        action: 's3:GetObject',
        principal: `arn:aws:iam::${TEST_ACCOUNT}:user/legacy/IpOnlyUser`,
        resource: { accountId: TEST_ACCOUNT, resource: 'arn:aws:s3:::acme-reports/daily/report.csv' },
        contextVariables: context,
      },
    } as any, {});
    return result.resultType === 'single' ? result.overallResult : JSON.stringify(result);
  };
  expect(await decide({ 'aws:SourceIp': '203.0.113.10' })).toBe('Allowed');
  expect(await decide({ 'aws:SourceVpce': ENDPOINT, 'aws:VpcSourceIp': '203.0.113.10' })).toBe('ExplicitlyDenied');
});

describe('four ways', () => {
  test('snapshot', () => {
    const stack = newStack();
    reportingKey(stack, { encryptionKey: new kms.Key(stack, 'SecretsKey', { enableKeyRotation: true }) });
    expect(templateOf(stack)).toMatchSnapshot();
  });

  test('no nag finding: the key is acknowledged where it is, with its reason', () => {
    const stack = newStack();
    const key = reportingKey(stack);
    expect(nagFindings(stack)).toEqual([]);
    const acknowledged = key.user.node.metadata.filter(m => m.type === 'aws:cdk:acknowledged-rules' || String(m.type).includes('acknowledg'));
    expect(JSON.stringify(acknowledged)).toContain('AccessPatterns-NoIamUserAccessKeys');
  });

  test('the rotation role trusts Lambda and nothing else', async () => {
    const stack = newStack();
    const key = reportingKey(stack);
    const role = key.rotationFunction.role as iam.Role;
    expect(await simulate(stack, role, serviceCaller('lambda.amazonaws.com'))).toBe('Allowed');
    expect(await simulate(stack, role, serviceCaller('ec2.amazonaws.com'))).toBe('Denied');
    expect(await simulate(stack, role, awsCaller(`arn:aws:iam::${TEST_ACCOUNT}:role/admin`))).toBe('Denied');
  });

  describe('the key signs a request: simulation of the user\'s policy and boundary', () => {
    const stack = newStack();
    const key = reportingKey(stack);
    key.user.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['iam:CreateUser'], resources: ['*'] }));
    const template = templateOf(stack);
    const identity = ofType(stack, 'AWS::IAM::Policy').filter(([id]) => id.startsWith('ReportingAppUser'))
      .map(([id, p]) => ({ name: id, policy: resolveIntrinsics(template, p.Properties.PolicyDocument) }));
    const boundary = ofType(stack, 'AWS::IAM::ManagedPolicy').map(([id, p]) => ({ name: id, policy: resolveIntrinsics(template, p.Properties.PolicyDocument) }));
    const request = async (action: string, resource: string, context: Record<string, string>) => {
      const result = await runSimulation({
        identityPolicies: identity,
        permissionBoundaryPolicies: boundary,
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        request: {
          action,
          principal: `arn:aws:iam::${TEST_ACCOUNT}:user/legacy/ReportingAppUser`,
          resource: { accountId: TEST_ACCOUNT, resource },
          contextVariables: context,
        },
      } as any, {});
      if (result.resultType === 'error') throw new Error(JSON.stringify(result.errors));
      return result.overallResult === 'Allowed' ? 'Allowed' : 'Denied';
    };
    const object = 'arn:aws:s3:::acme-reports/daily/report.csv';

    test('from the office range: allowed', async () => {
      expect(await request('s3:GetObject', object, { 'aws:SourceIp': '203.0.113.10' })).toBe('Allowed');
    });
    test('through the allowed VPC endpoint (no source IP): allowed', async () => {
      expect(await request('s3:GetObject', object, { 'aws:SourceVpce': ENDPOINT, 'aws:VpcSourceIp': '10.0.1.5' })).toBe('Allowed');
    });
    test('a leaked key used from anywhere else: denied', async () => {
      expect(await request('s3:GetObject', object, { 'aws:SourceIp': '198.51.100.7' })).toBe('Denied');
    });
    test('through another VPC endpoint: denied', async () => {
      expect(await request('s3:GetObject', object, { 'aws:SourceVpce': 'vpce-99999999', 'aws:VpcSourceIp': '10.0.1.5' })).toBe('Denied');
    });
    test('IAM actions are outside the boundary, even when a policy grants them: denied', async () => {
      expect(await request('iam:CreateUser', `arn:aws:iam::${TEST_ACCOUNT}:user/backdoor`, { 'aws:SourceIp': '203.0.113.10' })).toBe('Denied');
    });
    test('what no policy grants: denied', async () => {
      expect(await request('s3:PutObject', object, { 'aws:SourceIp': '203.0.113.10' })).toBe('Denied');
    });
  });

  test('tokens as inputs: a parameter list of ranges and a token interval pass through', () => {
    const stack = newStack();
    const ranges = new CfnParameter(stack, 'OfficeRanges', { type: 'CommaDelimitedList' });
    new LegacyAccessKey(stack, 'Key', { allowedSourceIps: ranges.valueAsList, rotationInterval: Duration.days(7) });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Condition: { NotIpAddress: { 'aws:SourceIp': { Ref: 'OfficeRanges' } } } })]) },
    });
    Template.fromStack(stack).hasResourceProperties('AWS::SecretsManager::RotationSchedule', { RotationRules: { ScheduleExpression: 'rate(7 days)' } });
  });
});

describe('grants', () => {
  test('grantReadKey lets a principal read the current key, and decrypt it', () => {
    const stack = newStack();
    const encryptionKey = new kms.Key(stack, 'SecretsKey', { enableKeyRotation: true });
    const key = reportingKey(stack, { encryptionKey });
    const reader = new iam.Role(stack, 'Deployer', { assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com') });
    key.grantReadKey(reader);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('Deployer') }],
      PolicyDocument: {
        Statement: [
          Match.objectLike({ Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: { Ref: Match.stringLikeRegexp('ReportingAppSecret') } }),
        ],
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: 'kms:Decrypt',
          Principal: { AWS: { 'Fn::GetAtt': [Match.stringLikeRegexp('Deployer'), 'Arn'] } },
          Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } },
        })]),
      },
    });
  });
});

describe('validation', () => {
  const make = (props: ConstructorParameters<typeof LegacyAccessKey>[2]) => () => new LegacyAccessKey(newStack(), 'Key', props);

  test('no network and no waiver', () => {
    expect(make({})).toThrow(/Invalid LegacyAccessKey 'Legacy\/Key' prop 'allowedSourceIps': no network is named .*waive the condition with networkConditionWaiver/);
  });
  test('an empty waiver, or a waiver with networks', () => {
    expect(make({ networkConditionWaiver: ' ' })).toThrow(/prop 'networkConditionWaiver': the reason is empty/);
    expect(make({ networkConditionWaiver: 'because', allowedSourceIps: [OFFICE] })).toThrow(/prop 'networkConditionWaiver': a waiver is given together with allowed networks/);
  });
  test('addresses, every address, endpoints and duplicates', () => {
    expect(make({ allowedSourceIps: ['203.0.113.0/33'] })).toThrow(/prop 'allowedSourceIps': '203.0.113.0\/33' is not an IPv4 or IPv6 address or CIDR range/);
    expect(make({ allowedSourceIps: ['office'] })).toThrow(/'office' is not an IPv4 or IPv6 address/);
    expect(make({ allowedSourceIps: ['0.0.0.0/0'] })).toThrow(/prop 'allowedSourceIps': '0.0.0.0\/0' is every address/);
    expect(make({ allowedSourceIps: ['::/0'] })).toThrow(/'::\/0' is every address/);
    expect(make({ allowedVpcEndpointIds: ['vpc-1a2b3c4d'] })).toThrow(/prop 'allowedVpcEndpointIds': 'vpc-1a2b3c4d' is not a VPC endpoint id/);
    expect(make({ allowedSourceIps: [OFFICE, OFFICE] })).toThrow(/prop 'allowedSourceIps': '203.0.113.0\/24' is listed more than once/);
    expect(make({ allowedSourceIps: ['2001:db8::/32', '198.51.100.7'] })).not.toThrow();
  });
  test('rotation interval: whole days, 1 to 90', () => {
    expect(make({ allowedSourceIps: [OFFICE], rotationInterval: Duration.days(91) })).toThrow(/prop 'rotationInterval': 91 days is outside 1 day to 90 days/);
    expect(make({ allowedSourceIps: [OFFICE], rotationInterval: Duration.hours(36) })).toThrow(/prop 'rotationInterval': 1 day 12 hours is not a whole number of days/);
  });
});
