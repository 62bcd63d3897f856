import { App, CfnParameter, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { GitHubActionsRole, GitHubOidcProvider, GitHubSubject } from '../../src';
import { TEST_ACCOUNT, TEST_ENV } from '../support/env';
import { nagFindings } from '../support/nag';
import { simulate, webIdentity } from '../support/simulate';
import { logicalIdOf, templateOf } from '../support/template';

function newStack(app: App = new App(), id = 'Ci', env: { account?: string; region?: string } = TEST_ENV): Stack {
  return new Stack(app, id, { env });
}

describe('GitHubOidcProvider', () => {
  test('is a native AWS::IAM::OIDCProvider for GitHub.com with the STS audience, retained', () => {
    const stack = newStack();
    new GitHubOidcProvider(stack, 'GitHub');
    const t = Template.fromStack(stack);
    t.hasResource('AWS::IAM::OIDCProvider', {
      Properties: {
        Url: 'https://token.actions.githubusercontent.com',
        ClientIdList: ['sts.amazonaws.com'],
        ThumbprintList: Match.absent(),
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    t.resourceCountIs('AWS::Lambda::Function', 0);
    t.resourceCountIs('Custom::AWSCDKOpenIdConnectProvider', 0);
  });

  test.each([
    [{ enterpriseSlug: 'acme' }, 'https://token.actions.githubusercontent.com/acme', 'token.actions.githubusercontent.com/acme'],
    [{ serverHost: 'github.acme.com' }, 'https://github.acme.com/_services/token', 'github.acme.com/_services/token'],
  ])('issuer for %j', (options, url, issuer) => {
    const stack = newStack();
    const provider = new GitHubOidcProvider(stack, 'GitHub', { ...options, thumbprints: ['6938fd4d98bab03faadb97b34396831e3780aea1'], removalPolicy: RemovalPolicy.DESTROY });
    expect(provider.issuer).toBe(issuer);
    Template.fromStack(stack).hasResource('AWS::IAM::OIDCProvider', {
      Properties: { Url: url, ThumbprintList: ['6938fd4d98bab03faadb97b34396831e3780aea1'] },
      DeletionPolicy: 'Delete',
    });
  });

  test('fromAccount builds the partition-aware ARN without creating anything', () => {
    const stack = newStack();
    const github = GitHubOidcProvider.fromAccount(stack, 'GitHub');
    const ghes = GitHubOidcProvider.fromAccount(stack, 'Ghes', { serverHost: 'github.acme.com', account: '444444444444' });
    expect(stack.resolve(github.oidcProviderArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${TEST_ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`]],
    });
    expect(stack.resolve(ghes.oidcProviderArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::444444444444:oidc-provider/github.acme.com/_services/token']],
    });
    expect(ghes.issuer).toBe('github.acme.com/_services/token');
    expect(stack.node.findAll().filter(c => c instanceof iam.CfnOIDCProvider)).toEqual([]);
  });

  test('changing client ids or thumbprints keeps the logical id (no replacement)', () => {
    const before = newStack();
    const a = new GitHubOidcProvider(before, 'GitHub');
    const after = newStack();
    const b = new GitHubOidcProvider(after, 'GitHub', { clientIds: ['sts.amazonaws.com', 'https://github.com/acme'], thumbprints: ['6938fd4d98bab03faadb97b34396831e3780aea1'] });
    const id = (p: GitHubOidcProvider) => Stack.of(p).resolve((p.node.defaultChild as iam.CfnOIDCProvider).logicalId);
    expect(id(a)).toBe(id(b));
    expect(id(a)).toBe('GitHub38B7EEC4');
  });

  test('matches the snapshot and passes the nag packs', () => {
    const stack = newStack();
    new GitHubOidcProvider(stack, 'GitHub');
    expect(templateOf(stack)).toMatchSnapshot();
    expect(nagFindings(stack)).toEqual([]);
  });

  test('a role trusting the created provider is simulated against its ARN', async () => {
    const stack = newStack();
    const provider = new GitHubOidcProvider(stack, 'GitHub');
    const role = new GitHubActionsRole(stack, 'Deploy', { provider, subjects: [GitHubSubject.branch('acme/api', 'main')] });
    const arn = `arn:aws:iam::${TEST_ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
    const token = (sub: string) => webIdentity(arn, {
      'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
      'token.actions.githubusercontent.com:sub': sub,
    });
    expect(logicalIdOf(role)).toBe('Deploy7B206E61');
    expect(await simulate(stack, role, token('repo:acme/api:ref:refs/heads/main'))).toBe('Allowed');
    expect(await simulate(stack, role, token('repo:acme/api:ref:refs/heads/dev'))).toBe('Denied');
  });

  describe('one provider per issuer per account', () => {
    test('two providers for GitHub.com in one stack fail synthesis, pointing to fromAccount', () => {
      const stack = newStack();
      new GitHubOidcProvider(stack, 'GitHub');
      new GitHubOidcProvider(stack, 'GitHubAgain');
      expect(() => Template.fromStack(stack)).toThrow(/Invalid GitHubOidcProvider 'Ci\/GitHub(Again)?': Ci\/GitHub(Again)?\/Resource defines another OIDC provider for https:\/\/token.actions.githubusercontent.com in the same account.*import it elsewhere with GitHubOidcProvider.fromAccount\(scope, id\)/);
    });

    test('two stacks of one account fail too, also against a plain aws-cdk-lib provider', () => {
      const app = new App();
      new GitHubOidcProvider(newStack(app, 'A'), 'GitHub');
      new iam.OidcProviderNative(newStack(app, 'B'), 'Plain', { url: 'https://token.actions.githubusercontent.com', clientIds: ['sts.amazonaws.com'] });
      expect(() => app.synth()).toThrow(/B\/Plain\/Resource defines another OIDC provider/);
    });

    test('other accounts and other issuers are fine', () => {
      const app = new App();
      new GitHubOidcProvider(newStack(app, 'A'), 'GitHub');
      new GitHubOidcProvider(newStack(app, 'B', { account: '444444444444', region: 'us-east-1' }), 'GitHub');
      new GitHubOidcProvider(newStack(app, 'C'), 'Enterprise', { enterpriseSlug: 'acme' });
      expect(() => app.synth()).not.toThrow();
    });
  });

  describe('validation', () => {
    test.each([
      [{ enterpriseSlug: 'acme', serverHost: 'github.acme.com' }, /Invalid GitHubOidcProvider 'Ci\/GitHub' prop 'enterpriseSlug': both enterpriseSlug and serverHost are set/],
      [{ enterpriseSlug: 'Acme Corp' }, /prop 'enterpriseSlug': 'Acme Corp' is not an enterprise slug/],
      [{ serverHost: 'https://github.acme.com' }, /prop 'serverHost': 'https:\/\/github.acme.com' is not a host name; give the host only/],
      [{ thumbprints: ['abc'] }, /prop 'thumbprints': 'abc' is not a certificate thumbprint/],
      [{ thumbprints: Array(6).fill('6938fd4d98bab03faadb97b34396831e3780aea1') }, /prop 'thumbprints': 6 thumbprints given; give at most 5/],
      [{ clientIds: [] }, /prop 'clientIds': 0 client ids given/],
      [{ clientIds: ['x'.repeat(256)] }, /prop 'clientIds': the client id .* is 256 characters long/],
    ])('%j', (props, message) => {
      expect(() => new GitHubOidcProvider(newStack(), 'GitHub', props)).toThrow(message);
    });

    test('fromAccount validates the account', () => {
      expect(() => GitHubOidcProvider.fromAccount(newStack(), 'GitHub', { account: '12' }))
        .toThrow(/Invalid GitHubOidcProvider.fromAccount 'Ci\/GitHub' prop 'account': '12' is not a 12-digit AWS account id/);
    });
  });

  test('accepts tokens for the enterprise slug and client ids', () => {
    const stack = newStack();
    const slug = new CfnParameter(stack, 'Slug').valueAsString;
    const client = new CfnParameter(stack, 'Client').valueAsString;
    new GitHubOidcProvider(stack, 'GitHub', { enterpriseSlug: slug, clientIds: [client] });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::OIDCProvider', {
      Url: { 'Fn::Join': ['', ['https://token.actions.githubusercontent.com/', { Ref: 'Slug' }]] },
      ClientIdList: [{ Ref: 'Client' }],
    });
  });
});
