import { mkdtempSync, readdirSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, CfnCondition, CfnJson, CfnParameter, CfnResource, Duration, Fn, NestedStack, Stack, Stage } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sso from 'aws-cdk-lib/aws-sso';
import {
  AccessMap, AccessMapChangeType, AccessMapKind, AccessMapRole, AccountAssignments, AssignmentTarget,
  CrossAccountRole, GitHubActionsRole, GitHubOidcProvider,
  GitHubSubject, IdentityCenterInstance, IdentityCenterPrincipal, IrsaCluster, IrsaRole, PermissionSet,
} from '../../src';
import { CALLER_ACCOUNT, TEST_ACCOUNT, TEST_ENV, TEST_ORG } from '../support/env';
import { parseMermaid } from '../support/mermaid';

function roleAt(map: AccessMap, path: string): AccessMapRole {
  const role = map.roles.find(r => r.path === path);
  if (!role) throw new Error(`no role ${path} in ${map.roles.map(r => r.path).join(', ')}`);
  return role;
}

function whoOf(map: AccessMap, path: string): string[] {
  return roleAt(map, path).waysIn.map(w => w.who);
}

describe('plain aws-cdk-lib stacks', () => {
  test('account, role, organization and service principals read in plain words', () => {
    const stack = new Stack(new App(), 'Plain', { env: TEST_ENV });
    new iam.Role(stack, 'Vendor', { assumedBy: new iam.AccountPrincipal('111122223333'), externalIds: ['vendor-1'] });
    new iam.Role(stack, 'WholeAccount', { assumedBy: new iam.AccountPrincipal(CALLER_ACCOUNT) });
    new iam.Role(stack, 'Pipeline', { assumedBy: new iam.ArnPrincipal(`arn:aws:iam::${CALLER_ACCOUNT}:role/ci/deployer`) });
    new iam.Role(stack, 'Org', { assumedBy: new iam.OrganizationPrincipal(TEST_ORG) });
    new iam.Role(stack, 'Anyone', { assumedBy: new iam.AnyPrincipal() });
    new iam.Role(stack, 'Function', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const map = AccessMap.fromStack(stack);

    expect(roleAt(map, 'Vendor').waysIn).toEqual([{
      kind: AccessMapKind.AWS_ACCOUNT, who: 'account 111122223333 with ExternalId', conditions: [], actions: ['sts:AssumeRole'], unresolved: false,
    }]);
    expect(roleAt(map, 'WholeAccount').waysIn[0]).toMatchObject({
      who: `account ${CALLER_ACCOUNT}`, broad: 'any principal of the account that its own policies allow',
    });
    expect(whoOf(map, 'Pipeline')).toEqual([`role deployer in account ${CALLER_ACCOUNT}`]);
    expect(roleAt(map, 'Org').waysIn[0]).toMatchObject({ kind: AccessMapKind.ORGANIZATION, who: `anyone in organization ${TEST_ORG}`, conditions: [] });
    expect(roleAt(map, 'Org').waysIn[0].broad).toBe('any principal of the organization\'s accounts that their own policies allow');
    expect(roleAt(map, 'Anyone').waysIn[0]).toMatchObject({ kind: AccessMapKind.ANY_PRINCIPAL, broad: 'any AWS principal of any account' });
    expect(whoOf(map, 'Function')).toEqual(['AWS service lambda.amazonaws.com']);
    expect(roleAt(map, 'Function')).toMatchObject({ stack: 'Plain', maxSessionDuration: 3600, roleName: '⟨generated name of role Function⟩' });
  });

  test('an imported GitHub provider and an IRSA-style CfnJson condition block are read', () => {
    const stack = new Stack(new App(), 'Imported', { env: TEST_ENV });
    const github = iam.OpenIdConnectProvider.fromOpenIdConnectProviderArn(stack, 'GitHub',
      `arn:aws:iam::${TEST_ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`);
    new iam.Role(stack, 'Deploy', {
      assumedBy: new iam.OpenIdConnectPrincipal(github, {
        StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
        StringLike: { 'token.actions.githubusercontent.com:sub': ['repo:acme/api:ref:refs/heads/main', 'repo:acme/*'] },
      }),
    });
    // The issuer is a deploy-time value, so the condition keys go through CfnJson.
    const issuerUrl = new CfnParameter(stack, 'IssuerUrl');
    const provider = new iam.OidcProviderNative(stack, 'Cluster', { url: issuerUrl.valueAsString, clientIds: ['sts.amazonaws.com'] });
    const keys = new CfnJson(stack, 'Keys', {
      value: {
        [`${provider.oidcProviderIssuer}:aud`]: 'sts.amazonaws.com',
        [`${provider.oidcProviderIssuer}:sub`]: 'system:serviceaccount:payments:api',
      },
    });
    new iam.Role(stack, 'Payments', { assumedBy: new iam.OpenIdConnectPrincipal(provider, { StringEquals: keys }) });
    const map = AccessMap.fromStack(stack);

    expect(roleAt(map, 'Deploy').waysIn.map(w => [w.kind, w.who, w.broad])).toEqual([
      [AccessMapKind.GITHUB_ACTIONS, 'GitHub Actions: acme/api, branch main', undefined],
      [AccessMapKind.GITHUB_ACTIONS, 'GitHub Actions: every repository of acme', 'the subject repo:acme/*: every repository of acme, including ones created later'],
    ]);
    expect(roleAt(map, 'Payments').waysIn).toEqual([{
      kind: AccessMapKind.EKS_SERVICE_ACCOUNT,
      who: 'EKS service account payments/api on the cluster of issuer ⟨parameter IssuerUrl⟩',
      conditions: [],
      actions: ['sts:AssumeRoleWithWebIdentity'],
      unresolved: true,
    }]);
  });

  test('deploy-time values are shown as such, not guessed', () => {
    const stack = new Stack(new App(), 'Tokens');
    const trusted = new CfnParameter(stack, 'TrustedRoleArn');
    new iam.Role(stack, 'Role', { assumedBy: new iam.ArnPrincipal(trusted.valueAsString), maxSessionDuration: Duration.hours(4) });
    new iam.Role(stack, 'Local', { assumedBy: new iam.AccountRootPrincipal(), roleName: 'local' });
    const map = AccessMap.fromStack(stack);

    expect(roleAt(map, 'Role')).toMatchObject({ maxSessionDuration: 14_400 });
    expect(roleAt(map, 'Role').waysIn[0]).toMatchObject({ who: 'AWS principal ⟨parameter TrustedRoleArn⟩', unresolved: true });
    // An environment-agnostic stack: its account is not known at synth.
    expect(roleAt(map, 'Local').waysIn[0]).toMatchObject({ who: 'account ⟨this account⟩', unresolved: true });
    // The stack's own account: its own IAM policies decide who, which is narrow.
    expect(map.toMarkdown()).toContain('| Local<br>name: local | account ⟨this account⟩ |');
  });

  test('Pod Identity, Roles Anywhere, Cognito, SAML, GitLab and any OIDC issuer; broad ones say why', () => {
    const stack = new Stack(new App(), 'Federation', { env: TEST_ENV });
    const pods = new iam.Role(stack, 'Pods', { assumedBy: new iam.ServicePrincipal('pods.eks.amazonaws.com') });
    new eks.CfnPodIdentityAssociation(stack, 'Association', { clusterName: 'prod', namespace: 'shop', serviceAccount: 'cart', roleArn: pods.roleArn });
    new iam.Role(stack, 'Certificates', {
      assumedBy: new iam.ServicePrincipal('rolesanywhere.amazonaws.com').withConditions({
        ArnEquals: { 'aws:SourceArn': `arn:aws:rolesanywhere:us-east-1:${TEST_ACCOUNT}:trust-anchor/0f1e2d3c` },
      }),
    });
    new iam.Role(stack, 'Guests', {
      assumedBy: new iam.FederatedPrincipal('cognito-identity.amazonaws.com', {
        'StringEquals': { 'cognito-identity.amazonaws.com:aud': 'us-east-1:11111111-2222-3333-4444-555555555555' },
        'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'unauthenticated' },
      }, 'sts:AssumeRoleWithWebIdentity'),
    });
    new iam.Role(stack, 'Workforce', {
      assumedBy: new iam.SamlConsolePrincipal(iam.SamlProvider.fromSamlProviderArn(stack, 'Idp', `arn:aws:iam::${TEST_ACCOUNT}:saml-provider/Corp`)),
    });
    const gitlab = iam.OpenIdConnectProvider.fromOpenIdConnectProviderArn(stack, 'GitLab', `arn:aws:iam::${TEST_ACCOUNT}:oidc-provider/gitlab.example.com`);
    new iam.Role(stack, 'Images', {
      assumedBy: new iam.OpenIdConnectPrincipal(gitlab, {
        StringEquals: { 'gitlab.example.com:aud': 'https://gitlab.example.com', 'gitlab.example.com:sub': 'project_path:acme/api:ref_type:tag:ref:v1' },
      }),
    });
    const other = iam.OpenIdConnectProvider.fromOpenIdConnectProviderArn(stack, 'Other', `arn:aws:iam::${TEST_ACCOUNT}:oidc-provider/id.example.com`);
    new iam.Role(stack, 'Anything', { assumedBy: new iam.OpenIdConnectPrincipal(other, { StringEquals: { 'id.example.com:aud': 'aws' } }) });
    const map = AccessMap.fromStack(stack);

    const summary = (path: string) => roleAt(map, path).waysIn.map(w => ({ kind: w.kind, who: w.who, conditions: w.conditions, broad: w.broad }));
    expect(summary('Pods')).toEqual([{
      kind: AccessMapKind.EKS_POD_IDENTITY,
      who: 'EKS Pod Identity: service account shop/cart on cluster prod (association)',
      conditions: [],
      broad: 'the trust names no single service account: any Pod Identity association of the account may use the role',
    }]);
    expect(summary('Certificates')).toEqual([{
      kind: AccessMapKind.ROLES_ANYWHERE,
      who: `any certificate via trust anchor 0f1e2d3c (account ${TEST_ACCOUNT}, us-east-1)`,
      conditions: [],
      broad: 'any certificate the trust anchor accepts',
    }]);
    expect(summary('Guests')).toEqual([{
      kind: AccessMapKind.COGNITO,
      who: 'Cognito identity pool us-east-1:11111111-2222-3333-4444-555555555555, unauthenticated (guest) identities',
      conditions: [],
      broad: 'unauthenticated (guest) identities: anyone who can reach the identity pool, without signing in',
    }]);
    expect(summary('Workforce')).toEqual([{ kind: AccessMapKind.SAML, who: 'users of SAML provider Corp', conditions: [], broad: undefined }]);
    expect(summary('Images')).toEqual([{ kind: AccessMapKind.GITLAB_CI, who: 'GitLab CI (gitlab.example.com): acme/api, tag v1', conditions: [], broad: undefined }]);
    expect(summary('Anything')).toEqual([{
      kind: AccessMapKind.OIDC, who: 'OIDC issuer id.example.com: any subject', conditions: ['id.example.com:aud = aws'], broad: 'no subject condition: every workload of the issuer gets in',
    }]);
  });

  test('what would read narrower than it is: deploy-time statements, NotPrincipal, NotAction, patterns', () => {
    const stack = new Stack(new App(), 'Tricky', { env: TEST_ENV });
    const role = (id: string, document: unknown, extra: Record<string, unknown> = {}) =>
      new CfnResource(stack, id, { type: 'AWS::IAM::Role', properties: { AssumeRolePolicyDocument: document, ...extra } });
    new CfnCondition(stack, 'IsProd', { expression: Fn.conditionEquals('a', 'b') });
    const allow = { Effect: 'Allow', Action: 'sts:AssumeRole' };
    role('ChosenStatement', { Version: '2012-10-17', Statement: [{ 'Fn::If': ['IsProd', { ...allow, Principal: { AWS: '*' } }, { Ref: 'AWS::NoValue' }] }] });
    role('ChosenCondition', {
      Version: '2012-10-17',
      Statement: [{ ...allow, Principal: { AWS: `arn:aws:iam::${CALLER_ACCOUNT}:root` }, Condition: { 'Fn::If': ['IsProd', { StringEquals: { 'sts:ExternalId': 'x' } }, { Ref: 'AWS::NoValue' }] } }],
    });
    role('Everyone', {
      Version: '2012-10-17',
      Statement: [
        { ...allow, NotPrincipal: { AWS: `arn:aws:iam::${CALLER_ACCOUNT}:role/blocked` } },
        { Effect: 'Deny', NotAction: 'sts:TagSession', NotPrincipal: { AWS: `arn:aws:iam::${CALLER_ACCOUNT}:role/admin` } },
      ],
    });
    role('Patterns', {
      Version: '2012-10-17',
      Statement: [{ ...allow, Principal: { AWS: `arn:aws:iam::${CALLER_ACCOUNT}:root` }, Condition: { StringLike: { 'sts:ExternalId': '*' } } }],
    });
    role('AsText', JSON.stringify({ Version: '2012-10-17', Statement: [{ ...allow, Principal: { Service: 'ec2.amazonaws.com' } }] }),
      { MaxSessionDuration: new CfnParameter(stack, 'Session', { type: 'Number' }).valueAsNumber });
    const map = AccessMap.fromStack(stack);

    const ways = (path: string) => roleAt(map, path).waysIn.map(w => ({ who: w.who, conditions: w.conditions, broad: w.broad }));
    expect(ways('ChosenStatement')).toEqual([{ who: 'trust statement ⟨value chosen by condition IsProd⟩', conditions: [], broad: 'the principal is only known at deploy time' }]);
    expect(ways('ChosenCondition')).toEqual([{
      who: `account ${CALLER_ACCOUNT}`,
      conditions: ['conditions only known at deploy time (⟨value chosen by condition IsProd⟩)'],
      broad: 'any principal of the account that its own policies allow, unless the conditions only known at deploy time narrow it',
    }]);
    expect(ways('Everyone')).toEqual([{
      who: `anyone except AWS arn:aws:iam::${CALLER_ACCOUNT}:role/blocked`, conditions: [], broad: 'NotPrincipal lets in every principal but those named',
    }]);
    expect(roleAt(map, 'Everyone').denies).toEqual([`deny every action except sts:TagSession to anyone except AWS arn:aws:iam::${CALLER_ACCOUNT}:role/admin`]);
    expect(ways('Patterns')).toEqual([{
      who: `account ${CALLER_ACCOUNT} with ExternalId like *`, conditions: [], broad: 'any principal of the account that its own policies allow',
    }]);
    expect(roleAt(map, 'AsText')).toMatchObject({ sessionLimit: '⟨parameter Session⟩', waysIn: [expect.objectContaining({ who: 'AWS service ec2.amazonaws.com' })] });
    expect(roleAt(map, 'AsText').maxSessionDuration).toBeUndefined();
    // A generated name would only repeat the path: the Role column shows the path once.
    expect(map.toMarkdown()).toContain('| AsText | AWS service ec2.amazonaws.com | ⟨parameter Session⟩ |');
  });

  test('values chosen at deploy time, whole-account patterns and MFA true-or-false do not narrow', () => {
    const stack = new Stack(new App(), 'Chosen', { env: TEST_ENV });
    new CfnCondition(stack, 'C', { expression: Fn.conditionEquals('a', 'b') });
    const role = (id: string, statement: Record<string, unknown>, extra: Record<string, unknown> = {}) => new CfnResource(stack, id, {
      type: 'AWS::IAM::Role',
      properties: { AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', ...statement }] }, ...extra },
    });
    const chosen = { 'Fn::If': ['C', 'o-abc', { Ref: 'AWS::NoValue' }] };
    role('OrgChosen', { Principal: { AWS: '*' }, Condition: { StringEquals: { 'aws:PrincipalOrgID': chosen } } });
    role('OrgPath', { Principal: { AWS: '*' }, Condition: { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': '*' } } });
    role('Mfa', { Principal: { AWS: 'arn:aws:iam::999988887777:root' }, Condition: { Bool: { 'aws:MultiFactorAuthPresent': ['true', 'false'] } } });
    role('WholeAccountArn', { Principal: { AWS: '*' }, Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::999988887777:*' } } });
    role('Pods', { Principal: { Service: 'pods.eks.amazonaws.com' }, Condition: { StringLike: { 'aws:RequestTag/kubernetes-namespace': '*', 'aws:RequestTag/kubernetes-service-account': '*' } } });
    role('Social', {
      Principal: { Federated: 'cognito-identity.amazonaws.com' },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { 'StringEquals': { 'cognito-identity.amazonaws.com:aud': 'us-east-1:pool' }, 'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'graph.facebook.com' } },
    });
    role('ChosenPolicy', { Principal: { Service: 'ec2.amazonaws.com' } }, {
      MaxSessionDuration: { Ref: 'AWS::NoValue' },
      Policies: [{ 'Fn::If': ['C', { PolicyName: 'x', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }, { Ref: 'AWS::NoValue' }] }],
    });
    const map = AccessMap.fromStack(stack);

    const broad = (path: string) => roleAt(map, path).waysIn.map(w => [w.who, w.broad]);
    expect(broad('OrgChosen')).toEqual([['anyone in organization ⟨value chosen by condition C⟩', 'the condition that pins the callers is only known at deploy time']]);
    expect(broad('OrgPath')).toEqual([['anyone in organization path like *', 'any AWS principal: the organization, account or ARN condition is a pattern that matches every caller']]);
    expect(broad('Mfa')).toEqual([['account 999988887777', 'any principal of the account that its own policies allow']]);
    expect(broad('WholeAccountArn')).toEqual([['any AWS principal with principal ARN like arn:aws:iam::999988887777:*', 'any principal of the account that its own policies allow']]);
    expect(broad('Pods')).toEqual([[
      'EKS Pod Identity: any service account on any cluster of any account',
      'the trust names no single service account: any Pod Identity association of the account may use the role',
    ]]);
    expect(broad('Social')).toEqual([['Cognito identity pool us-east-1:pool, identities signed in with graph.facebook.com', undefined]]);
    expect(roleAt(map, 'ChosenPolicy')).toMatchObject({
      sessionLimit: '1 hour',
      permissions: { flags: ['a policy only known at deploy time (⟨value chosen by condition C⟩)'] },
    });
  });

  test('Markdown escapes what it would otherwise read as markup', () => {
    const stack = new Stack(new App(), 'Escaping', { env: TEST_ENV });
    new iam.Role(stack, 'Role', {
      roleName: 'under_score',
      assumedBy: new iam.AccountPrincipal(CALLER_ACCOUNT).withConditions({ ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${CALLER_ACCOUNT}:role/ci-*` } }),
    });
    expect(AccessMap.fromStack(stack).toMarkdown())
      .toContain(`| Role<br>name: under\\_score | account ${CALLER_ACCOUNT} with principal ARN like arn:aws:iam::${CALLER_ACCOUNT}:role/ci-\\* | 1 hour |`);
  });

  test('policies attached by RolePolicy and by literal role name count', () => {
    const stack = new Stack(new App(), 'Attached', { env: TEST_ENV });
    const role = new iam.Role(stack, 'Role', { roleName: 'worker', assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    new iam.CfnRolePolicy(stack, 'Inline', {
      roleName: role.roleName, policyName: 'all', policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
    });
    new iam.CfnPolicy(stack, 'ByName', {
      roles: ['worker'], policyName: 'logs', policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: '*' }] },
    });
    expect(roleAt(AccessMap.fromStack(stack), 'Role').permissions).toMatchObject({ allowedActions: ['*', 'logs:PutLogEvents'], flags: ['Resource: *', 'all actions (*)'] });
  });

  test('a diff reports added permissions and trust actions, not only ways in', () => {
    const build = (actions: string[], trustActions: string[]) => {
      const stack = new Stack(new App(), 'Grow', { env: TEST_ENV });
      const role = new iam.Role(stack, 'Role', { roleName: 'grow', assumedBy: new iam.AccountPrincipal(CALLER_ACCOUNT).withConditions({ Bool: { 'aws:MultiFactorAuthPresent': 'true' } }) });
      role.assumeRolePolicy!.addStatements(new iam.PolicyStatement({ actions: trustActions, principals: [new iam.AccountPrincipal(CALLER_ACCOUNT)], conditions: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }));
      role.addToPolicy(new iam.PolicyStatement({ actions, resources: ['arn:aws:s3:::data/*'] }));
      return AccessMap.fromStack(stack);
    };
    expect(AccessMap.diff(build(['s3:GetObject'], ['sts:TagSession']), build(['s3:GetObject', 's3:DeleteObject'], ['sts:TagSession', 'sts:SetSourceIdentity'])).map(c => `${c.changeType} ${c.text}`))
      .toEqual([
        `added way in: account ${CALLER_ACCOUNT} (with MFA); allows sts:AssumeRole, sts:TagSession, sts:SetSourceIdentity`,
        'added allowed action: s3:DeleteObject',
        `removed way in: account ${CALLER_ACCOUNT} (with MFA); allows sts:AssumeRole, sts:TagSession`,
      ]);
  });

  test('permissions: managed policies, attached and inline statements, wildcards flagged', () => {
    const stack = new Stack(new App(), 'Permissions', { env: TEST_ENV });
    const role = new iam.Role(stack, 'Admin', {
      assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess')],
      inlinePolicies: { Logs: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: ['logs:PutLogEvents'], resources: ['*'] })] }) },
      permissionsBoundary: iam.ManagedPolicy.fromManagedPolicyName(stack, 'Boundary', 'platform-boundary'),
    });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:*'], resources: ['arn:aws:s3:::artifacts/*'] }));
    role.addToPolicy(new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['iam:*'], resources: ['*'] }));
    const map = AccessMap.fromStack(stack);

    expect(roleAt(map, 'Admin').permissions).toEqual({
      managedPolicies: ['AdministratorAccess (AWS managed)'],
      allowedActions: ['logs:PutLogEvents', 's3:*'],
      flags: ['AdministratorAccess: administrator-level AWS managed policy', 'Resource: *', 'every action of a service (s3:*)'],
      permissionsBoundary: 'platform-boundary',
    });
  });

  test('deny statements of a trust policy are listed with the role', () => {
    const stack = new Stack(new App(), 'Deny', { env: TEST_ENV });
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.AccountPrincipal(CALLER_ACCOUNT).withConditions({ Bool: { 'aws:MultiFactorAuthPresent': 'true' } }) });
    role.assumeRolePolicy!.addStatements(new iam.PolicyStatement({
      effect: iam.Effect.DENY,
      actions: ['sts:AssumeRole'],
      principals: [new iam.AnyPrincipal()],
      conditions: { StringNotEquals: { 'aws:PrincipalOrgID': TEST_ORG } },
    }));
    const map = AccessMap.fromStack(stack);

    expect(roleAt(map, 'Role').waysIn.map(w => [w.who, w.conditions, w.broad])).toEqual([[`account ${CALLER_ACCOUNT}`, ['with MFA'], undefined]]);
    expect(roleAt(map, 'Role').denies).toEqual([`deny sts:AssumeRole to AWS * when aws:PrincipalOrgID ≠ ${TEST_ORG}`]);
  });

  test('Identity Center assignments in a nested stack resolve the parent\'s permission set and principals', () => {
    const stack = new Stack(new App(), 'Workforce', { env: TEST_ENV });
    const instanceArn = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';
    const admin = new sso.CfnPermissionSet(stack, 'Admin', {
      instanceArn, name: 'Admin', sessionDuration: 'PT2H', managedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'],
    });
    const shard = new NestedStack(stack, 'Shard');
    for (const account of ['444444444444', '555555555555']) {
      new sso.CfnAssignment(shard, `Admins${account}`, {
        instanceArn,
        permissionSetArn: admin.attrPermissionSetArn,
        principalId: 'g-admins',
        principalType: 'GROUP',
        targetId: account,
        targetType: 'AWS_ACCOUNT',
      });
    }
    const map = AccessMap.fromStack(stack);

    expect(map.permissionSets).toEqual([expect.objectContaining({ name: 'Admin', sessionDuration: 'PT2H', stack: 'Workforce' })]);
    expect(map.assignments).toEqual(['444444444444', '555555555555'].map(account => ({
      stack: 'Workforce/Shard', principalType: 'GROUP', principal: 'group g-admins', permissionSet: 'Admin', account,
    })));
    expect(map.toMarkdown()).toContain('| group g-admins | Admin | 444444444444, 555555555555 |');
  });

  test('an assembly directory is read with its stages, and a missing one says what to do', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'access-map-'));
    try {
      const app = new App({ outdir });
      new iam.Role(new Stack(app, 'Top'), 'Role', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
      const stage = new Stage(app, 'Prod');
      new iam.Role(new Stack(stage, 'Inner'), 'Role', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
      app.synth();
      const map = AccessMap.fromAssembly(outdir, { prefix: 'app' });
      expect(map.roles.map(r => [r.stack, r.waysIn[0].who]).sort()).toEqual([
        ['app/Prod/Inner', 'AWS service ecs-tasks.amazonaws.com'],
        ['app/Top', 'AWS service ec2.amazonaws.com'],
      ]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
    expect(() => AccessMap.fromAssembly(join(tmpdir(), 'no-such-assembly'))).toThrow(/is not a cloud assembly \(no manifest.json\); run 'cdk synth' first/);
  });
});

test('a nested stack is found by its asset hash without metadata, and a missing one is reported', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'access-map-nested-'));
  try {
    const app = new App({ outdir });
    const parent = new Stack(app, 'Parent', { env: TEST_ENV });
    new iam.Role(new NestedStack(parent, 'Child'), 'Admin', {
      assumedBy: new iam.AccountPrincipal(CALLER_ACCOUNT),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess')],
    });
    const assembly = app.synth();
    expect(AccessMap.fromAssembly(outdir).roles.map(r => [r.stack, r.waysIn[0].who])).toEqual([['Parent/ChildNestedStackChildNestedStackResourceC40294CA', `account ${CALLER_ACCOUNT}`]]);
    for (const f of readdirSync(assembly.directory).filter(n => n.endsWith('.nested.template.json'))) rmSync(join(assembly.directory, f));
    const map = AccessMap.fromAssembly(outdir);
    expect(map.roles).toEqual([]);
    expect(map.warnings).toEqual(['nested stack Parent/ChildNestedStackChildNestedStackResourceC40294CA: its template is not in the assembly, so its roles are not listed']);
    expect(map.toMarkdown()).toContain('⚠ Not read: nested stack Parent/ChildNestedStackChildNestedStackResourceC40294CA');
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
});

describe('this library\'s constructs', () => {
  test('IRSA on an imported cluster issuer, and a cross-account role with its caller conditions', () => {
    const stack = new Stack(new App(), 'Library', { env: TEST_ENV });
    new IrsaRole(stack, 'Api', {
      clusters: [IrsaCluster.fromIssuerUrl('https://oidc.eks.us-east-1.amazonaws.com/id/ABCDEF0123456789ABCDEF0123456789')],
      serviceAccounts: [{ serviceAccountNamespace: 'payments', serviceAccountName: 'api' }],
    });
    new CrossAccountRole(stack, 'Deploy', {
      trustedAccounts: [CALLER_ACCOUNT],
      externalIds: ['deploy-1'],
      requireSourceIdentity: true,
      maxSessionDuration: Duration.hours(2),
      allowLongSessions: true,
    });
    const map = AccessMap.fromStack(stack);

    expect(whoOf(map, 'Api')).toEqual(['EKS service account payments/api on the cluster with OIDC issuer id ABCDEF0123456789ABCDEF0123456789 (us-east-1)']);
    expect(roleAt(map, 'Deploy')).toMatchObject({
      maxSessionDuration: 7200,
      waysIn: [expect.objectContaining({ who: `account ${CALLER_ACCOUNT} with ExternalId`, conditions: ['the caller must set a source identity'] })],
    });
  });
});

describe('Identity Center at scale', () => {
  test('assignments sharded into nested stacks read their permission sets and looked-up principals', () => {
    const stack = new Stack(new App(), 'Workforce', { env: TEST_ENV });
    const instance = IdentityCenterInstance.fromInstanceAttributes(stack, 'Instance', {
      instanceArn: 'arn:aws:sso:::instance/ssoins-6804a1b2c3d4e5f6', identityStoreId: 'd-93670a1b2c',
    });
    const admin = new PermissionSet(stack, 'Admin', { instance, managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess')] });
    const reader = new PermissionSet(stack, 'Reader', { instance, managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess')] });
    const accounts = ['444444444441', '444444444442', '444444444443'];
    new AccountAssignments(stack, 'Access', {
      instance,
      shardCount: 2,
      assignments: [
        { principal: IdentityCenterPrincipal.group('9067a1b2c3-4d5e6f70-8192-4a3b-9c8d-000000000001'), permissionSets: [admin], targets: [AssignmentTarget.accounts(accounts)] },
        { principal: IdentityCenterPrincipal.groupNamed('Auditors'), permissionSets: [reader], targets: [AssignmentTarget.accounts(accounts)] },
      ],
    });
    const map = AccessMap.fromStack(stack);

    expect(new Set(map.assignments.map(a => a.stack)).size).toBe(2);
    expect(map.assignments.map(a => `${a.principal} | ${a.permissionSet} | ${a.account}`).sort()).toEqual([
      ...accounts.map(a => `group "Auditors" (id looked up at deploy) | Reader | ${a}`),
      ...accounts.map(a => `group 9067a1b2c3-4d5e6f70-8192-4a3b-9c8d-000000000001 | Admin | ${a}`),
    ]);
    expect(map.toMarkdown()).toContain(`| group 9067a1b2c3-4d5e6f70-8192-4a3b-9c8d-000000000001 | Admin | ${accounts.join(', ')} |`);
    expect(map.permissionSets.map(p => [p.name, p.permissions.flags])).toEqual([
      ['Admin', ['AdministratorAccess: administrator-level AWS managed policy']],
      ['Reader', []],
    ]);
  });
});

describe('diff', () => {
  function gitHubApp(subject: GitHubSubject): AccessMap {
    const stack = new Stack(new App(), 'Delivery', { env: TEST_ENV });
    new GitHubActionsRole(stack, 'Deploy', { roleName: 'deploy', provider: new GitHubOidcProvider(stack, 'GitHub'), subjects: [subject] });
    return AccessMap.fromStack(stack);
  }

  test('loosening a subject shows exactly the widened trust', () => {
    const before = gitHubApp(GitHubSubject.branch('acme/api', 'main'));
    const after = gitHubApp(GitHubSubject.allRepositories('acme'));

    expect(AccessMap.diff(before, after)).toEqual([
      {
        changeType: AccessMapChangeType.ADDED,
        subject: 'role Delivery/Deploy (deploy)',
        text: 'way in: GitHub Actions: every repository of acme; allows sts:AssumeRoleWithWebIdentity',
        broad: 'the subject repo:acme/*: every repository of acme, including ones created later',
      },
      { changeType: AccessMapChangeType.REMOVED, subject: 'role Delivery/Deploy (deploy)', text: 'way in: GitHub Actions: acme/api, branch main; allows sts:AssumeRoleWithWebIdentity' },
    ]);
    expect(AccessMap.diffToMarkdown(AccessMap.diff(before, after))).toBe([
      '# Access changes',
      '',
      '## Added (1)',
      '',
      '- ⚠ **role Delivery/Deploy (deploy)**: way in: GitHub Actions: every repository of acme; allows sts:AssumeRoleWithWebIdentity — broad: the subject repo:acme/\\*: every repository of acme, including ones created later',
      '',
      '## Removed (1)',
      '',
      '- **role Delivery/Deploy (deploy)**: way in: GitHub Actions: acme/api, branch main; allows sts:AssumeRoleWithWebIdentity',
      '',
    ].join('\n'));
  });

  test('the same app twice has no changes', () => {
    const changes = AccessMap.diff(gitHubApp(GitHubSubject.branch('acme/api', 'main')), gitHubApp(GitHubSubject.branch('acme/api', 'main')));
    expect(changes).toEqual([]);
    expect(AccessMap.diffToMarkdown(changes)).toContain('No access added or removed.');
  });
});

describe('Mermaid diagram', () => {
  test('parses with Mermaid, with labels that need escaping', async () => {
    const stack = new Stack(new App(), 'Escapes', { env: TEST_ENV });
    new iam.Role(stack, 'Quoted', {
      roleName: 'quoted',
      assumedBy: new iam.AccountPrincipal(CALLER_ACCOUNT).withConditions({ StringLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/"a|b"<c>[d]' } }),
    });
    new iam.Role(stack, 'Broad', { assumedBy: new iam.AnyPrincipal() });
    const diagram = AccessMap.fromStack(stack).toMermaid();
    // The account's root ANDed with a role-name pattern of any account names one role of that account: only w1 is broad.
    expect(diagram).toContain('class w1 broad');
    expect(await parseMermaid([diagram, 'flowchart LR\n  a["unterminated --> b'])).toEqual([null, expect.stringMatching(/Parse error/)]);
  });
});
