import { NestedStack, Stack, Token } from 'aws-cdk-lib';
import * as sso from 'aws-cdk-lib/aws-sso';
import { Construct } from 'constructs';
import { AssignmentTarget } from './assignment-target';
import { IIdentityCenterInstance } from './instance';
import { IPermissionSet, PermissionSet } from './permission-set';
import { IdentityCenterPrincipal } from './principal';
import { chainOfHash, DEFAULT_MAX_CONCURRENT_ASSIGNMENTS, DependencyChains } from './private/chains';
import { CLOUDFORMATION_MAX_RESOURCES, DEFAULT_MAX_ASSIGNMENTS_PER_STACK, instanceOfSsoArn, shardFromHash } from './private/validation';
import { ErrorSite, fail, siteOf } from '../core/errors';
import { stableHashAndNumber } from '../core/hash';
import { watchStackLimits } from '../core/stack-limits';
import { quote } from '../core/validation';

/** Access declared as data: a principal gets permission sets in accounts. */
export interface AssignmentEntry {
  /** The group or user. */
  readonly principal: IdentityCenterPrincipal;
  /** The permission sets the principal gets in each target account. */
  readonly permissionSets: IPermissionSet[];
  /** The accounts, given directly or through organizational units. */
  readonly targets: AssignmentTarget[];
}

/** Properties for {@link AccountAssignments}. */
export interface AccountAssignmentsProps {
  /** The Identity Center instance of the permission sets and principals. */
  readonly instance: IIdentityCenterInstance;

  /**
   * The access to grant; more can be added with `addAssignment`. Each combination of
   * principal, permission set and account becomes one `AWS::SSO::Assignment`, listed
   * once however often it is declared.
   *
   * @default - none
   */
  readonly assignments?: AssignmentEntry[];

  /**
   * Place the assignments into this many nested stacks, by a hash of each combination.
   *
   * The count is part of the placement: choose it before the first deployment, for the
   * size you expect to reach (with the default limit, about one shard per 200
   * assignments leaves room for growth and uneven hashing). Growing the set never moves
   * an existing assignment. Changing `shardCount` (or adding it to a deployed
   * `AccountAssignments`) moves most assignments to another stack, and that cannot be
   * deployed: CloudFormation creates the moved assignment before deleting the old one,
   * and `AWS::SSO::Assignment` fails with AlreadyExists, so the deployment rolls back.
   * To change it anyway: one deployment that removes the assignments, then one that adds
   * them back (users lack that access in between); or keep this `AccountAssignments` as
   * it is and declare new access in a second one.
   *
   * @default - no nested stacks: the assignments live in this construct's stack, and
   *   synthesis fails above `maxAssignmentsPerStack`
   */
  readonly shardCount?: number;

  /**
   * The most assignments in one stack (this construct's stack without shards, or each
   * shard), at most 500 (CloudFormation's resource limit per stack).
   *
   * @default 400
   */
  readonly maxAssignmentsPerStack?: number;

  /**
   * The most assignments CloudFormation creates (or deletes) at once, across every stack
   * this construct fills.
   *
   * CloudFormation starts every resource of a stack that has no dependency at the same
   * time, and `AWS::SSO::Assignment` fails with throttling or conflicts when many are
   * created in parallel (users of the resource report failures from about 10 to 20 at
   * once). So each assignment depends on the one before it in one of this many chains
   * (by a hash of its combination, ordered by logical id), and the nested stacks of a
   * sharded set are created one after another. Growing the set, or changing this value,
   * only changes `DependsOn` attributes: no assignment moves or is replaced.
   *
   * @default 10
   * @see https://github.com/aws-cloudformation/cloudformation-coverage-roadmap/issues/660
   */
  readonly maxConcurrentAssignments?: number;
}

/** An assignment just created, before it joins its dependency chain. */
interface NewAssignment {
  readonly scope: Construct;
  readonly chain: number;
  readonly logicalId: string;
  readonly resource: sso.CfnAssignment;
}

