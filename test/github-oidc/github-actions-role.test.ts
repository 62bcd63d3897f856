import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { GitHubActionsRole, GitHubActionsRoleProps, GitHubOidcProvider, GitHubSubject } from '../../src';
import { TEST_ACCOUNT, TEST_ENV } from '../support/env';
import { nagFindings } from '../support/nag';
import { AssumeRequest, simulate, webIdentity } from '../support/simulate';
import { templateOf } from '../support/template';

const ISSUER = 'token.actions.githubusercontent.com';
const PROVIDER_ARN = `arn:aws:iam::${TEST_ACCOUNT}:oidc-provider/${ISSUER}`;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function newStack(): Stack {
  return new Stack(new App(), 'Ci', { env: TEST_ENV });
}

/** A GitHub Actions token presented to STS. */
interface TokenOptions { aud?: string; provider?: string; issuer?: string; claims?: Record<string, string> }

function githubToken(sub: string, options: TokenOptions = {}): AssumeRequest {
  const issuer = options.issuer ?? ISSUER;
  const claims: Record<string, string> = { [`${issuer}:aud`]: options.aud ?? 'sts.amazonaws.com', [`${issuer}:sub`]: sub };
  for (const [k, v] of Object.entries(options.claims ?? {})) claims[`${issuer}:${k}`] = v;
  return webIdentity(options.provider ?? PROVIDER_ARN, claims);
}

