/**
 * A platform team's account baseline: every way into the production account, and a
 * monitor that reports each use of them.
 * - the tooling account's pipeline role assumes a deploy role (source identity required);
 * - GitHub Actions deploys from the `production` environment of acme/web;
 * - operators sign in through the company's SAML identity provider;
 * - an AssumeRoleMonitor sends every AssumeRole / AssumeRoleWithWebIdentity /
 *   AssumeRoleWithSAML of these roles to the security team's topic (KMS-encrypted, TLS
 *   only), and a second one reports callers from accounts outside the organization.
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

// The ways in.
const pipelineDeploy = new CrossAccountRole(stack, 'PipelineDeployRole', {
  trustedRoleArns: ['arn:aws:iam::111111111111:role/pipeline-deployer'],
  requireSourceIdentity: true,
  description: 'Deploys the platform stacks; assumed by the tooling account pipeline',
});

const github = new GitHubOidcProvider(stack, 'GitHub');
const webDeploy = new GitHubActionsRole(stack, 'WebDeployRole', {
  provider: github,
  subjects: [GitHubSubject.environment('acme/web', 'production')],
  description: 'Publishes acme/web from its production environment',
});

const operators = new SamlFederatedRole(stack, 'OperatorRole', {
  provider: iam.SamlProvider.fromSamlProviderArn(stack, 'CorporateIdp', 'arn:aws:iam::222222222222:saml-provider/CorporateIdP'),
  allowSourceIdentity: true,
  description: 'On-call operators, through the corporate identity provider',
});

// The security team's topic: encrypted with a customer managed key, TLS only.
const alertsKey = new kms.Key(stack, 'SecurityAlertsKey', { enableKeyRotation: true, description: 'Encrypts the security alerts topic' });
alertsKey.addToResourcePolicy(new iam.PolicyStatement({
  effect: iam.Effect.DENY,
  principals: [new iam.AnyPrincipal()],
  actions: ['kms:CreateGrant'],
  resources: ['*'],
  conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
}));
const alerts = new sns.Topic(stack, 'SecurityAlerts', { masterKey: alertsKey, enforceSSL: true });

// Every use of the production ways in.
new AssumeRoleMonitor(stack, 'ProductionAccessUse', {
  roles: [pipelineDeploy, webDeploy, operators],
  topic: alerts,
});

// Any attempt, successful or not, by a principal outside the organization's accounts.
new AssumeRoleMonitor(stack, 'ForeignCallers', {
  roles: [pipelineDeploy],
  topic: alerts,
  knownAccounts: organizationAccounts,
  description: 'Reports calls to assume the deploy role from accounts outside the organization',
});

app.synth();
