import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sso from 'aws-cdk-lib/aws-sso';
import { TOOLING_ACCOUNT, buildChainApp, ChainAppOptions } from './fixtures/chain-app';
import { AccessMap, AccessMapChangeType, AccessMapRole, GitHubSubject, PodIdentityAssociation, PodIdentityRole } from '../../src';
import { main } from '../../src/access-map/cli';
import { CALLER_ACCOUNT, TEST_ACCOUNT, TEST_ENV } from '../support/env';
import { parseMermaid } from '../support/mermaid';

let work: string;
beforeAll(() => { work = mkdtempSync(join(tmpdir(), 'access-map-role-chains-')); });
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Synthesizes the chain fixture into a directory of its own, as `cdk synth` would. */
function chainAssembly(name: string, options: ChainAppOptions = {}): string {
  const outdir = join(work, name);
  const app = new App({ outdir, context: { 'aws:cdk:enable-path-metadata': true } });
  buildChainApp(app, options);
  app.synth();
  return outdir;
}

function roleAt(map: AccessMap, stack: string, path: string): AccessMapRole {
  const role = map.roles.find(r => r.stack === stack && r.path === path);
  if (!role) throw new Error(`no role ${stack} ${path}`);
  return role;
}

const GITHUB = 'GitHub Actions: acme/platform, environment production';

describe('chains of roles across the stacks of one assembly', () => {
  test('the golden file: GitHub → deploy role → production role, in the tables and the diagram', async () => {
    const map = AccessMap.fromAssembly(chainAssembly('golden'));
    const markdown = map.toMarkdown();
    const golden = join(__dirname, 'golden', 'chains.md');
    // To accept a deliberate change: UPDATE_GOLDEN=1 npx jest test/access-map/role-chains.test.ts
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden, markdown);
    expect(markdown).toBe(readFileSync(golden, 'utf8'));
    expect(markdown).toContain(`through a chain: ${GITHUB} → Tooling/GitHubDeploy → Tooling/DeployRole (sessions of 1 hour: role chaining)`);
    expect(await parseMermaid([map.toMermaid()])).toEqual([null]);
  });

  test('every way in through a chain is listed with the chain, and hops name the role they come from', () => {
    const map = AccessMap.fromAssembly(chainAssembly('model'));
    const production = roleAt(map, 'Production', 'ProductionRole');
    expect(production.chains).toEqual([
      { who: GITHUB, via: ['Tooling/GitHubDeploy', 'Tooling/DeployRole'], sessionLimit: '1 hour', unresolved: false },
    ]);
    expect(production.waysIn.map(w => [w.who, w.hopFrom])).toEqual([[`role platform-deploy in account ${TOOLING_ACCOUNT}`, 'Tooling/DeployRole']]);
    expect(roleAt(map, 'Tooling', 'DeployRole').chains).toEqual([{ who: GITHUB, via: ['Tooling/GitHubDeploy'], sessionLimit: '1 hour', unresolved: false }]);
    expect(roleAt(map, 'Tooling', 'GitHubDeploy').chains).toBeUndefined();
    // The diagram connects the GitHub way in to the production role through the hops.
    const index = (stack: string, path: string) => map.roles.indexOf(roleAt(map, stack, path));
    const diagram = map.toMermaid();
    expect(diagram).toMatch(new RegExp(`w\\d+ --> r${index('Tooling', 'GitHubDeploy')}`));
    expect(diagram).toContain(`r${index('Tooling', 'GitHubDeploy')} -.-> r${index('Tooling', 'DeployRole')}`);
    expect(diagram).toContain(`r${index('Tooling', 'DeployRole')} -.-> r${index('Production', 'ProductionRole')}`);
  });

  test('--diff reports a new chain as added access', () => {
    const before = chainAssembly('before', { productionHop: false });
    const after = chainAssembly('after');
    const changes = AccessMap.diff(AccessMap.fromAssembly(before), AccessMap.fromAssembly(after));
    expect(changes).toContainEqual({
      changeType: AccessMapChangeType.ADDED,
      subject: 'role Production/ProductionRole (production-admin)',
      text: `way in through a chain: ${GITHUB} → Tooling/GitHubDeploy → Tooling/DeployRole`,
    });
    let output = '';
    expect(main(['map', '--diff', before, after, '--format', 'json'], t => { output += t; })).toBe(0);
    expect(JSON.parse(output).changes.map((c: any) => `${c.changeType}: ${c.text}`))
      .toContain(`added: way in through a chain: ${GITHUB} → Tooling/GitHubDeploy → Tooling/DeployRole`);
  });

  test('a chain from a broad way in to administrator-level permissions is flagged, and counted in the header', () => {
    const map = AccessMap.fromAssembly(chainAssembly('broad', { subject: GitHubSubject.allRepositories('acme') }));
    const [chain] = roleAt(map, 'Production', 'ProductionRole').chains!;
    expect(chain.broad).toMatch(/every repository of acme/);
    expect(chain.risk).toBe('a broad way in (GitHub Actions: every repository of acme) reaches administrator-level permissions '
      + '(AdministratorAccess: administrator-level AWS managed policy) through Tooling/GitHubDeploy → Tooling/DeployRole');
    const markdown = map.toMarkdown();
    expect(markdown).toContain('- Broad ways in (⚠ in "Who can assume it"): 1');
    expect(markdown).toContain('- Risky permissions (⚠ in "Permissions"): 1 flag(s) on 1 role(s) and permission set(s), 1 of them administrator-level');
    expect(markdown).toContain('- Ways in through a chain of roles: 2, 2 of them from a broad way in, 1 reaching administrator-level permissions from a broad way in');
    expect(markdown).toContain('⚠ through a chain: GitHub Actions: every repository of acme → Tooling/GitHubDeploy → Tooling/DeployRole (sessions of 1 hour: role chaining) — risk: a broad way in');
  });

  test('a permission to assume a role whose trust does not let the caller in is no chain', () => {
    const stack = new Stack(new App(), 'Hops', { env: TEST_ENV });
    const jump = new iam.Role(stack, 'Jump', { assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com') });
    const target = new iam.Role(stack, 'Target', { roleName: 'target', assumedBy: new iam.AccountPrincipal(CALLER_ACCOUNT) });
    jump.addToPolicy(new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: [target.roleArn] }));
    const trusted = new iam.Role(stack, 'Trusted', { roleName: 'trusted', assumedBy: new iam.ArnPrincipal(jump.roleArn) });
    jump.addToPolicy(new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: [trusted.roleArn] }));
    const map = AccessMap.fromStack(stack);
    expect(roleAt(map, 'Hops', 'Target').chains).toBeUndefined();
    expect(roleAt(map, 'Hops', 'Trusted').chains).toEqual([{ who: 'AWS service codebuild.amazonaws.com', via: ['Hops/Jump'], sessionLimit: '1 hour', unresolved: false }]);
  });
});

