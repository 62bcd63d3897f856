/**
 * Workforce access through IAM Identity Center for an organization of 12 accounts in three
 * OUs: Admins, Developers and ReadOnly groups, three permission sets, declared as a matrix.
 * The stack lives in the management (or delegated administrator) account, in the Identity
 * Center home region. Instance ARN and identity store id: `aws sso-admin list-instances`.
 */
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  AccessPatternsChecks, AccountAssignments, AssignmentTarget, IdentityCenterInstance, IdentityCenterPrincipal,
  PermissionSet, PermissionSetBoundary,
} from 'cdk-access-patterns';

const app = new App();
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new AccessPatternsChecks(app), new CfnGuardValidator());

const stack = new Stack(app, 'WorkforceAccess', { env: { account: '111111111111', region: 'eu-west-1' } });
// When a delegated administrator account deploys this stack, add `ownerAccount: '<management
// account id>'`: the identity store belongs to the management account.
const instance = IdentityCenterInstance.fromInstanceAttributes(stack, 'IdentityCenter', {
  instanceArn: 'arn:aws:sso:::instance/ssoins-6804a1b2c3d4e5f6',
  identityStoreId: 'd-93670a1b2c',
});

// The organization: OU ids with the accounts they hold today
// (aws organizations list-accounts-for-parent --parent-id <ou>).
const security = AssignmentTarget.organizationalUnit('ou-a1b2-securit1', ['200000000001', '200000000002', '200000000003']);
const production = AssignmentTarget.organizationalUnit('ou-a1b2-prodwork', ['300000000001', '300000000002', '300000000003', '300000000004', '300000000005']);
const development = AssignmentTarget.organizationalUnit('ou-a1b2-devwork1', ['400000000001', '400000000002', '400000000003', '400000000004']);

// Permission sets: the construct id is the name users see on the access portal.
const administrator = new PermissionSet(stack, 'Administrator', {
  instance,
  description: 'Full administration, for break-glass and platform work',
  sessionDuration: Duration.hours(1),
  managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess')],
  // Keeps CloudTrail, GuardDuty and the boundary itself out of the administrators' reach.
  permissionsBoundary: PermissionSetBoundary.fromCustomerManagedPolicy({ name: 'admin-guardrails', path: '/platform/' }),
});
const developer = new PermissionSet(stack, 'Developer', {
  instance,
  description: 'Builds and operates workloads; cannot change IAM or the organization',
  sessionDuration: Duration.hours(8),
  managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('PowerUserAccess')],
  customerManagedPolicies: [{ name: 'workload-deployer', path: '/platform/' }],
  permissionsBoundary: PermissionSetBoundary.fromCustomerManagedPolicy({ name: 'developer-boundary', path: '/platform/' }),
});
const readOnly = new PermissionSet(stack, 'ReadOnly', {
  instance,
  description: 'Reads configuration, metrics and logs',
  sessionDuration: Duration.hours(8),
  managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess')],
  inlinePolicy: new iam.PolicyDocument({
    statements: [new iam.PolicyStatement({
      effect: iam.Effect.DENY,
      actions: ['s3:GetObject'],
      resources: ['arn:aws:s3:::*-payroll/*'],
    })],
  }),
  relayState: 'https://console.aws.amazon.com/cloudwatch/home',
});

// Who gets what where. Groups by id; the readers' group by display name in the instance's
// identity store, looked up at deploy time (the only lookup the library makes). Switching a
// deployed principal between id and name cannot be deployed in one go (the assignments get
// new logical ids and AWS::SSO::Assignment fails with AlreadyExists): choose once.
// Past 400 assignments, set `shardCount` on AccountAssignments before the first deployment.
const admins = IdentityCenterPrincipal.group('9067a1b2c3-4d5e6f70-8192-4a3b-9c8d-000000000001');
const developers = IdentityCenterPrincipal.group('9067a1b2c3-4d5e6f70-8192-4a3b-9c8d-000000000002');
const readers = IdentityCenterPrincipal.groupNamed('ReadOnly');

new AccountAssignments(stack, 'Access', {
  instance,
  assignments: [
    { principal: admins, permissionSets: [administrator, readOnly], targets: [security, production, development] },
    { principal: developers, permissionSets: [developer, readOnly], targets: [development] },
    { principal: developers, permissionSets: [readOnly], targets: [production] },
    { principal: readers, permissionSets: [readOnly], targets: [security, production, development] },
  ],
});

app.synth();