/**
 * Account assignments of IAM Identity Center, declared as data.
 *
 * Every combination of principal, permission set and account becomes one
 * `AWS::SSO::Assignment` whose logical id is a hash of the combination (principal type
 * and id or name, permission set name, account id), so adding or removing an account, a
 * group or a permission set never touches the other assignments. Organizational units
 * are expanded at synthesis into their listed accounts. Large sets are sharded into
 * nested stacks with `shardCount`, chosen before the first deployment. At most
 * `maxConcurrentAssignments` (10) are created at once: each stack's assignments form that
 * many `DependsOn` chains, and the shards are created one after another.
 *
 * A deployed assignment can never move to another logical id or stack in one
 * deployment: CloudFormation creates the replacement first and `AWS::SSO::Assignment`
 * fails with AlreadyExists, rolling the deployment back. Moves come from changing
 * `shardCount`, sharding a deployed set, switching a principal between `group(id)` and a
 * by-name form, or moving an entry to an `AccountAssignments` in another stack. Make such
 * a change in two deployments (remove the assignments, then add them back: users lack
 * the access in between), or leave the deployed entries in place and add new access
 * elsewhere.
 *
 * @example
 * new AccountAssignments(this, 'Access', {
 *   instance,
 *   assignments: [{
 *     principal: IdentityCenterPrincipal.group('906782d4b1-0c5a6f78-8a9b-4c2d-9e1f-123456789abc'),
 *     permissionSets: [readOnly],
 *     targets: [AssignmentTarget.organizationalUnit('ou-ab12-cd34ef56', ['111122223333', '444455556666'])],
 *   }],
 * });
 */
export class AccountAssignments extends Construct {
  /** The Identity Center instance. */
  public readonly instance: IIdentityCenterInstance;
  /** The most assignments in one stack. */
  public readonly maxAssignmentsPerStack: number;
  /** The number of nested stacks, when sharded. */
  public readonly shardCount?: number;
  /** The most assignments CloudFormation creates at once. */
  public readonly maxConcurrentAssignments: number;

  private readonly site: ErrorSite;
  private readonly keys = new Set<string>();
  private readonly counts = new Map<Construct, number>();
  private readonly shards = new Map<number, NestedStack>();
  private readonly resources: sso.CfnAssignment[] = [];
  /** The dependency chains of each stack's assignments (this construct's or a shard). */
  private readonly chains = new Map<Construct, DependencyChains>();
  /** The nested stacks, one after another. */
  private readonly shardChain = new DependencyChains(1);

