import { GithubActionsIdentityProvider, GithubActionsRole } from 'aws-cdk-github-oidc';
import { App, CfnResource, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { GitHubActionsRole, GitHubOidcProvider, GitHubSubject } from '../../src';
import { TEST_ENV } from '../support/env';
import { logicalIdOf, resolveIntrinsics, TemplateJson } from '../support/template';

/**
 * Migrating from aws-cdk-github-oidc keeps the account's existing provider and updates the
 * roles in place. The steps are documented in src/github-oidc/README.md.
 */
describe('migration from aws-cdk-github-oidc', () => {
  function before(): { stack: Stack; role: GithubActionsRole; provider: GithubActionsIdentityProvider } {
    const stack = new Stack(new App(), 'Ci', { env: TEST_ENV });
    const provider = new GithubActionsIdentityProvider(stack, 'GithubProvider');
    const role = new GithubActionsRole(stack, 'DeployRole', { provider, owner: 'acme', repo: 'api', filter: 'ref:refs/heads/main' });
    return { stack, role, provider };
  }

  test('step 1: retaining the old provider changes nothing but its deletion policy', () => {
    const { stack, provider } = before();
    const resource = provider.node.findChild('Resource').node.defaultChild as CfnResource;
    resource.applyRemovalPolicy(RemovalPolicy.RETAIN);
    Template.fromStack(stack).hasResource('Custom::AWSCDKOpenIdConnectProvider', { DeletionPolicy: 'Retain' });
  });

  test('step 2: the new role imports the same provider ARN and keeps the role\'s logical id', () => {
    const old = before();
    const oldTemplate = Template.fromStack(old.stack).toJSON();
    const oldRoleId = logicalIdOf(old.role);
    const oldPrincipal = oldTemplate.Resources[oldRoleId].Properties.AssumeRolePolicyDocument.Statement[0].Principal.Federated;

    const stack = new Stack(new App(), 'Ci', { env: TEST_ENV });
    const role = new GitHubActionsRole(stack, 'DeployRole', {
      provider: GitHubOidcProvider.fromAccount(stack, 'GithubProvider'),
      subjects: [GitHubSubject.branch('acme/api', 'main')],
    });
    const template = Template.fromStack(stack).toJSON();

    // Same logical id: CloudFormation updates the role in place, its ARN stays.
    expect(logicalIdOf(role)).toBe(oldRoleId);
    // No provider resource any more: the retained one is imported, not replaced.
    expect(Object.values<any>(template.Resources).filter(r => /OIDCProvider|OpenIdConnectProvider/.test(r.Type))).toEqual([]);
    // The old principal was the custom resource's ARN; the new one is the same ARN, built.
    expect(oldPrincipal).toEqual({ Ref: expect.stringMatching(/^GithubProvider/) });
    const newPrincipal = template.Resources[oldRoleId].Properties.AssumeRolePolicyDocument.Statement[0].Principal.Federated;
    const oldArn = resolveIntrinsics(oldTemplate as TemplateJson, oldPrincipal);
    expect(oldArn).toBe('arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com');
    expect(resolveIntrinsics(template as TemplateJson, newPrincipal)).toBe(oldArn);
    expect(template.Resources[oldRoleId].Properties.AssumeRolePolicyDocument.Statement[0]).toEqual({
      Effect: 'Allow',
      Action: 'sts:AssumeRoleWithWebIdentity',
      Principal: { Federated: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::222222222222:oidc-provider/token.actions.githubusercontent.com']] } },
      Condition: {
        StringEquals: {
          'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
          'token.actions.githubusercontent.com:sub': 'repo:acme/api:ref:refs/heads/main',
        },
      },
    });
  });

  test('the old construct trusted the same subject with StringLike; the new one is exact', () => {
    const { stack, role } = before();
    const statement = Template.fromStack(stack).toJSON().Resources[logicalIdOf(role)].Properties.AssumeRolePolicyDocument.Statement[0];
    expect(statement.Condition.StringLike).toEqual({ 'token.actions.githubusercontent.com:sub': 'repo:acme/api:ref:refs/heads/main' });
  });
});
