/**
 * GitLab CI pushes container images without stored AWS keys: the gitlab.com provider and
 * a role that only the protected `main` branch of acme/platform/api can assume, allowed to
 * push to one ECR repository.
 */
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AccessPatternsChecks, GitLabCiRole, GitLabOidcProvider, GitLabSubject } from 'cdk-access-patterns';

const app = new App();
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new AccessPatternsChecks(app), new CfnGuardValidator());

const stack = new Stack(app, 'ApiImages', { env: { account: '222222222222', region: 'eu-west-1' } });
const provider = new GitLabOidcProvider(stack, 'GitLab');

const role = new GitLabCiRole(stack, 'ImagePushRole', {
  provider,
  subjects: [GitLabSubject.branch('acme/platform/api', 'main')],
  description: 'Pushes acme/platform/api images from the main branch',
});
const repository = ecr.Repository.fromRepositoryName(stack, 'Images', 'platform/api');
repository.grantPullPush(role);
Validations.of(role).acknowledge({
  id: 'AwsSolutions-IAM5[Resource::*]',
  reason: 'ecr:GetAuthorizationToken has no resource-level permissions; every other action is limited to the one repository.',
});

app.synth();
