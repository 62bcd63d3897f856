/**
 * Identity Center at platform scale: 10,000 account assignments (25 groups x 4 permission
 * sets x 100 accounts) declared in one AccountAssignments, sharded into nested stacks, and
 * synthesized in one app. Prints the time to build and synthesize, the heap the app
 * retains, the number of nested stacks and the most resources in one stack; then checks
 * that growing the set (+1 group, +10 accounts) moves no existing assignment.
 * Run: TS_NODE_PROJECT=test/tsconfig.json node --expose-gc -r ts-node/register/transpile-only bench/identity-center.ts [groups accounts shards]
 */
import { readFileSync } from 'fs';
import { App, NestedStack, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sso from 'aws-cdk-lib/aws-sso';
import { AccountAssignments, AssignmentTarget, IdentityCenterInstance, IdentityCenterPrincipal, PermissionSet } from '../src';

const GROUPS = Number(process.argv[2] ?? 25);
const ACCOUNTS = Number(process.argv[3] ?? 100);
const SHARDS = Number(process.argv[4] ?? 50);
const PERMISSION_SETS = ['Administrator', 'Developer', 'ReadOnly', 'Billing'];

function groupId(i: number): string {
  return `11111111-2222-3333-4444-${String(i).padStart(12, '0')}`;
}

function accountIds(n: number): string[] {
  return Array.from({ length: n }, (_, i) => String(100000000000 + i));
}

function build(groups: number, accounts: number): { app: App; access: AccountAssignments } {
  const app = new App();
  const stack = new Stack(app, 'Workforce', { env: { account: '111111111111', region: 'eu-west-1' } });
  const instance = IdentityCenterInstance.fromInstanceArn(stack, 'Sso', 'arn:aws:sso:::instance/ssoins-1234567890abcdef');
  const sets = PERMISSION_SETS.map(name => new PermissionSet(stack, name, {
    instance,
    managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess')],
  }));
  // Four OUs of a quarter of the accounts each.
  const ids = accountIds(accounts);
  const quarter = Math.ceil(accounts / 4);
  const ous = [0, 1, 2, 3].map(i => AssignmentTarget.organizationalUnit(`ou-ab12-bench000${i}`, ids.slice(i * quarter, (i + 1) * quarter)))
    .filter(t => t.accountIds.length > 0);
  const access = new AccountAssignments(stack, 'Access', {
    instance,
    shardCount: SHARDS,
    assignments: Array.from({ length: groups }, (_, g) => ({
      principal: IdentityCenterPrincipal.group(groupId(g)),
      permissionSets: sets,
      targets: ous,
    })),
  });
  return { app, access };
}

/** The same resources written by hand with the L1s: round-robin shards, ids by index. */
function handWritten(groups: number, accounts: number): App {
  const app = new App();
  const stack = new Stack(app, 'Workforce', { env: { account: '111111111111', region: 'eu-west-1' } });
  const instanceArn = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';
  const sets = PERMISSION_SETS.map(name => new sso.CfnPermissionSet(stack, name, {
    instanceArn,
    name,
    sessionDuration: 'PT1H',
    managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess').managedPolicyArn],
  }));
  const shards = Array.from({ length: SHARDS }, (_, i) => new NestedStack(stack, `Shard${i}`));
  let n = 0;
  for (let g = 0; g < groups; g++) {
    for (const [p, set] of sets.entries()) {
      for (const account of accountIds(accounts)) {
        new sso.CfnAssignment(shards[n++ % SHARDS], `G${g}P${p}A${account}`, {
          instanceArn,
          permissionSetArn: set.attrPermissionSetArn,
          principalType: 'GROUP',
          principalId: groupId(g),
          targetType: 'AWS_ACCOUNT',
          targetId: account,
        });
      }
    }
  }
  return app;
}

function placement(access: AccountAssignments): Map<string, string> {
  return new Map(access.assignments.map(a => [Stack.of(a).resolve(a.logicalId) as string, Stack.of(a).node.path]));
}

function heapMb(): number {
  (global as any).gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

const heapBefore = heapMb();
const start = process.hrtime.bigint();
const { app, access } = build(GROUPS, ACCOUNTS);
const assembly = app.synth();
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
const heapAfter = heapMb();

const baseHeapBefore = heapMb();
const baseStart = process.hrtime.bigint();
const baseline = handWritten(GROUPS, ACCOUNTS);
baseline.synth();
const baseSeconds = Number(process.hrtime.bigint() - baseStart) / 1e9;
const baseHeap = heapMb() - baseHeapBefore;

let maxResources = 0;
let maxStack = '';
for (const artifact of assembly.stacks) {
  const templates = [artifact.template];
  for (const nested of access.nestedStacks) {
    templates.push(JSON.parse(readFileSync(`${assembly.directory}/${nested.templateFile}`, 'utf8')));
  }
  templates.forEach((t, i) => {
    const n = Object.keys(t.Resources ?? {}).length;
    if (n > maxResources) {
      maxResources = n;
      maxStack = i === 0 ? artifact.stackName : access.nestedStacks[i - 1].node.path;
    }
  });
}

console.log(`assignments:               ${access.assignmentCount} (${GROUPS} groups x ${PERMISSION_SETS.length} permission sets x ${ACCOUNTS} accounts)`);
console.log(`build + synth:             ${seconds.toFixed(2)} s`);
console.log(`heap retained by the app:  ${(heapAfter - heapBefore).toFixed(0)} MB (${heapAfter.toFixed(0)} MB in use)`);
console.log(`hand-written L1s:          ${baseSeconds.toFixed(2)} s, ${baseHeap.toFixed(0)} MB retained (same resources, round-robin shards)`);
console.log(`ratio library/hand-written: time ${(seconds / baseSeconds).toFixed(2)}, heap ${((heapAfter - heapBefore) / baseHeap).toFixed(2)}`);
console.log(`nested stacks:             ${access.nestedStacks.length} (shardCount ${SHARDS})`);
console.log(`most resources in a stack: ${maxResources} (${maxStack}; CloudFormation allows 500)`);

// Growth: one more group and ten more accounts move nothing that exists.
const before = placement(access);
const grown = build(GROUPS + 1, ACCOUNTS + 10).access;
const after = placement(grown);
let moved = 0;
for (const [id, where] of before) if (after.get(id) !== where) moved++;
console.log(`growth to ${grown.assignmentCount}:           ${moved} existing assignments moved or renamed`);
if (moved > 0 || maxResources > 500) process.exit(1);
