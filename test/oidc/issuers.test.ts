import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { OidcFederatedRole } from '../../src';
import { TEST_ACCOUNT, TEST_ENV } from '../support/env';
import { simulate, webIdentity } from '../support/simulate';
import { templateOf } from '../support/template';

const TFC = 'app.terraform.io';
const GITHUB = 'token.actions.githubusercontent.com';
const GITHUB_ENTERPRISE = 'token.actions.githubusercontent.com/acme-enterprise';
const GITLAB = 'gitlab.com';
const BUILDKITE = 'agent.buildkite.com';
const CIRCLECI = 'oidc.circleci.com/org/0000';
const BITBUCKET = 'api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc';
const REPO_UUID = '{8d3f8a6e-0f4c-4c2e-9a51-0b7a1f3e2d11}';
const ENV_UUID = '{b2a7c1d0-5e6f-4a3b-8c9d-0e1f2a3b4c5d}';

function newStack(): Stack {
  return new Stack(new App(), 'Ci', { env: TEST_ENV });
}

function providerArnOf(issuer: string): string {
  return `arn:aws:iam::${TEST_ACCOUNT}:oidc-provider/${issuer}`;
}

function roleFor(stack: Stack, issuer: string, subjects: string[], allowOwnerWideSubjects?: boolean): OidcFederatedRole {
  return new OidcFederatedRole(stack, 'Role', {
    providerArn: providerArnOf(issuer),
    issuerUrl: `https://${issuer}`,
    audiences: ['sts.amazonaws.com'],
    subjects,
    allowOwnerWideSubjects,
  });
}

/** The same trust written by hand, without this library's subject checks. */
function handWrittenRole(stack: Stack, issuer: string, subjectPattern: string): iam.Role {
  return new iam.Role(stack, 'HandWritten', {
    assumedBy: new iam.WebIdentityPrincipal(providerArnOf(issuer), {
      StringEquals: { [`${issuer}:aud`]: 'sts.amazonaws.com' },
      StringLike: { [`${issuer}:sub`]: subjectPattern },
    }),
  });
}

function token(issuer: string, sub: string) {
  return webIdentity(providerArnOf(issuer), { [`${issuer}:aud`]: 'sts.amazonaws.com', [`${issuer}:sub`]: sub });
}

