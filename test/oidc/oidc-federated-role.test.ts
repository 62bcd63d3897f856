import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { OidcFederatedRole, TrustCondition, TrustPolicy } from '../../src';
import { TEST_ACCOUNT, TEST_ENV } from '../support/env';
import { nagFindings } from '../support/nag';
import { simulate, webIdentity } from '../support/simulate';
import { templateOf } from '../support/template';

const TFC_ARN = `arn:aws:iam::${TEST_ACCOUNT}:oidc-provider/app.terraform.io`;
const APPLY = 'organization:acme:project:platform:workspace:network:run_phase:apply';

function newStack(): Stack {
  return new Stack(new App(), 'Ci', { env: TEST_ENV });
}

function tfcToken(sub: string, aud = 'aws.workload.identity') {
  return webIdentity(TFC_ARN, { 'app.terraform.io:aud': aud, 'app.terraform.io:sub': sub });
}

describe('OidcFederatedRole', () => {
  test('trusts a provider ARN with plain condition keys', () => {
    const stack = newStack();
    new OidcFederatedRole(stack, 'Apply', { providerArn: TFC_ARN, issuerUrl: 'https://app.terraform.io', audiences: ['aws.workload.identity'], subjects: [APPLY] });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Action: 'sts:AssumeRoleWithWebIdentity',
          Principal: { Federated: TFC_ARN },
          Condition: { StringEquals: { 'app.terraform.io:aud': 'aws.workload.identity', 'app.terraform.io:sub': APPLY } },
        }],
      },
    });
  });

  test('with a provider created in the app, the token keys go through CfnJson', () => {
    const stack = newStack();
    const provider = new iam.OidcProviderNative(stack, 'Buildkite', { url: 'https://agent.buildkite.com', clientIds: ['sts.amazonaws.com'] });
    new OidcFederatedRole(stack, 'Deploy', {
      provider,
      audiences: ['sts.amazonaws.com'],
      subjects: ['organization:acme:pipeline:deploy:ref:refs/heads/main:commit:*:step:deploy'],
    });
    const t = Template.fromStack(stack);
    t.resourceCountIs('Custom::AWSCDKCfnJson', 2);
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Principal: { Federated: { Ref: Match.stringLikeRegexp('^Buildkite') } },
          Condition: {
            StringEquals: { 'Fn::GetAtt': [Match.stringLikeRegexp('TrustConditions0StringEquals'), 'Value'] },
            StringLike: { 'Fn::GetAtt': [Match.stringLikeRegexp('TrustConditions0StringLike'), 'Value'] },
          },
        }],
      },
    });
  });

  test('matches the snapshot and passes the nag packs (CfnJson included)', () => {
    const stack = newStack();
    new OidcFederatedRole(stack, 'Apply', {
      providerArn: TFC_ARN,
      issuerUrl: 'https://app.terraform.io',
      audiences: ['aws.workload.identity'],
      subjects: [APPLY],
      conditions: [TrustCondition.stringMatches('app.terraform.io:terraform_workspace_id', ['ws-abc123'])],
    });
    expect(templateOf(stack)).toMatchSnapshot();
    const cfnJsonStack = newStack();
    const provider = new iam.OidcProviderNative(cfnJsonStack, 'Issuer', { url: 'https://oidc.circleci.com/org/0000', clientIds: ['0000'] });
    new OidcFederatedRole(cfnJsonStack, 'Deploy', { provider, audiences: ['0000'], subjects: ['org/0000/project/1111/user/*'] });
    expect(nagFindings(cfnJsonStack)).toEqual([]);
  });

  test('simulation: the apply run of the workspace is allowed; plan runs, other workspaces and audiences are denied', async () => {
    const stack = newStack();
    const role = new OidcFederatedRole(stack, 'Apply', { providerArn: TFC_ARN, issuerUrl: 'https://app.terraform.io', audiences: ['aws.workload.identity'], subjects: [APPLY] });
    expect(await simulate(stack, role, tfcToken(APPLY))).toBe('Allowed');
    expect(await simulate(stack, role, tfcToken(APPLY.replace(':apply', ':plan')))).toBe('Denied');
    expect(await simulate(stack, role, tfcToken(APPLY.replace('network', 'network-evil')))).toBe('Denied');
    expect(await simulate(stack, role, tfcToken(APPLY, 'sts.amazonaws.com'))).toBe('Denied');
  });

  test('simulation through CfnJson-wrapped keys', async () => {
    const stack = newStack();
    const provider = new iam.OidcProviderNative(stack, 'Buildkite', { url: 'https://agent.buildkite.com', clientIds: ['sts.amazonaws.com'] });
    const role = new OidcFederatedRole(stack, 'Deploy', { provider, audiences: ['sts.amazonaws.com'], subjects: ['organization:acme:pipeline:deploy:*'] });
    const arn = `arn:aws:iam::${TEST_ACCOUNT}:oidc-provider/agent.buildkite.com`;
    const token = (sub: string) => webIdentity(arn, { 'agent.buildkite.com:aud': 'sts.amazonaws.com', 'agent.buildkite.com:sub': sub });
    // The provider's issuer is a deploy-time attribute: give the resolver its value.
    const providerId = Stack.of(provider).resolve((provider.node.defaultChild as iam.CfnOIDCProvider).logicalId);
    const overrides = { [`${providerId}.Issuer`]: 'agent.buildkite.com' };
    expect(await simulate(stack, role, token('organization:acme:pipeline:deploy:ref:refs/heads/main'), overrides)).toBe('Allowed');
    expect(await simulate(stack, role, token('organization:acme:pipeline:other:ref:refs/heads/main'), overrides)).toBe('Denied');
  });

  describe('validation', () => {
    const base = { audiences: ['aws.workload.identity'], subjects: [APPLY] };
    test.each([
      ['no provider', { ...base }, /Invalid OidcFederatedRole 'Ci\/Role' prop 'provider': neither provider nor providerArn is set/],
      ['ARN without issuer', { ...base, providerArn: TFC_ARN }, /prop 'issuerUrl': providerArn is set without issuerUrl/],
      ['issuer of another provider', { ...base, providerArn: TFC_ARN, issuerUrl: 'https://agent.buildkite.com' }, /prop 'issuerUrl': 'https:\/\/agent.buildkite.com' is not the issuer of .*give the provider's URL, https:\/\/app.terraform.io/],
      ['malformed ARN', { ...base, providerArn: 'arn:aws:iam::222222222222:saml-provider/x', issuerUrl: 'https://x.io' }, /prop 'providerArn': .* is not a valid iam ARN/],
      ['no audiences', { ...base, audiences: [], providerArn: TFC_ARN, issuerUrl: 'https://app.terraform.io' }, /prop 'audiences': the list is empty/],
      ['no subjects', { ...base, subjects: [], providerArn: TFC_ARN, issuerUrl: 'https://app.terraform.io' }, /prop 'subjects': the list is empty/],
      ['bare * subject', { ...base, subjects: ['*'], providerArn: TFC_ARN, issuerUrl: 'https://app.terraform.io' }, /prop 'subjects': the subject '\*' matches every workload/],
      ['http issuer', { ...base, providerArn: TFC_ARN, issuerUrl: 'http://app.terraform.io' }, /prop 'issuerUrl': 'http:\/\/app.terraform.io' is not an OIDC issuer URL/],
      ['provider of another account', { ...base, providerArn: 'arn:aws:iam::333333333333:oidc-provider/app.terraform.io', issuerUrl: 'https://app.terraform.io' },
        /prop 'providerArn': the OIDC provider is in account 333333333333, but the role is in 222222222222/],
    ])('%s', (_name, props, message) => {
      expect(() => new OidcFederatedRole(newStack(), 'Role', props as any)).toThrow(message);
    });
  });

  describe('the conditions escape hatch', () => {
    const props = { providerArn: TFC_ARN, issuerUrl: 'https://app.terraform.io', audiences: ['aws.workload.identity'], subjects: [APPLY] };

    test('simulation: a sub condition used to add a statement that trusts every subject; it is now refused', async () => {
      // GIVEN the trust the role rendered before: the subjects, and a condition on the same key
      const trustOf = (stack: Stack) => {
        const role = new iam.Role(stack, 'Before', { assumedBy: TrustPolicy.deferred() });
        new TrustPolicy(role, { kind: 'OidcFederatedRole' }).addStatement({
          principals: [new iam.FederatedPrincipal(TFC_ARN, {}, 'sts:AssumeRoleWithWebIdentity')],
          actions: ['sts:AssumeRoleWithWebIdentity'],
          conditions: [
            TrustCondition.stringEquals('app.terraform.io:aud', ['aws.workload.identity']),
            TrustCondition.stringMatches('app.terraform.io:sub', [APPLY]),
            TrustCondition.stringMatches('app.terraform.io:sub', ['*']),
          ],
        });
        return role;
      };
      // THEN the trust builder renders the '*' value as a second statement, and now refuses it at synth
      expect(() => templateOf(trustOf(newStack()).stack)).toThrow(/Invalid OidcFederatedRole '.*Before' prop 'subjects': the subject \*: the subject does not start with organization/);
      // AND the same two statements written by hand let any organization's run in
      const stack = newStack();
      const before = new iam.Role(stack, 'Before', { assumedBy: new iam.FederatedPrincipal(TFC_ARN, { StringEquals: { 'app.terraform.io:aud': 'aws.workload.identity' }, StringLike: { 'app.terraform.io:sub': '*' } }, 'sts:AssumeRoleWithWebIdentity') });
      const attacker = tfcToken('organization:evil:project:x:workspace:y:run_phase:apply');
      expect(await simulate(stack, before, attacker)).toBe('Allowed');
      // WHEN the same condition is given to OidcFederatedRole, it is refused
      expect(() => new OidcFederatedRole(newStack(), 'Role', { ...props, conditions: [TrustCondition.stringMatches('app.terraform.io:sub', ['*'])] }))
        .toThrow(/Invalid OidcFederatedRole 'Ci\/Role' prop 'conditions': the subject '\*' matches every workload of the issuer/);
      // and a narrow subject given as a condition keeps the attacker out
      const narrowStack = newStack();
      const narrow = new OidcFederatedRole(narrowStack, 'Role', {
        ...props, conditions: [TrustCondition.stringMatches('app.terraform.io:sub', ['organization:acme:project:platform:workspace:dns:run_phase:apply'])],
      });
      expect(await simulate(narrowStack, narrow, attacker)).toBe('Denied');
      expect(await simulate(narrowStack, narrow, tfcToken('organization:acme:project:platform:workspace:dns:run_phase:apply'))).toBe('Allowed');
    });

    test.each([
      ['a wildcard organization', [TrustCondition.stringMatches('app.terraform.io:sub', ['organization:*:project:platform:workspace:network:run_phase:apply'])],
        /prop 'conditions': the subject 'organization:\*:.*' does not pin the tenant/],
      ['an owner-wide subject', [TrustCondition.stringMatches('app.terraform.io:sub', ['organization:acme:*'])],
        /prop 'conditions': the subject 'organization:acme:\*' matches every matching workload of organization acme.*allowOwnerWideSubjects/],
      ['a key in another case (IAM compares keys case-insensitively)', [TrustCondition.stringMatches('App.Terraform.io:SUB', ['*'])],
        /prop 'conditions': the subject '\*' matches every workload/],
      ['an exact comparison', [TrustCondition.stringEquals('app.terraform.io:sub', ['project:platform'])],
        /prop 'conditions': the subject 'project:platform' does not pin the tenant/],
      ['an ARN comparison', [TrustCondition.arnMatches('app.terraform.io:sub', ['*'])], /prop 'conditions': the subject '\*' matches every workload/],
      ['a wildcard audience', [TrustCondition.stringEquals('app.terraform.io:aud', ['*'])],
        /prop 'conditions': the audience '\*' contains a wildcard, but audiences are compared exactly/],
      ['an audience pattern', [TrustCondition.stringMatches('app.terraform.io:aud', ['aws.*'])], /prop 'conditions': the audience 'aws\.\*' contains a wildcard/],
    ])('refuses %s', (_name, conditions, message) => {
      expect(() => new OidcFederatedRole(newStack(), 'Role', { ...props, conditions })).toThrow(message);
    });

    test('checks sub conditions whose key is built from a provider\'s deploy-time issuer', () => {
      const stack = newStack();
      const provider = new iam.OidcProviderNative(stack, 'Buildkite', { url: 'https://agent.buildkite.com', clientIds: ['sts.amazonaws.com'] });
      const key = `${provider.oidcProviderIssuer}:sub`;
      expect(() => new OidcFederatedRole(stack, 'Role', {
        provider, audiences: ['sts.amazonaws.com'], subjects: ['organization:acme:pipeline:deploy:*'], conditions: [TrustCondition.stringMatches(key, ['*'])],
      })).toThrow(/prop 'conditions': the subject '\*' matches every workload of the issuer/);
      expect(() => new OidcFederatedRole(stack, 'Other', {
        provider, audiences: ['sts.amazonaws.com'], subjects: ['organization:acme:pipeline:deploy:*'], conditions: [TrustCondition.stringMatches(key, ['organization:*:pipeline:deploy:*'])],
      })).toThrow(/prop 'conditions': .* does not pin the tenant/);
    });

    test('owner-wide sub conditions are accepted with the opt-in and warned about; other claims are left alone', () => {
      const stack = newStack();
      new OidcFederatedRole(stack, 'Role', {
        ...props,
        allowOwnerWideSubjects: true,
        conditions: [
          TrustCondition.stringMatches('app.terraform.io:sub', ['organization:acme:project:platform:*']),
          TrustCondition.stringMatches('app.terraform.io:terraform_workspace_id', ['ws-*']),
          TrustCondition.isPresent('app.terraform.io:sub'),
        ],
      });
      Annotations.fromStack(stack).hasWarning('/Ci/Role', Match.stringLikeRegexp("The subject 'organization:acme:project:platform:\\*' matches every matching workload of organization acme"));
    });
  });

  describe('audiences are exact', () => {
    test.each([['*'], ['sts.*'], ['aws.workload.identit?']])('refuses %s', (audience) => {
      expect(() => new OidcFederatedRole(newStack(), 'Role', { providerArn: TFC_ARN, issuerUrl: 'https://app.terraform.io', audiences: [audience], subjects: [APPLY] }))
        .toThrow(/Invalid OidcFederatedRole 'Ci\/Role' prop 'audiences': the audience '.*' contains a wildcard, but audiences are compared exactly \(StringEquals\), so it would only match that literal text; give the exact audience/);
    });

    test('simulation: an audience of \'*\' only matches the literal text, so the real workloads are locked out', async () => {
      const stack = newStack();
      const handWritten = new iam.Role(stack, 'HandWritten', {
        assumedBy: new iam.WebIdentityPrincipal(TFC_ARN, { StringEquals: { 'app.terraform.io:aud': '*', 'app.terraform.io:sub': APPLY } }),
      });
      expect(await simulate(stack, handWritten, tfcToken(APPLY))).toBe('Denied');
      expect(await simulate(stack, handWritten, tfcToken(APPLY, '*'))).toBe('Allowed');
    });
  });

  test('accepts tokens for the ARN, issuer, audiences and subjects', () => {
    const stack = newStack();
    const arn = new CfnParameter(stack, 'ProviderArn').valueAsString;
    const url = new CfnParameter(stack, 'IssuerUrl').valueAsString;
    const sub = new CfnParameter(stack, 'Subject').valueAsString;
    new OidcFederatedRole(stack, 'Role', { providerArn: arn, issuerUrl: url, audiences: ['x'], subjects: [sub] });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Principal: { Federated: { Ref: 'ProviderArn' } }, Condition: { StringEquals: Match.anyValue() } }] },
    });
  });

  test('skips the issuer rules for subjects, audiences and conditions that hold tokens', () => {
    const stack = newStack();
    const org = new CfnParameter(stack, 'Organization').valueAsString;
    const audience = new CfnParameter(stack, 'Audience').valueAsString;
    const extra = new CfnParameter(stack, 'ExtraSubject').valueAsString;
    new OidcFederatedRole(stack, 'Role', {
      providerArn: TFC_ARN,
      issuerUrl: 'https://app.terraform.io',
      audiences: [audience],
      subjects: [`organization:${org}:project:platform:workspace:network:run_phase:apply`],
      conditions: [TrustCondition.stringMatches('app.terraform.io:sub', [extra]), TrustCondition.stringEquals('app.terraform.io:aud', [audience])],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Condition: {
            StringEquals: {
              'app.terraform.io:aud': { Ref: 'Audience' },
              'app.terraform.io:sub': Match.arrayWith([{ Ref: 'ExtraSubject' }]),
            },
          },
        }],
      },
    });
  });
});
