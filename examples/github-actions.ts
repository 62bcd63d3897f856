/**
 * GitHub Actions deploys a static site without stored AWS keys:
 * - one GitHub OIDC provider for the account (defined once; other apps import it with
 *   GitHubOidcProvider.fromAccount);
 * - a deploy role only the `production` environment of acme/web can assume (protect the
 *   environment in GitHub with required reviewers);
 * - a preview role for pull requests that can only read the preview configuration.
 */
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AccessPatternsChecks, GitHubActionsRole, GitHubOidcProvider, GitHubSubject } from 'cdk-access-patterns';

const app = new App();
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new AccessPatternsChecks(app), new CfnGuardValidator());

const stack = new Stack(app, 'WebDelivery', { env: { account: '222222222222', region: 'eu-west-1' } });
const provider = new GitHubOidcProvider(stack, 'GitHub');

const site = s3.Bucket.fromBucketName(stack, 'Site', 'acme-web-site');
const deploy = new GitHubActionsRole(stack, 'DeployRole', {
  provider,
  subjects: [GitHubSubject.environment('acme/web', 'production')],
  description: 'Publishes acme/web from its production environment',
});
deploy.addToPolicy(new iam.PolicyStatement({
  actions: ['s3:PutObject', 's3:DeleteObject'],
  resources: [site.arnForObjects('*')],
}));
deploy.addToPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [site.bucketArn] }));
Validations.of(deploy).acknowledge({
  id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::acme-web-site/*]',
  reason: 'The pipeline publishes the whole site: every object of this one bucket.',
});

const preview = new GitHubActionsRole(stack, 'PreviewRole', {
  provider,
  subjects: [GitHubSubject.pullRequest('acme/web')],
  description: 'Reads the preview configuration for pull requests of acme/web',
});
preview.addToPolicy(new iam.PolicyStatement({
  actions: ['ssm:GetParameter'],
  resources: [stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: 'web/preview/config' })],
}));

app.synth();
