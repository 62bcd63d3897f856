import { App, CfnJson, CfnParameter, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AccessPatternsChecks } from '../../src';
import { accessPatternsFindings } from '../support/nag';
import { templateOf } from '../support/template';

const GITHUB = 'arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com';

/** A stack with one plain aws-cdk-lib role whose trust is `principal` + `conditions`. */
function roleFindings(principal: iam.IPrincipal, conditions?: Record<string, any>): string[] {
  const stack = new Stack(new App(), 'S');
  new iam.Role(stack, 'R', { assumedBy: conditions ? new iam.PrincipalWithConditions(principal, conditions) : principal });
  templateOf(stack);
  return accessPatternsFindings(stack).map(f => f.rule);
}

describe('AccessPatterns rules over plain aws-cdk-lib resources', () => {
  describe('TrustAccountRootNarrowed', () => {
    test('Noncompliance 1: an account root with no condition', () => {
      expect(roleFindings(new iam.AccountPrincipal('111111111111'))).toEqual(['AccessPatterns-TrustAccountRootNarrowed[Principal::arn:aws:iam::111111111111:root]']);
    });
    test('Noncompliance 2: a root ARN given as a string', () => {
      expect(roleFindings(new iam.ArnPrincipal('arn:aws:iam::111111111111:root'))).toEqual(['AccessPatterns-TrustAccountRootNarrowed[Principal::arn:aws:iam::111111111111:root]']);
    });
    test('Compliance: an external id, or an exact role', () => {
      expect(roleFindings(new iam.AccountPrincipal('111111111111'), { StringEquals: { 'sts:ExternalId': 'x1' } })).toEqual([]);
      expect(roleFindings(new iam.ArnPrincipal('arn:aws:iam::111111111111:role/ci'))).toEqual([]);
    });
  });

  describe('TrustAnyPrincipalScoped', () => {
    test('Noncompliance: "*" with no organization or account condition', () => {
      expect(roleFindings(new iam.AnyPrincipal(), { StringEquals: { 'sts:ExternalId': 'x1' } })).toEqual(['AccessPatterns-TrustAnyPrincipalScoped']);
    });
    test('Compliance: "*" limited to an organization', () => {
      expect(roleFindings(new iam.AnyPrincipal(), { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } })).toEqual([]);
    });
  });

  describe('TrustWebIdentityAudience and TrustWebIdentitySubject', () => {
    const oidc = () => new iam.FederatedPrincipal(GITHUB, {}, 'sts:AssumeRoleWithWebIdentity');
    test('Noncompliance 1: no conditions at all', () => {
      expect(roleFindings(oidc(), {}).sort()).toEqual(['AccessPatterns-TrustWebIdentityAudience', 'AccessPatterns-TrustWebIdentitySubject']);
    });
    test('Noncompliance 2: a subject that matches every repository', () => {
      expect(roleFindings(oidc(), {
        StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
        StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:*' },
      })).toEqual(['AccessPatterns-TrustWebIdentitySubject']);
    });
    test('Noncompliance 3: the audience only under StringLike', () => {
      expect(roleFindings(oidc(), {
        StringLike: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com', 'token.actions.githubusercontent.com:sub': 'repo:acme/api:*' },
      })).toEqual(['AccessPatterns-TrustWebIdentityAudience']);
    });
    test('Compliance: audience and an exact subject', () => {
      expect(roleFindings(oidc(), {
        StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com', 'token.actions.githubusercontent.com:sub': 'repo:acme/api:ref:refs/heads/main' },
      })).toEqual([]);
    });
    test('Compliance: a Cognito identity pool is scoped by amr, not sub', () => {
      expect(roleFindings(new iam.FederatedPrincipal('cognito-identity.amazonaws.com', {}, 'sts:AssumeRoleWithWebIdentity'), {
        'StringEquals': { 'cognito-identity.amazonaws.com:aud': 'us-east-1:1111' },
        'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' },
      })).toEqual([]);
    });
    test('Compliance: conditions with token keys kept in CfnJson are read', () => {
      const stack = new Stack(new App(), 'S');
      const issuer = new CfnParameter(stack, 'Issuer').valueAsString;
      const json = new CfnJson(stack, 'Json', { value: { [`${issuer}:aud`]: 'sts.amazonaws.com', [`${issuer}:sub`]: 'system:serviceaccount:a:b' } });
      new iam.Role(stack, 'R', { assumedBy: new iam.FederatedPrincipal(GITHUB, { StringEquals: json }, 'sts:AssumeRoleWithWebIdentity') });
      templateOf(stack);
      expect(accessPatternsFindings(stack)).toEqual([]);
    });
  });

  describe('TrustNoSetOperatorOnSingleValuedKey', () => {
    test('Noncompliance: ForAnyValue on sub', () => {
      expect(roleFindings(new iam.FederatedPrincipal(GITHUB, {}, 'sts:AssumeRoleWithWebIdentity'), {
        'StringEquals': { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
        'ForAnyValue:StringLike': { 'token.actions.githubusercontent.com:sub': 'repo:acme/api:*' },
      }).sort()).toEqual([
        'AccessPatterns-TrustNoSetOperatorOnSingleValuedKey[Condition::ForAnyValue:StringLike::token.actions.githubusercontent.com:sub]',
        'AccessPatterns-TrustWebIdentitySubject',
      ]);
    });
    test('Compliance: ForAnyValue on a multi-valued key', () => {
      expect(roleFindings(new iam.ArnPrincipal('arn:aws:iam::111111111111:role/x'), { 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'team' } })).toEqual([]);
    });
  });

  describe('TrustSamlAudience', () => {
    const saml = () => new iam.FederatedPrincipal('arn:aws:iam::222222222222:saml-provider/Okta', {}, 'sts:AssumeRoleWithSAML');
    test('Noncompliance: no SAML:aud', () => {
      expect(roleFindings(saml(), {})).toEqual(['AccessPatterns-TrustSamlAudience']);
    });
    test('Compliance: SAML:aud is the sign-in endpoint', () => {
      expect(roleFindings(saml(), { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } })).toEqual([]);
    });
  });

  describe('TrustRolesAnywhereSourceArn', () => {
    test('Noncompliance: Roles Anywhere trusted without aws:SourceArn', () => {
      expect(roleFindings(new iam.ServicePrincipal('rolesanywhere.amazonaws.com'))).toEqual(['AccessPatterns-TrustRolesAnywhereSourceArn']);
    });
    test('Compliance: pinned to a trust anchor', () => {
      expect(roleFindings(new iam.ServicePrincipal('rolesanywhere.amazonaws.com'), {
        ArnEquals: { 'aws:SourceArn': 'arn:aws:rolesanywhere:us-east-1:222222222222:trust-anchor/abc' },
      })).toEqual([]);
    });
  });

  describe('NoIamUserAccessKeys', () => {
    test('Noncompliance: an access key', () => {
      const stack = new Stack(new App(), 'S');
      const user = new iam.User(stack, 'Legacy');
      new iam.AccessKey(stack, 'Key', { user });
      templateOf(stack);
      expect(accessPatternsFindings(stack).map(f => f.rule)).toEqual(['AccessPatterns-NoIamUserAccessKeys']);
    });
    test('Compliance: a user without keys', () => {
      const stack = new Stack(new App(), 'S');
      new iam.User(stack, 'Console');
      templateOf(stack);
      expect(accessPatternsFindings(stack)).toEqual([]);
    });
  });

  test('the pack registers as a validation plugin and fails synthesis on a finding', () => {
    const app = new App();
    Validations.of(app).addPlugins(new AccessPatternsChecks(app));
    const stack = new Stack(app, 'S');
    new iam.Role(stack, 'R', { assumedBy: new iam.AccountPrincipal('111111111111') });
    expect(() => app.synth()).toThrow(/ERROR The role trusts an AWS account root[\s\S]*AccessPatterns-TrustAccountRootNarrowed/);
  });
});
