import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { accounts, IDENTITY_STORE_ID, newInstanceStack, OTHER_IDENTITY_STORE_ID, simulateIdentityPolicy } from './fixtures';
import { AccountAssignments, AssignmentTarget, IdentityCenterPrincipal, IdentityCenterPrincipalType, PermissionSet } from '../../src';
import { TEST_ACCOUNT } from '../support/env';
import { nagFindings } from '../support/nag';
import { resolveIntrinsics, templateOf } from '../support/template';

/** A stack that assigns a group and a user given by name. */
function lookupStack() {
  const { stack, instance } = newInstanceStack();
  const readOnly = new PermissionSet(stack, 'ReadOnly', { instance, managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess')] });
  const developer = new PermissionSet(stack, 'Developer', { instance });
  const access = new AccountAssignments(stack, 'Access', {
    instance,
    assignments: [
      { principal: IdentityCenterPrincipal.groupByName(IDENTITY_STORE_ID, 'Platform Engineers'), permissionSets: [readOnly, developer], targets: [AssignmentTarget.accounts(accounts(2))] },
      { principal: IdentityCenterPrincipal.userByName(IDENTITY_STORE_ID, 'alice@example.com'), permissionSets: [readOnly], targets: [AssignmentTarget.accounts(accounts(1))] },
    ],
  });
  return { stack, access };
}

/** The resolved policy document of the lookup custom resource calling `action`. */
function lookupPolicy(action: string): any {
  const { stack } = lookupStack();
  const template = templateOf(stack);
  const policy = Object.values(template.Resources).find(r => r.Type === 'AWS::IAM::Policy'
    && JSON.stringify(r.Properties.PolicyDocument).includes(`identitystore:${action}`));
  return resolveIntrinsics(template, policy!.Properties.PolicyDocument);
}

describe('IdentityCenterPrincipal', () => {
  test('static ids need no lookup', () => {
    expect(IdentityCenterPrincipal.group('11111111-2222-3333-4444-000000000001').principalType).toBe(IdentityCenterPrincipalType.GROUP);
    expect(IdentityCenterPrincipal.user('11111111-2222-3333-4444-000000000001').principalType).toBe(IdentityCenterPrincipalType.USER);
  });

  describe('by name', () => {
    test('resolves the group id at deploy time with identitystore:GetGroupId, once per name', () => {
      // GIVEN / WHEN
      const { stack } = lookupStack();
      // THEN
      const template = Template.fromStack(stack);
      template.resourceCountIs('Custom::AWS', 2);
      template.hasResourceProperties('Custom::AWS', {
        Create: JSON.stringify({
          service: 'IdentityStore',
          action: 'GetGroupId',
          parameters: { IdentityStoreId: IDENTITY_STORE_ID, AlternateIdentifier: { UniqueAttribute: { AttributePath: 'displayName', AttributeValue: 'Platform Engineers' } } },
          physicalResourceId: { responsePath: 'GroupId' },
        }),
        InstallLatestAwsSdk: false,
      });
      template.hasResourceProperties('Custom::AWS', { Create: Match.stringLikeRegexp('"action":"GetUserId".*"AttributePath":"userName","AttributeValue":"alice@example.com"') });
      const groupAssignments = template.findResources('AWS::SSO::Assignment', { Properties: { PrincipalType: 'GROUP' } });
      expect(Object.keys(groupAssignments)).toHaveLength(4);
      for (const a of Object.values(groupAssignments)) {
        expect(a.Properties.PrincipalId['Fn::GetAtt'][0]).toMatch(/^AccessGroupLookup[0-9A-F]{8}/);
        expect(a.Properties.PrincipalId['Fn::GetAtt'][1]).toBe('GroupId');
      }
    });

    test('grants only the lookup action on the identity store and its groups', () => {
      const { stack } = lookupStack();
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: [{
            Effect: 'Allow',
            Action: 'identitystore:GetGroupId',
            Resource: [
              { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:identitystore::${TEST_ACCOUNT}:identitystore/${IDENTITY_STORE_ID}`]] },
              { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':identitystore:::group/*']] },
            ],
          }],
        },
      });
    });

    test('matches the snapshot', () => {
      const { stack } = lookupStack();
      expect(templateOf(stack)).toMatchSnapshot();
    });

    test('passes AwsSolutions and AccessPatterns checks, with the custom resource findings acknowledged', () => {
      const { stack } = lookupStack();
      expect(nagFindings(stack)).toEqual([]);
    });

    test('the acknowledgements stay on the lookup resources: another function in the stack is still checked', () => {
      // GIVEN
      const { stack } = lookupStack();
      // WHEN
      new iam.Role(stack, 'OtherFunctionRole', {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole')],
      });
      // THEN
      expect(nagFindings(stack)).toEqual([{
        rule: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        path: 'Sso/OtherFunctionRole/Resource',
      }]);
    });

    test('two principals with the same name share one lookup, also in nested stacks', () => {
      // GIVEN
      const { stack, instance } = newInstanceStack();
      const readOnly = new PermissionSet(stack, 'ReadOnly', { instance });
      // WHEN
      const access = new AccountAssignments(stack, 'Access', {
        instance,
        shardCount: 2,
        assignments: [
          { principal: IdentityCenterPrincipal.groupByName(IDENTITY_STORE_ID, 'Admins'), permissionSets: [readOnly], targets: [AssignmentTarget.accounts(accounts(3))] },
          { principal: IdentityCenterPrincipal.groupByName(IDENTITY_STORE_ID, 'Admins'), permissionSets: [readOnly], targets: [AssignmentTarget.accounts(accounts(3, 3))] },
        ],
      });
      // THEN the lookup stays in the parent stack and its result is passed to each shard
      Template.fromStack(stack).resourceCountIs('Custom::AWS', 1);
      for (const shard of access.nestedStacks) {
        Template.fromStack(shard).hasResourceProperties('AWS::SSO::Assignment', { PrincipalId: { Ref: Match.stringLikeRegexp('GroupLookup') } });
      }
    });

    describe('simulation', () => {
      // Identity Center has no trust policy to write; the IAM policy this construct writes
      // for name lookups is the custom resource's, so that is what is simulated.
      const storeArn = (id: string) => `arn:aws:identitystore::${TEST_ACCOUNT}:identitystore/${id}`;

      test('GetGroupId is allowed on the instance identity store only', async () => {
        const policy = lookupPolicy('GetGroupId');
        expect(await simulateIdentityPolicy(policy, 'identitystore:GetGroupId', storeArn(IDENTITY_STORE_ID))).toBe('Allowed');
        expect(await simulateIdentityPolicy(policy, 'identitystore:GetGroupId', storeArn(OTHER_IDENTITY_STORE_ID))).toBe('Denied');
      });

      test('nothing else is allowed', async () => {
        const policy = lookupPolicy('GetGroupId');
        expect(await simulateIdentityPolicy(policy, 'identitystore:DeleteGroup', storeArn(IDENTITY_STORE_ID))).toBe('Denied');
        expect(await simulateIdentityPolicy(policy, 'identitystore:GetUserId', storeArn(IDENTITY_STORE_ID))).toBe('Denied');
      });

      test('GetUserId is allowed on the instance identity store only', async () => {
        const policy = lookupPolicy('GetUserId');
        expect(await simulateIdentityPolicy(policy, 'identitystore:GetUserId', storeArn(IDENTITY_STORE_ID))).toBe('Allowed');
        expect(await simulateIdentityPolicy(policy, 'identitystore:GetUserId', storeArn(OTHER_IDENTITY_STORE_ID))).toBe('Denied');
      });
    });

    describe('validation', () => {
      const assign = (principal: IdentityCenterPrincipal) => {
        const { stack, instance } = newInstanceStack();
        new AccountAssignments(stack, 'Access', {
          instance,
          assignments: [{ principal, permissionSets: [new PermissionSet(stack, 'ReadOnly', { instance })], targets: [AssignmentTarget.accounts(accounts(1))] }],
        });
      };

      test('identity store id of the wrong shape', () => {
        expect(() => assign(IdentityCenterPrincipal.groupByName('d-123', 'Admins')))
          .toThrow(/prop 'assignments\[0\].principal.identityStoreId': 'd-123' is not an identity store id/);
      });

      test('empty display name', () => {
        expect(() => assign(IdentityCenterPrincipal.groupByName(IDENTITY_STORE_ID, '')))
          .toThrow(/prop 'assignments\[0\].principal.displayName': '' is 0 characters long, outside 1-1024/);
      });

      test('user name longer than 128 characters', () => {
        expect(() => assign(IdentityCenterPrincipal.userByName(IDENTITY_STORE_ID, 'u'.repeat(129))))
          .toThrow(/prop 'assignments\[0\].principal.userName': .* is 129 characters long, outside 1-128/);
      });
    });
  });
});
