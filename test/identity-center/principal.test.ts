import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cr from 'aws-cdk-lib/custom-resources';
import {
  accounts, ADMINS, ALICE, IDENTITY_STORE_ID, INSTANCE_ARN, newInstanceStack, OTHER_IDENTITY_STORE_ID, simulateIdentityPolicy,
} from './fixtures';
import {
  AccountAssignments, AssignmentEntry, AssignmentTarget, IdentityCenterInstance, IdentityCenterPrincipal, IdentityCenterPrincipalType,
  IIdentityCenterInstance, PermissionSet,
} from '../../src';
import { TEST_ACCOUNT, TEST_ENV } from '../support/env';
import { nagFindings } from '../support/nag';
import { resolveIntrinsics, templateOf } from '../support/template';

/** A stack that assigns a group and (unless `groupsOnly`) a user given by name. */
function lookupStack(options: { groupsOnly?: boolean; ownerAccount?: string } = {}) {
  const stack = new Stack(new App(), 'Sso', { env: TEST_ENV });
  const instance = IdentityCenterInstance.fromInstanceAttributes(stack, 'Instance', {
    instanceArn: INSTANCE_ARN, identityStoreId: IDENTITY_STORE_ID, ownerAccount: options.ownerAccount,
  });
  const readOnly = new PermissionSet(stack, 'ReadOnly', { instance, managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess')] });
  const developer = new PermissionSet(stack, 'Developer', { instance });
  const assignments: AssignmentEntry[] = [
    { principal: IdentityCenterPrincipal.groupByName(IDENTITY_STORE_ID, 'Platform Engineers'), permissionSets: [readOnly, developer], targets: [AssignmentTarget.accounts(accounts(2))] },
  ];
  if (!options.groupsOnly) {
    assignments.push({ principal: IdentityCenterPrincipal.userByName(IDENTITY_STORE_ID, 'alice@example.com'), permissionSets: [readOnly], targets: [AssignmentTarget.accounts(accounts(1))] });
  }
  const access = new AccountAssignments(stack, 'Access', { instance, assignments });
  return { stack, access };
}

/** The resolved policy document that grants the name lookups of the stack. */
function lookupPolicy(options: { groupsOnly?: boolean; ownerAccount?: string } = {}): any {
  const { stack } = lookupStack(options);
  const template = templateOf(stack);
  const policies = Object.values(template.Resources).filter(r => r.Type === 'AWS::IAM::Policy'
    && JSON.stringify(r.Properties.PolicyDocument).includes('identitystore:'));
  expect(policies).toHaveLength(1);
  return resolveIntrinsics(template, policies[0].Properties.PolicyDocument);
}

/** `n` distinct group display names, each assigned in one account, in one stack. */
function manyLookups(n: number, instance: IIdentityCenterInstance, stack: Stack): AccountAssignments {
  const readOnly = new PermissionSet(stack, 'ReadOnly', { instance });
  return new AccountAssignments(stack, 'Access', {
    instance,
    assignments: Array.from({ length: n }, (_, i) => ({
      principal: IdentityCenterPrincipal.groupNamed(`Team ${i}`), permissionSets: [readOnly], targets: [AssignmentTarget.accounts(accounts(1))],
    })),
  });
}

/** The logical ids of the assignments of one entry, built in a fresh stack. */
function assignmentIds(principal: (instance: IIdentityCenterInstance) => IdentityCenterPrincipal): string[] {
  const { stack, instance } = newInstanceStack();
  const access = new AccountAssignments(stack, 'Access', {
    instance,
    assignments: [{ principal: principal(instance), permissionSets: [new PermissionSet(stack, 'ReadOnly', { instance })], targets: [AssignmentTarget.accounts(accounts(2))] }],
  });
  return access.assignments.map(a => stack.resolve(a.logicalId));
}

describe('IdentityCenterPrincipal', () => {
  test('static ids go into the assignments as they are, and nothing is looked up', () => {
    // GIVEN
    const { stack, instance } = newInstanceStack();
    const readOnly = new PermissionSet(stack, 'ReadOnly', { instance });
    const group = IdentityCenterPrincipal.group(ADMINS);
    const user = IdentityCenterPrincipal.user(ALICE);
    // WHEN
    new AccountAssignments(stack, 'Access', {
      instance,
      assignments: [
        { principal: group, permissionSets: [readOnly], targets: [AssignmentTarget.accounts(['111111111111'])] },
        { principal: user, permissionSets: [readOnly], targets: [AssignmentTarget.accounts(['111111111111'])] },
      ],
    });
    // THEN
    expect(group.principalType).toBe(IdentityCenterPrincipalType.GROUP);
    expect(user.principalType).toBe(IdentityCenterPrincipalType.USER);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SSO::Assignment', { PrincipalType: 'GROUP', PrincipalId: ADMINS });
    template.hasResourceProperties('AWS::SSO::Assignment', { PrincipalType: 'USER', PrincipalId: ALICE });
    template.resourceCountIs('Custom::AWS', 0);
    template.resourceCountIs('AWS::Lambda::Function', 0);
    template.resourceCountIs('AWS::IAM::Role', 0);
    template.resourceCountIs('AWS::IAM::Policy', 0);
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

    test('grants only the lookup actions on the identity store and its groups or users, in one role and one policy', () => {
      // GIVEN / WHEN
      const { stack } = lookupStack();
      // THEN
      const template = Template.fromStack(stack);
      const store = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:identitystore::${TEST_ACCOUNT}:identitystore/${IDENTITY_STORE_ID}`]] };
      template.resourceCountIs('AWS::IAM::Policy', 1);
      template.resourceCountIs('AWS::IAM::Role', 1);
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('^IdentityCenterNameLookupsRole') }],
        PolicyDocument: {
          Statement: [{
            Effect: 'Allow',
            Action: 'identitystore:GetGroupId',
            Resource: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':identitystore:::group/*']] }, store],
          }, {
            Effect: 'Allow',
            Action: 'identitystore:GetUserId',
            Resource: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':identitystore:::user/*']] }, store],
          }],
        },
      });
      template.hasResourceProperties('AWS::Lambda::Function', { Role: { 'Fn::GetAtt': [Match.stringLikeRegexp('^IdentityCenterNameLookupsRole'), 'Arn'] } });
      for (const lookup of Object.values(template.findResources('Custom::AWS'))) {
        expect(lookup.DependsOn).toEqual([expect.stringMatching(/^IdentityCenterNameLookupsPolicy/)]);
      }
    });

    test('80 lookups share one role and one small policy, under IAM\'s 10,240 characters of inline policy per role', () => {
      // GIVEN
      const { stack, instance } = newInstanceStack();
      // WHEN
      manyLookups(80, instance, stack);
      // THEN
      const template = Template.fromStack(stack);
      template.resourceCountIs('Custom::AWS', 80);
      template.resourceCountIs('AWS::IAM::Policy', 1);
      template.resourceCountIs('AWS::IAM::Role', 1);
      const [policy] = Object.values(template.findResources('AWS::IAM::Policy'));
      expect(JSON.stringify(policy.Properties.PolicyDocument).length).toBeLessThan(1000);
    });

    test('lookups count against the 500 resources of the stack', () => {
      // GIVEN 300 assignments (under maxAssignmentsPerStack) that need 300 lookups
      const { stack, instance } = newInstanceStack();
      // WHEN
      manyLookups(300, instance, stack);
      // THEN
      expect(() => Template.fromStack(stack))
        .toThrow(/Invalid Stack 'Sso' prop 'resources': the template would hold 60\d resources \(most: 300 AWS::SSO::Assignment, 300 Custom::AWS, .*\), above CloudFormation's limit of 500 resources per stack.*another stack.*for AccountAssignments: give principals by id/);
    });

    test('the policy also covers the provider function when another AwsCustomResource created it first', () => {
      // GIVEN a custom resource of the app that creates the shared provider function with its own role
      const { stack, instance } = newInstanceStack();
      new cr.AwsCustomResource(stack, 'Other', {
        onUpdate: { service: 'STS', action: 'GetCallerIdentity', physicalResourceId: cr.PhysicalResourceId.of('x') },
        policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
        installLatestAwsSdk: false,
      });
      // WHEN
      manyLookups(1, instance, stack);
      // THEN
      const template = Template.fromStack(stack);
      const fn = Object.values(template.findResources('AWS::Lambda::Function'))[0];
      const fnRole = fn.Properties.Role['Fn::GetAtt'][0];
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'identitystore:GetGroupId' })]) },
        Roles: Match.arrayWith([{ Ref: fnRole }]),
      });
    });

    test('the identity store ARN is in the instance owner\'s account (delegated administrator)', () => {
      const { stack } = lookupStack({ ownerAccount: '999999999999' });
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({
            Resource: Match.arrayWith([{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:identitystore::999999999999:identitystore/${IDENTITY_STORE_ID}`]] }]),
          })]),
        },
      });
    });

    test('groupNamed takes the store from the instance, with the ids of groupByName in that store', () => {
      // GIVEN / WHEN
      const byInstance = assignmentIds(() => IdentityCenterPrincipal.groupNamed('Admins'));
      const byStore = assignmentIds(() => IdentityCenterPrincipal.groupByName(IDENTITY_STORE_ID, 'Admins'));
      const byId = assignmentIds(() => IdentityCenterPrincipal.group(ADMINS));
      // THEN same combination, same logical ids; a group by id is another combination
      expect(byInstance).toEqual(byStore);
      expect(byInstance).toEqual(['Assignment3EC6948F6E737136', 'Assignment134DD3FCA8D23E95']);
      expect(byId.some(id => byInstance.includes(id))).toBe(false);
      const { stack, instance } = newInstanceStack();
      manyLookups(1, instance, stack);
      Template.fromStack(stack).hasResourceProperties('Custom::AWS', { Create: Match.stringLikeRegexp(`"IdentityStoreId":"${IDENTITY_STORE_ID}"`) });
    });

    test('userNamed takes the store from the instance, with the ids of userByName in that store', () => {
      const byInstance = assignmentIds(() => IdentityCenterPrincipal.userNamed('alice@example.com'));
      const byStore = assignmentIds(() => IdentityCenterPrincipal.userByName(IDENTITY_STORE_ID, 'alice@example.com'));
      expect(byInstance).toEqual(byStore);
      expect(byInstance).toHaveLength(2);
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
        const policy = lookupPolicy();
        expect(await simulateIdentityPolicy(policy, 'identitystore:GetGroupId', storeArn(IDENTITY_STORE_ID))).toBe('Allowed');
        expect(await simulateIdentityPolicy(policy, 'identitystore:GetGroupId', storeArn(OTHER_IDENTITY_STORE_ID))).toBe('Denied');
      });

      test('nothing else is allowed', async () => {
        const policy = lookupPolicy({ groupsOnly: true });
        expect(await simulateIdentityPolicy(policy, 'identitystore:DeleteGroup', storeArn(IDENTITY_STORE_ID))).toBe('Denied');
        expect(await simulateIdentityPolicy(policy, 'identitystore:ListGroups', storeArn(IDENTITY_STORE_ID))).toBe('Denied');
        expect(await simulateIdentityPolicy(policy, 'identitystore:GetUserId', storeArn(IDENTITY_STORE_ID))).toBe('Denied');
      });

      test('with a delegated administrator, the owner\'s store is allowed and the deploying account\'s is not', async () => {
        const policy = lookupPolicy({ ownerAccount: '999999999999' });
        expect(await simulateIdentityPolicy(policy, 'identitystore:GetGroupId', `arn:aws:identitystore::999999999999:identitystore/${IDENTITY_STORE_ID}`)).toBe('Allowed');
        expect(await simulateIdentityPolicy(policy, 'identitystore:GetGroupId', storeArn(IDENTITY_STORE_ID))).toBe('Denied');
      });

      test('GetUserId is allowed on the instance identity store only', async () => {
        const policy = lookupPolicy();
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

      test('a store other than the instance\'s', () => {
        expect(() => assign(IdentityCenterPrincipal.groupByName(OTHER_IDENTITY_STORE_ID, 'Admins')))
          .toThrow(/prop 'assignments\[0\].principal.identityStoreId': 'd-0987654321' is not the identity store of the instance \('d-1234567890'\).*use groupNamed\(name\)/);
      });

      test('groupNamed with an instance that has no identity store id', () => {
        const { stack } = newInstanceStack();
        const instance = IdentityCenterInstance.fromInstanceArn(stack, 'ByArn', INSTANCE_ARN);
        expect(() => new AccountAssignments(stack, 'Access', {
          instance,
          assignments: [{ principal: IdentityCenterPrincipal.groupNamed('Admins'), permissionSets: [new PermissionSet(stack, 'ReadOnly', { instance })], targets: [AssignmentTarget.accounts(accounts(1))] }],
        })).toThrow(/prop 'assignments\[0\].principal': groupNamed\('Admins'\) looks the name up in the instance's identity store, but the instance has no identityStoreId/);
      });

      test('owner account of the wrong shape', () => {
        const { stack } = newInstanceStack();
        expect(() => IdentityCenterInstance.fromInstanceAttributes(stack, 'Bad', { instanceArn: INSTANCE_ARN, ownerAccount: '1234' }))
          .toThrow(/Invalid IdentityCenterInstance 'Sso\/Bad' prop 'ownerAccount': '1234' is not a 12-digit AWS account id/);
      });
    });
  });
});
