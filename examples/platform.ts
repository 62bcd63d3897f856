/**
 * A platform team's account baseline: every way into the production account, and
 * monitors that report each use of them.
 * - the tooling account's pipeline role assumes a deploy role (source identity required);
 * - GitHub Actions deploys from the `production` environment of acme/web;
 * - operators sign in through the company's SAML identity provider;
 * - AssumeRoleMonitors send every AssumeRole / AssumeRoleWithWebIdentity /
 *   AssumeRoleWithSAML of these roles to the security team's topic (KMS-encrypted, TLS
 *   only), and a second one reports callers from accounts outside the organization.
 *
 * CloudTrail records an STS call in the region of the endpoint that served it: the
 * regional endpoint of eu-west-1 for the workloads there, but us-east-1 for SAML console
 * sign-ins through the global sign-in endpoint and for clients of the global STS endpoint
 * `sts.amazonaws.com`. So the same monitors (and their own topic: an SNS target must be
 * in the rule's region) are deployed in both regions. IAM roles are global; the
 * us-east-1 stack names them by ARN, so the roles have fixed names here (the tooling
 * account's pipeline needs the deploy role's ARN anyway).
 *
 * Prerequisite of the monitors: a CloudTrail trail that records management events (read
 * events included) in eu-west-1 and us-east-1, e.g. the organization trail.
 */
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  AccessPatternsChecks, AssumeRoleMonitor, CrossAccountRole, GitHubActionsRole, GitHubOidcProvider, GitHubSubject,
  SamlFederatedRole,
} from 'cdk-access-patterns';

const app = new App();
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new AccessPatternsChecks(app), new CfnGuardValidator());

const organizationAccounts = ['111111111111', '222222222222', '333333333333'];
const stack = new Stack(app, 'ProductionAccess', { env: { account: '222222222222', region: 'eu-west-1' } });

// The ways in. Fixed names: the tooling account and the us-east-1 monitors name them by ARN.
const roleNames = { pipelineDeploy: 'production-pipeline-deploy', webDeploy: 'production-web-deploy', operators: 'production-operators' };
const pipelineDeploy = new CrossAccountRole(stack, 'PipelineDeployRole', {
  roleName: roleNames.pipelineDeploy,
  trustedRoleArns: ['arn:aws:iam::111111111111:role/pipeline-deployer'],
  requireSourceIdentity: true,
  description: 'Deploys the platform stacks; assumed by the tooling account pipeline',
});

const github = new GitHubOidcProvider(stack, 'GitHub');
const webDeploy = new GitHubActionsRole(stack, 'WebDeployRole', {
  roleName: roleNames.webDeploy,
  provider: github,
  subjects: [GitHubSubject.environment('acme/web', 'production')],
  description: 'Publishes acme/web from its production environment',
});

const operators = new SamlFederatedRole(stack, 'OperatorRole', {
  roleName: roleNames.operators,
  provider: iam.SamlProvider.fromSamlProviderArn(stack, 'CorporateIdp', 'arn:aws:iam::222222222222:saml-provider/CorporateIdP'),
  allowSourceIdentity: true,
  description: 'On-call operators, through the corporate identity provider',
});

/**
 * The security team's topic in `scope`'s region (a customer managed key, TLS only) and
 * the monitors of the production roles that send to it.
 */
function monitorProductionAccess(scope: Stack, roles: iam.IRole[], deployRole: iam.IRole): void {
  const alertsKey = new kms.Key(scope, 'SecurityAlertsKey', { enableKeyRotation: true, description: 'Encrypts the security alerts topic' });
  alertsKey.addToResourcePolicy(new iam.PolicyStatement({
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['kms:CreateGrant'],
    resources: ['*'],
    conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
  }));
  const alerts = new sns.Topic(scope, 'SecurityAlerts', { masterKey: alertsKey, enforceSSL: true });

  // Every use of the production ways in.
  new AssumeRoleMonitor(scope, 'ProductionAccessUse', { roles, topic: alerts });

  // Any attempt, successful or not, by a principal outside the organization's accounts.
  new AssumeRoleMonitor(scope, 'ForeignCallers', {
    roles: [deployRole],
    topic: alerts,
    knownAccounts: organizationAccounts,
    description: 'Reports calls to assume the deploy role from accounts outside the organization',
  });
}

// Regional STS endpoint of the workloads' region.
monitorProductionAccess(stack, [pipelineDeploy, webDeploy, operators], pipelineDeploy);

// Global endpoints (SAML console sign-in, sts.amazonaws.com): recorded in us-east-1.
const globalEndpoints = new Stack(app, 'ProductionAccessGlobalEndpoints', { env: { account: '222222222222', region: 'us-east-1' } });
const globalPipelineDeploy = iam.Role.fromRoleName(globalEndpoints, 'PipelineDeployRole', roleNames.pipelineDeploy);
monitorProductionAccess(globalEndpoints, [
  globalPipelineDeploy,
  iam.Role.fromRoleName(globalEndpoints, 'WebDeployRole', roleNames.webDeploy),
  iam.Role.fromRoleName(globalEndpoints, 'OperatorRole', roleNames.operators),
], globalPipelineDeploy);

app.synth();