  constructor(scope: Construct, id: string, props: AccountAssignmentsProps) {
    const site = siteOf('AccountAssignments', scope, id);
    const max = props.maxAssignmentsPerStack ?? DEFAULT_MAX_ASSIGNMENTS_PER_STACK;
    if (!Number.isInteger(max) || max < 1 || max > CLOUDFORMATION_MAX_RESOURCES) {
      fail(site, 'maxAssignmentsPerStack', `${max} is not a whole number in 1-${CLOUDFORMATION_MAX_RESOURCES}`,
        `keep the default of ${DEFAULT_MAX_ASSIGNMENTS_PER_STACK}, or at most CloudFormation's ${CLOUDFORMATION_MAX_RESOURCES} resources per stack`);
    }
    if (props.shardCount !== undefined && (!Number.isInteger(props.shardCount) || props.shardCount < 1 || props.shardCount > 1000)) {
      fail(site, 'shardCount', `${props.shardCount} is not a whole number in 1-1000`, 'choose the number of nested stacks once, e.g. one per 200 assignments you expect');
    }
    const concurrency = props.maxConcurrentAssignments ?? DEFAULT_MAX_CONCURRENT_ASSIGNMENTS;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      fail(site, 'maxConcurrentAssignments', `${concurrency} is not a whole number of at least 1`,
        `keep the default of ${DEFAULT_MAX_CONCURRENT_ASSIGNMENTS}, which users of AWS::SSO::Assignment report as safe from throttling`);
    }
    super(scope, id);
    this.site = site;
    this.maxConcurrentAssignments = concurrency;
    this.instance = props.instance;
    this.maxAssignmentsPerStack = max;
    this.shardCount = props.shardCount;
    const added: NewAssignment[] = [];
    (props.assignments ?? []).forEach((entry, i) => this.add(entry, `assignments[${i}]`, added));
    this.chain(added);
    watchStackLimits(this, ASSIGNMENTS_HINT);
  }

  /** Adds access: one assignment per new combination of principal, permission set and account. */
  public addAssignment(entry: AssignmentEntry): void {
    const added: NewAssignment[] = [];
    this.add(entry, 'addAssignment', added);
    this.chain(added);
  }

  /** The number of assignments (distinct combinations). */
  public get assignmentCount(): number {
    return this.keys.size;
  }

  /** The nested stacks holding the assignments, when sharded. */
  public get nestedStacks(): NestedStack[] {
    return [...this.shards.entries()].sort(([a], [b]) => a - b).map(([, s]) => s);
  }

  /** The assignment resources, in the order they were declared. */
  public get assignments(): sso.CfnAssignment[] {
    return [...this.resources];
  }

  /**
   * Puts new assignments into their dependency chains. In the order of the chains each one
   * is appended to its chain: one dependency each, where inserting them as they come would
   * rewire the chains over and over. The chains end the same either way.
   */
  private chain(added: NewAssignment[]): void {
    added.sort((a, b) => (a.logicalId < b.logicalId ? -1 : a.logicalId > b.logicalId ? 1 : 0));
    for (const a of added) this.chainOf(a.scope).insert(a.chain, a.logicalId, a.resource);
  }

  /** Creates the assignments of `entry` and lists them in `added`, to be chained by {@link chain}. */
  private add(entry: AssignmentEntry, prop: string, added: NewAssignment[]): void {
    const site = this.site;
    entry.principal._validate(site, `${prop}.principal`, this.instance);
    if (entry.permissionSets.length === 0) fail(site, `${prop}.permissionSets`, 'the list is empty', 'name at least one permission set');
    if (entry.targets.length === 0) fail(site, `${prop}.targets`, 'the list is empty', 'name at least one account or organizational unit');
    entry.targets.forEach((t, i) => t._validate(site, `${prop}.targets[${i}]`));

    const stack = Stack.of(this);
    const ours = this.instance.instanceArn;
    entry.permissionSets.forEach((set, i) => {
      if (set instanceof PermissionSet) {
        const setInstance = set._instanceArn;
        if (!Token.isUnresolved(setInstance) && !Token.isUnresolved(ours) && setInstance !== ours) {
          fail(site, `${prop}.permissionSets[${i}]`, `the permission set '${set.node.path}' belongs to the instance ${quote(setInstance)}, not ${quote(ours)}`,
            'assign permission sets of the same Identity Center instance');
        }
        return;
      }
      // An imported set (or another IPermissionSet): its ARN names its instance, and
      // CreateAccountAssignment refuses a set of another instance only at deploy time.
      const setInstance = instanceOfSsoArn(set.permissionSetArn);
      const ourInstance = instanceOfSsoArn(ours);
      if (setInstance !== undefined && ourInstance !== undefined && setInstance !== ourInstance) {
        fail(site, `${prop}.permissionSets[${i}]`,
          `the permission set ${quote(set.permissionSetArn)} ('${set.node.path}') belongs to the instance ${quote(setInstance)}, not ${quote(ours)}`,
          `assign permission sets of the same Identity Center instance: import one whose ARN starts with ${quote(ours.replace(':instance/', ':permissionSet/') + '/')} `
            + `(aws sso-admin list-permission-sets --instance-arn ${ours}), or assign this one with an AccountAssignments of its own instance`);
      }
    });
    const principal = entry.principal._identity(this, this.instance);
    const accounts = entry.targets.flatMap(t => t.accountIds);
    for (const permissionSet of entry.permissionSets) {
      const setIdentity = permissionSetIdentity(stack, permissionSet);
      for (const account of accounts) {
        const key = `${principal}|${setIdentity}|${Token.isUnresolved(account) ? JSON.stringify(stack.resolve(account)) : account}`;
        if (this.keys.has(key)) continue;
        this.keys.add(key);
        const [hash, hashNumber] = stableHashAndNumber(key, 16);
        const scope = this.scopeFor(hashNumber);
        const logicalId = `Assignment${hash}`;
        const assignment = new sso.CfnAssignment(scope, logicalId, {
          instanceArn: this.instance.instanceArn,
          permissionSetArn: permissionSet.permissionSetArn,
          principalType: entry.principal.principalType,
          principalId: entry.principal._principalId(this, this.instance),
          targetType: 'AWS_ACCOUNT',
          targetId: account,
        });
        assignment.overrideLogicalId(logicalId);
        this.resources.push(assignment);
        added.push({ scope, chain: chainOfHash(hash), logicalId, resource: assignment });
      }
    }
  }

  /**
   * The construct that holds an assignment, counted against the limit. `hashNumber` is
   * the `hashNumber` of the assignment's key (computed with its logical id).
   */
  private scopeFor(hashNumber: number): Construct {
    const shardCount = this.shardCount;
    const shard = shardCount === undefined ? undefined : shardFromHash(hashNumber, shardCount);
    let scope: Construct = this;
    if (shard !== undefined) {
      const existing = this.shards.get(shard);
      scope = existing ?? new NestedStack(this, shardId(shard));
      if (!existing) {
        const nested = scope as NestedStack;
        this.shards.set(shard, nested);
        this.shardChain.insert(0, shardId(shard), nested.nestedStackResource!);
        watchStackLimits(nested, ASSIGNMENTS_HINT);
      }
    }
    const count = (this.counts.get(scope) ?? 0) + 1;
    if (count > this.maxAssignmentsPerStack) {
      if (shard === undefined) {
        fail(this.site, 'assignments', `more than ${this.maxAssignmentsPerStack} assignments (maxAssignmentsPerStack) would go into one stack, `
          + `where CloudFormation allows ${CLOUDFORMATION_MAX_RESOURCES} resources`,
        `if nothing is deployed yet, set shardCount for the size you expect to reach, e.g. shardCount: ${suggestedShardCount(this.keys.size, this.maxAssignmentsPerStack)} `
          + '(the next power of two at least twice the current need); it cannot change later, because a deployed assignment cannot move to another stack '
          + '(CloudFormation creates it in the new stack first and AWS::SSO::Assignment fails with AlreadyExists). '
          + 'If these assignments are deployed, keep them here and declare the new access in a second AccountAssignments (with shardCount), '
          + 'or remove them in one deployment and add them back sharded in the next (users lack that access in between)');
      }
      fail(this.site, 'shardCount', `nested stack ${shardId(shard)} would hold more than ${this.maxAssignmentsPerStack} assignments (maxAssignmentsPerStack)`,
        `raise maxAssignmentsPerStack up to ${CLOUDFORMATION_MAX_RESOURCES}, or declare further access in a second AccountAssignments; `
        + 'changing shardCount cannot be deployed in place (moved assignments fail with AlreadyExists): only by removing the assignments in one deployment '
        + 'and adding them back in the next, with a window without access');
    }
    this.counts.set(scope, count);
    return scope;
  }

  /** The dependency chains of the assignments of `scope` (this construct or a shard). */
  private chainOf(scope: Construct): DependencyChains {
    let chains = this.chains.get(scope);
    if (!chains) {
      chains = new DependencyChains(this.maxConcurrentAssignments);
      this.chains.set(scope, chains);
    }
    return chains;
  }
}

