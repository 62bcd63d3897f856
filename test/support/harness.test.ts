import { App, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CALLER_ACCOUNT, OTHER_ACCOUNT, TEST_ENV } from './env';
import { nagFindings } from './nag';
import { awsCaller, mapConditionKey, serviceCaller, simulate, simulatePolicy, webIdentity } from './simulate';
import { resolveIntrinsics, trustPolicyOf } from './template';

const ROLE = 'arn:aws:iam::222222222222:role/Target';

describe('simulate', () => {
  test('allows a cross-account caller that the trust names and whose account grants it', async () => {
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${CALLER_ACCOUNT}:root` }, Action: 'sts:AssumeRole' }] };
    expect(await simulatePolicy(trust, ROLE, awsCaller(`arn:aws:iam::${CALLER_ACCOUNT}:role/ci`))).toBe('Allowed');
  });

  test('denies a cross-account caller whose own account does not grant it', async () => {
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${CALLER_ACCOUNT}:root` }, Action: 'sts:AssumeRole' }] };
    expect(await simulatePolicy(trust, ROLE, awsCaller(`arn:aws:iam::${CALLER_ACCOUNT}:role/ci`, {}, { callerPolicy: false }))).toBe('Denied');
  });

  test('denies a caller from an account the trust does not name', async () => {
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${CALLER_ACCOUNT}:root` }, Action: 'sts:AssumeRole' }] };
    expect(await simulatePolicy(trust, ROLE, awsCaller(`arn:aws:iam::${OTHER_ACCOUNT}:role/ci`))).toBe('Denied');
  });

  test('evaluates OIDC claim keys the simulator does not know, both ways', async () => {
    const provider = 'arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com';
    const trust = {
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Allow',
        Principal: { Federated: provider },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
          StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/api:*' },
        },
      }],
    };
    const claims = (sub: string) => ({ 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com', 'token.actions.githubusercontent.com:sub': sub });
    expect(await simulatePolicy(trust, ROLE, webIdentity(provider, claims('repo:acme/api:ref:refs/heads/main')))).toBe('Allowed');
    expect(await simulatePolicy(trust, ROLE, webIdentity(provider, claims('repo:acme/other:ref:refs/heads/main')))).toBe('Denied');
    expect(mapConditionKey('sts:ExternalId')).toBe('sts:ExternalId');
    expect(mapConditionKey('gitlab.com:sub')).toBe('aws:PrincipalTag/gitlab.com:sub');
  });

  test('evaluates service principals with source conditions', async () => {
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:SourceAccount': '222222222222' } } }] };
    expect(await simulatePolicy(trust, ROLE, serviceCaller('pods.eks.amazonaws.com', { 'aws:SourceAccount': '222222222222' }))).toBe('Allowed');
    expect(await simulatePolicy(trust, ROLE, serviceCaller('pods.eks.amazonaws.com', { 'aws:SourceAccount': OTHER_ACCOUNT }))).toBe('Denied');
  });

  test('reports a malformed policy instead of calling it denied', async () => {
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Maybe', Principal: '*', Action: 'sts:AssumeRole' }] };
    await expect(simulatePolicy(trust, ROLE, awsCaller(`arn:aws:iam::${CALLER_ACCOUNT}:role/ci`))).rejects.toThrow(/simulation error/);
  });

  test('simulates a role synthesized from aws-cdk-lib', async () => {
    const stack = new Stack(new App(), 'S', { env: TEST_ENV });
    const role = new iam.Role(stack, 'R', { assumedBy: new iam.AccountPrincipal(CALLER_ACCOUNT), externalIds: ['abc123'] });
    expect(await simulate(stack, role, awsCaller(`arn:aws:iam::${CALLER_ACCOUNT}:role/ci`, { 'sts:ExternalId': 'abc123' }))).toBe('Allowed');
    expect(await simulate(stack, role, awsCaller(`arn:aws:iam::${CALLER_ACCOUNT}:role/ci`, { 'sts:ExternalId': 'wrong' }))).toBe('Denied');
  });
});

describe('resolveIntrinsics', () => {
  const template = {
    Resources: {
      Provider: { Type: 'AWS::IAM::OIDCProvider', Properties: { Url: 'https://token.actions.githubusercontent.com' } },
      Json: { Type: 'Custom::AWSCDKCfnJson', Properties: { Value: { 'Fn::Join': ['', ['{"', { Ref: 'AWS::Region' }, ':aud":"x"}']] } } },
    },
  };

  test('evaluates pseudo parameters, providers, CfnJson and string functions', () => {
    expect(resolveIntrinsics(template, { 'Fn::Join': [':', [{ Ref: 'AWS::Partition' }, { Ref: 'AWS::AccountId' }]] })).toBe('aws:222222222222');
    expect(resolveIntrinsics(template, { Ref: 'Provider' })).toBe('arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com');
    expect(resolveIntrinsics(template, { 'Fn::GetAtt': ['Json', 'Value'] })).toEqual({ 'us-east-1:aud': 'x' });
    expect(resolveIntrinsics(template, { 'Fn::Select': [1, { 'Fn::Split': ['//', 'https://oidc.example'] }] })).toBe('oidc.example');
    expect(resolveIntrinsics(template, { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' })).toBe('arn:aws:iam::222222222222:root');
    expect(resolveIntrinsics(template, { 'Fn::GetAtt': ['Cluster', 'OpenIdConnectIssuerUrl'] }, { 'Cluster.OpenIdConnectIssuerUrl': 'https://oidc.eks' })).toBe('https://oidc.eks');
  });

  test('refuses what it cannot evaluate', () => {
    expect(() => resolveIntrinsics(template, { Ref: 'Missing' })).toThrow(/cannot resolve Ref Missing/);
    expect(() => resolveIntrinsics(template, { 'Fn::ImportValue': 'x' })).toThrow(/not supported/);
  });

  test('reads a synthesized trust policy', () => {
    const stack = new Stack(new App(), 'S', { env: TEST_ENV });
    const role = new iam.Role(stack, 'R', { assumedBy: new iam.AccountPrincipal(CALLER_ACCOUNT) });
    expect(trustPolicyOf(stack, role).Statement[0].Principal).toEqual({ AWS: `arn:aws:iam::${CALLER_ACCOUNT}:root` });
  });
});

describe('nagFindings', () => {
  test('reports both packs and honours acknowledgements', () => {
    const app = new App();
    const stack = new Stack(app, 'S', { env: TEST_ENV });
    new iam.Role(stack, 'Open', { assumedBy: new iam.AccountPrincipal(CALLER_ACCOUNT) });
    const key = new iam.CfnAccessKey(stack, 'Key', { userName: 'legacy' });
    const rules = nagFindings(app).map(f => f.rule);
    expect(rules).toEqual(expect.arrayContaining([
      `AccessPatterns-TrustAccountRootNarrowed[Principal::arn:aws:iam::${CALLER_ACCOUNT}:root]`,
      'AccessPatterns-NoIamUserAccessKeys',
    ]));

    Validations.of(key).acknowledge({ id: 'AccessPatterns-NoIamUserAccessKeys', reason: 'test' });
    expect(nagFindings(app).map(f => f.rule)).not.toContain('AccessPatterns-NoIamUserAccessKeys');
  });
});
