import { readFileSync, readdirSync } from 'fs';
import { dirname, join, relative, resolve } from 'path';
import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  CrossAccountRole, GitHubActionsRole, GitHubOidcProvider, GitHubSubject, GitLabCiRole, GitLabOidcProvider, GitLabSubject,
  IrsaCluster, IrsaRole, OidcFederatedRole, PodIdentityRole, ThirdPartyRole,
} from '../../src';
import { CALLER_ACCOUNT, TEST_ENV, TEST_ORG } from '../support/env';
import { accessPatternsFindings } from '../support/nag';
import { templateOf } from '../support/template';

const EKS_ISSUER = 'oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';

function newStack(): Stack {
  return new Stack(new App(), 'S', { env: TEST_ENV });
}

function findings(stack: Stack): string[] {
  templateOf(stack);
  return accessPatternsFindings(stack).map(f => f.rule).sort();
}

/**
 * The pack is independent of the constructs (the rules import nothing from the pattern
 * folders), and the constructs' secure defaults pass it. Each pattern's own tests also run
 * the pack; this suite keeps the two sides in step from the pack's side.
 */
describe('this library\'s constructs pass AccessPatternsChecks', () => {
  test('cross-account and third-party roles', () => {
    const stack = newStack();
    new CrossAccountRole(stack, 'Deploy', { trustedRoleArns: [`arn:aws:iam::${CALLER_ACCOUNT}:role/ci`], requireSourceIdentity: true });
    new CrossAccountRole(stack, 'Pipeline', { trustedAccounts: [CALLER_ACCOUNT], externalIds: ['pipeline-1'] });
    new CrossAccountRole(stack, 'Ci', { trustedAccounts: [CALLER_ACCOUNT], trustedPrincipalArnPatterns: [`arn:aws:iam::${CALLER_ACCOUNT}:role/ci-*`] });
    new CrossAccountRole(stack, 'Ops', { trustedOrganizationIds: [TEST_ORG], requireMfa: true });
    new ThirdPartyRole(stack, 'Vendor', { vendorAccountId: '464622532012', externalId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90' });
    expect(findings(stack)).toEqual([]);
  });

  test('GitHub Actions and GitLab CI roles', () => {
    const stack = newStack();
    const github = new GitHubOidcProvider(stack, 'GitHub');
    new GitHubActionsRole(stack, 'Deploy', { provider: github, subjects: [GitHubSubject.branch('acme/api', 'main'), GitHubSubject.tag('acme/api', 'v*')] });
    new GitHubActionsRole(stack, 'Preview', { provider: github, subjects: [GitHubSubject.pullRequest('acme/web'), GitHubSubject.anyRef('acme/docs')] });
    const gitlab = new GitLabOidcProvider(stack, 'GitLab');
    new GitLabCiRole(stack, 'Push', { provider: gitlab, subjects: [GitLabSubject.branch('acme/platform/api', 'main')] });
    expect(findings(stack)).toEqual([]);
  });

  test('the opt-ins to owner-wide trust are flagged at warning level, as their construct warnings say', () => {
    const stack = newStack();
    const github = new GitHubOidcProvider(stack, 'GitHub');
    new GitHubActionsRole(stack, 'Docs', { provider: github, subjects: [GitHubSubject.allRepositories('acme')] });
    const rules = findings(stack);
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatch(/^AccessPatterns-TrustWebIdentitySubjectOwnerWide\[Subject::repo:acme\/\*/);
  });

  test('generic OIDC, IRSA (concrete and token issuers) and Pod Identity roles', () => {
    const stack = newStack();
    new OidcFederatedRole(stack, 'Apply', {
      providerArn: 'arn:aws:iam::222222222222:oidc-provider/app.terraform.io',
      issuerUrl: 'https://app.terraform.io',
      audiences: ['aws.workload.identity'],
      subjects: ['organization:acme:project:network:workspace:prod:run_phase:apply'],
    });
    new IrsaRole(stack, 'Reader', {
      clusters: [IrsaCluster.fromIssuerUrl(`https://${EKS_ISSUER}`)],
      serviceAccounts: [{ serviceAccountNamespace: 'orders', serviceAccountName: 'reader' }],
    });
    const provider = new iam.OpenIdConnectProvider(stack, 'Issuer', { url: `https://${EKS_ISSUER}`, clientIds: ['sts.amazonaws.com'] });
    new IrsaRole(stack, 'Writer', {
      clusters: [IrsaCluster.fromOpenIdConnectProvider(provider)],
      serviceAccounts: [{ serviceAccountNamespace: 'orders', serviceAccountName: 'writer' }],
    });
    const role = new PodIdentityRole(stack, 'Pod', { serviceAccounts: [{ serviceAccountNamespace: 'orders', serviceAccountName: 'reader' }] });
    role.associate('PodAssociation', { clusterName: 'prod', serviceAccountNamespace: 'orders', serviceAccountName: 'reader' });
    expect(findings(stack)).toEqual([]);
  });

  test('a namespace only known at deploy time passes: in an exact (StringEquals) subject a token cannot widen the match', () => {
    const stack = newStack();
    const namespace = new CfnParameter(stack, 'Namespace').valueAsString;
    new IrsaRole(stack, 'Reader', {
      clusters: [IrsaCluster.fromIssuerUrl(`https://${EKS_ISSUER}`)],
      serviceAccounts: [{ serviceAccountNamespace: namespace, serviceAccountName: 'reader' }],
    });
    expect(findings(stack)).toEqual([]);
  });
});

test('the rules depend on no pattern folder: only on aws-cdk-lib, cdk-nag, constructs, node, src/nag and src/core', () => {
  // GIVEN every source file of src/nag
  const src = join(__dirname, '..', '..', 'src');
  const root = join(src, 'nag');
  const files = [...readdirSync(root).map(f => join(root, f)), ...readdirSync(join(root, 'rules')).map(f => join(root, 'rules', f))].filter(f => f.endsWith('.ts'));
  // WHEN their imports are resolved
  const imports = files.flatMap(f => [...readFileSync(f, 'utf8').matchAll(/from '([^']+)'/g)]
    .map(m => (m[1].startsWith('.') ? relative(src, resolve(dirname(f), m[1])) : m[1])));
  // THEN
  expect(imports.length).toBeGreaterThan(files.length);
  expect(imports.filter(i => !/^(aws-cdk-lib(\/.*)?|cdk-nag(\/lib\/nag-(pack|rules))?|constructs|fs|path|nag\/.+|core\/[a-z-]+)$/.test(i))).toEqual([]);
});
