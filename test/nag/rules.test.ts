import { readFileSync } from 'fs';
import { join } from 'path';
import { GithubActionsIdentityProvider, GithubActionsRole } from 'aws-cdk-github-oidc';
import { App, CfnJson, CfnParameter, CfnResource, Duration, SecretValue, Stack, Validations } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sso from 'aws-cdk-lib/aws-sso';
import { AccessPatternsChecks } from '../../src';
import { CALLER_ACCOUNT, TEST_ENV } from '../support/env';
import { packReport } from '../support/nag';
import { templateOf } from '../support/template';

const GITHUB = 'arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com';
const GH = 'token.actions.githubusercontent.com';
const EKS_ISSUER = 'oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
const EKS_PROVIDER = `arn:aws:iam::222222222222:oidc-provider/${EKS_ISSUER}`;
const SSO_INSTANCE = 'arn:aws:sso:::instance/ssoins-1111111111111111';


function newStack(): Stack {
  return new Stack(new App(), 'S', { env: TEST_ENV });
}

const report = packReport;

function findings(stack: Stack): string[] {
  return report(stack).map(f => f.rule).sort();
}

/** The findings of a stack with one plain aws-cdk-lib role whose trust is `principal` + `conditions`. */
function roleFindings(principal: iam.IPrincipal, conditions?: Record<string, any>, props: Partial<iam.RoleProps> = {}): string[] {
  const stack = newStack();
  new iam.Role(stack, 'R', { ...props, assumedBy: conditions ? new iam.PrincipalWithConditions(principal, conditions) : principal });
  return findings(stack);
}

function severityOf(stack: Stack, rulePrefix: string): string[] {
  return [...new Set(report(stack).filter(f => f.rule.startsWith(rulePrefix)).map(f => f.severity))];
}

const oidc = (arn: string = GITHUB) => new iam.FederatedPrincipal(arn, {}, 'sts:AssumeRoleWithWebIdentity');
const githubTrust = (sub: string | string[], subOperator = 'StringLike'): Record<string, any> => subOperator === 'StringEquals'
  ? { StringEquals: { [`${GH}:aud`]: 'sts.amazonaws.com', [`${GH}:sub`]: sub } }
  : { StringEquals: { [`${GH}:aud`]: 'sts.amazonaws.com' }, [subOperator]: { [`${GH}:sub`]: sub } };

describe('TrustWebIdentityAudience [error]', () => {
  test('Noncompliance 1: no conditions at all', () => {
    // GIVEN / WHEN
    const result = roleFindings(oidc(), {});
    // THEN
    expect(result).toEqual([
      `AccessPatterns-TrustWebIdentityAudience[Missing::${GH}:aud]`,
      `AccessPatterns-TrustWebIdentitySubject[Missing::${GH}:sub]`,
    ]);
  });

  test('Noncompliance 2: the audience as a StringLike pattern, or *', () => {
    expect(roleFindings(oidc(), { StringLike: { [`${GH}:aud`]: 'sts.*', [`${GH}:sub`]: 'repo:acme/api:*' } }))
      .toEqual(['AccessPatterns-TrustWebIdentityAudience[Audience::sts.*]']);
    expect(roleFindings(oidc(), { StringEquals: { [`${GH}:aud`]: '*' }, StringLike: { [`${GH}:sub`]: 'repo:acme/api:*' } }))
      .toEqual(['AccessPatterns-TrustWebIdentityAudience[Audience::*]']);
  });

  test('Compliance: the audience under StringLike without a wildcard is exact', () => {
    expect(roleFindings(oidc(), { StringLike: { [`${GH}:aud`]: 'sts.amazonaws.com', [`${GH}:sub`]: 'repo:acme/api:*' } })).toEqual([]);
  });

  test('Noncompliance 3: a Cognito identity pool without cognito-identity.amazonaws.com:aud', () => {
    expect(roleFindings(new iam.FederatedPrincipal('cognito-identity.amazonaws.com', {}, 'sts:AssumeRoleWithWebIdentity'), {
      'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' },
    })).toEqual(['AccessPatterns-TrustWebIdentityAudience[Missing::cognito-identity.amazonaws.com:aud]']);
  });

  test('Noncompliance 4: a condition block only known at deploy time is reported as unresolved, not as missing', () => {
    // GIVEN a condition block that is an intrinsic other than CfnJson
    const stack = newStack();
    const role = new iam.Role(stack, 'R', { assumedBy: oidc() });
    (role.node.defaultChild as iam.CfnRole).assumeRolePolicyDocument = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Federated: GITHUB }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { 'Fn::GetAtt': ['Elsewhere', 'Conditions'] } } }],
    };
    // THEN
    expect(findings(stack)).toEqual([
      'AccessPatterns-TrustWebIdentityAudience[Unresolved::StringEquals]',
      'AccessPatterns-TrustWebIdentitySubject[Unresolved::StringEquals]',
    ]);
    expect(severityOf(stack, 'AccessPatterns-TrustWebIdentityAudience')).toEqual(['error']);
  });

  test('Compliance: audience and an exact subject; Cognito with its pool id', () => {
    expect(roleFindings(oidc(), githubTrust('repo:acme/api:ref:refs/heads/main', 'StringEquals'))).toEqual([]);
    expect(roleFindings(new iam.FederatedPrincipal('cognito-identity.amazonaws.com', {}, 'sts:AssumeRoleWithWebIdentity'), {
      'StringEquals': { 'cognito-identity.amazonaws.com:aud': 'us-east-1:11111111-2222-3333-4444-555555555555' },
      'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' },
    })).toEqual([]);
  });
});

