/**
 * Chains: a role (or an Identity Center permission set's role in an assigned account) whose
 * policies allow `sts:AssumeRole` on another role of the app, where that role's trust lets
 * it in. For each role, every way in through a chain is listed with the chain; a chain
 * from a broad way in to administrator-level permissions is flagged. Sessions reached
 * through a chain last at most one hour (STS caps role chaining at one hour).
 */
import { TemplateAccess } from './describe';
import { explainCall } from './explain';
import { AccessMapAssignment, AccessMapChain, AccessMapPermissions, AccessMapRole } from './model';
import { fromPrincipal } from './private/requests';
import { LoadedTemplate } from './templates';
import { isDeployTime } from '../core/trust-reader';

/** How many roles a chain may pass through before the role it reaches. */
const MAX_HOPS = 4;
/** How many chains are listed per role. */
const MAX_CHAINS = 50;

/** A role or a permission set's role in one account: something that may assume a role. */
interface Node {
  /** `Stack/path`, or `permission set Admin in account 111111111111`. */
  readonly label: string;
  /** The direct ways in: who, and why it is broad. */
  readonly entries: Array<{ readonly who: string; readonly broad?: string; readonly unresolved: boolean }>;
  readonly permissions: AccessMapPermissions;
  /** The ARNs the node calls STS with (as its own template and as other templates read them). */
  readonly arns: string[];
  /** For a role: where it is. */
  readonly role?: { readonly part: number; readonly index: number };
}

/** A hop: `from` may assume the role `to` and its trust lets `from` in (or a deploy-time value decides). */
interface Edge {
  readonly from: Node;
  readonly to: Node;
  readonly unresolved: boolean;
}

/** The flags that make permissions administrator-level. */
export function adminLevel(p: AccessMapPermissions): string | undefined {
  return p.flags.find(f => /administrator-level|^all actions \(\*\)|^NotAction|^every action of a service \(iam:\*\)/.test(f));
}

/** The roles of every part, with the chains into each. `templates[i]` is the template of `parts[i]`. */
export function addChains(templates: LoadedTemplate[], parts: TemplateAccess[]): TemplateAccess[] {
  const nodes: Node[] = [];
  const roleNode = new Map<string, Node>();
  const byIndex = new Map<string, Node>();
  parts.forEach((part, i) => part.roles.forEach((role, j) => {
    const node: Node = {
      label: `${role.stack}/${role.path}`,
      entries: role.waysIn.map(w => ({ who: w.who, ...(w.broad ? { broad: w.broad } : {}), unresolved: w.unresolved })),
      permissions: role.permissions,
      arns: [...new Set([part.roleArns[j].local, part.roleArns[j].qualified])],
      role: { part: i, index: j },
    };
    nodes.push(node);
    byIndex.set(`${i}/${j}`, node);
    roleNode.set(`${role.stack}\u0000${role.path}`, node);
  }));
  const assignments = parts.flatMap(p => p.assignments);
  for (const part of parts) {
    for (const set of part.permissionSets) {
      if (!set.permissions.mayAssume?.some(t => t.path !== undefined)) continue;
      for (const [account, principals] of assignedAccounts(assignments, set.name)) {
        nodes.push({
          label: `permission set ${set.name} in account ${account}`,
          entries: principals.map(p => ({ who: `IAM Identity Center ${p}`, unresolved: isDeployTime(p) })),
          permissions: set.permissions,
          // The role Identity Center creates: a path of its own, a suffix only known once created.
          arns: [`arn:aws:iam::${account}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_${set.name}_⟨suffix⟩`],
        });
      }
    }
  }

  const edges: Edge[] = [];
  for (const from of nodes) {
    for (const target of from.permissions.mayAssume ?? []) {
      const to = target.path !== undefined ? roleNode.get(`${target.stack}\u0000${target.path}`) : undefined;
      if (!to?.role || to === from) continue;
      const role = parts[to.role.part].roles[to.role.index];
      const found = { loaded: templates[to.role.part], logicalId: role.logicalId };
      const verdicts = from.arns.map(arn => explainCall(found, fromPrincipal(arn, {}), { callerChooses: true }).verdict);
      if (verdicts.includes('allowed')) edges.push({ from, to, unresolved: false });
      else if (verdicts.includes('undecided')) edges.push({ from, to, unresolved: true });
    }
  }

  // A way in that names the role a hop comes from is that hop: chains start before it.
  const hopFrom = new Map<Node, Map<string, string>>();
  for (const edge of edges) {
    const names = hopFrom.get(edge.to) ?? new Map<string, string>();
    for (const entry of edge.to.entries) if (namesNode(entry.who, edge.from)) names.set(entry.who, edge.from.label);
    hopFrom.set(edge.to, names);
  }
  const chainsOf = new Map<Node, AccessMapChain[]>();
  const walk = (to: Node, via: Node[], unresolved: boolean, out: AccessMapChain[]) => {
    for (const edge of edges.filter(e => e.to === to)) {
      const from = edge.from;
      if (via.includes(from) || out.length >= MAX_CHAINS) continue;
      const path = [from, ...via];
      for (const entry of from.entries) {
        if (out.length >= MAX_CHAINS) break;
        if (hopFrom.get(from)?.has(entry.who)) continue;
        out.push({
          who: entry.who,
          via: path.slice(0, -1).map(n => n.label),
          ...(entry.broad ? { broad: entry.broad } : {}),
          sessionLimit: '1 hour',
          unresolved: entry.unresolved || unresolved || edge.unresolved,
        });
      }
      if (path.length <= MAX_HOPS) walk(from, path, unresolved || edge.unresolved, out);
    }
  };
  for (const node of nodes.filter(n => n.role)) {
    const out: AccessMapChain[] = [];
    walk(node, [node], false, out);
    const admin = adminLevel(node.permissions);
    chainsOf.set(node, out.map(c => (c.broad && admin
      ? { ...c, risk: `a broad way in (${c.who}) reaches administrator-level permissions (${admin}) through ${c.via.join(' → ')}` }
      : c)));
  }

  return parts.map((part, i) => ({
    ...part,
    roles: part.roles.map((role, j): AccessMapRole => {
      const node = byIndex.get(`${i}/${j}`)!;
      const chains = chainsOf.get(node) ?? [];
      const hops = hopFrom.get(node);
      const waysIn = hops && hops.size > 0 ? role.waysIn.map(w => (hops.has(w.who) ? { ...w, hopFrom: hops.get(w.who)! } : w)) : role.waysIn;
      return { ...role, waysIn, ...(chains.length > 0 ? { chains } : {}) };
    }),
  }));
}

/** Whether a way in (`role deploy in account 111111111111`) names the role of a node, by its ARN. */
function namesNode(who: string, node: Node): boolean {
  return node.arns.some(arn => {
    const m = /^arn:[^:]+:iam::([^:]+):role\/(?:.*\/)?([^/]+)$/.exec(arn);
    return m !== null && (who === `role ${m[2]} in account ${m[1]}` || who.startsWith(`role ${m[2]} in account ${m[1]} (`));
  });
}

/** The accounts a permission set is assigned in, each with the principals assigned. */
function assignedAccounts(assignments: AccessMapAssignment[], setName: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const a of assignments.filter(x => x.permissionSet === setName)) {
    const list = out.get(a.account) ?? [];
    if (!list.includes(a.principal)) list.push(a.principal);
    out.set(a.account, list);
  }
  return out;
}
