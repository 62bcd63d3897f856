import { App, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  AccessMap, AccessMapChangeType, AccountAssignments, AssignmentTarget, IdentityCenterInstance, IdentityCenterPrincipal,
  PermissionSet, SamlFederatedRole,
} from '../../src';

/**
 * The migration of examples/saml-to-identity-center.ts, phase by phase, read by the access
 * map: each step only adds access or only removes it, and the permission set carries the
 * SAML role's permissions and session length.
 */
type Phase = 'saml' | 'both' | 'identity-center';

function phaseMap(phase: Phase): AccessMap {
  const app = new App();
  const policies = [iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess')];
  if (phase !== 'identity-center') {
    const workload = new Stack(app, 'WorkloadSaml', { env: { account: '222222222222', region: 'eu-west-1' } });
    new SamlFederatedRole(workload, 'EngineerReadOnly', {
      provider: iam.SamlProvider.fromSamlProviderArn(workload, 'Okta', 'arn:aws:iam::222222222222:saml-provider/Okta'),
      managedPolicies: policies,
    });
  }
  if (phase !== 'saml') {
    const management = new Stack(app, 'WorkforceAccess', { env: { account: '111111111111', region: 'eu-west-1' } });
    const instance = IdentityCenterInstance.fromInstanceAttributes(management, 'IdentityCenter', {
      instanceArn: 'arn:aws:sso:::instance/ssoins-6804a1b2c3d4e5f6',
      identityStoreId: 'd-93670a1b2c',
    });
    const permissionSet = new PermissionSet(management, 'EngineerReadOnly', { instance, sessionDuration: Duration.hours(1), managedPolicies: policies });
    new AccountAssignments(management, 'Access', {
      instance,
      assignments: [{
        principal: IdentityCenterPrincipal.group('9067a1b2c3-4d5e6f70-8192-4a3b-9c8d-000000000010'),
        permissionSets: [permissionSet],
        targets: [AssignmentTarget.accounts(['222222222222'])],
      }],
    });
  }
  return AccessMap.fromAssembly(app.synth().directory);
}

describe('SAML to Identity Center, step by step', () => {
  const saml = phaseMap('saml');
  const both = phaseMap('both');
  const identityCenter = phaseMap('identity-center');

  test('step 1 (add Identity Center) only adds access: nobody loses the SAML way in', () => {
    const changes = AccessMap.diff(saml, both);
    expect(changes.filter(c => c.changeType === AccessMapChangeType.REMOVED)).toEqual([]);
    expect(changes.map(c => c.text)).toEqual(expect.arrayContaining([
      'managed policy: ReadOnlyAccess (AWS managed)',
      'session: up to 1 hour',
      expect.stringMatching(/^assignment: group 9067a1b2c3-4d5e6f70-8192-4a3b-9c8d-000000000010 → EngineerReadOnly in account 222222222222$/),
    ]));
  });

  test('step 2 (remove the SAML role) only removes the SAML way in, and the permission set carries what it removes', () => {
    const changes = AccessMap.diff(both, identityCenter);
    expect(changes.filter(c => c.changeType === AccessMapChangeType.ADDED)).toEqual([]);
    const removed = changes.map(c => c.text);
    expect(removed).toContain('way in: users of SAML provider Okta; allows sts:AssumeRoleWithSAML');
    // Every permission the role took away is one the permission set gives on the same account.
    const granted = AccessMap.diff(saml, both).filter(c => /^permission set/.test(c.subject)).map(c => c.text);
    expect(removed.filter(t => !t.startsWith('way in:'))).toEqual(expect.arrayContaining(granted));
    expect(granted).toEqual(expect.arrayContaining(removed.filter(t => !t.startsWith('way in:'))));
  });

  test('skipping step 1 would leave the engineers without access: the diff says so', () => {
    const changes = AccessMap.diff(saml, identityCenter);
    expect(changes.some(c => c.changeType === AccessMapChangeType.REMOVED && /users of SAML provider Okta/.test(c.text))).toBe(true);
    // ... while the Identity Center access arrives in the same deployment, whose assignments may still be creating.
    expect(changes.some(c => c.changeType === AccessMapChangeType.ADDED && /^assignment:/.test(c.text))).toBe(true);
  });
});