describe('TrustWebIdentitySubject [error] and TrustWebIdentitySubjectOwnerWide [warning]', () => {
  test.each([
    ['repo:*', 'AccessPatterns-TrustWebIdentitySubject[Subject::repo:*]'],
    ['*', 'AccessPatterns-TrustWebIdentitySubject[Subject::*]'],
    ['repo:*/api:*', 'AccessPatterns-TrustWebIdentitySubject[Subject::repo:*/api:*]'],
    ['repo:acme*', 'AccessPatterns-TrustWebIdentitySubject[Subject::repo:acme*]'],
    ['repo:acme-*/api:ref:refs/heads/main', 'AccessPatterns-TrustWebIdentitySubject[Subject::repo:acme-*/api:ref:refs/heads/main]'],
    ['repo:acme/*', 'AccessPatterns-TrustWebIdentitySubjectOwnerWide[Subject::repo:acme/*]'],
    ['repo:acme/*:ref:refs/heads/main', 'AccessPatterns-TrustWebIdentitySubjectOwnerWide[Subject::repo:acme/*:ref:refs/heads/main]'],
    ['repo:acme/api-*', 'AccessPatterns-TrustWebIdentitySubjectOwnerWide[Subject::repo:acme/api-*]'],
  ])('Noncompliance (GitHub): %s', (sub, finding) => {
    expect(roleFindings(oidc(), githubTrust(sub))).toEqual([finding]);
  });

  test.each([
    ['project_path:*', 'AccessPatterns-TrustWebIdentitySubject[Subject::project_path:*]'],
    ['project_path:acme*', 'AccessPatterns-TrustWebIdentitySubject[Subject::project_path:acme*]'],
    ['project_path:acme/*', 'AccessPatterns-TrustWebIdentitySubjectOwnerWide[Subject::project_path:acme/*]'],
    ['project_path:acme/platform/*:ref_type:branch:ref:main', 'AccessPatterns-TrustWebIdentitySubjectOwnerWide[Subject::project_path:acme/platform/*:ref_type:branch:ref:main]'],
  ])('Noncompliance (GitLab): %s', (sub, finding) => {
    expect(roleFindings(oidc('arn:aws:iam::222222222222:oidc-provider/gitlab.com'), {
      StringEquals: { 'gitlab.com:aud': 'https://gitlab.com' },
      StringLike: { 'gitlab.com:sub': sub },
    })).toEqual([finding]);
  });

  test.each([
    ['system:serviceaccount:*:reader', 'AccessPatterns-TrustWebIdentitySubject[Subject::system:serviceaccount:*:reader]'],
    ['system:serviceaccount:*', 'AccessPatterns-TrustWebIdentitySubject[Subject::system:serviceaccount:*]'],
    ['system:serviceaccount:team-*:reader', 'AccessPatterns-TrustWebIdentitySubject[Subject::system:serviceaccount:team-*:reader]'],
    ['system:serviceaccount:orders:*', 'AccessPatterns-TrustWebIdentitySubjectOwnerWide[Subject::system:serviceaccount:orders:*]'],
  ])('Noncompliance (EKS): %s', (sub, finding) => {
    expect(roleFindings(oidc(EKS_PROVIDER), {
      StringEquals: { [`${EKS_ISSUER}:aud`]: 'sts.amazonaws.com' },
      StringLike: { [`${EKS_ISSUER}:sub`]: sub },
    })).toEqual([finding]);
  });

  test('Noncompliance: the widest of several values decides; levels are error and warning', () => {
    // GIVEN
    const stack = newStack();
    new iam.Role(stack, 'R', { assumedBy: new iam.PrincipalWithConditions(oidc(), githubTrust(['repo:acme/api:*', 'repo:acme/*', 'repo:*'])) });
    // THEN
    expect(findings(stack)).toEqual(['AccessPatterns-TrustWebIdentitySubject[Subject::repo:*]']);
    expect(severityOf(stack, 'AccessPatterns-TrustWebIdentitySubject[')).toEqual(['error']);

    const owner = newStack();
    new iam.Role(owner, 'R', { assumedBy: new iam.PrincipalWithConditions(oidc(), githubTrust(['repo:acme/api:*', 'repo:acme/*'])) });
    expect(severityOf(owner, 'AccessPatterns-TrustWebIdentitySubjectOwnerWide')).toEqual(['warning']);
  });

  test('Noncompliance: a subject whose owner is only known at deploy time is reported as unresolved', () => {
    // GIVEN a repository owner from a parameter
    const stack = newStack();
    const owner = new CfnParameter(stack, 'Owner').valueAsString;
    new iam.Role(stack, 'R', { assumedBy: new iam.PrincipalWithConditions(oidc(), githubTrust(`repo:${owner}/api:*`)) });
    // THEN
    expect(findings(stack)).toEqual([`AccessPatterns-TrustWebIdentitySubject[Unresolved::${GH}:sub]`]);
  });

  test('Compliance: a token that cannot widen the subject (an exact StringEquals value, a branch) is read as scoped', () => {
    const stack = newStack();
    const branch = new CfnParameter(stack, 'Branch').valueAsString;
    new iam.Role(stack, 'A', { assumedBy: new iam.PrincipalWithConditions(oidc(), githubTrust(`repo:acme/api:ref:refs/heads/${branch}`)) });
    new iam.Role(stack, 'B', { assumedBy: new iam.PrincipalWithConditions(oidc(), githubTrust(`repo:${branch}/api:ref:refs/heads/main`, 'StringEquals')) });
    expect(findings(stack)).toEqual([]);
  });

  test('Compliance: StringEquals reads "*" inside a value literally; another condition narrowing sub wins (AND)', () => {
    expect(roleFindings(oidc(), githubTrust('repo:acme/*', 'StringEquals'))).toEqual([]);
    expect(roleFindings(oidc(), {
      StringEquals: { [`${GH}:aud`]: 'sts.amazonaws.com', [`${GH}:sub`]: 'repo:acme/api:ref:refs/heads/main' },
      StringLike: { [`${GH}:sub`]: 'repo:acme/*' },
    })).toEqual([]);
  });

  test('Compliance: aws-cdk-github-oidc GithubActionsRole (StringLike repo:owner/repo:*)', () => {
    // GIVEN
    const stack = newStack();
    const provider = new GithubActionsIdentityProvider(stack, 'GithubProvider');
    new GithubActionsRole(stack, 'Deploy', { provider, owner: 'acme', repo: 'api' });
    new GithubActionsRole(stack, 'Release', { provider, owner: 'acme', repo: 'api', filter: 'ref:refs/tags/v*' });
    // THEN
    expect(findings(stack)).toEqual([]);
  });

  test('Noncompliance: aws-cdk-github-oidc GithubActionsRole for every repository of the owner', () => {
    const stack = newStack();
    const provider = new GithubActionsIdentityProvider(stack, 'GithubProvider');
    new GithubActionsRole(stack, 'Docs', { provider, owner: 'acme', repo: '*' });
    expect(findings(stack)).toEqual(['AccessPatterns-TrustWebIdentitySubjectOwnerWide[Subject::repo:acme/*:*]']);
  });

  test('Compliance: IRSA through aws-cdk-lib eks.ServiceAccount (conditions kept in CfnJson)', () => {
    // GIVEN an imported cluster: eks.ServiceAccount builds the same CfnJson trust as for a
    // new cluster, without a kubectl layer (the provider is created in the stack, so the
    // condition keys are tokens)
    const stack = newStack();
    const provider = new iam.OpenIdConnectProvider(stack, 'Issuer', { url: `https://${EKS_ISSUER}`, clientIds: ['sts.amazonaws.com'] });
    const cluster = eks.Cluster.fromClusterAttributes(stack, 'Cluster', {
      clusterName: 'prod', openIdConnectProvider: provider, kubectlRoleArn: 'arn:aws:iam::222222222222:role/kubectl',
    });
    new eks.ServiceAccount(stack, 'Reader', { cluster, name: 'reader', namespace: 'orders' });
    // THEN the trust condition is a CfnJson, and the pack reads through it
    const template = templateOf(stack);
    const role = Object.values(template.Resources).find(r => r.Type === 'AWS::IAM::Role' && r.Properties.AssumeRolePolicyDocument.Statement[0].Principal.Federated);
    expect(role!.Properties.AssumeRolePolicyDocument.Statement[0].Condition.StringEquals['Fn::GetAtt'][1]).toEqual('Value');
    expect(findings(stack)).toEqual([]);
  });

  test('Noncompliance: a CfnJson condition block with an unscoped subject is read', () => {
    const stack = newStack();
    const issuer = new CfnParameter(stack, 'Issuer').valueAsString;
    const json = new CfnJson(stack, 'Json', { value: { [`${issuer}:aud`]: 'sts.amazonaws.com', [`${issuer}:sub`]: 'system:serviceaccount:*:reader' } });
    new iam.Role(stack, 'R', { assumedBy: new iam.FederatedPrincipal(EKS_PROVIDER, { StringLike: json }, 'sts:AssumeRoleWithWebIdentity') });
    expect(findings(stack)).toEqual([
      'AccessPatterns-TrustWebIdentitySubject[Subject::system:serviceaccount:*:reader]',
    ]);
  });

  test('Compliance: a Cognito identity pool is scoped by amr, not sub', () => {
    expect(roleFindings(new iam.FederatedPrincipal('cognito-identity.amazonaws.com', {}, 'sts:AssumeRoleWithWebIdentity'), {
      'StringEquals': { 'cognito-identity.amazonaws.com:aud': 'us-east-1:1111' },
      'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' },
    })).toEqual([]);
  });
});