describe('EKS Pod Identity target roles', () => {
  test('the association\'s role reaches its target role: the trust wants the association\'s ExternalId, which EKS passes', () => {
    const stack = new Stack(new App(), 'Pods', { env: TEST_ENV });
    const role = new PodIdentityRole(stack, 'Orders', { serviceAccounts: [{ serviceAccountNamespace: 'orders', serviceAccountName: 'reader' }] });
    const target = new iam.Role(stack, 'Reader', { roleName: 'orders-reader', assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    new PodIdentityAssociation(stack, 'Assoc', { clusterName: 'prod', serviceAccountNamespace: 'orders', serviceAccountName: 'reader', role, targetRole: target });
    const map = AccessMap.fromStack(stack);
    expect(roleAt(map, 'Pods', 'Reader').chains).toEqual([
      expect.objectContaining({ who: expect.stringMatching(/^EKS Pod Identity: service account orders\/reader/), via: ['Pods/Orders'] }),
    ]);
  });
});

describe('IAM Identity Center permission sets as roles in each assigned account', () => {
  function identityCenter(): AccessMap {
    const app = new App({ outdir: join(work, 'identity-center'), context: { 'aws:cdk:enable-path-metadata': true } });
    const instanceArn = 'arn:aws:sso:::instance/ssoins-1111222233334444';
    const org = new Stack(app, 'IdentityCenter', { env: { account: '999999999999', region: 'eu-west-1' } });
    const ops = new sso.CfnPermissionSet(org, 'Ops', {
      instanceArn,
      name: 'Ops',
      sessionDuration: 'PT8H',
      inlinePolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${TEST_ACCOUNT}:role/break-glass` }] },
    });
    new sso.CfnAssignment(org, 'OpsInTooling', {
      instanceArn, permissionSetArn: ops.attrPermissionSetArn, principalId: '9067d4a5c2-1111', principalType: 'GROUP', targetId: CALLER_ACCOUNT, targetType: 'AWS_ACCOUNT',
    });
    const workload = new Stack(app, 'Workload', { env: TEST_ENV });
    new iam.Role(workload, 'BreakGlass', {
      roleName: 'break-glass',
      assumedBy: new iam.AccountPrincipal(CALLER_ACCOUNT).withConditions({
        ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${CALLER_ACCOUNT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Ops_*` },
      }),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess')],
    });
    app.synth();
    const outdir = app.outdir;
    return AccessMap.fromAssembly(outdir);
  }

  test('a permission set that may assume a role reaches it from the principals assigned, through its role in the account', async () => {
    const map = identityCenter();
    expect(roleAt(map, 'Workload', 'BreakGlass').chains).toEqual([{
      who: 'IAM Identity Center group 9067d4a5c2-1111', via: [`permission set Ops in account ${CALLER_ACCOUNT}`], sessionLimit: '1 hour', unresolved: false,
    }]);
    const markdown = map.toMarkdown();
    // Session lengths in one unit style: the permission set's PT8H reads 8 hours, as role sessions do.
    expect(markdown).toContain(`| Ops | AWSReservedSSO\\_Ops\\_… in ${CALLER_ACCOUNT} | 8 hours |`);
    expect(markdown).not.toContain('PT8H');
    expect(AccessMap.diff(AccessMap.fromStack(new Stack(new App(), 'Empty')), map)).toContainEqual(expect.objectContaining({ text: 'session: up to 8 hours' }));
    expect(markdown).toContain(`through a chain: IAM Identity Center group 9067d4a5c2-1111 → permission set Ops in account ${CALLER_ACCOUNT}`);
    const diagram = map.toMermaid();
    expect(diagram).toMatch(/ps0 -\.-> r0/);
    expect(await parseMermaid([diagram])).toEqual([null]);
  });
});

