/**
 * Cost of the AccessPatterns nag pack at synthesis.
 *
 * Builds an app of N roles (default 500) with a realistic mix of trusts, written with plain
 * aws-cdk-lib: GitHub Actions OIDC (StringLike subjects), IRSA through CfnJson conditions
 * (token issuer keys), cross-account roles with an external id, Pod Identity, Roles
 * Anywhere, SAML, Lambda service roles and EKS node roles. Every role passes the pack, as
 * in an app that runs it in CI. Then:
 * - synthesizes it with a no-op validation plugin and with the pack as the plugin (so both
 *   go through the same validation framework), and prints the added time and the ratio;
 * - times the pack alone: as a plugin (reading the synthesized templates) and through
 *   `validateScope` (resolving the construct tree, as tests do).
 * Each measure is the median of several rounds, each on a freshly built app, alternating
 * which variant goes first.
 * Run: TS_NODE_PROJECT=test/tsconfig.json node --expose-gc -r ts-node/register/transpile-only bench/nag.ts [roles]
 */
import { join } from 'path';
import { App, CfnJson, IPolicyValidationContext, IPolicyValidationPlugin, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AccessPatternsChecks } from '../src';

const ROLES = Number(process.argv[2] ?? 500);
const ROUNDS = 7;
const ROLES_PER_STACK = 100;
const ENV = { account: '222222222222', region: 'us-east-1' };

/** The kinds of trust, in the proportions a platform account typically holds. */
const KINDS = ['github', 'github', 'irsa', 'irsa', 'crossAccount', 'podIdentity', 'rolesAnywhere', 'saml', 'lambda', 'node'] as const;

function account(i: number): string {
  return String(100000000000 + i);
}

/** A validation plugin that checks nothing: the baseline goes through the same framework. */
const NOOP: IPolicyValidationPlugin = { name: 'Noop', validate: () => ({ success: true, violations: [] }) };

function build(withPack: boolean): App {
  const app = new App();
  Validations.of(app).addPlugins(withPack ? new AccessPatternsChecks(app) : NOOP);
  let stack: Stack | undefined;
  let github: iam.IOidcProvider | undefined;
  let eksIssuer: iam.OidcProviderNative | undefined;
  for (let i = 0; i < ROLES; i++) {
    if (i % ROLES_PER_STACK === 0) {
      stack = new Stack(app, `Bench${i / ROLES_PER_STACK}`, { env: ENV });
      github = new iam.OidcProviderNative(stack, 'GitHub', { url: 'https://token.actions.githubusercontent.com', clientIds: ['sts.amazonaws.com'] });
      eksIssuer = new iam.OidcProviderNative(stack, 'Eks', { url: 'https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE', clientIds: ['sts.amazonaws.com'] });
    }
    const s = stack!;
    const id = `Role${i}`;
    switch (KINDS[i % KINDS.length]) {
      case 'github':
        new iam.Role(s, id, {
          assumedBy: new iam.WebIdentityPrincipal(github!.oidcProviderArn, {
            StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
            StringLike: { 'token.actions.githubusercontent.com:sub': [`repo:acme/service-${i}:ref:refs/heads/main`, `repo:acme/service-${i}:environment:*`] },
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

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function gc(): void {
  (global as any).gc?.();
}

function time(fn: () => void): number {
  gc();
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const without: number[] = [];
const withPack: number[] = [];
const asPlugin: number[] = [];
const viaTree: number[] = [];
let findings = 0;
for (let round = 0; round < ROUNDS; round++) {
  const variants = round % 2 === 0 ? [false, true] : [true, false];
  for (const checked of variants) {
    const app = build(checked);
    let directory = '';
    (checked ? withPack : without).push(time(() => { directory = app.synth().directory; }));
    if (!checked) continue;
    const stacks = app.node.findAll().filter(Stack.isStack);
    const stackTemplates = stacks.map(s => ({
      stackConstructPath: s.node.path, templatePath: join(directory, s.templateFile), accountId: s.account, region: s.region,
    }));
    const context: IPolicyValidationContext = { templatePaths: stackTemplates.map(t => t.templatePath), stackTemplates, appConstruct: app };
    asPlugin.push(time(() => { findings = new AccessPatternsChecks().validate(context).violations.length; }));
    viaTree.push(time(() => { new AccessPatternsChecks().validateScope(app); }));
  }
}

const base = median(without);
const checkedMs = median(withPack);
console.log(`AccessPatterns nag pack over ${ROLES} roles (${Math.ceil(ROLES / ROLES_PER_STACK)} stacks), median of ${ROUNDS} rounds:`);
console.log(`  synth, no-op plugin            ${base.toFixed(0)} ms`);
console.log(`  synth, the pack as plugin      ${checkedMs.toFixed(0)} ms`);
console.log(`  added by the pack              ${(checkedMs - base).toFixed(0)} ms (ratio ${(checkedMs / base).toFixed(2)})`);
console.log(`  the pack alone, as a plugin    ${median(asPlugin).toFixed(0)} ms (reads the templates; ${findings} findings)`);
console.log(`  the pack alone, validateScope  ${median(viaTree).toFixed(0)} ms (resolves the construct tree)`);