describe('OidcFederatedRole subjects of known issuers', () => {
  describe('narrow subjects are accepted without an opt-in or a warning', () => {
    test.each([
      [TFC, 'organization:acme:project:platform:workspace:network:run_phase:apply'],
      [GITHUB, 'repo:acme/api:ref:refs/heads/main'],
      [GITHUB, 'repo:acme/api:*'],
      [GITHUB, 'repo:acme@1234/api@5678:environment:production'],
      [GITHUB_ENTERPRISE, 'repo:acme/api:ref:refs/heads/release/*'],
      [GITLAB, 'project_path:acme/api:ref_type:branch:ref:main'],
      [GITLAB, 'project_path:acme/team/api:*'],
      [BUILDKITE, 'organization:acme:pipeline:deploy:ref:refs/heads/main:*'],
      [BUILDKITE, 'organization:acme:pipeline:deploy:ref:refs/heads/main:commit:*:step:deploy'],
      [CIRCLECI, 'org/0000/project/1111/user/2222'],
      [CIRCLECI, 'org/0000/project/1111/user/*'],
      [BITBUCKET, `${REPO_UUID}:{c3d4e5f6-0000-4000-8000-000000000001}`],
      [BITBUCKET, `${REPO_UUID}${ENV_UUID}:*`],
      // one workspace: plan and apply of it
      [TFC, 'organization:acme:project:platform:workspace:network:run_phase:*'],
      // never issued by HCP Terraform, so it matches nothing: narrow
      [TFC, 'organization:acme'],
    ])('%s: %s', (issuer, subject) => {
      const stack = newStack();
      roleFor(stack, issuer, [subject]);
      Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('allowOwnerWideSubjects'));
    });
  });

  describe('subjects that leave the tenant open are refused, even with allowOwnerWideSubjects', () => {
    test.each([
      [TFC, 'organization:*:project:platform:workspace:network:run_phase:apply',
        /prop 'subjects': the subject 'organization:\*:project:platform:.*' does not pin the tenant: a wildcard in the organization matches other organizations' workloads; name the organization exactly\./],
      [TFC, 'organization:acme*:project:platform:workspace:network:run_phase:apply', /the subject 'organization:acme\*:.*' does not pin the tenant/],
      [TFC, 'organization:a?me:project:platform:workspace:network:run_phase:apply', /does not pin the tenant/],
      [TFC, 'project:platform:workspace:network:run_phase:apply', /the subject 'project:platform:.*' does not pin the tenant/],
      [GITHUB, 'repo:acme*', /the subject 'repo:acme\*' does not pin the tenant/],
      [GITHUB, 'repo:*/api:ref:refs/heads/main', /does not pin the tenant/],
      [GITHUB_ENTERPRISE, 'repo:?cme/api:*', /does not pin the tenant/],
      [GITLAB, 'project_path:acme*:ref_type:branch:ref:main', /does not pin the tenant/],
      [GITLAB, 'project_path:*/api:*', /does not pin the tenant/],
      [BUILDKITE, 'organization:*:pipeline:deploy:*', /does not pin the tenant/],
      [BUILDKITE, 'pipeline:deploy:*', /does not pin the tenant/],
    ])('%s: %s', (issuer, subject, message) => {
      expect(() => roleFor(newStack(), issuer, [subject], true)).toThrow(message);
    });

    test('a bare wildcard or a leading wildcard is refused for every issuer, known or not', () => {
      for (const issuer of [TFC, GITHUB, CIRCLECI, BITBUCKET, 'tfe.acme.example']) {
        expect(() => roleFor(newStack(), issuer, ['*'], true)).toThrow(/prop 'subjects': the subject '\*' matches every workload of the issuer/);
        expect(() => roleFor(newStack(), issuer, ['?rg/0000/*'], true)).toThrow(/prop 'subjects': the subject '\?rg\/0000\/\*' matches every workload of the issuer/);
      }
    });
  });

  describe('owner-wide subjects need allowOwnerWideSubjects', () => {
    const cases: Array<[string, string, RegExp]> = [
      [TFC, 'organization:acme:project:platform:workspace:*',
        /^Invalid OidcFederatedRole 'Ci\/Role' prop 'subjects': the subject 'organization:acme:project:platform:workspace:\*' matches every matching workload of organization acme; name the project and workspace exactly; or set allowOwnerWideSubjects: true to opt in\.$/],
      [TFC, 'organization:acme:*', /prop 'subjects': the subject '.*' matches .*; or set allowOwnerWideSubjects: true to opt in\./],
      [GITHUB, 'repo:acme/*', /prop 'subjects': the subject '.*' matches .*; or set allowOwnerWideSubjects: true to opt in\./],
      [GITHUB, 'repository_owner:acme', /prop 'subjects': the subject 'repository_owner:acme' matches every repository of acme, including repositories created later; start the subject with repo:OWNER\/REPO; or set allowOwnerWideSubjects: true to opt in\./],
      [GITHUB, 'repo:acme/api*', /prop 'subjects': the subject '.*' matches .*; or set allowOwnerWideSubjects: true to opt in\./],
      [GITHUB_ENTERPRISE, 'repo:acme@1234/*', /prop 'subjects': the subject '.*' matches .*; or set allowOwnerWideSubjects: true to opt in\./],
      [GITLAB, 'project_path:acme/*', /prop 'subjects': the subject '.*' matches .*; or set allowOwnerWideSubjects: true to opt in\./],
      [GITLAB, 'project_path:acme/team/*:ref_type:branch:ref:main', /prop 'subjects': the subject '.*' matches .*; or set allowOwnerWideSubjects: true to opt in\./],
      [BUILDKITE, 'organization:acme:pipeline:*', /prop 'subjects': the subject '.*' matches .*; or set allowOwnerWideSubjects: true to opt in\./],
      [BUILDKITE, 'organization:acme:*', /prop 'subjects': the subject '.*' matches .*; or set allowOwnerWideSubjects: true to opt in\./],
      [BUILDKITE, 'organization:acme:pipeline:deploy*', /prop 'subjects': the subject '.*' matches .*; or set allowOwnerWideSubjects: true to opt in\./],
      [CIRCLECI, 'org/0000/project/*', /prop 'subjects': the subject '.*' matches .*; or set allowOwnerWideSubjects: true to opt in\./],
      [CIRCLECI, 'org/0000/*', /prop 'subjects': the subject '.*' matches .*; or set allowOwnerWideSubjects: true to opt in\./],
      [BITBUCKET, '{8d3f8a6e-*', /prop 'subjects': the subject '.*' matches .*; or set allowOwnerWideSubjects: true to opt in\./],
      [BITBUCKET, `{*}${ENV_UUID}:*`, /prop 'subjects': the subject '.*' matches .*; or set allowOwnerWideSubjects: true to opt in\./],
    ];
    test.each(cases)('refused without the opt-in: %s %s', (issuer, subject, message) => {
      expect(() => roleFor(newStack(), issuer, [subject])).toThrow(message);
    });
    test.each(cases)('accepted with the opt-in, with a warning: %s %s', (issuer, subject) => {
      const stack = newStack();
      roleFor(stack, issuer, [subject], true);
      Annotations.fromStack(stack).hasWarning('/Ci/Role', Match.stringLikeRegexp('matches .* \\(allowOwnerWideSubjects\\).*\\[ack: cdk-access-patterns:ownerWideSubject\\]'));
    });
  });

  test('other hosts keep the generic rule: a Terraform Enterprise host or a self-managed GitLab is not app.terraform.io or gitlab.com', () => {
    const stack = newStack();
    new OidcFederatedRole(stack, 'Tfe', {
      providerArn: providerArnOf('tfe.acme.example'), issuerUrl: 'https://tfe.acme.example', audiences: ['aws.workload.identity'], subjects: ['organization:acme:workspace:*'],
    });
    new OidcFederatedRole(stack, 'GitLab', {
      providerArn: providerArnOf('gitlab.acme.example'), issuerUrl: 'https://gitlab.acme.example', audiences: ['https://gitlab.acme.example'], subjects: ['project_path:acme/api:*'],
    });
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
    // a self-managed GitLab's subjects are GitLab's: the trust scope reads project_path:acme/* as every project of the group
    expect(() => templateOf(new OidcFederatedRole(newStack(), 'Group', {
      providerArn: providerArnOf('gitlab.acme.example'), issuerUrl: 'https://gitlab.acme.example', audiences: ['https://gitlab.acme.example'], subjects: ['project_path:acme/*'],
    }).stack)).toThrow(/prop 'subjects': the subject 'project_path:acme\/\*' matches every project of acme/);
    expect(() => new OidcFederatedRole(newStack(), 'Tfe', {
      providerArn: providerArnOf('app.terraform.io.evil.example'), issuerUrl: 'https://app.terraform.io.evil.example', audiences: ['x'], subjects: ['*:acme'],
    })).toThrow(/the subject '\*:acme' matches every workload of the issuer/);
  });

  test('a provider created in the app is recognised by its URL', () => {
    const stack = newStack();
    const provider = new iam.OidcProviderNative(stack, 'Terraform', { url: 'https://app.terraform.io', clientIds: ['aws.workload.identity'] });
    expect(() => new OidcFederatedRole(stack, 'Role', { provider, audiences: ['aws.workload.identity'], subjects: ['organization:*:workspace:network'] }))
      .toThrow(/does not pin the tenant/);
    const buildkite = new iam.OidcProviderNative(stack, 'Buildkite', { url: 'https://agent.buildkite.com', clientIds: ['sts.amazonaws.com'] });
    expect(() => new OidcFederatedRole(stack, 'Deploy', { provider: buildkite, audiences: ['sts.amazonaws.com'], subjects: ['organization:acme:*'] }))
      .toThrow(/the subject 'organization:acme:\*' matches every matching workload of organization acme/);
  });

  test('addSubjects applies the same rules, and warns for owner-wide subjects accepted with the opt-in', () => {
    const stack = newStack();
    const strict = roleFor(stack, GITHUB, ['repo:acme/api:ref:refs/heads/main']);
    expect(() => strict.addSubjects('repo:acme/*')).toThrow(/Invalid OidcFederatedRole 'Ci\/Role' prop 'subjects': the subject 'repo:acme\/\*' matches every repository/);
    expect(() => strict.addSubjects('repo:*')).toThrow(/does not pin the tenant/);
    const other = newStack();
    const broad = roleFor(other, GITHUB, ['repo:acme/api:ref:refs/heads/main'], true);
    broad.addSubjects('repo:acme/*');
    Annotations.fromStack(other).hasWarning('/Ci/Role', Match.stringLikeRegexp("The subject 'repo:acme/\\*' matches every repository of acme"));
  });

  describe('simulation: what the attacker\'s token does', () => {
    test('HCP Terraform: a wildcard organization lets any organization\'s workspace in; the library refuses it', async () => {
      // GIVEN the trust written by hand with a wildcard organization
      const stack = newStack();
      const loose = 'organization:*:project:platform:workspace:network:run_phase:apply';
      const handWritten = handWrittenRole(stack, TFC, loose);
      // THEN the attacker's own organization with a workspace of the same name gets in
      const attacker = token(TFC, 'organization:evil:project:platform:workspace:network:run_phase:apply');
      expect(await simulate(stack, handWritten, attacker)).toBe('Allowed');
      // and the library refuses the subject
      expect(() => roleFor(newStack(), TFC, [loose])).toThrow(/does not pin the tenant/);
      // while the narrow subject keeps the attacker out
      const narrowStack = newStack();
      const narrow = roleFor(narrowStack, TFC, ['organization:acme:project:platform:workspace:network:run_phase:apply']);
      expect(await simulate(narrowStack, narrow, attacker)).toBe('Denied');
      expect(await simulate(narrowStack, narrow, token(TFC, 'organization:acme:project:platform:workspace:network:run_phase:apply'))).toBe('Allowed');
    });

    test('HCP Terraform: the owner-wide opt-in lets every workspace of the organization in, and no other organization', async () => {
      const stack = newStack();
      const role = roleFor(stack, TFC, ['organization:acme:project:platform:workspace:*'], true);
      expect(await simulate(stack, role, token(TFC, 'organization:acme:project:platform:workspace:created-later:run_phase:apply'))).toBe('Allowed');
      expect(await simulate(stack, role, token(TFC, 'organization:evil:project:platform:workspace:network:run_phase:apply'))).toBe('Denied');
    });

    test('GitHub: a wildcard in the owner admits a look-alike owner; the library refuses it', async () => {
      const stack = newStack();
      const handWritten = handWrittenRole(stack, GITHUB, 'repo:acme*');
      const attacker = token(GITHUB, 'repo:acme-evil/api:ref:refs/heads/main');
      expect(await simulate(stack, handWritten, attacker)).toBe('Allowed');
      expect(() => roleFor(newStack(), GITHUB, ['repo:acme*'])).toThrow(/does not pin the tenant/);
      const narrowStack = newStack();
      const narrow = roleFor(narrowStack, GITHUB, ['repo:acme/api:*']);
      expect(await simulate(narrowStack, narrow, attacker)).toBe('Denied');
      expect(await simulate(narrowStack, narrow, token(GITHUB, 'repo:acme/api:ref:refs/heads/main'))).toBe('Allowed');
      // a repository whose name starts like the trusted one is another repository
      expect(await simulate(narrowStack, narrow, token(GITHUB, 'repo:acme/api-fork:ref:refs/heads/main'))).toBe('Denied');
    });

    test('GitLab: a wildcard in the top-level group admits a look-alike group', async () => {
      const stack = newStack();
      const handWritten = handWrittenRole(stack, GITLAB, 'project_path:acme*');
      const attacker = token(GITLAB, 'project_path:acme-evil/api:ref_type:branch:ref:main');
      expect(await simulate(stack, handWritten, attacker)).toBe('Allowed');
      expect(() => roleFor(newStack(), GITLAB, ['project_path:acme*'])).toThrow(/does not pin the tenant/);
      const narrowStack = newStack();
      const narrow = roleFor(narrowStack, GITLAB, ['project_path:acme/api:*']);
      expect(await simulate(narrowStack, narrow, attacker)).toBe('Denied');
      expect(await simulate(narrowStack, narrow, token(GITLAB, 'project_path:acme/api:ref_type:branch:ref:main'))).toBe('Allowed');
    });

    test('Buildkite: a wildcard organization lets another organization\'s pipeline in; a literal pipeline keeps other pipelines out', async () => {
      const stack = newStack();
      const handWritten = handWrittenRole(stack, BUILDKITE, 'organization:*:pipeline:deploy:*');
      const attacker = token(BUILDKITE, 'organization:evil:pipeline:deploy:ref:refs/heads/main:commit:abc:step:deploy');
      expect(await simulate(stack, handWritten, attacker)).toBe('Allowed');
      expect(() => roleFor(newStack(), BUILDKITE, ['organization:*:pipeline:deploy:*'])).toThrow(/does not pin the tenant/);
      const narrowStack = newStack();
      const narrow = roleFor(narrowStack, BUILDKITE, ['organization:acme:pipeline:deploy:ref:refs/heads/main:*']);
      expect(await simulate(narrowStack, narrow, attacker)).toBe('Denied');
      expect(await simulate(narrowStack, narrow, token(BUILDKITE, 'organization:acme:pipeline:deploy:ref:refs/heads/main:commit:abc:step:deploy'))).toBe('Allowed');
      expect(await simulate(narrowStack, narrow, token(BUILDKITE, 'organization:acme:pipeline:deploy-evil:ref:refs/heads/main:commit:abc:step:deploy'))).toBe('Denied');
    });

    test('CircleCI: any user of one project is narrow; a wildcard project reaches every project of the organization', async () => {
      const stack = newStack();
      const narrow = roleFor(stack, CIRCLECI, ['org/0000/project/1111/user/*']);
      expect(await simulate(stack, narrow, token(CIRCLECI, 'org/0000/project/1111/user/2222'))).toBe('Allowed');
      expect(await simulate(stack, narrow, token(CIRCLECI, 'org/0000/project/9999/user/2222'))).toBe('Denied');
      const broadStack = newStack();
      const broad = roleFor(broadStack, CIRCLECI, ['org/0000/*'], true);
      expect(await simulate(broadStack, broad, token(CIRCLECI, 'org/0000/project/9999/user/2222'))).toBe('Allowed');
    });

    test('Bitbucket: a literal repository uuid keeps the workspace\'s other repositories out', async () => {
      const stack = newStack();
      const narrow = roleFor(stack, BITBUCKET, [`${REPO_UUID}${ENV_UUID}:*`]);
      expect(await simulate(stack, narrow, token(BITBUCKET, `${REPO_UUID}${ENV_UUID}:{step}`))).toBe('Allowed');
      expect(await simulate(stack, narrow, token(BITBUCKET, `{00000000-0000-4000-8000-000000000000}${ENV_UUID}:{step}`))).toBe('Denied');
      const broadStack = newStack();
      const broad = roleFor(broadStack, BITBUCKET, ['{*'], true);
      expect(await simulate(broadStack, broad, token(BITBUCKET, `{00000000-0000-4000-8000-000000000000}${ENV_UUID}:{step}`))).toBe('Allowed');
    });
  });
});
