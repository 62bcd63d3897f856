/**
 * Cross-account access without keys:
 * - account A's CI role assumes account B's deploy role (both stacks in one app), with a
 *   source identity so every change in B is traceable to the pipeline run;
 * - a SaaS vendor (Datadog) reads account B's configuration through a third-party role
 *   that requires the external id Datadog generated.
 */
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, PhysicalName, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AccessPatternsChecks, CrossAccountRole, ThirdPartyRole } from 'cdk-access-patterns';

const app = new App();
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new AccessPatternsChecks(app), new CfnGuardValidator());

const toolingAccount = { account: '111111111111', region: 'eu-west-1' };
const productionAccount = { account: '222222222222', region: 'eu-west-1' };

// Account A: the pipeline's role. A generated physical name lets account B's stack name
// it in its trust policy.
const tooling = new Stack(app, 'Tooling', { env: toolingAccount });
const pipelineRole = new iam.Role(tooling, 'PipelineRole', {
  roleName: PhysicalName.GENERATE_IF_NEEDED,
  assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com'),
  description: 'CodeBuild pipeline that deploys to production',
});

// Account B: the deploy role trusts exactly that pipeline role, and only with a source identity.
const production = new Stack(app, 'Production', { env: productionAccount });
// IAM checks the role ARNs in a trust policy when it is deployed, and a name shared across
// environments adds no stack dependency by itself: deploy the pipeline role first.
production.addStackDependency(tooling);
const deployRole = new CrossAccountRole(production, 'DeployRole', {
  roleName: PhysicalName.GENERATE_IF_NEEDED,
  trustedRoleArns: [pipelineRole.roleArn],
  requireSourceIdentity: true,
  description: 'Deploys the web application stacks; assumed by the tooling account pipeline',
});
deployRole.addToPolicy(new iam.PolicyStatement({
  actions: ['cloudformation:CreateChangeSet', 'cloudformation:DescribeChangeSet', 'cloudformation:ExecuteChangeSet', 'cloudformation:DescribeStacks'],
  resources: [production.formatArn({ service: 'cloudformation', resource: 'stack', resourceName: 'web-*' })],
}));
Validations.of(deployRole).acknowledge({
  id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:cloudformation:${productionAccount.region}:${productionAccount.account}:stack/web-*]`,
  reason: 'The pipeline deploys every stack of the web application, which are all named web-<stage>.',
});

// Caller side: the pipeline may assume exactly that role (and set its source identity).
CrossAccountRole.grantAssume(pipelineRole, deployRole.roleArn, { setSourceIdentity: true });

// A vendor: Datadog's AWS integration reads configuration with the external id it generated.
const datadog = new ThirdPartyRole(production, 'DatadogIntegration', {
  vendorAccountId: '464622532012',
  externalId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
  managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('SecurityAudit')],
  description: 'Datadog AWS integration (read-only)',
});
Validations.of(datadog).acknowledge({
  id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/SecurityAudit]',
  reason: 'Datadog\'s integration guide requires the AWS managed SecurityAudit policy, which AWS keeps current as services are added.',
});

app.synth();
