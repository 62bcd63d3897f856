import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Grant, toStatement } from './grant';
import { fail } from '../../core/errors';
import { acknowledgeWhenRendered, iam5ResourceFindingId, nagResourceName } from '../../core/nag-ids';

/** The size quota of a customer managed policy, in characters without whitespace. */
const MANAGED_POLICY_SIZE = 6144;

/** The rendered statements each first policy of a catalog attachment was built from. */
const ATTACHED = new WeakMap<iam.ManagedPolicy, string>();

/** What {@link attachGrants} attaches: a controller's statements, rendered for the role. */
export interface Attachment {
  /** The controller, e.g. `aws-ebs-csi-driver`. */
  readonly controller: string;
  /** The id of the first managed policy (`<id>2`, `<id>3` ... for the next ones). */
  readonly id: string;
  /** The statements, built for the role's stack. */
  readonly grants: Grant[];
}

/**
 * Attaches a controller's statements to a role as customer managed policies, children of
 * the role: one, or more when they exceed the 6,144-character quota. Each wildcard resource
 * is acknowledged with its reasons. A second attachment of the same statements returns the
 * first policies; one of other statements is refused.
 *
 * @returns the managed policies, in order
 */
export function attachGrants(role: iam.IRole, attachment: Attachment): iam.ManagedPolicy[] {
  const { controller, id, grants } = attachment;
  const stack = Stack.of(role);
  const rendered = JSON.stringify(grants.map(g => stack.resolve(toStatement(g).toStatementJson())));
  const existing = role.node.tryFindChild(id);
  if (existing instanceof iam.ManagedPolicy) {
    if (ATTACHED.get(existing) !== rendered) {
      fail({ kind: 'AddonPolicy', path: role.node.path }, 'attachTo',
        `the role already has the ${controller} policy with other statements (built with other arguments), which this call would silently drop`,
        `attach the ${controller} policy once per role, built with all its arguments (every key, zone, bucket or cluster)`);
    }
    return role.node.children.filter((c): c is iam.ManagedPolicy => c instanceof iam.ManagedPolicy && (c.node.id === id || new RegExp(`^${id}\\d+$`).test(c.node.id)));
  }
  const policies: iam.ManagedPolicy[] = [];
  let size = 0;
  let chunk: Grant[] = [];
  const flush = () => {
    const policy = new iam.ManagedPolicy(role, policies.length === 0 ? id : `${id}${policies.length + 1}`, {
      description: `Permissions of ${controller}`,
      roles: [role],
      statements: chunk.map(toStatement),
    });
    acknowledgeWildcards(policy, chunk);
    policies.push(policy);
    chunk = [];
    size = 0;
  };
  for (const grant of grants) {
    // Over-estimates the deployed size: unresolved ARNs are longer than their values.
    const length = JSON.stringify(stack.resolve(toStatement(grant).toStatementJson())).length;
    if (chunk.length > 0 && size + length > MANAGED_POLICY_SIZE) flush();
    chunk.push(grant);
    size += length;
  }
  flush();
  ATTACHED.set(policies[0], rendered);
  return policies;
}

/**
 * Acknowledges each wildcard resource with the reasons of the statements that hold it. Which
 * resources hold a wildcard is known now; their finding ids are computed when the template is
 * rendered (partition flag, the stack's region, imports from other stacks decide them).
 */
function acknowledgeWildcards(policy: iam.ManagedPolicy, grants: Grant[]): void {
  const stack = Stack.of(policy);
  const wildcards: { resource: string; why: string }[] = [];
  for (const grant of grants) {
    for (const resource of grant.resources) {
      const flat = nagResourceName(stack.resolve(resource));
      if (!flat.includes('*') && !flat.includes('?')) continue;
      if (!grant.why) throw new Error(`internal: the ${policy.node.path} statement on ${flat} has no reason for its wildcard`);
      wildcards.push({ resource, why: `${grant.actions.join(', ')}: ${grant.why}.` });
    }
  }
  acknowledgeWhenRendered(policy, policyStack => {
    const reasons = new Map<string, Set<string>>();
    for (const { resource, why } of wildcards) {
      const id = iam5ResourceFindingId(policyStack.resolve(resource));
      if (!reasons.has(id)) reasons.set(id, new Set());
      reasons.get(id)!.add(why);
    }
    return [...reasons].map(([id, why]) => ({ id, reason: [...why].join(' ') }));
  });
}