/**
 * What AccountAssignments adds to the fix of a stack over CloudFormation's limits: each
 * name lookup is a resource of the stack and one parameter of each shard that uses it, and
 * each permission set one parameter of each shard.
 */
const ASSIGNMENTS_HINT = 'for AccountAssignments: give principals by id (group(id), user(id)) instead of by name (each name lookup is a resource, '
  + 'and one parameter of every nested stack that uses it), lower maxAssignmentsPerStack to leave room for the other resources, '
  + 'or set shardCount (before the first deployment only); deployed assignments cannot move, so declare further access in a second AccountAssignments';

/** A shard count for growth: the next power of two at least twice `count / max`. */
function suggestedShardCount(count: number, max: number): number {
  const need = Math.max(2, Math.ceil((2 * count) / max));
  return 2 ** Math.ceil(Math.log2(need));
}

function shardId(shard: number): string {
  return `Shard${String(shard).padStart(3, '0')}`;
}


/** The permission set's part of the key: its name for sets of this library, its ARN for imports. */
function permissionSetIdentity(stack: Stack, permissionSet: IPermissionSet): string {
  if (permissionSet instanceof PermissionSet) return permissionSet._identity;
  const arn = permissionSet.permissionSetArn;
  return Token.isUnresolved(arn) ? `arn|${JSON.stringify(stack.resolve(arn))}` : `arn|${arn}`;
}
