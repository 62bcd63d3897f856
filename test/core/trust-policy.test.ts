import { App, Aspects, Aws, CfnParameter, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { TrustCondition, TrustPolicy } from '../../src';
import { TEST_ENV } from '../support/env';
import { nagFindings } from '../support/nag';
import { simulate, webIdentity } from '../support/simulate';
import { templateOf } from '../support/template';

const PROVIDER = 'arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com';
const SUB = 'token.actions.githubusercontent.com:sub';
const AUD = 'token.actions.githubusercontent.com:aud';
const EKS_PROVIDER = 'arn:aws:iam::222222222222:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';

function roleWithTrust(): { stack: Stack; role: iam.Role; trust: TrustPolicy } {
  const stack = new Stack(new App(), 'S', { env: TEST_ENV });
  const role = new iam.Role(stack, 'Role', { assumedBy: TrustPolicy.deferred() });
  const trust = new TrustPolicy(role, { kind: 'TestRole' });
  return { stack, role, trust };
}

function oidcStatement(trust: TrustPolicy, subjects: string[]) {
  return trust.addStatement({
    principals: [new iam.FederatedPrincipal(PROVIDER)],
    actions: ['sts:AssumeRoleWithWebIdentity'],
    conditions: [TrustCondition.stringEquals(AUD, ['sts.amazonaws.com']), TrustCondition.stringMatches(SUB, subjects)],
  });
}

describe('TrustPolicy', () => {
  test('uses StringEquals for exact values and merges values per key', () => {
    const { stack, trust } = roleWithTrust();
    const statement = oidcStatement(trust, ['repo:acme/api:ref:refs/heads/main']);
    statement.addConditions(TrustCondition.stringMatches(SUB, ['repo:acme/api:environment:prod', 'repo:acme/api:ref:refs/heads/main']));
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Action: 'sts:AssumeRoleWithWebIdentity',
          Principal: { Federated: PROVIDER },
          Condition: {
            StringEquals: { [AUD]: 'sts.amazonaws.com', [SUB]: ['repo:acme/api:ref:refs/heads/main', 'repo:acme/api:environment:prod'] },
            StringLike: Match.absent(),
          },
        }],
      },
    });
  });

  test('puts exact and wildcard values of one key in separate statements, since IAM ANDs operators', async () => {
    const { stack, role, trust } = roleWithTrust();
    oidcStatement(trust, ['repo:acme/api:ref:refs/heads/main', 'repo:acme/web:*']);
    const statements = templateOf(stack).Resources[Object.keys(templateOf(stack).Resources).find(k => k.startsWith('Role'))!].Properties.AssumeRolePolicyDocument.Statement;
    expect(statements).toHaveLength(2);
    expect(statements[0].Condition).toEqual({ StringEquals: { [AUD]: 'sts.amazonaws.com', [SUB]: 'repo:acme/api:ref:refs/heads/main' } });
    expect(statements[1].Condition).toEqual({ StringEquals: { [AUD]: 'sts.amazonaws.com' }, StringLike: { [SUB]: 'repo:acme/web:*' } });
    const token = (sub: string) => webIdentity(PROVIDER, { [AUD]: 'sts.amazonaws.com', [SUB]: sub });
    expect(await simulate(stack, role, token('repo:acme/api:ref:refs/heads/main'))).toBe('Allowed');
    expect(await simulate(stack, role, token('repo:acme/web:pull_request'))).toBe('Allowed');
    expect(await simulate(stack, role, token('repo:acme/api:pull_request'))).toBe('Denied');
  });

  test('stringEquals treats * literally; arnMatches picks ArnEquals or ArnLike', () => {
    const { stack, trust } = roleWithTrust();
    trust.addStatement({
      principals: [new iam.ServicePrincipal('rolesanywhere.amazonaws.com')],
      actions: ['sts:AssumeRole'],
      conditions: [
        TrustCondition.stringEquals('aws:PrincipalTag/x509Subject/CN', ['*.example.com']),
        TrustCondition.arnMatches('aws:SourceArn', ['arn:aws:rolesanywhere:us-east-1:222222222222:trust-anchor/abc']),
      ],
    });
    trust.addStatement({
      principals: [new iam.AccountPrincipal('222222222222')],
      actions: ['sts:AssumeRole'],
      conditions: [TrustCondition.arnMatches('aws:PrincipalArn', ['arn:aws:iam::222222222222:role/deploy/*'])],
    });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          { Condition: { StringEquals: { 'aws:PrincipalTag/x509Subject/CN': '*.example.com' }, ArnEquals: { 'aws:SourceArn': Match.anyValue() } } },
          { Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::222222222222:role/deploy/*' } } },
        ],
      },
    });
  });

  test('routes a condition block with a token key through CfnJson', () => {
    const { stack, trust } = roleWithTrust();
    const issuer = new CfnParameter(stack, 'Issuer').valueAsString;
    trust.addStatement({
      principals: [new iam.FederatedPrincipal(EKS_PROVIDER)],
      actions: ['sts:AssumeRoleWithWebIdentity'],
      conditions: [
        TrustCondition.stringEquals(`${issuer}:aud`, ['sts.amazonaws.com']),
        TrustCondition.stringMatches(`${issuer}:sub`, ['system:serviceaccount:ns:sa']),
      ],
    });
    const t = Template.fromStack(stack);
    t.resourceCountIs('Custom::AWSCDKCfnJson', 1);
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{ Condition: { StringEquals: { 'Fn::GetAtt': [Match.stringLikeRegexp('RoleTrustConditions0StringEquals'), 'Value'] } } }],
      },
    });
  });

  test('a value with tokens is a pattern when its literal text has * or ?; a token\'s own value never is', async () => {
    // GIVEN values that are only known at deploy time, alone or inside literal text
    const { stack, role, trust } = roleWithTrust();
    const repo = new CfnParameter(stack, 'Repo').valueAsString;
    const whole = new CfnParameter(stack, 'Whole').valueAsString;
    // WHEN
    oidcStatement(trust, [`repo:${repo}:*`, `repo:${repo}:ref:refs/heads/ma?n`, `repo:${repo}:pull_request`, whole]);
    trust.addStatement({
      principals: [new iam.AccountPrincipal('222222222222')],
      actions: ['sts:AssumeRole'],
      conditions: [TrustCondition.arnMatches('aws:PrincipalArn', [
        `arn:${Aws.PARTITION}:iam::222222222222:role/deploy/*`,
        `arn:${Aws.PARTITION}:iam::222222222222:role/abc`,
      ])],
    });
    // THEN the literal wildcards put their values under StringLike / ArnLike
    const join = (...parts: unknown[]) => ({ 'Fn::Join': ['', parts] });
    const statements = templateOf(stack).Resources[Object.keys(templateOf(stack).Resources).find(k => k.startsWith('Role'))!].Properties.AssumeRolePolicyDocument.Statement;
    expect(statements.map((x: any) => x.Condition)).toEqual([
      { StringEquals: { [AUD]: 'sts.amazonaws.com', [SUB]: [join('repo:', { Ref: 'Repo' }, ':pull_request'), { Ref: 'Whole' }] } },
      { StringEquals: { [AUD]: 'sts.amazonaws.com' }, StringLike: { [SUB]: [join('repo:', { Ref: 'Repo' }, ':*'), join('repo:', { Ref: 'Repo' }, ':ref:refs/heads/ma?n')] } },
      { ArnEquals: { 'aws:PrincipalArn': join('arn:', { Ref: 'AWS::Partition' }, ':iam::222222222222:role/abc') } },
      { ArnLike: { 'aws:PrincipalArn': join('arn:', { Ref: 'AWS::Partition' }, ':iam::222222222222:role/deploy/*') } },
    ]);
    // AND the pattern matches every job of the repository the token resolves to, and nothing else
    const token = (sub: string) => webIdentity(PROVIDER, { [AUD]: 'sts.amazonaws.com', [SUB]: sub });
    const values = { Repo: 'acme/api', Whole: 'repo:acme/*' };
    expect(await simulate(stack, role, token('repo:acme/api:environment:prod'), values)).toBe('Allowed');
    expect(await simulate(stack, role, token('repo:acme/api:ref:refs/heads/main'), values)).toBe('Allowed');
    expect(await simulate(stack, role, token('repo:acme/web:environment:prod'), values)).toBe('Denied');
    // a token whose value holds * is compared exactly
    expect(await simulate(stack, role, token('repo:acme/*'), values)).toBe('Allowed');
    expect(await simulate(stack, role, token('repo:acme/web:pull_request'), values)).toBe('Denied');
  });

  test('a multi-valued key takes ForAnyValue:StringLike', () => {
    const { stack, trust } = roleWithTrust();
    trust.addStatement({
      principals: [new iam.FederatedPrincipal('cognito-identity.amazonaws.com')],
      actions: ['sts:AssumeRoleWithWebIdentity'],
      conditions: [
        TrustCondition.stringEquals('cognito-identity.amazonaws.com:aud', ['us-east-1:0000']),
        TrustCondition.anyValueMatches('cognito-identity.amazonaws.com:amr', ['authenticated']),
      ],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{ Condition: { 'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' } } }],
      },
    });
  });

  test('renders the statements before synthesis through toStatementsJson', () => {
    const { trust } = roleWithTrust();
    oidcStatement(trust, ['repo:acme/api:ref:refs/heads/main']);
    expect(trust.toStatementsJson()).toEqual([expect.objectContaining({ Action: 'sts:AssumeRoleWithWebIdentity' })]);
  });

  test('conditions added after toStatementsJson reach the synthesized CfnJson block', () => {
    // GIVEN a statement whose keys are tokens, rendered early
    const { stack, trust } = roleWithTrust();
    const issuer = new CfnParameter(stack, 'Issuer').valueAsString;
    const statement = trust.addStatement({
      principals: [new iam.FederatedPrincipal(EKS_PROVIDER)],
      actions: ['sts:AssumeRoleWithWebIdentity'],
      conditions: [TrustCondition.stringEquals(`${issuer}:aud`, ['sts.amazonaws.com']), TrustCondition.stringEquals(`${issuer}:sub`, ['system:serviceaccount:ns:sa'])],
    });
    trust.toStatementsJson();
    // WHEN a condition is added afterwards
    statement.addConditions(TrustCondition.stringEquals(`${issuer}:environment`, ['prod']));
    // THEN the one CfnJson block carries both conditions
    const blocks = Object.values(templateOf(stack).Resources).filter(r => r.Type === 'Custom::AWSCDKCfnJson');
    expect(blocks).toHaveLength(1);
    expect(JSON.stringify(blocks[0].Properties.Value)).toContain(':environment');
  });

  test('conditions on different keys must all hold; values of one key are alternatives', async () => {
    // GIVEN a subject pattern and an exact audience
    const { stack, role, trust } = roleWithTrust();
    oidcStatement(trust, ['repo:acme/api:ref:refs/heads/main']);
    const token = (sub: string, aud: string) => webIdentity(PROVIDER, { [SUB]: sub, [AUD]: aud });
    // THEN both keys must match
    expect(await simulate(stack, role, token('repo:acme/api:ref:refs/heads/main', 'sts.amazonaws.com'))).toBe('Allowed');
    expect(await simulate(stack, role, token('repo:acme/api:ref:refs/heads/main', 'other'))).toBe('Denied');
    expect(await simulate(stack, role, token('repo:acme/web:ref:refs/heads/main', 'sts.amazonaws.com'))).toBe('Denied');
  });

  test('a policy built with it passes both nag packs', () => {
    const { stack, trust } = roleWithTrust();
    oidcStatement(trust, ['repo:acme/api:ref:refs/heads/main']);
    expect(nagFindings(stack)).toEqual([]);
  });

  describe('refuses', () => {
    test('ForAnyValue on a single-valued key', () => {
      const { trust } = roleWithTrust();
      expect(() => trust.addStatement({
        principals: [new iam.FederatedPrincipal(PROVIDER)],
        actions: ['sts:AssumeRoleWithWebIdentity'],
        conditions: [TrustCondition.anyValueMatches(SUB, ['repo:acme/*'])],
      })).toThrow(/Invalid TestRole 'S\/Role' prop 'conditions': 'token.actions.githubusercontent.com:sub' carries a single value, so ForAnyValue: on it is a mistake/);
    });

    test('a condition without values', () => {
      const { trust } = roleWithTrust();
      expect(() => oidcStatement(trust, [])).toThrow(/prop 'conditions': the condition on 'token.actions.githubusercontent.com:sub' has no values/);
    });

    test('a condition with an empty key', () => {
      const { trust } = roleWithTrust();
      expect(() => trust.addStatement({ principals: [new iam.AnyPrincipal()], actions: ['sts:AssumeRole'], conditions: [TrustCondition.stringEquals(' ', ['x'])] }))
        .toThrow(/prop 'conditions': a condition has an empty key/);
    });

    test('an exact and a pattern condition on one key, which would replace each other', () => {
      const { trust } = roleWithTrust();
      expect(() => trust.addStatement({
        principals: [new iam.FederatedPrincipal(PROVIDER)],
        actions: ['sts:AssumeRoleWithWebIdentity'],
        conditions: [TrustCondition.stringMatches(SUB, ['repo:acme/api:ref:refs/heads/main']), TrustCondition.stringEquals(SUB, ['repo:evil/x:ref:refs/heads/main'])],
      })).toThrow(/prop 'conditions': 'token.actions.githubusercontent.com:sub' has both an exact \(stringEquals\) and a pattern \(stringMatches\) condition/);
    });

    test('two values for a boolean or numeric key, which would accept either', () => {
      const { trust } = roleWithTrust();
      const statement = trust.addStatement({
        principals: [new iam.AccountPrincipal('111111111111')],
        actions: ['sts:AssumeRole'],
        conditions: [TrustCondition.bool('aws:MultiFactorAuthPresent', true), TrustCondition.numericAtMost('aws:MultiFactorAuthAge', 3600)],
      });
      expect(() => statement.addConditions(TrustCondition.bool('aws:MultiFactorAuthPresent', false)))
        .toThrow(/prop 'conditions': 'aws:MultiFactorAuthPresent' has two different values \(true and false\)/);
      expect(() => statement.addConditions(TrustCondition.numericAtMost('aws:MultiFactorAuthAge', 86400))).toThrow(/has two different values \(3600 and 86400\)/);
      // the same value again is harmless
      statement.addConditions(TrustCondition.bool('aws:MultiFactorAuthPresent', true));
    });

    test('characters IAM does not accept in a policy', () => {
      const { trust } = roleWithTrust();
      expect(() => oidcStatement(trust, ['repo:acme/api:ref:refs/heads/\u4e3b'])).toThrow(/prop 'conditions': .* contains characters IAM does not accept in a policy/);
    });

    test('a statement without principals or actions', () => {
      const { trust } = roleWithTrust();
      expect(() => trust.addStatement({ principals: [], actions: ['sts:AssumeRole'] })).toThrow(/prop 'principals': a trust statement needs at least one principal/);
      expect(() => trust.addStatement({ principals: [new iam.AnyPrincipal()], actions: [] })).toThrow(/prop 'actions': a trust statement needs at least one action/);
    });

    test('a role left without any statement', () => {
      const { stack } = roleWithTrust();
      expect(() => Template.fromStack(stack)).toThrow(/Invalid TestRole 'S\/Role': the trust policy has no statements/);
    });

    test('changes after synthesis', () => {
      const { stack, trust } = roleWithTrust();
      const statement = oidcStatement(trust, ['repo:acme/api:ref:refs/heads/main']);
      Template.fromStack(stack);
      expect(() => statement.addConditions(TrustCondition.stringMatches(SUB, ['repo:acme/web:*']))).toThrow(/the trust policy was already synthesized/);
    });

    test('an Aspect of the app reads the rendered trust, and nothing can be added after it was read', () => {
      const { stack, role, trust } = roleWithTrust();
      const statement = oidcStatement(trust, ['repo:acme/api:ref:refs/heads/main']);
      const seen: any[] = [];
      Aspects.of(stack).add({
        visit: (node: IConstruct) => {
          if (node instanceof iam.CfnRole) seen.push(stack.resolve(node.assumeRolePolicyDocument));
        },
      });
      Template.fromStack(stack);
      expect(seen).toHaveLength(1);
      expect(seen[0].Statement).toEqual([expect.objectContaining({
        Principal: { Federated: PROVIDER },
        Condition: { StringEquals: { [AUD]: 'sts.amazonaws.com', [SUB]: 'repo:acme/api:ref:refs/heads/main' } },
      })]);
      expect(role.assumeRolePolicy!.toJSON().Statement).toHaveLength(1);
      expect(() => statement.addConditions(TrustCondition.stringMatches(SUB, ['repo:acme/web:*']))).toThrow(/the trust policy was already synthesized/);
    });

    test('the document read with toJSON holds the statements added so far', () => {
      const { role, trust } = roleWithTrust();
      oidcStatement(trust, ['repo:acme/api:ref:refs/heads/main']);
      expect(role.assumeRolePolicy!.toJSON()).toEqual({
        Version: '2012-10-17',
        Statement: [expect.objectContaining({ Action: 'sts:AssumeRoleWithWebIdentity' })],
      });
      expect(() => trust.addStatement({ principals: [new iam.AccountPrincipal('333333333333')], actions: ['sts:AssumeRole'] }))
        .toThrow(/prop 'statements': the trust policy was already synthesized/);
    });

    test('two trust policies on one role both render', () => {
      const { stack, role, trust } = roleWithTrust();
      oidcStatement(trust, ['repo:acme/api:ref:refs/heads/main']);
      const second = new TrustPolicy(role, { kind: 'TestRole' });
      second.addStatement({
        principals: [new iam.AccountPrincipal('333333333333')],
        actions: ['sts:AssumeRole'],
        conditions: [TrustCondition.stringEquals('sts:ExternalId', ['vendor-id-123'])],
      });
      const [roleResource] = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Role'));
      expect(roleResource.Properties.AssumeRolePolicyDocument.Statement).toEqual([
        expect.objectContaining({ Action: 'sts:AssumeRoleWithWebIdentity' }),
        expect.objectContaining({ Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'vendor-id-123' } } }),
      ]);
    });

    test('a document whose own resolve and toJSON other code replaced renders the trust and calls them', () => {
      const stack = new Stack(new App(), 'S');
      const role = new iam.Role(stack, 'Role', { assumedBy: TrustPolicy.deferred() });
      const document = role.assumeRolePolicy!;
      const calls: string[] = [];
      const resolve = document.resolve.bind(document);
      const toJson = document.toJSON.bind(document);
      document.resolve = (context) => { calls.push('resolve'); return resolve(context); };
      document.toJSON = () => { calls.push('toJSON'); return toJson(); };
      const trust = new TrustPolicy(role, { kind: 'TestRole' });
      oidcStatement(trust, ['repo:acme/api:ref:refs/heads/main']);
      expect(document.toJSON().Statement).toEqual([expect.objectContaining({ Action: 'sts:AssumeRoleWithWebIdentity' })]);
      const [roleResource] = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Role'));
      expect(roleResource.Properties.AssumeRolePolicyDocument.Statement).toEqual([
        expect.objectContaining({ Condition: { StringEquals: { [AUD]: 'sts.amazonaws.com', [SUB]: 'repo:acme/api:ref:refs/heads/main' } } }),
      ]);
      expect(calls).toEqual(expect.arrayContaining(['toJSON', 'resolve']));
    });

    test('a maximum size that is not a positive whole number', () => {
      const stack = new Stack(new App(), 'S');
      const role = new iam.Role(stack, 'Role', { assumedBy: TrustPolicy.deferred() });
      expect(() => new TrustPolicy(role, { maxSize: 1.5 })).toThrow(/prop 'maxTrustPolicySize': 1.5 is not a positive whole number/);
    });
  });
});
