import { App, CfnParameter, NestedStack, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { accounts, ADMINS, ALICE, AUDITORS, DEVELOPERS, INSTANCE_ARN, newInstanceStack } from './fixtures';
import {
  AccountAssignments, AssignmentEntry, AssignmentTarget, IdentityCenterInstance, IdentityCenterPrincipal,
  IIdentityCenterInstance, IPermissionSet, PermissionSet,
} from '../../src';
import { hashNumber, stableHash } from '../../src/core/hash';
import { TEST_ENV } from '../support/env';
import { nagFindings } from '../support/nag';
import { templateOf } from '../support/template';

const OU_WORKLOADS = 'ou-ab12-cd34ef56';
const OU_SANDBOX = 'ou-ab12-9z8y7x6w';

/** The permission sets of a typical organization. */
function permissionSets(stack: Stack, instance: IIdentityCenterInstance, names: string[] = ['Admin', 'Developer', 'ReadOnly']): IPermissionSet[] {
  return names.map(name => new PermissionSet(stack, name, {
    instance,
    managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess')],
  }));
}

/** Builds an app with the given access and returns the assignment logical ids and their stacks. */
function synthesize(
  build: (stack: Stack, instance: IIdentityCenterInstance) => AssignmentEntry[],
  options: { shardCount?: number } = {},
): Map<string, string> {
  const { stack, instance } = newInstanceStack();
  const assignments = new AccountAssignments(stack, 'Access', { instance, assignments: build(stack, instance), shardCount: options.shardCount });
  const placement = new Map<string, string>();
  for (const a of assignments.assignments) placement.set(Stack.of(a).resolve(a.logicalId), Stack.of(a).node.path);
  return placement;
}

function sameIds(before: Map<string, string>, after: Map<string, string>): void {
  for (const [id, where] of before) expect(after.get(id)).toBe(where);
}

describe('AccountAssignments', () => {
  test('one assignment per principal, permission set and account', () => {
    // GIVEN
    const { stack, instance } = newInstanceStack();
    const [admin, readOnly] = permissionSets(stack, instance, ['Admin', 'ReadOnly']);
    // WHEN
    new AccountAssignments(stack, 'Access', {
      instance,
      assignments: [{
        principal: IdentityCenterPrincipal.group(ADMINS),
        permissionSets: [admin, readOnly],
        targets: [AssignmentTarget.accounts(['111111111111', '333333333333'])],
      }, {
        principal: IdentityCenterPrincipal.user(ALICE),
        permissionSets: [readOnly],
        targets: [AssignmentTarget.accounts(['111111111111'])],
      }],
    });
    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SSO::Assignment', 5);
    template.hasResourceProperties('AWS::SSO::Assignment', {
      InstanceArn: INSTANCE_ARN,
      PermissionSetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PermissionSetAdmin'), 'PermissionSetArn'] },
      PrincipalType: 'GROUP',
      PrincipalId: ADMINS,
      TargetType: 'AWS_ACCOUNT',
      TargetId: '333333333333',
    });
    template.hasResourceProperties('AWS::SSO::Assignment', { PrincipalType: 'USER', PrincipalId: ALICE, TargetId: '111111111111' });
    for (const id of Object.keys(template.findResources('AWS::SSO::Assignment'))) expect(id).toMatch(/^Assignment[0-9A-F]{16}$/);
  });

  test('matches the snapshot', () => {
    const { stack, instance } = newInstanceStack();
    const [admin, developer] = permissionSets(stack, instance, ['Admin', 'Developer']);
    new AccountAssignments(stack, 'Access', {
      instance,
      assignments: [
        { principal: IdentityCenterPrincipal.group(ADMINS), permissionSets: [admin], targets: [AssignmentTarget.accounts(['111111111111'])] },
        { principal: IdentityCenterPrincipal.group(DEVELOPERS), permissionSets: [developer], targets: [AssignmentTarget.organizationalUnit(OU_WORKLOADS, ['111111111111', '333333333333'])] },
      ],
    });
    expect(templateOf(stack)).toMatchSnapshot();
  });

  test('passes AwsSolutions and AccessPatterns checks', () => {
    const { stack, instance } = newInstanceStack();
    const sets = permissionSets(stack, instance);
    new AccountAssignments(stack, 'Access', {
      instance,
      assignments: [{ principal: IdentityCenterPrincipal.group(ADMINS), permissionSets: sets, targets: [AssignmentTarget.accounts(accounts(3))] }],
    });
    expect(nagFindings(stack)).toEqual([]);
  });

  test('passes AwsSolutions and AccessPatterns checks when sharded into nested stacks', () => {
    const { stack, instance } = newInstanceStack();
    const sets = permissionSets(stack, instance);
    const access = new AccountAssignments(stack, 'Access', {
      instance,
      shardCount: 3,
      assignments: [{ principal: IdentityCenterPrincipal.group(ADMINS), permissionSets: sets, targets: [AssignmentTarget.accounts(accounts(4))] }],
    });
    expect(access.nestedStacks.length).toBe(3);
    expect(nagFindings(stack)).toEqual([]);
  });

  describe('stable logical ids', () => {
    const base = (stack: Stack, instance: IIdentityCenterInstance): AssignmentEntry[] => {
      const [admin, readOnly] = permissionSets(stack, instance, ['Admin', 'ReadOnly']);
      return [
        { principal: IdentityCenterPrincipal.group(ADMINS), permissionSets: [admin, readOnly], targets: [AssignmentTarget.accounts(accounts(4))] },
        { principal: IdentityCenterPrincipal.group(DEVELOPERS), permissionSets: [readOnly], targets: [AssignmentTarget.accounts(accounts(4))] },
      ];
    };

    test('pinned: the ids are a hash of the combination', () => {
      const ids = [...synthesize(base).keys()];
      expect(ids).toEqual([
        'Assignment99A295CC882CD3E8', 'AssignmentC9D7CE202EA70A87', 'Assignment8D45AD3E50C8BB70', 'AssignmentF6248E7A83D7802C',
        'Assignment8A6C58292C44CC5B', 'Assignment1223753642A6031A', 'AssignmentAA05E8EF5F6EC0AD', 'AssignmentBD5CCF37B637AB72',
        'Assignment6D2E584F2415A6D6', 'Assignment902EDF728A39E733', 'AssignmentACAEC718AF8AFA9F', 'Assignment253F34F0C02FE047',
      ]);
    });

    test('pinned: the shard of each combination, with shardCount 4', () => {
      const placement = synthesize(base, { shardCount: 4 });
      expect([...placement.entries()].map(([id, stack]) => `${id}@${stack.split('/').pop()}`)).toEqual([
        'Assignment99A295CC882CD3E8@Shard000', 'AssignmentC9D7CE202EA70A87@Shard000', 'Assignment8D45AD3E50C8BB70@Shard002',
        'AssignmentF6248E7A83D7802C@Shard002', 'Assignment8A6C58292C44CC5B@Shard001', 'Assignment1223753642A6031A@Shard002',
        'AssignmentAA05E8EF5F6EC0AD@Shard003', 'AssignmentBD5CCF37B637AB72@Shard003', 'Assignment6D2E584F2415A6D6@Shard003',
        'Assignment902EDF728A39E733@Shard002', 'AssignmentACAEC718AF8AFA9F@Shard000', 'Assignment253F34F0C02FE047@Shard000',
      ]);
    });

    test('pinned: the hash behind logical ids and shards (src/core/hash)', () => {
      expect(stableHash('cdk-access-patterns')).toBe('FF0C2CD13D1C616E');
      expect(stableHash('cdk-access-patterns', 8)).toBe('FF0C2CD1');
      expect(hashNumber('cdk-access-patterns')).toBe(4278987985);
    });

    test('adding an account keeps the other assignments', () => {
      const before = synthesize(base);
      const after = synthesize((stack, instance) => base(stack, instance)
        .map(e => ({ ...e, targets: [...e.targets, AssignmentTarget.accounts(['999999999999'])] })));
      expect(after.size).toBe(before.size + 3);
      sameIds(before, after);
    });

    test('adding a group keeps the other assignments', () => {
      const before = synthesize(base);
      const after = synthesize((stack, instance) => {
        const entries = base(stack, instance);
        const auditors = IdentityCenterPrincipal.group(AUDITORS);
        return [...entries, { principal: auditors, permissionSets: entries[1].permissionSets, targets: [AssignmentTarget.accounts(accounts(4))] }];
      });
      expect(after.size).toBe(before.size + 4);
      sameIds(before, after);
    });

    test('adding a permission set keeps the other assignments', () => {
      const before = synthesize(base);
      const after = synthesize((stack, instance) => {
        const entries = base(stack, instance);
        const billing = new PermissionSet(stack, 'Billing', { instance });
        return [{ ...entries[0], permissionSets: [billing, ...entries[0].permissionSets] }, entries[1]];
      });
      expect(after.size).toBe(before.size + 4);
      sameIds(before, after);
    });

    test('removing an account keeps the other assignments', () => {
      const before = synthesize(base);
      const after = synthesize((stack, instance) => base(stack, instance).map(e => ({ ...e, targets: [AssignmentTarget.accounts(accounts(3, 1))] })));
      expect(after.size).toBe(before.size - 3);
      sameIds(after, before);
    });

    test('a permission set imported by ARN is identified by its ARN', () => {
      const arn = 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-1234567890abcdef';
      const first = synthesize(stack => [{
        principal: IdentityCenterPrincipal.group(ADMINS),
        permissionSets: [PermissionSet.fromPermissionSetArn(stack, 'Imported', arn)],
        targets: [AssignmentTarget.accounts(['111111111111'])],
      }]);
      const second = synthesize(stack => [{
        principal: IdentityCenterPrincipal.group(ADMINS),
        permissionSets: [PermissionSet.fromPermissionSetArn(stack, 'RenamedImport', arn)],
        targets: [AssignmentTarget.accounts(['111111111111'])],
      }]);
      expect([...second.keys()]).toEqual([...first.keys()]);
    });
  });

  describe('imported permission sets', () => {
    test('a set of the same instance is assigned', () => {
      // GIVEN
      const { stack, instance } = newInstanceStack();
      const arn = `${INSTANCE_ARN.replace(':instance/', ':permissionSet/')}/ps-1234567890abcdef`;
      // WHEN
      new AccountAssignments(stack, 'Access', {
        instance,
        assignments: [{ principal: IdentityCenterPrincipal.group(ADMINS), permissionSets: [PermissionSet.fromPermissionSetArn(stack, 'Imported', arn)], targets: [AssignmentTarget.accounts(['111111111111'])] }],
      });
      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::SSO::Assignment', { InstanceArn: INSTANCE_ARN, PermissionSetArn: arn });
    });

    test('a set whose ARN is a token is let through (its instance is known at deploy time only)', () => {
      const { stack, instance } = newInstanceStack();
      const arn = new CfnParameter(stack, 'PermissionSetArn').valueAsString;
      new AccountAssignments(stack, 'Access', {
        instance,
        assignments: [{ principal: IdentityCenterPrincipal.group(ADMINS), permissionSets: [PermissionSet.fromPermissionSetArn(stack, 'Imported', arn)], targets: [AssignmentTarget.accounts(['111111111111'])] }],
      });
      Template.fromStack(stack).hasResourceProperties('AWS::SSO::Assignment', { PermissionSetArn: { Ref: 'PermissionSetArn' } });
    });

    test('an instance whose ARN is a token accepts any set', () => {
      const stack = new Stack(new App(), 'Sso', { env: TEST_ENV });
      const instance = IdentityCenterInstance.fromInstanceArn(stack, 'Instance', new CfnParameter(stack, 'InstanceArn').valueAsString);
      const arn = 'arn:aws:sso:::permissionSet/ssoins-fedcba0987654321/ps-1234567890abcdef';
      new AccountAssignments(stack, 'Access', {
        instance,
        assignments: [{ principal: IdentityCenterPrincipal.group(ADMINS), permissionSets: [PermissionSet.fromPermissionSetArn(stack, 'Imported', arn)], targets: [AssignmentTarget.accounts(['111111111111'])] }],
      });
      Template.fromStack(stack).resourceCountIs('AWS::SSO::Assignment', 1);
    });
  });

  describe('organizational units', () => {
    test('expand into one assignment per listed account, with the ids of directly listed accounts', () => {
      // GIVEN
      const direct = synthesize((stack, instance) => [{
        principal: IdentityCenterPrincipal.group(DEVELOPERS),
        permissionSets: permissionSets(stack, instance, ['Developer']),
        targets: [AssignmentTarget.accounts(['111111111111', '333333333333', '444444444444'])],
      }]);
      // WHEN
      const throughOus = synthesize((stack, instance) => [{
        principal: IdentityCenterPrincipal.group(DEVELOPERS),
        permissionSets: permissionSets(stack, instance, ['Developer']),
        targets: [
          AssignmentTarget.organizationalUnit(OU_WORKLOADS, ['111111111111', '333333333333']),
          AssignmentTarget.organizationalUnit(OU_SANDBOX, ['444444444444']),
        ],
      }]);
      // THEN
      expect([...throughOus.keys()].sort()).toEqual([...direct.keys()].sort());
    });

    test('an account listed twice gets one assignment', () => {
      const { stack, instance } = newInstanceStack();
      const access = new AccountAssignments(stack, 'Access', {
        instance,
        assignments: [{
          principal: IdentityCenterPrincipal.group(DEVELOPERS),
          permissionSets: permissionSets(stack, instance, ['Developer']),
          targets: [AssignmentTarget.organizationalUnit(OU_WORKLOADS, ['111111111111', '333333333333']), AssignmentTarget.accounts(['111111111111'])],
        }],
      });
      expect(access.assignmentCount).toBe(2);
      Template.fromStack(stack).resourceCountIs('AWS::SSO::Assignment', 2);
    });
  });

  describe('sharding', () => {
    const principals = Array.from({ length: 20 }, (_, i) => `11111111-2222-3333-4444-${String(i).padStart(12, '0')}`);
    const matrix = (groups: number, accountCount: number) => (stack: Stack, instance: IIdentityCenterInstance): AssignmentEntry[] => {
      const sets = permissionSets(stack, instance);
      return principals.slice(0, groups).map(id => ({
        principal: IdentityCenterPrincipal.group(id), permissionSets: sets, targets: [AssignmentTarget.accounts(accounts(accountCount))],
      }));
    };

    test('1,200 assignments go into the fixed number of nested stacks, each under the limit', () => {
      // GIVEN / WHEN: 10 groups x 3 permission sets x 40 accounts
      const { stack, instance } = newInstanceStack();
      const access = new AccountAssignments(stack, 'Access', { instance, shardCount: 6, assignments: matrix(10, 40)(stack, instance) });
      // THEN
      expect(access.assignmentCount).toBe(1200);
      expect(access.nestedStacks).toHaveLength(6);
      Template.fromStack(stack).resourceCountIs('AWS::SSO::Assignment', 0);
      Template.fromStack(stack).resourceCountIs('AWS::CloudFormation::Stack', 6);
      let total = 0;
      for (const shard of access.nestedStacks) {
        const resources = Object.values(templateOf(shard).Resources);
        expect(resources.length).toBeLessThanOrEqual(400);
        expect(resources.every(r => r.Type === 'AWS::SSO::Assignment')).toBe(true);
        total += resources.length;
      }
      expect(total).toBe(1200);
      Template.fromStack(access.nestedStacks[0]).hasResourceProperties('AWS::SSO::Assignment', {
        PermissionSetArn: { Ref: Match.stringLikeRegexp('PermissionSet') },
      });
    });

    test('growth does not move existing assignments between nested stacks', () => {
      // GIVEN 1,200 assignments
      const before = synthesize(matrix(10, 40), { shardCount: 6 });
      // WHEN groups and accounts are added (+ 600)
      const after = synthesize(matrix(12, 50), { shardCount: 6 });
      // THEN every existing assignment keeps its logical id and its nested stack
      expect(before.size).toBe(1200);
      expect(after.size).toBe(1800);
      sameIds(before, after);
      expect(new Set(before.values()).size).toBe(6);
    });

    test('above maxAssignmentsPerStack without shards, synthesis fails with the fix', () => {
      const { stack, instance } = newInstanceStack();
      expect(() => new AccountAssignments(stack, 'Access', { instance, assignments: matrix(5, 30)(stack, instance) }))
        .toThrow(/Invalid AccountAssignments 'Sso\/Access' prop 'assignments': more than 400 assignments .*if nothing is deployed yet, set shardCount for the size you expect to reach, e.g. shardCount: 4 .*it cannot change later.*AlreadyExists.*second AccountAssignments/);
    });

    test('a shard above maxAssignmentsPerStack fails synthesis with the fix', () => {
      const { stack, instance } = newInstanceStack();
      expect(() => new AccountAssignments(stack, 'Access', { instance, shardCount: 2, assignments: matrix(10, 40)(stack, instance) }))
        .toThrow(/prop 'shardCount': nested stack Shard00\d would hold more than 400 assignments .* raise maxAssignmentsPerStack up to 500, or declare further access in a second AccountAssignments/);
    });

    test('addAssignment places into the same shards as the props', () => {
      const fromProps = synthesize(matrix(2, 10), { shardCount: 4 });
      const { stack, instance } = newInstanceStack();
      const access = new AccountAssignments(stack, 'Access', { instance, shardCount: 4 });
      matrix(2, 10)(stack, instance).forEach(e => access.addAssignment(e));
      const added = new Map(access.assignments.map(a => [Stack.of(a).resolve(a.logicalId), Stack.of(a).node.path]));
      expect(added).toEqual(fromProps);
      expect(access.nestedStacks.every(NestedStack.isNestedStack)).toBe(true);
    });
  });

  describe('validation', () => {
    const entry = (overrides: Partial<AssignmentEntry>, stack: Stack, instance: IIdentityCenterInstance): AssignmentEntry => ({
      principal: IdentityCenterPrincipal.group(ADMINS),
      permissionSets: permissionSets(stack, instance, ['Admin']),
      targets: [AssignmentTarget.accounts(['111111111111'])],
      ...overrides,
    });

    test('account id that is not 12 digits', () => {
      const { stack, instance } = newInstanceStack();
      expect(() => new AccountAssignments(stack, 'Access', { instance, assignments: [entry({ targets: [AssignmentTarget.accounts(['1234'])] }, stack, instance)] }))
        .toThrow(/prop 'assignments\[0\].targets\[0\]': '1234' is not a 12-digit AWS account id/);
    });

    test('organizational unit id of the wrong shape', () => {
      const { stack, instance } = newInstanceStack();
      expect(() => new AccountAssignments(stack, 'Access', { instance, assignments: [entry({ targets: [AssignmentTarget.organizationalUnit('r-ab12', ['111111111111'])] }, stack, instance)] }))
        .toThrow(/prop 'assignments\[0\].targets\[0\]': 'r-ab12' is not an organizational unit id/);
    });

    test('organizational unit without accounts', () => {
      const { stack, instance } = newInstanceStack();
      expect(() => new AccountAssignments(stack, 'Access', { instance, assignments: [entry({ targets: [AssignmentTarget.organizationalUnit(OU_WORKLOADS, [])] }, stack, instance)] }))
        .toThrow(/the organizational unit 'ou-ab12-cd34ef56' lists no accounts; list the OU's account ids \(aws organizations list-accounts-for-parent/);
    });

    test('no permission set', () => {
      const { stack, instance } = newInstanceStack();
      expect(() => new AccountAssignments(stack, 'Access', { instance, assignments: [entry({ permissionSets: [] }, stack, instance)] }))
        .toThrow(/prop 'assignments\[0\].permissionSets': the list is empty/);
    });

    test('no target', () => {
      const { stack, instance } = newInstanceStack();
      expect(() => new AccountAssignments(stack, 'Access', { instance, assignments: [entry({ targets: [] }, stack, instance)] }))
        .toThrow(/prop 'assignments\[0\].targets': the list is empty/);
    });

    test('group id of the wrong shape', () => {
      const { stack, instance } = newInstanceStack();
      expect(() => new AccountAssignments(stack, 'Access', { instance, assignments: [entry({ principal: IdentityCenterPrincipal.group('Admins') }, stack, instance)] }))
        .toThrow(/prop 'assignments\[0\].principal': 'Admins' is not an identity store group id; .* or use groupNamed\(\)/);
    });

    test('permission set of another instance', () => {
      const { stack, instance } = newInstanceStack();
      const other = IdentityCenterInstance.fromInstanceArn(stack, 'Other', 'arn:aws:sso:::instance/ssoins-fedcba0987654321');
      const foreign = new PermissionSet(stack, 'Foreign', { instance: other });
      expect(() => new AccountAssignments(stack, 'Access', { instance, assignments: [entry({ permissionSets: [foreign] }, stack, instance)] }))
        .toThrow(/prop 'assignments\[0\].permissionSets\[0\]': the permission set 'Sso\/Foreign' belongs to the instance 'arn:aws:sso:::instance\/ssoins-fedcba0987654321'/);
    });

    test('imported permission set of another instance (only the deploy would fail today)', () => {
      // GIVEN
      const { stack, instance } = newInstanceStack();
      const foreign = PermissionSet.fromPermissionSetArn(stack, 'Foreign', 'arn:aws:sso:::permissionSet/ssoins-fedcba0987654321/ps-1234567890abcdef');
      // WHEN / THEN
      expect(() => new AccountAssignments(stack, 'Access', { instance, assignments: [entry({ permissionSets: [foreign] }, stack, instance)] }))
        .toThrow(/^Invalid AccountAssignments 'Sso\/Access' prop 'assignments\[0\].permissionSets\[0\]': the permission set 'arn:aws:sso:::permissionSet\/ssoins-fedcba0987654321\/ps-1234567890abcdef' \('Sso\/Foreign'\) belongs to the instance 'arn:aws:sso:::instance\/ssoins-fedcba0987654321', not 'arn:aws:sso:::instance\/ssoins-1234567890abcdef'; .*import one whose ARN starts with 'arn:aws:sso:::permissionSet\/ssoins-1234567890abcdef\/'/);
    });

    test('imported permission set of another instance, added later with addAssignment', () => {
      const { stack, instance } = newInstanceStack();
      const access = new AccountAssignments(stack, 'Access', { instance });
      const foreign = PermissionSet.fromPermissionSetArn(stack, 'Foreign', 'arn:aws:sso:::permissionSet/ssoins-fedcba0987654321/ps-1234567890abcdef');
      expect(() => access.addAssignment(entry({ permissionSets: [foreign] }, stack, instance)))
        .toThrow(/prop 'addAssignment.permissionSets\[0\]': the permission set .* belongs to the instance 'arn:aws:sso:::instance\/ssoins-fedcba0987654321'/);
    });

    test('imported permission set of another partition', () => {
      const { stack, instance } = newInstanceStack();
      const foreign = PermissionSet.fromPermissionSetArn(stack, 'Foreign', 'arn:aws-cn:sso:::permissionSet/ssoins-1234567890abcdef/ps-1234567890abcdef');
      expect(() => new AccountAssignments(stack, 'Access', { instance, assignments: [entry({ permissionSets: [foreign] }, stack, instance)] }))
        .toThrow(/belongs to the instance 'arn:aws-cn:sso:::instance\/ssoins-1234567890abcdef', not 'arn:aws:sso:::instance\/ssoins-1234567890abcdef'/);
    });

    test('maxAssignmentsPerStack above the CloudFormation limit', () => {
      const { stack, instance } = newInstanceStack();
      expect(() => new AccountAssignments(stack, 'Access', { instance, maxAssignmentsPerStack: 501 }))
        .toThrow(/prop 'maxAssignmentsPerStack': 501 is not a whole number in 1-500/);
    });

    test('shardCount that is not a positive whole number', () => {
      const { stack, instance } = newInstanceStack();
      expect(() => new AccountAssignments(stack, 'Access', { instance, shardCount: 0 }))
        .toThrow(/prop 'shardCount': 0 is not a whole number in 1-1000/);
    });
  });

  test('accepts tokens: instance ARN, principal id and account id', () => {
    // GIVEN
    const stack = new Stack(new App(), 'Sso', { env: TEST_ENV });
    const instance = IdentityCenterInstance.fromInstanceArn(stack, 'Instance', new CfnParameter(stack, 'InstanceArn').valueAsString);
    const [admin] = permissionSets(stack, instance, ['Admin']);
    // WHEN
    new AccountAssignments(stack, 'Access', {
      instance,
      assignments: [{
        principal: IdentityCenterPrincipal.group(new CfnParameter(stack, 'GroupId').valueAsString),
        permissionSets: [admin],
        targets: [AssignmentTarget.accounts([new CfnParameter(stack, 'Account').valueAsString])],
      }],
    });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::SSO::Assignment', {
      InstanceArn: { Ref: 'InstanceArn' },
      PrincipalId: { Ref: 'GroupId' },
      TargetId: { Ref: 'Account' },
    });
  });
});