describe('GitHubActionsRole', () => {
  test('trusts the account\'s GitHub provider for one branch with StringEquals on aud and sub', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    new GitHubActionsRole(stack, 'Deploy', { subjects: [GitHubSubject.branch('acme/api', 'main')] });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: 'sts:AssumeRoleWithWebIdentity',
          Principal: { Federated: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${TEST_ACCOUNT}:oidc-provider/${ISSUER}`]] } },
          Condition: {
            'StringEquals': { [`${ISSUER}:aud`]: 'sts.amazonaws.com', [`${ISSUER}:sub`]: 'repo:acme/api:ref:refs/heads/main' },
            'StringLike': Match.absent(),
            'ForAnyValue:StringLike': Match.absent(),
          },
        }],
      },
    });
    Template.fromStack(stack).resourceCountIs('AWS::IAM::OIDCProvider', 0);
  });

  test('renders every subject form, and wildcard ones in a StringLike statement of their own', () => {
    const stack = newStack();
    const role = new GitHubActionsRole(stack, 'Deploy', {
      subjects: [
        GitHubSubject.branch('acme/api', 'main'),
        GitHubSubject.tag('acme/api', 'v*'),
        GitHubSubject.environment('acme/api', 'production'),
        GitHubSubject.pullRequest('acme/api'),
        GitHubSubject.custom('repo:acme/api:environment:prod:job_workflow_ref:acme/workflows/.github/workflows/deploy.yml@refs/heads/main'),
        GitHubSubject.branch(GitHubSubject.immutableRepository('acme', 1234, 'api', 5678), 'main'),
      ],
    });
    role.addSubjects(GitHubSubject.anyRef('acme/web'));
    const statements = Template.fromStack(stack).toJSON().Resources[Object.keys(Template.fromStack(stack).findResources('AWS::IAM::Role'))[0]]
      .Properties.AssumeRolePolicyDocument.Statement;
    expect(statements).toHaveLength(2);
    expect(statements[0].Condition.StringEquals[`${ISSUER}:sub`]).toEqual([
      'repo:acme/api:ref:refs/heads/main',
      'repo:acme/api:environment:production',
      'repo:acme/api:pull_request',
      'repo:acme/api:environment:prod:job_workflow_ref:acme/workflows/.github/workflows/deploy.yml@refs/heads/main',
      'repo:acme@1234/api@5678:ref:refs/heads/main',
    ]);
    expect(statements[1].Condition).toEqual({
      StringEquals: { [`${ISSUER}:aud`]: 'sts.amazonaws.com' },
      StringLike: { [`${ISSUER}:sub`]: ['repo:acme/api:ref:refs/tags/v*', 'repo:acme/web:*'] },
    });
  });

  test('adds claim conditions for the STS-validated GitHub claims', () => {
    const stack = newStack();
    new GitHubActionsRole(stack, 'Deploy', {
      subjects: [GitHubSubject.environment('acme/api', 'production')],
      jobWorkflowRefs: ['acme/workflows/.github/workflows/deploy.yml@refs/heads/main'],
      repositoryIds: ['5678'],
      actors: ['release-bot'],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Condition: {
            StringEquals: Match.objectLike({
              [`${ISSUER}:job_workflow_ref`]: 'acme/workflows/.github/workflows/deploy.yml@refs/heads/main',
              [`${ISSUER}:repository_id`]: '5678',
              [`${ISSUER}:actor`]: 'release-bot',
            }),
          },
        }],
      },
    });
  });

  test('trusts a given provider, enterprise issuer and audience', () => {
    const stack = newStack();
    const provider = new GitHubOidcProvider(stack, 'GitHub', { enterpriseSlug: 'acme', clientIds: ['https://github.com/acme'] });
    new GitHubActionsRole(stack, 'Deploy', { provider, audience: 'https://github.com/acme', subjects: [GitHubSubject.branch('acme/api', 'main')] });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Principal: { Federated: { Ref: Match.stringLikeRegexp('^GitHub') } },
          Condition: { StringEquals: { [`${ISSUER}/acme:aud`]: 'https://github.com/acme', [`${ISSUER}/acme:sub`]: 'repo:acme/api:ref:refs/heads/main' } },
        }],
      },
    });
  });

  test('matches the snapshot', () => {
    const stack = newStack();
    const provider = new GitHubOidcProvider(stack, 'GitHub');
    new GitHubActionsRole(stack, 'Deploy', { provider, subjects: [GitHubSubject.environment('acme/api', 'production')] });
    expect(templateOf(stack)).toMatchSnapshot();
  });

  test('passes AwsSolutions and AccessPatterns checks', () => {
    const stack = newStack();
    const provider = new GitHubOidcProvider(stack, 'GitHub');
    const role = new GitHubActionsRole(stack, 'Deploy', { provider, subjects: [GitHubSubject.branch('acme/api', 'main'), GitHubSubject.tag('acme/api', 'v*')] });
    const bucket = new s3.Bucket(stack, 'Artifacts', { enforceSSL: true, serverAccessLogsPrefix: 'logs/' });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [bucket.arnForObjects('api/main.zip')] }));
    expect(nagFindings(stack)).toEqual([]);
  });

  test('allRepositories is accepted with a warning', () => {
    const stack = newStack();
    new GitHubActionsRole(stack, 'Deploy', { subjects: [GitHubSubject.allRepositories('acme')] });
    Annotations.fromStack(stack).hasWarning('/Ci/Deploy', Match.stringLikeRegexp("'repo:acme/\\*' trusts every repository of the owner"));
  });

  test('allRepositories with an owner id matches the immutable subjects of that owner only', async () => {
    // GIVEN an owner-wide role for the immutable form of acme (id 1234)
    const stack = newStack();
    const role = new GitHubActionsRole(stack, 'Deploy', { subjects: [GitHubSubject.allRepositories('acme', 1234)] });
    // THEN repositories of acme@1234 are allowed; another owner id, or the mutable form, is not
    expect(await simulate(stack, role, githubToken('repo:acme@1234/api@5678:ref:refs/heads/main'))).toBe('Allowed');
    expect(await simulate(stack, role, githubToken('repo:acme@9999/api@5678:ref:refs/heads/main'))).toBe('Denied');
    expect(await simulate(stack, role, githubToken('repo:acme/api:ref:refs/heads/main'))).toBe('Denied');
  });

  describe('simulation of a role scoped to acme/api branch main', () => {
    let stack: Stack;
    let role: GitHubActionsRole;
    beforeAll(() => {
      stack = newStack();
      role = new GitHubActionsRole(stack, 'Deploy', { subjects: [GitHubSubject.branch('acme/api', 'main')] });
    });

    test('the main branch is allowed', async () => {
      expect(await simulate(stack, role, githubToken('repo:acme/api:ref:refs/heads/main'))).toBe('Allowed');
    });

    test.each([
      ['another branch', 'repo:acme/api:ref:refs/heads/feature'],
      ['a branch named like main', 'repo:acme/api:ref:refs/heads/main-hotfix'],
      ['a tag', 'repo:acme/api:ref:refs/tags/main'],
      ['a pull request', 'repo:acme/api:pull_request'],
      ['an environment job', 'repo:acme/api:environment:production'],
      ['acme/api-evil', 'repo:acme/api-evil:ref:refs/heads/main'],
      ['acme-evil/api', 'repo:acme-evil/api:ref:refs/heads/main'],
    ])('%s is denied', async (_name, sub) => {
      expect(await simulate(stack, role, githubToken(sub))).toBe('Denied');
    });

    test('another audience is denied', async () => {
      expect(await simulate(stack, role, githubToken('repo:acme/api:ref:refs/heads/main', { aud: 'https://github.com/acme' }))).toBe('Denied');
    });

    test('a token from another issuer is denied', async () => {
      const gitlab = `arn:aws:iam::${TEST_ACCOUNT}:oidc-provider/gitlab.com`;
      expect(await simulate(stack, role, githubToken('repo:acme/api:ref:refs/heads/main', { provider: gitlab, issuer: 'gitlab.com' }))).toBe('Denied');
    });
  });

  describe('simulation of an environment-scoped role', () => {
    test('only jobs of that environment get in', async () => {
      const stack = newStack();
      const role = new GitHubActionsRole(stack, 'Deploy', { subjects: [GitHubSubject.environment('acme/api', 'production')] });
      expect(await simulate(stack, role, githubToken('repo:acme/api:environment:production'))).toBe('Allowed');
      expect(await simulate(stack, role, githubToken('repo:acme/api:environment:staging'))).toBe('Denied');
      expect(await simulate(stack, role, githubToken('repo:acme/api:environment:production-copy'))).toBe('Denied');
      expect(await simulate(stack, role, githubToken('repo:acme/api:ref:refs/heads/main'))).toBe('Denied');
      expect(await simulate(stack, role, githubToken('repo:acme/web:environment:production'))).toBe('Denied');
    });

    test('a required workflow must also match', async () => {
      const stack = newStack();
      const role = new GitHubActionsRole(stack, 'Deploy', {
        subjects: [GitHubSubject.environment('acme/api', 'production')],
        jobWorkflowRefs: ['acme/workflows/.github/workflows/deploy.yml@refs/heads/main'],
      });
      const sub = 'repo:acme/api:environment:production';
      expect(await simulate(stack, role, githubToken(sub, { claims: { job_workflow_ref: 'acme/workflows/.github/workflows/deploy.yml@refs/heads/main' } }))).toBe('Allowed');
      expect(await simulate(stack, role, githubToken(sub, { claims: { job_workflow_ref: 'acme/api/.github/workflows/yolo.yml@refs/heads/main' } }))).toBe('Denied');
      // Where STS does not provide the claim key, the condition fails closed.
      expect(await simulate(stack, role, githubToken(sub))).toBe('Denied');
    });

    test('a tag pattern matches tags only', async () => {
      const stack = newStack();
      const role = new GitHubActionsRole(stack, 'Release', { subjects: [GitHubSubject.tag('acme/api', 'v*')] });
      expect(await simulate(stack, role, githubToken('repo:acme/api:ref:refs/tags/v1.2.3'))).toBe('Allowed');
      expect(await simulate(stack, role, githubToken('repo:acme/api:ref:refs/heads/v1'))).toBe('Denied');
      expect(await simulate(stack, role, githubToken('repo:acme/api-evil:ref:refs/tags/v1.2.3'))).toBe('Denied');
    });
  });

  describe('validation', () => {
    const cases: Array<[string, () => GitHubSubject[] | undefined, RegExp]> = [
      ['no subjects', () => [], /Invalid GitHubActionsRole 'Ci\/Deploy' prop 'subjects': no subject is given/],
      ['owner wildcard', () => [GitHubSubject.anyRef('acme/*')], /prop 'subjects': 'acme\/\*' is not a repository 'owner\/name'; name one repository; use GitHubSubject.allRepositories\('acme'\) to opt in/],
      ['repository without owner', () => [GitHubSubject.branch('api', 'main')], /prop 'subjects': 'api' is not a repository 'owner\/name'/],
      ['bad owner', () => [GitHubSubject.branch('-acme/api', 'main')], /prop 'subjects': '-acme' is not a GitHub user or organization name/],
      ['bad repository name', () => [GitHubSubject.branch('acme/a pi', 'main')], /prop 'subjects': 'a pi' in 'acme\/a pi' is not a GitHub repository name/],
      ['branch with a ref prefix', () => [GitHubSubject.branch('acme/api', 'refs/heads/main')], /prop 'subjects': 'refs\/heads\/main' is not a valid branch name/],
      ['branch with a space', () => [GitHubSubject.branch('acme/api', 'my branch')], /'my branch' is not a valid branch name/],
      ['tag with ..', () => [GitHubSubject.tag('acme/api', 'v1..2')], /'v1..2' is not a valid tag name/],
      ['environment with a colon', () => [GitHubSubject.environment('acme/api', 'prod:eu')], /'prod:eu' is not a GitHub environment name/],
      ['bare * subject', () => [GitHubSubject.custom('*')], /prop 'subjects': the subject '\*' matches every workload of the issuer/],
      ['subject starting with *', () => [GitHubSubject.custom('*:ref:refs/heads/main')], /matches every workload of the issuer/],
      ['custom subject for every repository', () => [GitHubSubject.custom('repo:*')], /prop 'subjects': 'repo:\*' matches repo values of other owners \(a wildcard before the first '\/'\); name the owner exactly/],
      ['custom subject for owners with a prefix', () => [GitHubSubject.custom('repo:acme*')], /'repo:acme\*' matches repo values of other owners/],
      ['custom subject for every repository of an owner', () => [GitHubSubject.custom('repo:acme/*')],
        /'repo:acme\/\*' matches more than one repository of 'acme' \(a wildcard in the repo\); name one; use GitHubSubject.customAllRepositories\('repo:acme\/\*'\) to opt in/],
      ['custom subject with a repository prefix', () => [GitHubSubject.custom('repo:acme/api*:ref:refs/heads/main')], /matches more than one repository of 'acme'/],
      ['custom subject with a wildcard owner claim', () => [GitHubSubject.custom('repository_owner:*')], /the wildcard in the repository_owner claim of 'repository_owner:\*' admits the workloads of other owners/],
      ['custom subject with a wildcard in the repository claim', () => [GitHubSubject.custom('repository:acme/*')],
        /the wildcard in the repository claim of 'repository:acme\/\*' admits the workloads of other repositories; name the repository exactly/],
      ['custom subject with a repository id pattern', () => [GitHubSubject.custom('repository_id:56*')], /the wildcard in the repository_id claim of 'repository_id:56\*'/],
      ['custom subject with a repository id that is not a number', () => [GitHubSubject.custom('repository_id:api')], /'api' in 'repository_id:api' is not a numeric repository id/],
      ['custom subject with a repo claim that is not a repository', () => [GitHubSubject.custom('repo:acme:ref:refs/heads/main')], /'acme' in 'repo:acme:ref:refs\/heads\/main' is not a repository 'owner\/name'/],
      ['custom subject with a bad repository', () => [GitHubSubject.custom('repository:acme/a pi')], /'a pi' in 'acme\/a pi' is not a GitHub repository name/],
      ['custom subject without claims', () => [GitHubSubject.custom('acme-api')], /'acme-api' is not a subject of 'claim:value' pairs/],
      ['owner id that is not a number id', () => [GitHubSubject.allRepositories('acme', 1.5)], /prop 'subjects': 1.5 is not a GitHub owner id/],
      ['bad owner for allRepositories', () => [GitHubSubject.allRepositories('acme/api')], /'acme\/api' is not a GitHub user or organization name/],
    ];
    test.each(cases)('%s', (_name, subjects, message) => {
      const stack = newStack();
      expect(() => new GitHubActionsRole(stack, 'Deploy', { subjects: subjects()! })).toThrow(message);
    });

    test('a provider of another account, which STS would never accept for this role', () => {
      const stack = newStack();
      expect(() => new GitHubActionsRole(stack, 'Deploy', {
        provider: GitHubOidcProvider.fromAccount(stack, 'Foreign', { account: '333333333333' }),
        subjects: [GitHubSubject.branch('acme/api', 'main')],
      })).toThrow(/prop 'provider': the OIDC provider is in account 333333333333, but the role is in 222222222222, and STS only accepts a provider of the role's own account/);
    });

    test('claim lists must not be empty or match everything', () => {
      const stack = newStack();
      const subjects = [GitHubSubject.branch('acme/api', 'main')];
      expect(() => new GitHubActionsRole(stack, 'A', { subjects, actors: [] })).toThrow(/prop 'actors': the list is empty/);
      expect(() => new GitHubActionsRole(stack, 'B', { subjects, jobWorkflowRefs: ['*'] })).toThrow(/prop 'jobWorkflowRefs': '\*' matches every job_workflow_ref/);
      expect(() => new GitHubActionsRole(stack, 'C', { subjects, audience: '' })).toThrow(/prop 'audience': '' is 0 characters long/);
    });

    test('addSubjects validates too', () => {
      const stack = newStack();
      const role = new GitHubActionsRole(stack, 'Deploy', { subjects: [GitHubSubject.branch('acme/api', 'main')] });
      expect(() => role.addSubjects(GitHubSubject.custom('*'))).toThrow(/Invalid GitHubActionsRole 'Ci\/Deploy' prop 'subjects'/);
    });

    test('a trust policy with too many subjects fails synthesis', () => {
      const stack = newStack();
      const subjects = Array.from({ length: 120 }, (_, i) => GitHubSubject.branch(`acme/service-${i}`, 'main'));
      new GitHubActionsRole(stack, 'Deploy', { subjects });
      expect(() => Template.fromStack(stack)).toThrow(/Invalid GitHubActionsRole 'Ci\/Deploy': the trust policy is about \d+ characters, over the maximum of 4096; cut at least \d+/);
    });
  });

  describe('custom subjects must pin the repository in their first claim', () => {
    test.each([
      ['environment:production'],
      ['ref:refs/heads/main:*'],
      ['job_workflow_ref:acme/workflows/.github/workflows/deploy.yml@refs/heads/main'],
      ['workflow:deploy'],
      ['actor:octocat'],
      ['repository_visibility:private:repo:acme/api:ref:refs/heads/main'],
    ])('%s is refused: any repository admin can set a template that starts with that claim', (value) => {
      const claim = value.split(':')[0];
      expect(() => new GitHubActionsRole(newStack(), 'Deploy', { subjects: [GitHubSubject.custom(value)] })).toThrow(new RegExp(
        `^Invalid GitHubActionsRole 'Ci/Deploy' prop 'subjects': the subject '${escapeRegExp(value)}' starts with the ${claim} claim, which does not name the repository: `
        + `any repository admin can set a subject template \\(include_claim_keys\\) that starts with ${claim} and get a matching token; start the subject with the repository`,
      ));
    });

    test.each([
      ['repository_owner:acme'],
      ['repository_owner_id:1234:environment:production'],
    ])('the owner-only %s is refused with a pointer to customAllRepositories', (value) => {
      expect(() => new GitHubActionsRole(newStack(), 'Deploy', { subjects: [GitHubSubject.custom(value)] })).toThrow(new RegExp(
        `prop 'subjects': the subject '${escapeRegExp(value)}' starts with the ${value.split(':')[0]} claim, so every repository of that owner can get a matching token.*; `
        + `name the repository first \\(e.g. 'repo:acme/api:...'\\), or use GitHubSubject.customAllRepositories\\('${escapeRegExp(value)}'\\) to opt in`,
      ));
    });

    test('repo, repository and repository_id first claims are accepted, exact ones under StringEquals', () => {
      const stack = newStack();
      new GitHubActionsRole(stack, 'Deploy', {
        subjects: [
          GitHubSubject.custom('repo:acme/api:environment:production'),
          GitHubSubject.custom('repo:acme@1234/api@5678:environment:production'),
          GitHubSubject.custom('repository:acme/api:environment:production'),
          GitHubSubject.custom('repository_id:5678:environment:production'),
          GitHubSubject.custom('repository_id:5678:*'),
        ],
      });
      const statements = Template.fromStack(stack).findResources('AWS::IAM::Role');
      const conditions = Object.values(statements)[0].Properties.AssumeRolePolicyDocument.Statement.map((x: any) => x.Condition);
      expect(conditions).toEqual([
        {
          StringEquals: {
            [`${ISSUER}:aud`]: 'sts.amazonaws.com',
            [`${ISSUER}:sub`]: [
              'repo:acme/api:environment:production',
              'repo:acme@1234/api@5678:environment:production',
              'repository:acme/api:environment:production',
              'repository_id:5678:environment:production',
            ],
          },
        },
        { StringEquals: { [`${ISSUER}:aud`]: 'sts.amazonaws.com' }, StringLike: { [`${ISSUER}:sub`]: 'repository_id:5678:*' } },
      ]);
    });

    test('simulation: an attacker\'s template that starts with environment or with their own repository does not get in', async () => {
      // GIVEN a role for the production jobs of acme/api, through a subject that starts with the repository
      const stack = newStack();
      const workflow = 'job_workflow_ref:acme/workflows/.github/workflows/deploy.yml@refs/heads/main';
      const role = new GitHubActionsRole(stack, 'Deploy', {
        subjects: [GitHubSubject.custom(`repo:acme/api:environment:production:${workflow}`), GitHubSubject.custom('repository_id:5678:environment:production')],
      });
      // THEN the real jobs are allowed
      expect(await simulate(stack, role, githubToken(`repo:acme/api:environment:production:${workflow}`))).toBe('Allowed');
      expect(await simulate(stack, role, githubToken('repository_id:5678:environment:production'))).toBe('Allowed');
      // WHEN the admin of evil/tool sets include_claim_keys to ["environment", "job_workflow_ref"] (or ["repo", ...]) on their repository
      // THEN their tokens are denied
      expect(await simulate(stack, role, githubToken(`environment:production:${workflow}`))).toBe('Denied');
      expect(await simulate(stack, role, githubToken('environment:production'))).toBe('Denied');
      expect(await simulate(stack, role, githubToken(`repo:evil/tool:environment:production:${workflow}`))).toBe('Denied');
      expect(await simulate(stack, role, githubToken('repository_id:9999:environment:production'))).toBe('Denied');
    });
  });

  describe('customAllRepositories', () => {
    test('accepts an owner first claim, leaves the allRepositories warning, and admits that owner only', async () => {
      // GIVEN
      const stack = newStack();
      // WHEN
      const role = new GitHubActionsRole(stack, 'Deploy', { subjects: [GitHubSubject.customAllRepositories('repository_owner:acme:environment:production')] });
      // THEN
      Annotations.fromStack(stack).hasWarning('/Ci/Deploy', Match.stringLikeRegexp(
        "'repository_owner:acme:environment:production' trusts every repository of the owner.*\\[ack: cdk-access-patterns:allRepositories\\]"));
      expect(await simulate(stack, role, githubToken('repository_owner:acme:environment:production'))).toBe('Allowed');
      expect(await simulate(stack, role, githubToken('repository_owner:acme-evil:environment:production'))).toBe('Denied');
      expect(await simulate(stack, role, githubToken('repository_owner:acme:environment:staging'))).toBe('Denied');
    });

    test('accepts repo:OWNER/* (also the immutable owner form) and owner ids; patterns go to StringLike', async () => {
      const stack = newStack();
      const role = new GitHubActionsRole(stack, 'Deploy', {
        subjects: [
          GitHubSubject.customAllRepositories('repo:acme/*:environment:production'),
          GitHubSubject.customAllRepositories('repo:acme@1234/*'),
          GitHubSubject.customAllRepositories('repository_owner_id:1234'),
        ],
      });
      const warnings = Annotations.fromStack(stack).findWarning('/Ci/Deploy', Match.stringLikeRegexp('trusts every repository of the owner'));
      expect(warnings).toHaveLength(3);
      const statements = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Role'))[0].Properties.AssumeRolePolicyDocument.Statement;
      expect(statements.map((x: any) => x.Condition)).toEqual([
        { StringEquals: { [`${ISSUER}:aud`]: 'sts.amazonaws.com', [`${ISSUER}:sub`]: 'repository_owner_id:1234' } },
        { StringEquals: { [`${ISSUER}:aud`]: 'sts.amazonaws.com' }, StringLike: { [`${ISSUER}:sub`]: ['repo:acme/*:environment:production', 'repo:acme@1234/*'] } },
      ]);
      expect(await simulate(stack, role, githubToken('repo:acme/web:environment:production'))).toBe('Allowed');
      expect(await simulate(stack, role, githubToken('repo:acme-evil/web:environment:production'))).toBe('Denied');
      expect(await simulate(stack, role, githubToken('repository_owner_id:12345'))).toBe('Denied');
    });

    test.each([
      ['a wildcard owner', 'repository_owner:*', /the wildcard in the repository_owner claim of 'repository_owner:\*' admits the workloads of other owners; name the repository_owner exactly/],
      ['an owner prefix', 'repository_owner:acme*', /the wildcard in the repository_owner claim of 'repository_owner:acme\*' admits the workloads of other owners/],
      ['an owner id pattern', 'repository_owner_id:12?4', /the wildcard in the repository_owner_id claim/],
      ['an owner id that is not a number', 'repository_owner_id:acme', /'acme' in 'repository_owner_id:acme' is not a numeric owner id/],
      ['a bad owner name', 'repository_owner:-acme', /'-acme' is not a GitHub user or organization name/],
      ['a wildcard in the repo owner', 'repo:acme*/*', /'repo:acme\*\/\*' matches repo values of other owners \(a wildcard before the first '\/'\)/],
      ['every repository', 'repo:*', /'repo:\*' matches repo values of other owners/],
      ['one repository', 'repo:acme/api:environment:production',
        /the subject 'repo:acme\/api:environment:production' names one repository, so it is not owner-wide; use GitHubSubject.custom\('repo:acme\/api:environment:production'\)/],
      ['one repository id', 'repository_id:5678', /the subject 'repository_id:5678' starts with the repository_id claim, so it names one repository and is not owner-wide/],
      ['a repository pattern', 'repository:acme/*', /the wildcard in the repository claim of 'repository:acme\/\*' admits the workloads of other repositories; start an owner-wide subject with 'repository_owner:<owner>' or 'repo:<owner>\/\*'/],
      ['a claim any admin can reproduce', 'environment:production', /the subject 'environment:production' starts with the environment claim, which does not name the repository.*; start the subject with the owner/],
      ['a bare *', '*', /the subject '\*' matches every workload of the issuer/],
    ])('refuses %s', (_name, value, message) => {
      expect(() => new GitHubActionsRole(newStack(), 'Deploy', { subjects: [GitHubSubject.customAllRepositories(value)] })).toThrow(message);
    });
  });

  describe('exact claims refuse wildcards; ids are digits', () => {
    const subjects = () => [GitHubSubject.branch('acme/api', 'main')];
    test.each([
      ['environments', { environments: ['production', 'prod*'] },
        /^Invalid GitHubActionsRole 'Ci\/Deploy' prop 'environments': 'prod\*' has a wildcard, but GitHub documents no patterns for the environment claim, and as a StringLike pattern it would admit other values of it; these are exact values; list them\.$/],
      ['actors', { actors: ['release-?ot'] }, /prop 'actors': 'release-\?ot' has a wildcard, .*; these are exact values; list them\./],
      ['workflows', { workflows: ['deploy*'] }, /prop 'workflows': 'deploy\*' has a wildcard, .*; these are exact values; list them\./],
      ['actorIds with a wildcard', { actorIds: ['12*'] }, /prop 'actorIds': '12\*' has a wildcard, .*; these are exact values; list them\./],
      ['actorIds that are names', { actorIds: ['octocat'] }, /prop 'actorIds': 'octocat' is not a numeric actor_id; give the id as digits/],
      ['repositoryIds', { repositoryIds: ['acme/api'] }, /prop 'repositoryIds': 'acme\/api' is not a numeric repository_id/],
      ['enterpriseIds', { enterpriseIds: ['1.5'] }, /prop 'enterpriseIds': '1.5' is not a numeric enterprise_id/],
      ['the audience *', { audience: '*' }, /prop 'audience': '\*' has a wildcard, but the audience is an exact value \(StringEquals\), never a pattern; give the exact audience/],
      ['an audience pattern', { audience: 'sts.*.com' }, /prop 'audience': 'sts.\*.com' has a wildcard/],
      ['an audience with ?', { audience: 'sts.amazonaws.co?' }, /prop 'audience': 'sts.amazonaws.co\?' has a wildcard/],
    ])('%s', (_name, extra, message) => {
      expect(() => new GitHubActionsRole(newStack(), 'Deploy', { subjects: subjects(), ...extra })).toThrow(message);
    });

    test('an environment subject with a wildcard is refused, since GitHub creates referenced environments unprotected', () => {
      expect(() => new GitHubActionsRole(newStack(), 'Deploy', { subjects: [GitHubSubject.environment('acme/api', 'prod*')] })).toThrow(
        /prop 'subjects': 'prod\*' has a wildcard, .*: GitHub creates an environment that a workflow references, without protection rules, so anyone who can push a workflow gets a matching one; these are exact values; list them\./);
      expect(() => new GitHubActionsRole(newStack(), 'Deploy', { subjects: [GitHubSubject.environment('acme/api', 'prod?')] })).toThrow(/'prod\?' has a wildcard/);
    });

    test('refs and jobWorkflowRefs keep wildcards; exact claims render StringEquals', () => {
      const stack = newStack();
      new GitHubActionsRole(stack, 'Deploy', {
        subjects: subjects(),
        refs: ['refs/heads/release/*'],
        jobWorkflowRefs: ['acme/workflows/.github/workflows/*@refs/heads/main'],
        environments: ['production'],
        actorIds: ['123456'],
      });
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [{
            Condition: {
              StringEquals: Match.objectLike({ [`${ISSUER}:environment`]: 'production', [`${ISSUER}:actor_id`]: '123456' }),
              StringLike: { [`${ISSUER}:ref`]: 'refs/heads/release/*', [`${ISSUER}:job_workflow_ref`]: 'acme/workflows/.github/workflows/*@refs/heads/main' },
            },
          }],
        },
      });
    });

    test('simulation: listed environments get in, a look-alike environment does not', async () => {
      const stack = newStack();
      const role = new GitHubActionsRole(stack, 'Deploy', { subjects: [GitHubSubject.anyRef('acme/api')], environments: ['production', 'staging'] });
      const sub = 'repo:acme/api:environment:production';
      expect(await simulate(stack, role, githubToken(sub, { claims: { environment: 'production' } }))).toBe('Allowed');
      expect(await simulate(stack, role, githubToken('repo:acme/api:environment:staging', { claims: { environment: 'staging' } }))).toBe('Allowed');
      expect(await simulate(stack, role, githubToken('repo:acme/api:environment:prod-evil', { claims: { environment: 'prod-evil' } }))).toBe('Denied');
      expect(await simulate(stack, role, githubToken('repo:acme/api:environment:production-evil', { claims: { environment: 'production-evil' } }))).toBe('Denied');
    });
  });

  describe('values known at deploy time', () => {
    test('a token repository in anyRef renders StringLike, so it matches every ref of that repository only', async () => {
      // GIVEN
      const stack = newStack();
      const repo = new CfnParameter(stack, 'Repo').valueAsString;
      // WHEN
      const role = new GitHubActionsRole(stack, 'Deploy', { subjects: [GitHubSubject.anyRef(repo)] });
      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [{
            Condition: {
              StringEquals: { [`${ISSUER}:aud`]: 'sts.amazonaws.com' },
              StringLike: { [`${ISSUER}:sub`]: { 'Fn::Join': ['', ['repo:', { Ref: 'Repo' }, ':*']] } },
            },
          }],
        },
      });
      expect(await simulate(stack, role, githubToken('repo:acme/api:pull_request'), { Repo: 'acme/api' })).toBe('Allowed');
      expect(await simulate(stack, role, githubToken('repo:acme/api:ref:refs/heads/main'), { Repo: 'acme/api' })).toBe('Allowed');
      expect(await simulate(stack, role, githubToken('repo:acme/api-evil:ref:refs/heads/main'), { Repo: 'acme/api' })).toBe('Denied');
    });

    test('a wildcard next to a token is refused where a wildcard is', () => {
      const stack = newStack();
      const value = new CfnParameter(stack, 'Value').valueAsString;
      const role = (id: string, props: Partial<GitHubActionsRoleProps>) => () => new GitHubActionsRole(stack, id, { subjects: [GitHubSubject.branch('acme/api', 'main')], ...props });
      expect(role('A', { subjects: [GitHubSubject.anyRef(`${value}/*`)] })).toThrow(/prop 'subjects': the repository '.+' has a wildcard next to a value known at deploy time, so it would match more than one repository/);
      expect(role('B', { subjects: [GitHubSubject.allRepositories(`${value}*`)] })).toThrow(/prop 'subjects': the owner '.+' has a wildcard next to a value known at deploy time, so it would match other owners/);
      expect(role('C', { subjects: [GitHubSubject.environment('acme/api', `${value}*`)] })).toThrow(/prop 'subjects': '.+' has a wildcard, but GitHub documents no patterns for the environment claim/);
      expect(role('D', { subjects: [GitHubSubject.custom(`environment:${value}`)] })).toThrow(/prop 'subjects': the subject '.+' starts with the environment claim, which does not name the repository/);
      expect(role('E', { subjects: [GitHubSubject.custom(`repo:${value}/*`)] })).toThrow(/prop 'subjects': '.+' matches more than one repository of '<token>'/);
      expect(role('F', { subjects: [GitHubSubject.custom(`repo:${value}*`)] })).toThrow(/prop 'subjects': '.+' matches repo values of other owners/);
      expect(role('G', { environments: [`${value}*`] })).toThrow(/prop 'environments': '.+' has a wildcard/);
      expect(role('H', { audience: `${value}*` })).toThrow(/prop 'audience': '.+' has a wildcard/);
    });

    test('custom subjects with tokens after a repository first claim are accepted; an owner-wide one warns', () => {
      const stack = newStack();
      const value = new CfnParameter(stack, 'Value').valueAsString;
      new GitHubActionsRole(stack, 'Deploy', {
        subjects: [GitHubSubject.custom(`repo:${value}:environment:production`), GitHubSubject.customAllRepositories(`repo:${value}/*`)],
      });
      Annotations.fromStack(stack).hasWarning('/Ci/Deploy', Match.stringLikeRegexp('trusts every repository of the owner'));
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [
            { Condition: { StringEquals: Match.objectLike({ [`${ISSUER}:sub`]: { 'Fn::Join': ['', ['repo:', { Ref: 'Value' }, ':environment:production']] } }) } },
            { Condition: Match.objectLike({ StringLike: { [`${ISSUER}:sub`]: { 'Fn::Join': ['', ['repo:', { Ref: 'Value' }, '/*']] } } }) },
          ],
        },
      });
    });
  });

  test('accepts tokens for repository, branch and audience', () => {
    const stack = newStack();
    const repo = new CfnParameter(stack, 'Repo').valueAsString;
    const branch = new CfnParameter(stack, 'Branch').valueAsString;
    const audience = new CfnParameter(stack, 'Audience').valueAsString;
    new GitHubActionsRole(stack, 'Deploy', { audience, subjects: [GitHubSubject.branch(repo, branch)] });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Condition: {
            StringEquals: {
              [`${ISSUER}:aud`]: { Ref: 'Audience' },
              [`${ISSUER}:sub`]: { 'Fn::Join': ['', ['repo:', { Ref: 'Repo' }, ':ref:refs/heads/', { Ref: 'Branch' }]] },
            },
          },
        }],
      },
    });
  });
});
