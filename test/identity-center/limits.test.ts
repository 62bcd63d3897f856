import { App, NestedStack, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { accounts, ADMINS, AUDITORS, DEVELOPERS, newInstanceStack } from './fixtures';
import { AccountAssignments, AssignmentTarget, IdentityCenterInstance, IdentityCenterPrincipal, IIdentityCenterInstance, PermissionSet } from '../../src';
import { TEST_ENV } from '../support/env';
import { nagFindings } from '../support/nag';

/** The CloudFormation limits AccountAssignments and PermissionSet approach at scale (issue 20). */

type Json = Record<string, any>;

/** The assignments of a template and the assignments each one waits for. */
function assignmentGraph(template: Json): Map<string, string[]> {
  const ids = Object.entries<Json>(template.Resources).filter(([, r]) => r.Type === 'AWS::SSO::Assignment').map(([id]) => id);
  const isAssignment = new Set(ids);
  return new Map(ids.map(id => [id, ([] as string[]).concat(template.Resources[id].DependsOn ?? []).filter(d => isAssignment.has(d))]));
}

/**
 * The most assignments CloudFormation can create at once in a template, when the
 * dependencies form disjoint chains (checked): the number of chains.
 */
function graphWidth(template: Json): number {
  const graph = assignmentGraph(template);
  const waitedFor = new Map<string, number>();
  for (const deps of graph.values()) {
    expect(deps.length).toBeLessThanOrEqual(1);
    for (const d of deps) waitedFor.set(d, (waitedFor.get(d) ?? 0) + 1);
  }
  for (const n of waitedFor.values()) expect(n).toBe(1);
  return [...graph.values()].filter(deps => deps.length === 0).length;
}

/** Placement (logical id -> stack path) of every assignment. */
function placement(access: AccountAssignments): Map<string, string> {
  return new Map(access.assignments.map(a => [a.stack.resolve(a.logicalId) as string, a.stack.node.path]));
}

/** `groups` groups x 2 permission sets (or `sets`) x `n` accounts in a fresh stack. */
interface BuildOptions { shardCount?: number; maxConcurrentAssignments?: number; sets?: number }

function build(groups: string[], n: number, options: BuildOptions = {}) {
  const { stack, instance } = newInstanceStack();
  const sets = ['ReadOnly', 'Admin'].slice(0, options.sets ?? 2).map(name => new PermissionSet(stack, name, { instance }));
  const access = new AccountAssignments(stack, 'Access', {
    instance,
    shardCount: options.shardCount,
    maxConcurrentAssignments: options.maxConcurrentAssignments,
    assignments: groups.map(g => ({
      principal: IdentityCenterPrincipal.group(g), permissionSets: sets, targets: [AssignmentTarget.accounts(accounts(n))],
    })),
  });
  return { stack, access };
}

describe('AccountAssignments: concurrent creation is bounded', () => {
  test('with the default of 10, at most 10 assignments of the stack are created at once; each waits for at most one other', () => {
    // GIVEN / WHEN 3 groups x 2 sets x 20 accounts
    const { stack, access } = build([ADMINS, DEVELOPERS, AUDITORS], 20);
    // THEN
    expect(access.maxConcurrentAssignments).toBe(10);
    const width = graphWidth(Template.fromStack(stack).toJSON());
    expect(width).toBeLessThanOrEqual(10);
    expect(width).toBeGreaterThan(1);
  });

  test('at the limit (as many assignments as the width) and one past it, the graph never exceeds the width', () => {
    for (const n of [4, 5]) {
      // GIVEN n assignments (1 group x 1 set x n accounts) and a width of 4
      const { stack, access } = build([ADMINS], n, { maxConcurrentAssignments: 4, sets: 1 });
      // THEN
      expect(access.assignmentCount).toBe(n);
      expect(graphWidth(Template.fromStack(stack).toJSON())).toBeLessThanOrEqual(4);
    }
    // a width of 1 creates them one after another
    const { stack } = build([ADMINS, DEVELOPERS], 5, { maxConcurrentAssignments: 1 });
    expect(graphWidth(Template.fromStack(stack).toJSON())).toBe(1);
  });

  test('growing the set keeps every logical id and stack, and the width stays within the bound', () => {
    // GIVEN a sharded set, then the same set grown by a group and 15 accounts
    const before = build([ADMINS, DEVELOPERS], 30, { shardCount: 4, maxConcurrentAssignments: 5 });
    const after = build([ADMINS, DEVELOPERS, AUDITORS], 45, { shardCount: 4, maxConcurrentAssignments: 5 });
    // THEN no assignment moves
    const was = placement(before.access);
    const now = placement(after.access);
    for (const [id, where] of was) expect(now.get(id)).toBe(where);
    expect(now.size).toBeGreaterThan(was.size);
    // and every shard keeps at most 5 chains
    for (const { access } of [before, after]) {
      for (const shard of access.nestedStacks) {
        expect(graphWidth(Template.fromStack(shard).toJSON())).toBeLessThanOrEqual(5);
      }
    }
  });

  test('the nested stacks of a sharded set are created one after another', () => {
    // GIVEN
    const { stack, access } = build([ADMINS, DEVELOPERS], 30, { shardCount: 4 });
    // THEN the shard resources of the parent form one chain in shard order
    const template = Template.fromStack(stack).toJSON();
    const shards = Object.entries<Json>(template.Resources).filter(([, r]) => r.Type === 'AWS::CloudFormation::Stack');
    expect(shards).toHaveLength(access.nestedStacks.length);
    const ids = new Set(shards.map(([id]) => id));
    const heads = shards.filter(([, r]) => ([] as string[]).concat(r.DependsOn ?? []).filter(d => ids.has(d)).length === 0);
    expect(heads).toHaveLength(1);
    for (const [, r] of shards) expect(([] as string[]).concat(r.DependsOn ?? []).filter(d => ids.has(d)).length).toBeLessThanOrEqual(1);
  });

  test('refuses a maxConcurrentAssignments below 1', () => {
    expect(() => build([ADMINS], 1, { maxConcurrentAssignments: 0 }))
      .toThrow(/Invalid AccountAssignments 'Sso\/Access' prop 'maxConcurrentAssignments': 0 is not a whole number of at least 1; keep the default of 10/);
  });

  test('passes AwsSolutions and AccessPatterns checks with the dependency chains', () => {
    const { stack } = build([ADMINS, DEVELOPERS], 10, { shardCount: 2 });
    expect(nagFindings(stack)).toEqual([]);
  });
});

describe('AccountAssignments: parameters of a nested stack', () => {
  /** One shard whose assignments use `lookups` groups by name and one permission set. */
  function shardWithLookups(lookups: number): { app: App; shard: NestedStack } {
    const { stack, instance } = newInstanceStack();
    const readOnly = new PermissionSet(stack, 'ReadOnly', { instance });
    const access = new AccountAssignments(stack, 'Access', {
      instance,
      shardCount: 1,
      assignments: Array.from({ length: lookups }, (_, i) => ({
        principal: IdentityCenterPrincipal.groupNamed(`Team ${i}`), permissionSets: [readOnly], targets: [AssignmentTarget.accounts(accounts(1))],
      })),
    });
    return { app: stack.node.root as App, shard: access.nestedStacks[0] };
  }

  test('at the limit: 199 name lookups and one permission set are 200 parameters of the shard, and synthesize', () => {
    // GIVEN / WHEN
    const { app, shard } = shardWithLookups(199);
    const assembly = app.synth();
    // THEN
    const template = JSON.parse(JSON.stringify(Template.fromStack(shard).toJSON()));
    expect(Object.keys(template.Parameters)).toHaveLength(200);
    expect(assembly.stacks.length).toBeGreaterThan(0);
  });

  test('one past it: 200 name lookups and one permission set (201 parameters) fail synthesis, naming the limit, the stack and the fix', () => {
    // GIVEN
    const { app } = shardWithLookups(200);
    // THEN
    expect(() => app.synth())
      .toThrow(/Invalid Stack 'Sso\/Access\/Shard000' prop 'parameters': the template would declare 201 parameters, above CloudFormation's limit of 200 parameters per template.*for AccountAssignments: give principals by id/);
  });
});

describe('PermissionSet: description and relay state character sets', () => {
  function permissionSet(props: { description?: string; relayState?: string }): void {
    const stack = new Stack(new App(), 'Sso', { env: TEST_ENV });
    const instance = IdentityCenterInstance.fromInstanceArn(stack, 'Instance', 'arn:aws:sso:::instance/ssoins-1234567890abcdef');
    new PermissionSet(stack, 'ReadOnly', { instance, ...props });
  }

  test('accepts every character class the API documents, at the longest length', () => {
    // Latin-1 letters, tab and line breaks in a 700-character description
    const description = ('Lecture seule: données, café\tétat\r\n' + 'x'.repeat(700)).slice(0, 700);
    expect(() => permissionSet({ description })).not.toThrow();
    const relayState = ('https://console.aws.amazon.com/s3/home?region=eu-west-1&tab=(a)[b]{c}|!*+;,\'"~@#$%' + 'x'.repeat(240)).slice(0, 240);
    expect(() => permissionSet({ relayState })).not.toThrow();
  });

  test('refuses a description with a character outside Latin-1 (an emoji, a typographic dash)', () => {
    expect(() => permissionSet({ description: 'Read only – for auditors' }))
      .toThrow(/Invalid PermissionSet 'Sso\/ReadOnly' prop 'description': '–' \(U\+2013\) at position 10 is not a character Identity Center accepts in a description/);
    expect(() => permissionSet({ description: 'Admins \u{1F680}' })).toThrow(/prop 'description': '\u{1F680}' \(U\+1F680\) at position 7/u);
    expect(() => permissionSet({ description: 'bell\u0007' })).toThrow(/prop 'description': U\+0007 at position 4/);
  });

  test('refuses a relay state with a character the API does not list', () => {
    expect(() => permissionSet({ relayState: 'https://console.aws.amazon.com/<script>' }))
      .toThrow(/Invalid PermissionSet 'Sso\/ReadOnly' prop 'relayState': '<' \(U\+003C\) at position 31 is not a character Identity Center accepts in a relay state.*percent-encode it/);
    expect(() => permissionSet({ relayState: 'https://console.aws.amazon.com/é' })).toThrow(/prop 'relayState': 'é'/);
  });

  test('leaves tokens to Identity Center', () => {
    const stack = new Stack(new App(), 'Sso', { env: TEST_ENV });
    const instance: IIdentityCenterInstance = IdentityCenterInstance.fromInstanceArn(stack, 'Instance', 'arn:aws:sso:::instance/ssoins-1234567890abcdef');
    expect(() => new PermissionSet(stack, 'ReadOnly', { instance, description: `Stack ${stack.stackName}`, relayState: `https://${stack.urlSuffix}/` })).not.toThrow();
  });
});