describe('EKS access entries', () => {
  test('who can administer which cluster; a broad way into a cluster administrator is flagged', async () => {
    const stack = new Stack(new App(), 'Clusters', { env: TEST_ENV });
    const admin = new iam.Role(stack, 'ClusterAdmin', { assumedBy: new iam.AccountPrincipal(CALLER_ACCOUNT) });
    const viewer = new iam.Role(stack, 'Viewer', { assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com') });
    new eks.CfnAccessEntry(stack, 'AdminEntry', {
      clusterName: 'prod',
      principalArn: admin.roleArn,
      accessPolicies: [{ policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy', accessScope: { type: 'cluster' } }],
    });
    new eks.CfnAccessEntry(stack, 'ViewerEntry', {
      clusterName: 'prod',
      principalArn: viewer.roleArn,
      kubernetesGroups: ['viewers'],
      username: 'ci-viewer',
      accessPolicies: [{ policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy', accessScope: { type: 'namespace', namespaces: ['shop'] } }],
    });
    new eks.CfnAccessEntry(stack, 'SsoEntry', {
      clusterName: 'prod',
      principalArn: `arn:aws:iam::${TEST_ACCOUNT}:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Developer_0123456789abcdef`,
      accessPolicies: [{ policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy', accessScope: { type: 'namespace', namespaces: ['shop', 'cart'] } }],
    });
    const map = AccessMap.fromStack(stack);

    expect(map.clusterAccess).toEqual([
      expect.objectContaining({
        stack: 'Clusters',
        cluster: 'prod',
        who: 'role ClusterAdmin of stack Clusters',
        roleStack: 'Clusters',
        rolePath: 'ClusterAdmin',
        accessPolicies: ['AmazonEKSClusterAdminPolicy (cluster)'],
        kubernetesGroups: [],
        admin: 'AmazonEKSClusterAdminPolicy on the whole cluster',
      }),
      expect.objectContaining({ who: 'role Viewer of stack Clusters', accessPolicies: ['AmazonEKSViewPolicy (namespaces shop)'], kubernetesGroups: ['viewers'], username: 'ci-viewer' }),
      expect.objectContaining({ who: `the role of permission set Developer in account ${TEST_ACCOUNT}`, accessPolicies: ['AmazonEKSEditPolicy (namespaces shop, cart)'] }),
    ]);
    const markdown = map.toMarkdown();
    expect(markdown).toContain('## EKS access entries');
    expect(markdown).toContain(`⚠ a broad way in (account ${CALLER_ACCOUNT}) administers the cluster`);
    expect(map.toMermaid()).toMatch(/r0 -->\|"administers"\| c0/);
    expect(await parseMermaid([map.toMermaid()])).toEqual([null]);
    expect(AccessMap.diff(AccessMap.fromStack(new Stack(new App(), 'Clusters', { env: TEST_ENV })), map)).toContainEqual(expect.objectContaining({
      changeType: AccessMapChangeType.ADDED,
      subject: 'EKS cluster prod (Clusters)',
      text: 'access entry: role ClusterAdmin of stack Clusters → AmazonEKSClusterAdminPolicy (cluster) (administers the cluster)',
    }));
  });
});
