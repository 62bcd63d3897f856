import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { GitHubActionsRole, GitHubOidcProvider, GitHubSubject } from '../../src';
import { TEST_ACCOUNT, TEST_ENV } from '../support/env';
import { nagFindings } from '../support/nag';
import { AssumeRequest, simulate, webIdentity } from '../support/simulate';
import { templateOf } from '../support/template';

const ISSUER = 'token.actions.githubusercontent.com';
const PROVIDER_ARN = `arn:aws:iam::${TEST_ACCOUNT}:oidc-provider/${ISSUER}`;

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
      ['custom subject for every repository', () => [GitHubSubject.custom('repo:*')], /prop 'subjects': 'repo:\*' matches repo values of other owners \(a wildcard before the first '\/'\); name the owner or group exactly/],
      ['custom subject for owners with a prefix', () => [GitHubSubject.custom('repo:acme*')], /'repo:acme\*' matches repo values of other owners/],
      ['custom subject for every repository of an owner', () => [GitHubSubject.custom('repo:acme/*')],
        /'repo:acme\/\*' matches more than one repository or project of 'acme' \(a wildcard in the repo\); name one; use GitHubSubject.allRepositories\('acme'\) to opt in/],
      ['custom subject with a repository prefix', () => [GitHubSubject.custom('repo:acme/api*:ref:refs/heads/main')], /matches more than one repository or project of 'acme'/],
      ['custom subject with a wildcard owner claim', () => [GitHubSubject.custom('repository_owner:*')], /the wildcard in the repository_owner claim of 'repository_owner:\*' admits the workloads of other owners/],
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