describe('TrustNoSetOperatorOnSingleValuedKey [error]', () => {
  test('Noncompliance 1: ForAnyValue on sub', () => {
    expect(roleFindings(oidc(), {
      'StringEquals': { [`${GH}:aud`]: 'sts.amazonaws.com' },
      'ForAnyValue:StringLike': { [`${GH}:sub`]: 'repo:acme/api:*' },
    })).toEqual([
      `AccessPatterns-TrustNoSetOperatorOnSingleValuedKey[Condition::ForAnyValue:StringLike::${GH}:sub]`,
    ]);
  });

  test('Noncompliance 2: ForAllValues on aud', () => {
    expect(roleFindings(oidc(), {
      'ForAllValues:StringEquals': { [`${GH}:aud`]: 'sts.amazonaws.com' },
      'StringEquals': { [`${GH}:sub`]: 'repo:acme/api:ref:refs/heads/main' },
    })).toEqual([
      `AccessPatterns-TrustNoSetOperatorOnSingleValuedKey[Condition::ForAllValues:StringEquals::${GH}:aud]`,
      `AccessPatterns-TrustWebIdentityAudience[Missing::${GH}:aud]`,
    ]);
  });

  test('Compliance: ForAnyValue on multi-valued keys (aws:TagKeys, Cognito amr)', () => {
    expect(roleFindings(new iam.ArnPrincipal('arn:aws:iam::111111111111:role/x'), { 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'team' } })).toEqual([]);
  });
});

