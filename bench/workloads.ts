/**
 * What the benchmarks build: the same resources written three ways.
 *
 * - `ours`: this library's constructs;
 * - `hand`: what a good engineer writes with aws-cdk-lib alone (`iam.Role` with conditions,
 *   L1s where there is no L2), producing the same templates: the floor;
 * - `peer`: `aws-cdk-github-oidc`, the nearest peer, for the GitHub rows.
 *
 * Modules that differ between variants (this library, the peer) are loaded only by the
 * variant that uses them, through {@link loadVariant}, so that a child process measures
 * its import cost. aws-cdk-lib and aws-iam are loaded by every variant.
 */
import { readFileSync } from 'fs';
import type * as Peer from 'aws-cdk-github-oidc';
import { App, Aws, CfnJson, CfnResource, IPolicyValidationPlugin, NestedStack, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sso from 'aws-cdk-lib/aws-sso';
import type * as Lib from '../src';

/**
 * A variant of a workload: `ours`, `hand` or `peer` (`pack` / `noop` for the nag row,
 * `replay` for the platform row's L1 floor, `unchained` for the Identity Center row's
 * hand-written L1s without the `DependsOn` chains that deployment needs).
 */
export type VariantName = 'ours' | 'hand' | 'peer' | 'pack' | 'noop' | 'replay' | 'unchained';

const ENV = { account: '222222222222', region: 'us-east-1' };
/** CloudFormation allows 500 resources per stack; the GitHub rows keep one below. */
export const MAX_ROLES_PER_STACK = 499;

let lib: typeof Lib | undefined;
let peer: typeof Peer | undefined;

/** This library, loaded on first use (the compiled index, as users import it). */
function ours(): typeof Lib {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  lib ??= require('../src') as typeof Lib;
  return lib;
}

/** aws-cdk-github-oidc, loaded on first use. */
function thePeer(): typeof Peer {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  peer ??= require('aws-cdk-github-oidc') as typeof Peer;
  return peer;
}

/**
 * Loads what an app of this variant imports: aws-cdk-lib's core and aws-iam for all (their
 * exports are lazy, so they are touched to really load them), plus this library or the peer.
 */
export function loadVariant(variant: VariantName): void {
  void App;
  void iam.Role;
  if (variant === 'ours' || variant === 'pack' || variant === 'noop') void ours().TrustPolicy;
  if (variant === 'peer') void thePeer().GithubActionsRole;
}

function account(i: number): string {
  return String(100000000000 + i);
}

/** Splits `count` items into the fewest stacks of at most `perStack`, evenly. */
function stackIndex(i: number, count: number, perStack: number): number {
  const stacks = Math.ceil(count / perStack);
  return Math.floor((i * stacks) / count);
}

// ---------------------------------------------------------------------------------------
// GitHub Actions roles
// ---------------------------------------------------------------------------------------

/** The jobs of role `i`: one subject, so that the peer can express it too. */
function githubSubject(i: number): { kind: 'environment' | 'branch' | 'tag' | 'pullRequest'; repo: string; filter: string; sub: string } {
  const repo = `service-${i}`;
  switch (i % 4) {
    case 0: return { kind: 'environment', repo, filter: 'environment:production', sub: `repo:acme/${repo}:environment:production` };
    case 1: return { kind: 'branch', repo, filter: 'ref:refs/heads/main', sub: `repo:acme/${repo}:ref:refs/heads/main` };
    case 2: return { kind: 'tag', repo, filter: 'ref:refs/tags/v*', sub: `repo:acme/${repo}:ref:refs/tags/v*` };
    default: return { kind: 'pullRequest', repo, filter: 'pull_request', sub: `repo:acme/${repo}:pull_request` };
  }
}

const GITHUB_ISSUER = 'token.actions.githubusercontent.com';

/**
 * `roles` GitHub Actions roles, at most 499 per stack, each stack importing the account's
 * provider once (it lives in a baseline stack, one per account).
 */
export function github(variant: VariantName, roles: number, outdir: string): App {
  const app = new App({ outdir });
  const stacks: Stack[] = [];
  const providers: unknown[] = [];
  for (let i = 0; i < roles; i++) {
    const s = stackIndex(i, roles, MAX_ROLES_PER_STACK);
    if (!stacks[s]) {
      const stack = new Stack(app, `GitHubRoles${s}`, { env: ENV });
      stacks[s] = stack;
      if (variant === 'ours') {
        providers[s] = ours().GitHubOidcProvider.fromAccount(stack, 'GitHub');
      } else if (variant === 'peer') {
        providers[s] = thePeer().GithubActionsIdentityProvider.fromAccount(stack, 'GitHub');
      } else {
        providers[s] = `arn:${Aws.PARTITION}:iam::${stack.account}:oidc-provider/${GITHUB_ISSUER}`;
      }
    }
    const stack = stacks[s];
    const subject = githubSubject(i);
    const id = `Deploy${i}`;
    if (variant === 'ours') {
      const { GitHubActionsRole, GitHubSubject } = ours();
      const repo = `acme/${subject.repo}`;
      const subjects = {
        environment: () => GitHubSubject.environment(repo, 'production'),
        branch: () => GitHubSubject.branch(repo, 'main'),
        tag: () => GitHubSubject.tag(repo, 'v*'),
        pullRequest: () => GitHubSubject.pullRequest(repo),
      };
      new GitHubActionsRole(stack, id, { provider: providers[s] as Lib.IGitHubOidcProvider, subjects: [subjects[subject.kind]()] });
    } else if (variant === 'peer') {
      new (thePeer().GithubActionsRole)(stack, id, {
        provider: providers[s] as Peer.IGithubActionsIdentityProvider,
        owner: 'acme',
        repo: subject.repo,
        filter: subject.filter,
      });
    } else {
      // Exact subjects with StringEquals, wildcard ones with StringLike, as IAM advises.
      const subOperator = /[*?]/.test(subject.sub) ? 'StringLike' : 'StringEquals';
      const conditions: Record<string, Record<string, string>> = { StringEquals: { [`${GITHUB_ISSUER}:aud`]: 'sts.amazonaws.com' } };
      conditions[subOperator] = { ...conditions[subOperator], [`${GITHUB_ISSUER}:sub`]: subject.sub };
      new iam.Role(stack, id, { assumedBy: new iam.WebIdentityPrincipal(providers[s] as string, conditions) });
    }
  }
  return app;
}

// ---------------------------------------------------------------------------------------
// Cross-account and vendor roles
// ---------------------------------------------------------------------------------------

/** `pairs` cross-account roles and as many vendor roles, 100 pairs per stack. */
export function crossAccount(variant: VariantName, pairs: number, outdir: string): App {
  const app = new App({ outdir });
  for (let i = 0; i < pairs; i++) {
    const id = `Bench${Math.floor(i / 100)}`;
    const stack = (app.node.tryFindChild(id) as Stack | undefined) ?? new Stack(app, id, { env: ENV });
    if (variant === 'ours') {
      const { CrossAccountRole, ThirdPartyRole } = ours();
      new CrossAccountRole(stack, `Deploy${i}`, {
        trustedRoleArns: [`arn:aws:iam::${account(i)}:role/ci`],
        requireSourceIdentity: true,
        externalIds: [`pipeline-${i}`],
      });
      new ThirdPartyRole(stack, `Vendor${i}`, { vendorAccountId: account(i), externalId: `vendor-external-id-${i}` });
    } else {
      const deploy = new iam.Role(stack, `Deploy${i}`, { assumedBy: new iam.ArnPrincipal(`arn:aws:iam::${account(i)}:role/ci`) });
      (deploy.node.defaultChild as iam.CfnRole).assumeRolePolicyDocument = {
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${account(i)}:role/ci` },
          Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'],
          Condition: { StringEquals: { 'sts:ExternalId': `pipeline-${i}` }, Null: { 'sts:SourceIdentity': 'false' } },
        }],
      };
      new iam.Role(stack, `Vendor${i}`, { assumedBy: new iam.AccountPrincipal(account(i)), externalIds: [`vendor-external-id-${i}`] });
    }
  }
  return app;
}

// ---------------------------------------------------------------------------------------
// Identity Center
// ---------------------------------------------------------------------------------------

const PERMISSION_SETS = ['Administrator', 'Developer', 'ReadOnly', 'Billing', 'Auditor', 'Network', 'Security', 'Data', 'Support', 'Operator'];
const INSTANCE_ARN = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';

/**
 * Shape of the Identity Center row: `accounts` x 10 permission sets x 10 groups, in 50
 * nested stacks, at most 10 assignments created at once in each (the library's default
 * `maxConcurrentAssignments`).
 */
export const IDENTITY_CENTER = { groups: 10, permissionSets: 10, shards: 50, concurrency: 10 };

function groupId(i: number): string {
  return `11111111-2222-3333-4444-${String(i).padStart(12, '0')}`;
}

function accountIds(n: number): string[] {
  return Array.from({ length: n }, (_, i) => String(100000000000 + i));
}

/** The library's AccountAssignments of an app, to read its placement and shards. */
export function accountAssignmentsOf(app: App): Lib.AccountAssignments {
  return app.node.findAll().find(c => c instanceof ours().AccountAssignments) as Lib.AccountAssignments;
}

/**
 * `accounts` accounts x 10 permission sets x `groups` groups, sharded into 50 nested
 * stacks: with this library (hash placement) or with the L1s (round-robin placement).
 *
 * CloudFormation creates every assignment without a dependency at once, and
 * `AWS::SSO::Assignment` fails with throttling or conflicts from about 10 to 20 at once, so
 * the hand-written L1s chain them as the library does: in each stack every assignment
 * depends on the one created 10 before it, and each nested stack on the one before it.
 * `unchained` leaves the chains out (a template that synthesizes but fails to deploy at
 * this size): an informational floor.
 */
export function identityCenter(variant: VariantName, accounts: number, outdir: string, groups: number = IDENTITY_CENTER.groups): App {
  const app = new App({ outdir });
  const stack = new Stack(app, 'Workforce', { env: { account: '111111111111', region: 'eu-west-1' } });
  const names = PERMISSION_SETS.slice(0, IDENTITY_CENTER.permissionSets);
  const ids = accountIds(accounts);
  if (variant === 'ours') {
    const { AccountAssignments, AssignmentTarget, IdentityCenterInstance, IdentityCenterPrincipal, PermissionSet } = ours();
    const instance = IdentityCenterInstance.fromInstanceArn(stack, 'Sso', INSTANCE_ARN);
    const sets = names.map(name => new PermissionSet(stack, name, {
      instance,
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess')],
    }));
    // Four OUs of a quarter of the accounts each.
    const quarter = Math.ceil(accounts / 4);
    const ous = [0, 1, 2, 3].map(i => AssignmentTarget.organizationalUnit(`ou-ab12-bench000${i}`, ids.slice(i * quarter, (i + 1) * quarter)))
      .filter(t => t.accountIds.length > 0);
    new AccountAssignments(stack, 'Access', {
      instance,
      shardCount: IDENTITY_CENTER.shards,
      assignments: Array.from({ length: groups }, (_, g) => ({
        principal: IdentityCenterPrincipal.group(groupId(g)),
        permissionSets: sets,
        targets: ous,
      })),
    });
    return app;
  }
  const sets = names.map(name => new sso.CfnPermissionSet(stack, name, {
    instanceArn: INSTANCE_ARN,
    name,
    sessionDuration: 'PT1H',
    managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess').managedPolicyArn],
  }));
  const shards = Array.from({ length: IDENTITY_CENTER.shards }, (_, i) => new NestedStack(stack, `Shard${i}`));
  const chained = variant !== 'unchained';
  if (chained) {
    shards.forEach((shard, i) => {
      if (i > 0) shard.nestedStackResource!.addResourceDependency(shards[i - 1].nestedStackResource!);
    });
  }
  /** The assignments of each shard, in the order created. */
  const inShard: sso.CfnAssignment[][] = shards.map(() => []);
  let n = 0;
  for (let g = 0; g < groups; g++) {
    for (const [p, set] of sets.entries()) {
      for (const id of ids) {
        const shard = n++ % shards.length;
        const assignment = new sso.CfnAssignment(shards[shard], `G${g}P${p}A${id}`, {
          instanceArn: INSTANCE_ARN,
          permissionSetArn: set.attrPermissionSetArn,
          principalType: 'GROUP',
          principalId: groupId(g),
          targetType: 'AWS_ACCOUNT',
          targetId: id,
        });
        const before = inShard[shard];
        if (chained && before.length >= IDENTITY_CENTER.concurrency) {
          assignment.addResourceDependency(before[before.length - IDENTITY_CENTER.concurrency]);
        }
        before.push(assignment);
      }
    }
  }
  return app;
}

// ---------------------------------------------------------------------------------------
// The nag pack
// ---------------------------------------------------------------------------------------

/** The kinds of trust, in the proportions a platform account typically holds. */
const KINDS = ['github', 'github', 'irsa', 'irsa', 'crossAccount', 'podIdentity', 'rolesAnywhere', 'saml', 'lambda', 'node'] as const;
const NAG_ROLES_PER_STACK = 100;

/** A validation plugin that checks nothing: the baseline goes through the same framework. */
const NOOP: IPolicyValidationPlugin = { name: 'Noop', validate: () => ({ success: true, violations: [] }) };

/**
 * `roles` roles with a realistic mix of trusts, written with plain aws-cdk-lib (the pack
 * reads any CfnResource), 100 per stack; every role passes the pack. `pack` registers the
 * AccessPatterns pack as a validation plugin, `noop` a plugin that checks nothing.
 */
export function nag(variant: VariantName, roles: number, outdir: string): App {
  const app = new App({ outdir });
  Validations.of(app).addPlugins(variant === 'pack' ? new (ours().AccessPatternsChecks)(app) : NOOP);
  let stack: Stack | undefined;
  let githubProvider: iam.IOidcProvider | undefined;
  let eksIssuer: iam.OidcProviderNative | undefined;
  for (let i = 0; i < roles; i++) {
    if (i % NAG_ROLES_PER_STACK === 0) {
      stack = new Stack(app, `Bench${i / NAG_ROLES_PER_STACK}`, { env: ENV });
      githubProvider = new iam.OidcProviderNative(stack, 'GitHub', { url: `https://${GITHUB_ISSUER}`, clientIds: ['sts.amazonaws.com'] });
      eksIssuer = new iam.OidcProviderNative(stack, 'Eks', { url: 'https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE', clientIds: ['sts.amazonaws.com'] });
    }
    const s = stack!;
    const id = `Role${i}`;
    switch (KINDS[i % KINDS.length]) {
      case 'github':
        new iam.Role(s, id, {
          assumedBy: new iam.WebIdentityPrincipal(githubProvider!.oidcProviderArn, {
            StringEquals: { [`${GITHUB_ISSUER}:aud`]: 'sts.amazonaws.com' },
            StringLike: { [`${GITHUB_ISSUER}:sub`]: [`repo:acme/service-${i}:ref:refs/heads/main`, `repo:acme/service-${i}:environment:*`] },
          }),
        });
        break;
      case 'irsa': {
        const issuer = eksIssuer!.oidcProviderIssuer;
        const conditions = new CfnJson(s, `${id}Conditions`, {
          value: { [`${issuer}:aud`]: 'sts.amazonaws.com', [`${issuer}:sub`]: `system:serviceaccount:team-${i}:app` },
        });
        new iam.Role(s, id, { assumedBy: new iam.WebIdentityPrincipal(eksIssuer!.oidcProviderArn, { StringEquals: conditions }) });
        break;
      }
      case 'crossAccount':
        new iam.Role(s, id, { assumedBy: new iam.AccountPrincipal(account(i)), externalIds: [`external-id-${i}`] });
        break;
      case 'podIdentity':
        new iam.Role(s, id, {
          assumedBy: new iam.SessionTagsPrincipal(new iam.PrincipalWithConditions(new iam.ServicePrincipal('pods.eks.amazonaws.com'), {
            StringEquals: { 'aws:SourceAccount': ENV.account, 'aws:RequestTag/kubernetes-namespace': `team-${i}` },
          })),
        });
        break;
      case 'rolesAnywhere':
        new iam.Role(s, id, {
          assumedBy: new iam.PrincipalWithConditions(new iam.ServicePrincipal('rolesanywhere.amazonaws.com'), {
            ArnEquals: { 'aws:SourceArn': `arn:aws:rolesanywhere:us-east-1:${ENV.account}:trust-anchor/anchor-${i}` },
          }),
        });
        break;
      case 'saml':
        new iam.Role(s, id, {
          assumedBy: new iam.SamlConsolePrincipal(iam.SamlProvider.fromSamlProviderArn(s, `${id}Idp`, `arn:aws:iam::${ENV.account}:saml-provider/Okta`)),
        });
        break;
      case 'lambda':
        new iam.Role(s, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
        break;
      case 'node':
        new iam.Role(s, id, {
          assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
          managedPolicies: ['AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryReadOnly', 'AmazonEKS_CNI_Policy', 'AmazonSSMManagedInstanceCore']
            .map(n => iam.ManagedPolicy.fromAwsManagedPolicyName(n)),
        });
        break;
    }
  }
  return app;
}

// ---------------------------------------------------------------------------------------
// A platform app with every pattern
// ---------------------------------------------------------------------------------------

/**
 * A platform account baseline for `teams` teams, with every pattern of the library: per
 * team a cross-account deploy role, a vendor role, GitHub and GitLab CI roles, an HCP
 * Terraform role, an EKS Pod Identity and an IRSA role, a Roles Anywhere role, a SAML
 * role and a monitor of them all; once, a Cognito identity pool's roles; in a second
 * stack, Identity Center permission sets and the teams' assignments.
 */
export function platform(variant: VariantName, teams: number, outdir: string, replayFile?: string): App {
  if (variant === 'replay') return replay(readFileSync(replayFile!, 'utf8'), outdir);
  if (variant === 'hand') return platformByHand(teams, outdir);
  const L = ours();
  const app = new App({ outdir });
  const stack = new Stack(app, 'PlatformAccess', { env: ENV });
  const githubProvider = new L.GitHubOidcProvider(stack, 'GitHub');
  const gitlab = new L.GitLabOidcProvider(stack, 'GitLab');
  const anchor = new L.TrustAnchor(stack, 'DataCenter', {
    source: L.TrustAnchorSource.fromAcmPcaArn('arn:aws:acm-pca:us-east-1:222222222222:certificate-authority/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0'),
  });
  const okta = iam.SamlProvider.fromSamlProviderArn(stack, 'Okta', `arn:aws:iam::${ENV.account}:saml-provider/Okta`);
  const cluster = L.IrsaCluster.fromIssuerUrl('https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE',
    `arn:aws:iam::${ENV.account}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE`);
  const topicArn = `arn:aws:sns:us-east-1:${ENV.account}:security-alerts`;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sns = require('aws-cdk-lib/aws-sns') as typeof import('aws-cdk-lib/aws-sns');
  const topic = sns.Topic.fromTopicArn(stack, 'Alerts', topicArn);

  for (let t = 0; t < teams; t++) {
    const team = `team${t}`;
    const roles: iam.IRole[] = [
      new L.CrossAccountRole(stack, `${team}Deploy`, {
        trustedRoleArns: [`arn:aws:iam::111111111111:role/${team}-pipeline`],
        requireSourceIdentity: true,
      }),
      new L.ThirdPartyRole(stack, `${team}Datadog`, { vendorAccountId: '464622532012', externalId: `datadog-${team}-external-id` }),
      new L.GitHubActionsRole(stack, `${team}GitHub`, {
        provider: githubProvider,
        subjects: [L.GitHubSubject.environment(`acme/${team}`, 'production'), L.GitHubSubject.tag(`acme/${team}`, 'v*')],
      }),
      new L.GitLabCiRole(stack, `${team}GitLab`, { provider: gitlab, subjects: [L.GitLabSubject.branch(`acme/${team}/api`, 'main')] }),
      new L.OidcFederatedRole(stack, `${team}Terraform`, {
        providerArn: `arn:aws:iam::${ENV.account}:oidc-provider/app.terraform.io`,
        issuerUrl: 'https://app.terraform.io',
        audiences: ['aws.workload.identity'],
        subjects: [`organization:acme:project:${team}:workspace:production:run_phase:apply`],
      }),
      new L.PodIdentityRole(stack, `${team}Pods`, {
        clusterArns: [`arn:aws:eks:us-east-1:${ENV.account}:cluster/platform`],
        serviceAccounts: [{ serviceAccountNamespace: team, serviceAccountName: 'app' }],
      }),
      new L.IrsaRole(stack, `${team}Irsa`, {
        clusters: [cluster],
        serviceAccounts: [{ serviceAccountNamespace: team, serviceAccountName: 'worker' }],
      }),
      new L.RolesAnywhereRole(stack, `${team}Server`, {
        trustAnchors: [anchor],
        certificateConditions: [L.CertificateCondition.subjectCommonName(`${team}.dc1.acme.internal`)],
      }),
      new L.SamlFederatedRole(stack, `${team}Operators`, { provider: okta }),
    ];
    new L.AssumeRoleMonitor(stack, `${team}Monitor`, { roles, topic });
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { IdentityPool } = require('aws-cdk-lib/aws-cognito-identitypool') as typeof import('aws-cdk-lib/aws-cognito-identitypool');
  new L.IdentityPoolRoles(stack, 'AppUsers', { identityPool: IdentityPool.fromIdentityPoolId(stack, 'Identities', 'us-east-1:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0') });

  const workforce = new Stack(app, 'WorkforceAccess', { env: { account: '111111111111', region: 'us-east-1' } });
  const instance = L.IdentityCenterInstance.fromInstanceArn(workforce, 'Sso', INSTANCE_ARN);
  const sets = ['Administrator', 'Developer', 'ReadOnly'].map(name => new L.PermissionSet(workforce, name, {
    instance,
    managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName(name === 'Developer' ? 'PowerUserAccess' : 'ReadOnlyAccess')],
  }));
  new L.AccountAssignments(workforce, 'Access', {
    instance,
    assignments: Array.from({ length: teams }, (_, t) => ({
      principal: L.IdentityCenterPrincipal.group(groupId(t)),
      permissionSets: sets,
      targets: [L.AssignmentTarget.organizationalUnit(`ou-ab12-team${String(t).padStart(4, '0')}`, [account(2 * t), account(2 * t + 1)])],
    })),
  });
  return app;
}

/**
 * The platform app as an engineer would write it with aws-cdk-lib alone: L2s where
 * aws-cdk-lib has them (roles and their principals, OIDC providers, the EventBridge rule and
 * its SNS target), L1s where it has none (Roles Anywhere, Identity Center, the identity
 * pool's role attachment); the same trust policies, resources and construct ids as `ours`.
 */
function platformByHand(teams: number, outdir: string): App {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const events = require('aws-cdk-lib/aws-events') as typeof import('aws-cdk-lib/aws-events');
  const targets = require('aws-cdk-lib/aws-events-targets') as typeof import('aws-cdk-lib/aws-events-targets');
  const sns = require('aws-cdk-lib/aws-sns') as typeof import('aws-cdk-lib/aws-sns');
  const rolesanywhere = require('aws-cdk-lib/aws-rolesanywhere') as typeof import('aws-cdk-lib/aws-rolesanywhere');
  const cognito = require('aws-cdk-lib/aws-cognito') as typeof import('aws-cdk-lib/aws-cognito');
  const { Construct } = require('constructs') as typeof import('constructs');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const app = new App({ outdir });
  const stack = new Stack(app, 'PlatformAccess', { env: ENV });
  const githubProvider = new iam.OidcProviderNative(stack, 'GitHub', { url: 'https://token.actions.githubusercontent.com', clientIds: ['sts.amazonaws.com'] });
  const gitlab = new iam.OidcProviderNative(stack, 'GitLab', { url: 'https://gitlab.com', clientIds: ['https://gitlab.com'] });
  const anchor = new rolesanywhere.CfnTrustAnchor(new Construct(stack, 'DataCenter'), 'Resource', {
    name: 'PlatformAccessDataCenterAD489782',
    enabled: true,
    notificationSettings: ['CA_CERTIFICATE_EXPIRY', 'END_ENTITY_CERTIFICATE_EXPIRY'].map(event => ({ channel: 'ALL', enabled: true, event, threshold: 45 })),
    source: {
      sourceType: 'AWS_ACM_PCA',
      sourceData: { acmPcaArn: 'arn:aws:acm-pca:us-east-1:222222222222:certificate-authority/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0' },
    },
  });
  const okta = iam.SamlProvider.fromSamlProviderArn(stack, 'Okta', `arn:aws:iam::${ENV.account}:saml-provider/Okta`);
  const eksIssuer = 'oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
  const topic = sns.Topic.fromTopicArn(stack, 'Alerts', `arn:aws:sns:us-east-1:${ENV.account}:security-alerts`);
  // aws-cdk-lib has no principal that adds sts:SetSourceIdentity: a second statement does.
  const roleWithSourceIdentity = (id: string, principal: iam.IPrincipal): iam.Role => {
    const role = new iam.Role(stack, id, { assumedBy: principal });
    role.assumeRolePolicy!.addStatements(new iam.PolicyStatement({ principals: [principal], actions: ['sts:SetSourceIdentity'] }));
    return role;
  };
  const webIdentity = (provider: string, issuer: string, aud: string, sub: string, subOperator = 'StringEquals') => new iam.WebIdentityPrincipal(provider,
    subOperator === 'StringEquals'
      ? { StringEquals: { [`${issuer}:aud`]: aud, [`${issuer}:sub`]: sub } }
      : { StringEquals: { [`${issuer}:aud`]: aud }, [subOperator]: { [`${issuer}:sub`]: sub } });

  for (let t = 0; t < teams; t++) {
    const team = `team${t}`;
    const gitHubRole = new iam.Role(stack, `${team}GitHub`, {
      assumedBy: webIdentity(githubProvider.oidcProviderArn, 'token.actions.githubusercontent.com', 'sts.amazonaws.com', `repo:acme/${team}:environment:production`),
    });
    gitHubRole.assumeRolePolicy!.addStatements(new iam.PolicyStatement({
      principals: [webIdentity(githubProvider.oidcProviderArn, 'token.actions.githubusercontent.com', 'sts.amazonaws.com', `repo:acme/${team}:ref:refs/tags/v*`, 'StringLike')],
      actions: ['sts:AssumeRoleWithWebIdentity'],
    }));
    const roles: iam.IRole[] = [
      roleWithSourceIdentity(`${team}Deploy`,
        new iam.ArnPrincipal(`arn:aws:iam::111111111111:role/${team}-pipeline`).withConditions({ Null: { 'sts:SourceIdentity': 'false' } })),
      new iam.Role(stack, `${team}Datadog`, { assumedBy: new iam.AccountPrincipal('464622532012'), externalIds: [`datadog-${team}-external-id`] }),
      gitHubRole,
      new iam.Role(stack, `${team}GitLab`, {
        assumedBy: webIdentity(gitlab.oidcProviderArn, 'gitlab.com', 'https://gitlab.com', `project_path:acme/${team}/api:ref_type:branch:ref:main`),
      }),
      new iam.Role(stack, `${team}Terraform`, {
        assumedBy: webIdentity(`arn:aws:iam::${ENV.account}:oidc-provider/app.terraform.io`, 'app.terraform.io', 'aws.workload.identity',
          `organization:acme:project:${team}:workspace:production:run_phase:apply`),
      }),
      new iam.Role(stack, `${team}Pods`, {
        assumedBy: new iam.ServicePrincipal('pods.eks.amazonaws.com').withConditions({
          StringEquals: {
            'aws:SourceAccount': ENV.account,
            'aws:RequestTag/eks-cluster-arn': `arn:aws:eks:us-east-1:${ENV.account}:cluster/platform`,
            'aws:RequestTag/kubernetes-namespace': team,
            'aws:RequestTag/kubernetes-service-account': 'app',
          },
        }).withSessionTags(),
      }),
      new iam.Role(stack, `${team}Irsa`, {
        assumedBy: webIdentity(`arn:aws:iam::${ENV.account}:oidc-provider/${eksIssuer}`, eksIssuer, 'sts.amazonaws.com', `system:serviceaccount:${team}:worker`),
      }),
      roleWithSourceIdentity(`${team}Server`, new iam.ServicePrincipal('rolesanywhere.amazonaws.com').withConditions({
        ArnEquals: { 'aws:SourceArn': anchor.attrTrustAnchorArn },
        StringEquals: { 'aws:PrincipalTag/x509Subject/CN': `${team}.dc1.acme.internal` },
      }).withSessionTags()),
      new iam.Role(stack, `${team}Operators`, { assumedBy: new iam.SamlConsolePrincipal(okta) }),
    ];
    const rule = new events.Rule(new Construct(stack, `${team}Monitor`), 'Rule', {
      description: `Reports use of ${roles.length} role(s): STS AssumeRole*, Roles Anywhere CreateSession`,
      eventPattern: {
        source: ['aws.sts', 'aws.rolesanywhere'],
        detailType: ['AWS API Call via CloudTrail'],
        detail: {
          eventName: ['AssumeRole', 'AssumeRoleWithWebIdentity', 'AssumeRoleWithSAML', 'CreateSession'],
          $or: [
            { requestParameters: { roleArn: roles.map(r => r.roleArn) } },
            { resources: { ARN: roles.map(r => r.roleArn) } },
          ],
        },
      },
      targets: [new targets.SnsTopic(topic)],
    });
    (rule.node.defaultChild as CfnResource).addPropertyOverride('State', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
  }
  const poolId = 'us-east-1:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
  const appUsers = new Construct(stack, 'AppUsers');
  const authenticated = new iam.Role(appUsers, 'AuthenticatedRole', {
    assumedBy: new iam.WebIdentityPrincipal('cognito-identity.amazonaws.com', {
      'StringEquals': { 'cognito-identity.amazonaws.com:aud': poolId },
      'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' },
    }),
  });
  new cognito.CfnIdentityPoolRoleAttachment(appUsers, 'RoleAttachment', { identityPoolId: poolId, roles: { authenticated: authenticated.roleArn } });

  const workforce = new Stack(app, 'WorkforceAccess', { env: { account: '111111111111', region: 'us-east-1' } });
  const sets = ['Administrator', 'Developer', 'ReadOnly'].map(name => new sso.CfnPermissionSet(new Construct(workforce, name), 'PermissionSet', {
    instanceArn: INSTANCE_ARN,
    name,
    managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName(name === 'Developer' ? 'PowerUserAccess' : 'ReadOnlyAccess').managedPolicyArn],
    sessionDuration: 'PT1H',
  }));
  for (let t = 0; t < teams; t++) {
    for (const set of sets) {
      for (const target of [account(2 * t), account(2 * t + 1)]) {
        new sso.CfnAssignment(workforce, `Assignment-${t}-${set.name}-${target}`, {
          instanceArn: INSTANCE_ARN,
          permissionSetArn: set.attrPermissionSetArn,
          principalId: groupId(t),
          principalType: 'GROUP',
          targetId: target,
          targetType: 'AWS_ACCOUNT',
        });
      }
    }
  }
  return app;
}

/**
 * The L1 floor of an app: one `CfnResource` per resource of the templates given (as the
 * platform app synthesized them with this library), in stacks of the same names.
 */
function replay(templatesJson: string, outdir: string): App {
  const app = new App({ outdir });
  const templates = JSON.parse(templatesJson) as Record<string, { env: { account: string; region: string }; template: any }>;
  for (const [name, { env, template }] of Object.entries(templates)) {
    const stack = new Stack(app, name, { env });
    for (const [logicalId, r] of Object.entries<any>(template.Resources ?? {})) {
      if (r.Type === 'AWS::CDK::Metadata') continue;
      const resource = new CfnResource(stack, logicalId, { type: r.Type, properties: r.Properties });
      if (r.UpdateReplacePolicy) resource.addOverride('UpdateReplacePolicy', r.UpdateReplacePolicy);
      if (r.DeletionPolicy) resource.addOverride('DeletionPolicy', r.DeletionPolicy);
      if (r.DependsOn) resource.addOverride('DependsOn', r.DependsOn);
    }
  }
  return app;
}
