import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { GitLabCiRole, GitLabOidcProvider, GitLabSubject } from '../../src';
import { TEST_ACCOUNT, TEST_ENV } from '../support/env';
import { nagFindings } from '../support/nag';
import { AssumeRequest, simulate, webIdentity } from '../support/simulate';
import { templateOf } from '../support/template';

const PROVIDER_ARN = `arn:aws:iam::${TEST_ACCOUNT}:oidc-provider/gitlab.com`;

function newStack(): Stack {
  return new Stack(new App(), 'Ci', { env: TEST_ENV });
}

function gitlabToken(sub: string, options: { aud?: string; issuer?: string; provider?: string } = {}): AssumeRequest {
  const issuer = options.issuer ?? 'gitlab.com';
  return webIdentity(options.provider ?? PROVIDER_ARN, { [`${issuer}:aud`]: options.aud ?? 'https://gitlab.com', [`${issuer}:sub`]: sub });
}

describe('GitLabOidcProvider', () => {
  test('is a native provider for gitlab.com whose audience is the instance URL', () => {
    const stack = newStack();
    const provider = new GitLabOidcProvider(stack, 'GitLab');
    expect(provider.issuer).toBe('gitlab.com');
    Template.fromStack(stack).hasResource('AWS::IAM::OIDCProvider', {
      Properties: { Url: 'https://gitlab.com', ClientIdList: ['https://gitlab.com'] },
      DeletionPolicy: 'Retain',
    });
  });

  test('supports a self-managed instance under a path, and imports partition-aware', () => {
    const stack = newStack();
    const provider = new GitLabOidcProvider(stack, 'GitLab', { url: 'https://code.acme.com/gitlab', clientIds: ['aws'] });
    expect(provider.issuer).toBe('code.acme.com/gitlab');
    const imported = GitLabOidcProvider.fromAccount(stack, 'Imported', { url: 'https://code.acme.com/gitlab', account: '444444444444' });
    expect(stack.resolve(imported.oidcProviderArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::444444444444:oidc-provider/code.acme.com/gitlab']],
    });
  });

  test('changing the audience keeps the logical id', () => {
    const id = (p: GitLabOidcProvider) => Stack.of(p).resolve((p.node.defaultChild as iam.CfnOIDCProvider).logicalId);
    expect(id(new GitLabOidcProvider(newStack(), 'GitLab'))).toBe(id(new GitLabOidcProvider(newStack(), 'GitLab', { clientIds: ['aws', 'https://gitlab.com'] })));
  });

  test('two providers for one instance in one account fail synthesis', () => {
    const stack = newStack();
    new GitLabOidcProvider(stack, 'GitLab');
    new GitLabOidcProvider(stack, 'Again');
    expect(() => Template.fromStack(stack)).toThrow(/defines another OIDC provider for https:\/\/gitlab.com in the same account.*GitLabOidcProvider.fromAccount/);
  });

  test.each([
    ['http://gitlab.com', /prop 'url': 'http:\/\/gitlab.com' is not an OIDC issuer URL/],
    ['https://gitlab.com/', /is not an OIDC issuer URL/],
    ['https://gitlab.com:8443', /is not an OIDC issuer URL/],
    ['https://gitlab.com?x=1', /is not an OIDC issuer URL/],
  ])('refuses the URL %s', (url, message) => {
    expect(() => new GitLabOidcProvider(newStack(), 'GitLab', { url })).toThrow(message);
  });
});