describe('TrustAnyPrincipalScoped [error]', () => {
  test('Noncompliance 1: "*" with an external id only', () => {
    expect(roleFindings(new iam.AnyPrincipal(), { StringEquals: { 'sts:ExternalId': 'x1' } })).toEqual(['AccessPatterns-TrustAnyPrincipalScoped[Principal::*]']);
  });

  test('Noncompliance 2: an organization check that does not narrow (IfExists, Null, "*")', () => {
    expect(roleFindings(new iam.AnyPrincipal(), { StringEqualsIfExists: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } })).toEqual(['AccessPatterns-TrustAnyPrincipalScoped[Principal::*]']);
    expect(roleFindings(new iam.AnyPrincipal(), { Null: { 'aws:PrincipalOrgID': 'false' } })).toEqual(['AccessPatterns-TrustAnyPrincipalScoped[Principal::*]']);
    expect(roleFindings(new iam.AnyPrincipal(), { StringLike: { 'aws:PrincipalArn': '*' } })).toEqual(['AccessPatterns-TrustAnyPrincipalScoped[Principal::*]']);
  });

  test('Compliance: "*" limited to an organization (every principal of it is owner-wide: a warning of TrustAccountRootNarrowed)', () => {
    expect(roleFindings(new iam.AnyPrincipal(), { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } }))
      .toEqual(['AccessPatterns-TrustAccountRootNarrowed[Organization::o-a1b2c3d4e5]']);
    expect(roleFindings(new iam.AnyPrincipal(), { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' }, ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/deploy/*' } })).toEqual([]);
  });
});

