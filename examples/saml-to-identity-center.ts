/**
 * Moving engineers from an existing SAML federation (Okta, straight into an IAM role of the
 * workload account) to IAM Identity Center, without a moment in which anyone loses access.
 * The app has three phases, chosen with `-c phase=...`:
 * - `saml`: what exists today: the Okta SAML provider and the `EngineerReadOnly` role in
 *   the workload account 222222222222, which Okta gives to the `Engineers` group;
 * - `both` (the default): Identity Center adds the `EngineerReadOnly` permission set with
 *   the same policies and session length, assigned to the same `Engineers` group (synced
 *   from Okta by SCIM) on the same account. The SAML role stays: both ways work;
 * - `identity-center`: once the access portal works for everyone (and Okta's AWS app no
 *   longer shows the role), the SAML role and provider are removed.
 * The access map's diff proves each step: `saml -> both` only adds access (the permission
 * set reaches the account with the role's policies), `both -> identity-center` only removes
 * the SAML way in. See the guide in src/saml/README.md.
 */
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  AccessPatternsChecks, AccountAssignments, AssignmentTarget, IdentityCenterInstance, IdentityCenterPrincipal,
  PermissionSet, SamlFederatedRole,
} from 'cdk-access-patterns';

const app = new App();
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new AccessPatternsChecks(app), new CfnGuardValidator());
const phase: string = app.node.tryGetContext('phase') ?? 'both';
if (!['saml', 'both', 'identity-center'].includes(phase)) throw new Error(`phase must be saml, both or identity-center, not ${phase}`);

/** What engineers may do in the workload account: the same whichever way they come in. */
const engineerPolicies = [iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess')];
const sessionDuration = Duration.hours(1);
const policyReason = 'Engineers may read every service; AWS keeps the ReadOnlyAccess policy current as services are added.';

if (phase !== 'identity-center') {
  // Today: the workload account federates Okta directly.
  const workload = new Stack(app, 'WorkloadSaml', { env: { account: '222222222222', region: 'eu-west-1' } });
  const okta = iam.SamlProvider.fromSamlProviderArn(workload, 'Okta', 'arn:aws:iam::222222222222:saml-provider/Okta');
  const role = new SamlFederatedRole(workload, 'EngineerReadOnly', {
    provider: okta,
    description: 'Read-only access for the Engineers group, through Okta (being replaced by Identity Center)',
    managedPolicies: engineerPolicies,
    maxSessionDuration: sessionDuration,
  });
  Validations.of(role).acknowledge({ id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/ReadOnlyAccess]', reason: policyReason });
}

if (phase !== 'saml') {
  // The management account (Identity Center's home region) declares the same access.
  const management = new Stack(app, 'WorkforceAccess', { env: { account: '111111111111', region: 'eu-west-1' } });
  const instance = IdentityCenterInstance.fromInstanceAttributes(management, 'IdentityCenter', {
    instanceArn: 'arn:aws:sso:::instance/ssoins-6804a1b2c3d4e5f6',
    identityStoreId: 'd-93670a1b2c',
  });
  const engineerReadOnly = new PermissionSet(management, 'EngineerReadOnly', {
    instance,
    description: 'Read-only access for the Engineers group (was the EngineerReadOnly SAML role)',
    sessionDuration,
    managedPolicies: engineerPolicies,
  });
  new AccountAssignments(management, 'Access', {
    instance,
    assignments: [{
      // The group Okta pushes by SCIM: the same people Okta gave the SAML role to.
      principal: IdentityCenterPrincipal.group('9067a1b2c3-4d5e6f70-8192-4a3b-9c8d-000000000010'),
      permissionSets: [engineerReadOnly],
      targets: [AssignmentTarget.accounts(['222222222222'])],
    }],
  });
}

app.synth();