describe('GitLabCiRole', () => {
  test('trusts one project branch with StringEquals on aud and sub', () => {
    const stack = newStack();
    new GitLabCiRole(stack, 'Deploy', { subjects: [GitLabSubject.branch('acme/platform/api', 'main')] });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Action: 'sts:AssumeRoleWithWebIdentity',
          Principal: { Federated: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${TEST_ACCOUNT}:oidc-provider/gitlab.com`]] } },
          Condition: {
            StringEquals: { 'gitlab.com:aud': 'https://gitlab.com', 'gitlab.com:sub': 'project_path:acme/platform/api:ref_type:branch:ref:main' },
            StringLike: Match.absent(),
          },
        }],
      },
    });
  });

  test('renders tags, any ref and groups; a group warns', () => {
    const stack = newStack();
    const role = new GitLabCiRole(stack, 'Deploy', {
      subjects: [GitLabSubject.tag('acme/api', 'v*'), GitLabSubject.anyRef('acme/web')],
    });
    role.addSubjects(GitLabSubject.group('acme/platform'), GitLabSubject.custom('project_path:acme/ops:ref:main'));
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          { Condition: { StringEquals: { 'gitlab.com:aud': 'https://gitlab.com', 'gitlab.com:sub': 'project_path:acme/ops:ref:main' } } },
          {
            Condition: {
              StringEquals: { 'gitlab.com:aud': 'https://gitlab.com' },
              StringLike: { 'gitlab.com:sub': ['project_path:acme/api:ref_type:tag:ref:v*', 'project_path:acme/web:*', 'project_path:acme/platform/*'] },
            },
          },
        ],
      },
    });
    Annotations.fromStack(stack).hasWarning('/Ci/Deploy', Match.stringLikeRegexp('trusts every project of the group'));
  });

  test('a self-managed provider sets the keys and the default audience', () => {
    const stack = newStack();
    const provider = new GitLabOidcProvider(stack, 'GitLab', { url: 'https://code.acme.com' });
    new GitLabCiRole(stack, 'Deploy', { provider, subjects: [GitLabSubject.branch('acme/api', 'main')] });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{ Condition: { StringEquals: { 'code.acme.com:aud': 'https://code.acme.com', 'code.acme.com:sub': 'project_path:acme/api:ref_type:branch:ref:main' } } }],
      },
    });
  });

  test('matches the snapshot and passes the nag packs', () => {
    const stack = newStack();
    const provider = new GitLabOidcProvider(stack, 'GitLab');
    new GitLabCiRole(stack, 'Deploy', { provider, subjects: [GitLabSubject.branch('acme/api', 'main')] });
    expect(templateOf(stack)).toMatchSnapshot();
    expect(nagFindings(stack)).toEqual([]);
  });

  describe('simulation of a role scoped to acme/platform/api branch main', () => {
    let stack: Stack;
    let role: GitLabCiRole;
    beforeAll(() => {
      stack = newStack();
      role = new GitLabCiRole(stack, 'Deploy', { subjects: [GitLabSubject.branch('acme/platform/api', 'main')] });
    });

    test('the main branch is allowed', async () => {
      expect(await simulate(stack, role, gitlabToken('project_path:acme/platform/api:ref_type:branch:ref:main'))).toBe('Allowed');
    });

    test.each([
      ['another branch', 'project_path:acme/platform/api:ref_type:branch:ref:dev'],
      ['a tag named main', 'project_path:acme/platform/api:ref_type:tag:ref:main'],
      ['acme/platform/api-evil', 'project_path:acme/platform/api-evil:ref_type:branch:ref:main'],
      ['another subgroup', 'project_path:acme/other/api:ref_type:branch:ref:main'],
      ['the parent group path', 'project_path:acme/api:ref_type:branch:ref:main'],
      ['a deeper subgroup', 'project_path:acme/platform/api/fork:ref_type:branch:ref:main'],
    ])('%s is denied', async (_name, sub) => {
      expect(await simulate(stack, role, gitlabToken(sub))).toBe('Denied');
    });

    test('another audience and another issuer are denied', async () => {
      expect(await simulate(stack, role, gitlabToken('project_path:acme/platform/api:ref_type:branch:ref:main', { aud: 'sts.amazonaws.com' }))).toBe('Denied');
      expect(await simulate(stack, role, gitlabToken('project_path:acme/platform/api:ref_type:branch:ref:main', {
        issuer: 'code.acme.com', provider: `arn:aws:iam::${TEST_ACCOUNT}:oidc-provider/code.acme.com`,
      }))).toBe('Denied');
    });
  });

  test('simulation: group/project does not admit group/project-evil, a group subject admits subgroups', async () => {
    const stack = newStack();
    const project = new GitLabCiRole(stack, 'Project', { subjects: [GitLabSubject.anyRef('acme/api')] });
    const group = new GitLabCiRole(stack, 'Group', { subjects: [GitLabSubject.group('acme/platform')] });
    expect(await simulate(stack, project, gitlabToken('project_path:acme/api:ref_type:tag:ref:v1'))).toBe('Allowed');
    expect(await simulate(stack, project, gitlabToken('project_path:acme/api-evil:ref_type:branch:ref:main'))).toBe('Denied');
    expect(await simulate(stack, group, gitlabToken('project_path:acme/platform/team/api:ref_type:branch:ref:main'))).toBe('Allowed');
    expect(await simulate(stack, group, gitlabToken('project_path:acme/platform-evil/api:ref_type:branch:ref:main'))).toBe('Denied');
  });

  describe('validation', () => {
    test.each([
      ['no subjects', [], /Invalid GitLabCiRole 'Ci\/Deploy' prop 'subjects': no subject is given/],
      ['a project without group', [GitLabSubject.branch('api', 'main')], /prop 'subjects': 'api' is not a GitLab project path 'group\/project'/],
      ['a wildcard project', [GitLabSubject.anyRef('acme/*')], /prop 'subjects': 'acme\/\*' contains a wildcard; name one project; use GitLabSubject.group\('acme'\)/],
      ['a segment starting with -', [GitLabSubject.branch('acme/-api', 'main')], /is not a GitLab project path/],
      ['a .git path', [GitLabSubject.branch('acme/api.git', 'main')], /is not a GitLab project path/],
      ['a bad branch', [GitLabSubject.branch('acme/api', 'a..b')], /'a..b' is not a valid branch name/],
      ['a bare *', [GitLabSubject.custom('*')], /the subject '\*' matches every workload of the issuer/],
      ['a custom subject for every project', [GitLabSubject.custom('project_path:*')], /'project_path:\*' matches project_path values of other owners/],
      ['a custom subject for a group', [GitLabSubject.custom('project_path:acme/platform/*:ref_type:branch:ref:main')],
        /matches more than one repository or project of 'acme\/platform' \(a wildcard in the project_path\); name one; use GitLabSubject.group\('acme\/platform'\) to opt in/],
      ['a custom subject without project_path first', [GitLabSubject.custom('ref:main')], /'ref:main' does not start with project_path:/],
    ])('%s', (_name, subjects, message) => {
      expect(() => new GitLabCiRole(newStack(), 'Deploy', { subjects: subjects as GitLabSubject[] })).toThrow(message);
    });

    test('audience length', () => {
      expect(() => new GitLabCiRole(newStack(), 'Deploy', { audience: '', subjects: [GitLabSubject.branch('acme/api', 'main')] }))
        .toThrow(/prop 'audience': '' is 0 characters long/);
    });

    test.each([
      ['*', /^Invalid GitLabCiRole 'Ci\/Deploy' prop 'audience': '\*' has a wildcard, but the audience is an exact value \(StringEquals\), never a pattern; give the exact audience the jobs request in id_tokens.<name>.aud/],
      ['https://gitlab.*', /prop 'audience': 'https:\/\/gitlab.\*' has a wildcard/],
      ['https://gitlab.co?', /prop 'audience': 'https:\/\/gitlab.co\?' has a wildcard/],
    ])('an audience with a wildcard (%s)', (audience, message) => {
      expect(() => new GitLabCiRole(newStack(), 'Deploy', { audience, subjects: [GitLabSubject.branch('acme/api', 'main')] })).toThrow(message);
    });

    test('a wildcard next to a token is refused where a wildcard is', () => {
      const stack = newStack();
      const value = new CfnParameter(stack, 'Value').valueAsString;
      const role = (id: string, subject: GitLabSubject, audience?: string) => () => new GitLabCiRole(stack, id, { audience, subjects: [subject] });
      expect(role('A', GitLabSubject.anyRef(`${value}/*`))).toThrow(/prop 'subjects': '.+' has a wildcard next to a value known at deploy time, so it would match more than one project/);
      expect(role('B', GitLabSubject.group(`${value}*`))).toThrow(/prop 'subjects': '.+' has a wildcard next to a value known at deploy time, so it would match more than one group/);
      expect(role('C', GitLabSubject.custom(`project_path:${value}/*:ref_type:branch:ref:main`)))
        .toThrow(/prop 'subjects': the project path of '.+' has a wildcard next to a value known at deploy time, so it would match more than one project/);
      expect(role('D', GitLabSubject.custom(`ref:${value}`))).toThrow(/prop 'subjects': '.+' does not start with project_path:/);
      expect(role('E', GitLabSubject.branch('acme/api', 'main'), `${value}*`)).toThrow(/prop 'audience': '.+' has a wildcard/);
    });
  });

  test('a token project in anyRef renders StringLike, matching every ref of that project only; a token group warns', async () => {
    // GIVEN
    const stack = newStack();
    const project = new CfnParameter(stack, 'Project').valueAsString;
    const group = new CfnParameter(stack, 'Group').valueAsString;
    // WHEN
    const role = new GitLabCiRole(stack, 'Deploy', { subjects: [GitLabSubject.anyRef(project), GitLabSubject.custom(`project_path:${project}:ref_type:tag:ref:v*`)] });
    new GitLabCiRole(stack, 'Everything', { subjects: [GitLabSubject.group(group)] });
    // THEN
    const join = (...parts: unknown[]) => ({ 'Fn::Join': ['', parts] });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Condition: {
            StringEquals: { 'gitlab.com:aud': 'https://gitlab.com' },
            StringLike: { 'gitlab.com:sub': [join('project_path:', { Ref: 'Project' }, ':*'), join('project_path:', { Ref: 'Project' }, ':ref_type:tag:ref:v*')] },
          },
        }],
      },
    });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Condition: { StringLike: { 'gitlab.com:sub': join('project_path:', { Ref: 'Group' }, '/*') } } }] },
    });
    Annotations.fromStack(stack).hasWarning('/Ci/Everything', Match.stringLikeRegexp('trusts every project of the group'));
    expect(await simulate(stack, role, gitlabToken('project_path:acme/api:ref_type:branch:ref:feature'), { Project: 'acme/api' })).toBe('Allowed');
    expect(await simulate(stack, role, gitlabToken('project_path:acme/api-evil:ref_type:branch:ref:main'), { Project: 'acme/api' })).toBe('Denied');
  });

  test('accepts tokens for the project path, branch and audience', () => {
    const stack = newStack();
    const path = new CfnParameter(stack, 'Project').valueAsString;
    const audience = new CfnParameter(stack, 'Audience').valueAsString;
    new GitLabCiRole(stack, 'Deploy', { audience, subjects: [GitLabSubject.branch(path, 'main')] });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Condition: {
            StringEquals: {
              'gitlab.com:aud': { Ref: 'Audience' },
              'gitlab.com:sub': { 'Fn::Join': ['', ['project_path:', { Ref: 'Project' }, ':ref_type:branch:ref:main']] },
            },
          },
        }],
      },
    });
  });
});