describe('TrustAccountRootNarrowed [warning]', () => {
  test('Noncompliance 1: another account root with no condition', () => {
    // GIVEN
    const stack = newStack();
    new iam.Role(stack, 'R', { assumedBy: new iam.AccountPrincipal(CALLER_ACCOUNT) });
    // THEN
    expect(findings(stack)).toEqual([`AccessPatterns-TrustAccountRootNarrowed[Principal::arn:aws:iam::${CALLER_ACCOUNT}:root]`]);
    expect(severityOf(stack, 'AccessPatterns-TrustAccountRootNarrowed')).toEqual(['warning']);
  });

  test('Noncompliance 2: a root ARN given as a string, with conditions the caller chooses (region, session name, source identity)', () => {
    expect(roleFindings(new iam.ArnPrincipal('arn:aws:iam::111111111111:root'), {
      StringEquals: { 'aws:RequestedRegion': 'eu-west-1' },
      StringLike: { 'sts:RoleSessionName': 'deploy-*' },
      Null: { 'sts:SourceIdentity': 'false' },
    })).toEqual(['AccessPatterns-TrustAccountRootNarrowed[Principal::arn:aws:iam::111111111111:root]']);
  });

  test('Noncompliance: the organization holds whole accounts, so it narrows nothing of a trusted account', () => {
    expect(roleFindings(new iam.AccountPrincipal(CALLER_ACCOUNT), { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } }))
      .toEqual([`AccessPatterns-TrustAccountRootNarrowed[Principal::arn:aws:iam::${CALLER_ACCOUNT}:root]`]);
  });

  test('Compliance: an external id, a principal ARN, MFA, or an exact role', () => {
    const root = () => new iam.AccountPrincipal(CALLER_ACCOUNT);
    expect(roleFindings(root(), { StringEquals: { 'sts:ExternalId': 'x1' } })).toEqual([]);
    expect(roleFindings(root(), { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/ci-*' } })).toEqual([]);
    expect(roleFindings(root(), { Bool: { 'aws:MultiFactorAuthPresent': 'true' } })).toEqual([]);
    expect(roleFindings(new iam.ArnPrincipal('arn:aws:iam::111111111111:role/ci'))).toEqual([]);
  });

  test('Compliance: the stack\'s own account root', () => {
    expect(roleFindings(new iam.AccountRootPrincipal())).toEqual([]);
    expect(roleFindings(new iam.AccountPrincipal(TEST_ENV.account))).toEqual([]);
  });
});

describe('TrustRolesAnywhereSourceArn [error] and TrustPodIdentitySourceAccount [warning]', () => {
  test('Noncompliance: Roles Anywhere trusted without aws:SourceArn', () => {
    expect(roleFindings(new iam.ServicePrincipal('rolesanywhere.amazonaws.com'))).toEqual(['AccessPatterns-TrustRolesAnywhereSourceArn[Missing::aws:SourceArn]']);
  });

  test('Compliance: Roles Anywhere pinned to a trust anchor', () => {
    expect(roleFindings(new iam.ServicePrincipal('rolesanywhere.amazonaws.com'), {
      ArnEquals: { 'aws:SourceArn': 'arn:aws:rolesanywhere:us-east-1:222222222222:trust-anchor/abc' },
    })).toEqual([]);
  });

  test('Noncompliance: Pod Identity trusted without aws:SourceAccount', () => {
    const stack = newStack();
    new iam.Role(stack, 'R', { assumedBy: new iam.SessionTagsPrincipal(new iam.ServicePrincipal('pods.eks.amazonaws.com')) });
    expect(findings(stack)).toEqual(['AccessPatterns-TrustPodIdentitySourceAccount[Missing::aws:SourceAccount]']);
    expect(severityOf(stack, 'AccessPatterns-TrustPodIdentitySourceAccount')).toEqual(['warning']);
  });

  test('Compliance: Pod Identity pinned to the account', () => {
    expect(roleFindings(new iam.ServicePrincipal('pods.eks.amazonaws.com'), { StringEquals: { 'aws:SourceAccount': TEST_ENV.account } })).toEqual([]);
  });
});

describe('TrustSamlAudience [error]', () => {
  const saml = () => new iam.FederatedPrincipal('arn:aws:iam::222222222222:saml-provider/Okta', {}, 'sts:AssumeRoleWithSAML');
  test('Noncompliance: no SAML:aud', () => {
    expect(roleFindings(saml(), {})).toEqual(['AccessPatterns-TrustSamlAudience[Missing::SAML:aud]']);
  });
  test('Compliance: SAML:aud is the sign-in endpoint (aws-cdk-lib SamlConsolePrincipal)', () => {
    const stack = newStack();
    const provider = iam.SamlProvider.fromSamlProviderArn(stack, 'Okta', 'arn:aws:iam::222222222222:saml-provider/Okta');
    new iam.Role(stack, 'R', { assumedBy: new iam.SamlConsolePrincipal(provider) });
    expect(findings(stack)).toEqual([]);
  });
});

describe('NoIamUserAccessKeys [error] and NoIamUserLoginOrPolicies [warning]', () => {
  test('Noncompliance: an access key', () => {
    const stack = newStack();
    const user = new iam.User(stack, 'Legacy');
    new iam.AccessKey(stack, 'Key', { user });
    expect(findings(stack)).toEqual(['AccessPatterns-NoIamUserAccessKeys']);
    expect(severityOf(stack, 'AccessPatterns-NoIamUserAccessKeys')).toEqual(['error']);
  });

  test('Noncompliance: a user with a password, a managed policy, a group and a policy naming it', () => {
    // GIVEN
    const stack = newStack();
    const group = new iam.Group(stack, 'Admins');
    const user = new iam.User(stack, 'Alice', {
      password: SecretValue.unsafePlainText('initial-password-please-change'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess')],
      groups: [group],
    });
    user.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::bucket/*'] }));
    // THEN
    const policyId = stack.resolve((user.node.findChild('DefaultPolicy').node.defaultChild as iam.CfnPolicy).logicalId);
    const groupId = stack.resolve((group.node.defaultChild as iam.CfnGroup).logicalId);
    expect(findings(stack)).toEqual([
      `AccessPatterns-NoIamUserLoginOrPolicies[Group::${groupId}]`,
      'AccessPatterns-NoIamUserLoginOrPolicies[LoginProfile]',
      'AccessPatterns-NoIamUserLoginOrPolicies[ManagedPolicy::arn:aws:iam::aws:policy/ReadOnlyAccess]',
      `AccessPatterns-NoIamUserLoginOrPolicies[Policy::${policyId}]`,
    ]);
    expect(severityOf(stack, 'AccessPatterns-NoIamUserLoginOrPolicies')).toEqual(['warning']);
  });

  test('Compliance: a user without keys, password or permissions', () => {
    const stack = newStack();
    new iam.User(stack, 'Console');
    expect(findings(stack)).toEqual([]);
  });
});

describe('WebIdentityMaxSessionDuration [warning]', () => {
  test('Noncompliance: an OIDC role with twelve-hour sessions', () => {
    const stack = newStack();
    new iam.Role(stack, 'R', {
      assumedBy: new iam.PrincipalWithConditions(oidc(), githubTrust('repo:acme/api:ref:refs/heads/main', 'StringEquals')),
      maxSessionDuration: Duration.hours(12),
    });
    expect(findings(stack)).toEqual(['AccessPatterns-WebIdentityMaxSessionDuration[MaxSessionDuration::43200]']);
    expect(severityOf(stack, 'AccessPatterns-WebIdentityMaxSessionDuration')).toEqual(['warning']);
  });

  test('Noncompliance: a duration only known at deploy time is reported as unresolved', () => {
    const stack = newStack();
    const role = new iam.Role(stack, 'R', { assumedBy: new iam.PrincipalWithConditions(oidc(), githubTrust('repo:acme/api:*')) });
    (role.node.defaultChild as iam.CfnRole).maxSessionDuration = new CfnParameter(stack, 'Max', { type: 'Number' }).valueAsNumber;
    expect(findings(stack)).toEqual(['AccessPatterns-WebIdentityMaxSessionDuration[Unresolved::MaxSessionDuration]']);
  });

  test('Compliance: one hour for OIDC; longer sessions for other roles are not this rule\'s business', () => {
    expect(roleFindings(oidc(), githubTrust('repo:acme/api:*'), { maxSessionDuration: Duration.hours(1) })).toEqual([]);
    expect(roleFindings(new iam.ArnPrincipal('arn:aws:iam::111111111111:role/ci'), undefined, { maxSessionDuration: Duration.hours(12) })).toEqual([]);
  });
});

describe('PermissionSetSessionDuration [warning] and PermissionSetAdministratorBoundary [warning]', () => {
  const permissionSet = (stack: Stack, props: Partial<sso.CfnPermissionSetProps>) =>
    new sso.CfnPermissionSet(stack, 'Admins', { instanceArn: SSO_INSTANCE, name: 'Admins', ...props });

  test('Noncompliance: twelve-hour sessions', () => {
    const stack = newStack();
    permissionSet(stack, { sessionDuration: 'PT12H' });
    expect(findings(stack)).toEqual(['AccessPatterns-PermissionSetSessionDuration[SessionDuration::PT12H]']);
    expect(severityOf(stack, 'AccessPatterns-PermissionSetSessionDuration')).toEqual(['warning']);
  });

  test('Noncompliance: AdministratorAccess without a permissions boundary (partition-aware ARN)', () => {
    const stack = newStack();
    permissionSet(stack, { managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess').managedPolicyArn] });
    expect(findings(stack)).toEqual(['AccessPatterns-PermissionSetAdministratorBoundary[ManagedPolicy::AdministratorAccess]']);
  });

  test('Noncompliance: a session duration only known at deploy time is reported as unresolved', () => {
    const stack = newStack();
    permissionSet(stack, { sessionDuration: new CfnParameter(stack, 'Duration').valueAsString });
    expect(findings(stack)).toEqual(['AccessPatterns-PermissionSetSessionDuration[Unresolved::SessionDuration]']);
  });

  test('Compliance: eight hours, and AdministratorAccess inside a boundary', () => {
    const stack = newStack();
    permissionSet(stack, {
      sessionDuration: 'PT8H',
      managedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'],
      permissionsBoundary: { managedPolicyArn: 'arn:aws:iam::aws:policy/PowerUserAccess' },
    });
    expect(findings(stack)).toEqual([]);
  });
});

describe('TrustPolicySize [warning]', () => {
  const repos = (n: number) => Array.from({ length: n }, (_, i) => `repo:acme/service-with-a-long-name-${i}:ref:refs/heads/main`);

  test('Noncompliance: 40 subjects are over 2,048 characters', () => {
    const stack = newStack();
    new iam.Role(stack, 'R', { assumedBy: new iam.PrincipalWithConditions(oidc(), githubTrust(repos(40), 'StringEquals')) });
    expect(findings(stack)).toEqual(['AccessPatterns-TrustPolicySize']);
    expect(severityOf(stack, 'AccessPatterns-TrustPolicySize')).toEqual(['warning']);
  });

  test('Noncompliance: a policy with parts only known at deploy time is reported as an estimate; CfnJson blocks count', () => {
    const stack = newStack();
    const issuer = new CfnParameter(stack, 'Issuer').valueAsString;
    const json = new CfnJson(stack, 'Json', { value: { [`${issuer}:aud`]: 'sts.amazonaws.com', [`${issuer}:sub`]: repos(40) } });
    new iam.Role(stack, 'R', { assumedBy: new iam.FederatedPrincipal(GITHUB, { StringEquals: json }, 'sts:AssumeRoleWithWebIdentity') });
    expect(findings(stack)).toEqual(['AccessPatterns-TrustPolicySize[Estimated]']);
  });

  test('Compliance: 10 subjects fit', () => {
    expect(roleFindings(oidc(), githubTrust(repos(10), 'StringEquals'))).toEqual([]);
  });
});

describe('EksNodeRoleBaseline [warning]', () => {
  const nodeRole = (stack: Stack, extra: string[] = []) => new iam.Role(stack, 'NodeRole', {
    assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
    managedPolicies: ['AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryReadOnly', 'AmazonEKS_CNI_Policy', 'AmazonSSMManagedInstanceCore', ...extra]
      .map(n => iam.ManagedPolicy.fromAwsManagedPolicyName(n)),
  });

  test('Noncompliance: an extra managed policy, an inline policy and an attached policy', () => {
    // GIVEN
    const stack = newStack();
    const role = nodeRole(stack, ['AmazonS3FullAccess']);
    role.addToPolicy(new iam.PolicyStatement({ actions: ['dynamodb:GetItem'], resources: ['arn:aws:dynamodb:us-east-1:222222222222:table/orders'] }));
    const cfn = role.node.defaultChild as iam.CfnRole;
    cfn.policies = [{ policyName: 'pods', policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sqs:*', Resource: '*' }] } }];
    // THEN
    const policyId = stack.resolve((role.node.findChild('DefaultPolicy').node.defaultChild as iam.CfnPolicy).logicalId);
    expect(findings(stack)).toEqual([
      'AccessPatterns-EksNodeRoleBaseline[InlinePolicy::pods]',
      'AccessPatterns-EksNodeRoleBaseline[ManagedPolicy::arn:aws:iam::aws:policy/AmazonS3FullAccess]',
      `AccessPatterns-EksNodeRoleBaseline[Policy::${policyId}]`,
    ]);
    expect(severityOf(stack, 'AccessPatterns-EksNodeRoleBaseline')).toEqual(['warning']);
  });

  test('Compliance: the baseline (with PullOnly), and an EC2 role that is not a node role', () => {
    const stack = newStack();
    nodeRole(stack, ['AmazonEC2ContainerRegistryPullOnly']);
    new iam.Role(stack, 'Instance', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonS3ReadOnlyAccess')],
    });
    expect(findings(stack)).toEqual([]);
  });
});

describe('EksNodeRoleBaseline reads the service principal however it is written', () => {
  test('Noncompliance: a node role trusted by ec2.${AWS::URLSuffix}, as Karpenter-style templates write it', () => {
    const stack = newStack();
    new iam.CfnRole(stack, 'NodeRole', {
      assumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: { 'Fn::Join': ['', ['ec2.', { Ref: 'AWS::URLSuffix' }]] } }, Action: 'sts:AssumeRole' }],
      },
      managedPolicyArns: ['AmazonEKSWorkerNodePolicy', 'AmazonS3FullAccess'].map(n => `arn:${stack.partition}:iam::aws:policy/${n}`),
    });
    expect(findings(stack)).toEqual(['AccessPatterns-EksNodeRoleBaseline[ManagedPolicy::arn:aws:iam::aws:policy/AmazonS3FullAccess]']);
  });
});

describe('TrustWebIdentityAudienceByProvider [warning]', () => {
  const subjectOnly = { StringLike: { [`${GH}:sub`]: 'repo:acme/api:*' } };

  test('Noncompliance: a provider of the same stack whose client id list is sts.amazonaws.com, and no aud condition (a warning, not an error)', () => {
    // GIVEN the shape of a GitHub role written with a provider of the same app and no audience
    const stack = newStack();
    const provider = new iam.OpenIdConnectProvider(stack, 'GitHub', { url: `https://${GH}`, clientIds: ['sts.amazonaws.com'] });
    new iam.Role(stack, 'R', { assumedBy: new iam.WebIdentityPrincipal(provider.openIdConnectProviderArn, subjectOnly) });
    // THEN
    expect(findings(stack)).toEqual([`AccessPatterns-TrustWebIdentityAudienceByProvider[Missing::${GH}:aud]`]);
    expect(severityOf(stack, 'AccessPatterns-TrustWebIdentityAudience')).toEqual(['warning']);
  });

  test('Noncompliance: the same trust of an imported provider is an error (its client id list is unknown)', () => {
    expect(roleFindings(new iam.WebIdentityPrincipal(GITHUB, subjectOnly))).toEqual([`AccessPatterns-TrustWebIdentityAudience[Missing::${GH}:aud]`]);
  });

  test('Compliance: the provider of the same stack and an aud condition', () => {
    const stack = newStack();
    const provider = new iam.OidcProviderNative(stack, 'GitHub', { url: `https://${GH}`, clientIds: ['sts.amazonaws.com'] });
    new iam.Role(stack, 'R', { assumedBy: new iam.WebIdentityPrincipal(provider.oidcProviderArn, githubTrust('repo:acme/api:*')) });
    expect(findings(stack)).toEqual([]);
  });
});

describe('TrustStatementWellFormed [error]', () => {
  test('Noncompliance 1: an operator without its colon', () => {
    expect(roleFindings(oidc(), { StringEquals: { [`${GH}:aud`]: 'sts.amazonaws.com', [`${GH}:sub`]: 'repo:acme/api:ref:refs/heads/main' }, ForAllValuesStringLike: { [`${GH}:sub`]: 'repo:acme/*' } }))
      .toEqual(['AccessPatterns-TrustStatementWellFormed[Operator::ForAllValuesStringLike]']);
  });

  test('Noncompliance 2: a condition key with the issuer\'s scheme, which IAM never fills', () => {
    expect(roleFindings(oidc(), { StringEquals: { [`https://${GH}:aud`]: 'sts.amazonaws.com' }, StringLike: { [`https://${GH}:sub`]: 'repo:acme/api:*' } })).toEqual([
      `AccessPatterns-TrustStatementWellFormed[Key::https://${GH}:aud]`,
      `AccessPatterns-TrustStatementWellFormed[Key::https://${GH}:sub]`,
      `AccessPatterns-TrustWebIdentityAudience[Missing::${GH}:aud]`,
      `AccessPatterns-TrustWebIdentitySubject[Missing::${GH}:sub]`,
    ]);
  });

  test('Noncompliance 3: a wildcard inside a principal ARN (IAM refuses it at deploy)', () => {
    const pattern = `arn:aws:iam::${CALLER_ACCOUNT}:role/aws-reserved/sso.amazonaws.com/*`;
    const stack = newStack();
    new iam.CfnRole(stack, 'R', {
      assumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: pattern }, Action: 'sts:AssumeRole' }] },
    });
    expect(findings(stack)).toEqual([`AccessPatterns-TrustStatementWellFormed[Principal::${pattern}]`]);
  });

  test('Noncompliance 4: a principal of another partition than the stack\'s', () => {
    expect(roleFindings(new iam.ArnPrincipal(`arn:aws-cn:iam::${CALLER_ACCOUNT}:role/ci`)))
      .toEqual([`AccessPatterns-TrustStatementWellFormed[Principal::arn:aws-cn:iam::${CALLER_ACCOUNT}:role/ci]`]);
  });

  test('Compliance: the same trusts written correctly', () => {
    expect(roleFindings(oidc(), githubTrust('repo:acme/api:*'))).toEqual([]);
    expect(roleFindings(new iam.AccountPrincipal(CALLER_ACCOUNT), { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${CALLER_ACCOUNT}:role/aws-reserved/sso.amazonaws.com/*` } })).toEqual([]);
  });
});

describe('TrustActionsNamed [warning]', () => {
  test('Noncompliance: action patterns and NotAction; the other rules still read the statement by what it allows', () => {
    const stack = newStack();
    const doc = (statement: any) => ({ Version: '2012-10-17', Statement: [statement] });
    new iam.CfnRole(stack, 'Pattern', {
      assumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { Federated: GITHUB }, Action: 'sts:AssumeRoleWith*', Condition: githubTrust('repo:*') }),
    });
    new iam.CfnRole(stack, 'Not', { assumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { AWS: '*' }, NotAction: 'sts:TagSession' }) });
    expect(findings(stack)).toEqual([
      'AccessPatterns-TrustActionsNamed[Action::sts:AssumeRoleWith*]',
      'AccessPatterns-TrustActionsNamed[NotAction::sts:TagSession]',
      'AccessPatterns-TrustAnyPrincipalScoped[Principal::*]',
      'AccessPatterns-TrustWebIdentitySubject[Subject::repo:*]',
    ]);
  });

  test('Compliance: named actions', () => {
    expect(roleFindings(new iam.AccountPrincipal(TEST_ENV.account).withSessionTags())).toEqual([]);
  });
});

describe('the pack', () => {
  test('registers as a validation plugin and fails synthesis on an error', () => {
    const app = new App();
    Validations.of(app).addPlugins(new AccessPatternsChecks(app));
    const stack = new Stack(app, 'S', { env: TEST_ENV });
    new iam.Role(stack, 'R', { assumedBy: new iam.AnyPrincipal() });
    expect(() => app.synth()).toThrow(/The role trusts any principal[\s\S]*AccessPatterns-TrustAnyPrincipalScoped\[Principal::\*\]/);
  });

  test('warnings are reported but do not fail synthesis', () => {
    // GIVEN an app whose only finding is a warning
    const app = new App();
    const pack = new AccessPatternsChecks(app);
    Validations.of(app).addPlugins(pack);
    const stack = new Stack(app, 'S', { env: TEST_ENV });
    new iam.Role(stack, 'R', { assumedBy: new iam.AccountPrincipal(CALLER_ACCOUNT) });
    // WHEN
    const assembly = app.synth();
    // THEN
    expect(assembly.getStackByName('S').template.Resources).toBeDefined();
    const result = pack.validateScope(app);
    expect(result.success).toBe(true);
    expect(result.violations.map(v => v.severity)).toEqual(['warning']);
  });

  test('as a validation plugin it reads the synthesized templates, escape-hatch overrides included', () => {
    // GIVEN an override that adds the missing audience after the L2 rendered the trust
    const app = new App();
    Validations.of(app).addPlugins(new AccessPatternsChecks(app));
    const stack = new Stack(app, 'S', { env: TEST_ENV });
    const role = new iam.Role(stack, 'R', { assumedBy: new iam.PrincipalWithConditions(oidc(), { StringEquals: { [`${GH}:sub`]: 'repo:acme/api:ref:refs/heads/main' } }) });
    (role.node.defaultChild as iam.CfnRole).addPropertyOverride('AssumeRolePolicyDocument.Statement.0.Condition', githubTrust('repo:acme/api:ref:refs/heads/main', 'StringEquals'));
    // WHEN / THEN synthesis passes: the plugin saw the overridden template
    const assembly = app.synth();
    const validation = JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8'));
    expect(validation.pluginReports.flatMap((r: any) => r.violations ?? [])).toEqual([]);
    // while validateScope, which resolves the construct tree, does not see overrides
    expect(new AccessPatternsChecks().validateScope(app).violations.map(v => v.ruleName))
      .toEqual([`AccessPatterns-TrustWebIdentityAudience[Missing::${GH}:aud]`]);
  });

  test('one finding is acknowledged without hiding the others of the same rule', () => {
    // GIVEN a role with two unscoped subjects
    const stack = newStack();
    const role = new iam.Role(stack, 'R', { assumedBy: new iam.PrincipalWithConditions(oidc(), githubTrust(['repo:*', '*'])) });
    // WHEN one is acknowledged
    Validations.of(role).acknowledge({ id: 'AccessPatterns-TrustWebIdentitySubject[Subject::repo:*]', reason: 'test' });
    // THEN
    expect(findings(stack)).toEqual(['AccessPatterns-TrustWebIdentitySubject[Subject::*]']);
  });

  test('reads plain CfnResource roles and access keys, not only the L1 classes', () => {
    const stack = newStack();
    new CfnResource(stack, 'Role', {
      type: 'AWS::IAM::Role',
      properties: { AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' }] } },
    });
    new CfnResource(stack, 'Key', { type: 'AWS::IAM::AccessKey', properties: { UserName: 'legacy' } });
    expect(findings(stack)).toEqual(['AccessPatterns-NoIamUserAccessKeys', 'AccessPatterns-TrustAnyPrincipalScoped[Principal::*]']);
  });
});
