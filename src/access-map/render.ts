import { adminLevel } from './chains';
import {
  AccessMapAssignment, AccessMapAssumeTarget, AccessMapChain, AccessMapChange, AccessMapChangeType, AccessMapClusterAccess,
  AccessMapPermissionSet, AccessMapPermissions, AccessMapRole,
} from './model';
import { duration } from './readers/words';

/** What the renderers read of a map. */
interface MapView {
  readonly warnings: string[];
  readonly roles: AccessMapRole[];
  readonly permissionSets: AccessMapPermissionSet[];
  readonly assignments: AccessMapAssignment[];
  readonly clusterAccess: AccessMapClusterAccess[];
}

/** Mermaid's default `maxEdges` is 500; beyond this many edges the diagram is cut and says so. */
const MAX_EDGES = 400;
const BROAD = '⚠';

/** Text in Markdown: every character Markdown would read as markup escaped (`*` in `repo:acme/*` stays a star). */
function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/[\\`*_[\]|#~]/g, c => `\\${c}`).replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A Markdown table cell: escaped, line breaks as `<br>`. */
function cell(text: string): string {
  return escape(text).replace(/\r?\n/g, '<br>');
}

function permissionsText(p: AccessMapPermissions): string {
  const lines: string[] = [];
  if (p.managedPolicies.length > 0) lines.push(p.managedPolicies.join(', '));
  if (p.allowedActions.length > 0) {
    const shown = p.allowedActions.slice(0, 6).join(', ');
    lines.push(`${p.allowedActions.length} action(s): ${shown}${p.allowedActions.length > 6 ? ', …' : ''}`);
  }
  if (p.permissionsBoundary) lines.push(`boundary: ${p.permissionsBoundary}`);
  lines.push(...(p.mayAssume ?? []).map(t => `may assume: ${assumeText(t)}`));
  lines.push(...p.flags.map(f => `${BROAD} ${f}`));
  return lines.length > 0 ? lines.join('\n') : 'none';
}

/** A role that may be assumed, with the conditions of the statement: `role deploy in account 222222222222 (with MFA)`. */
export function assumeText(t: AccessMapAssumeTarget): string {
  return `${t.who}${t.conditions.length > 0 ? ` (${t.conditions.join('; ')})` : ''}`;
}

/**
 * A session length in one unit style, whatever it was written as: `3600` (seconds) and
 * `PT1H` (ISO 8601, as permission sets write it) both read `1 hour`; a marker stays.
 */
export function sessionText(value: string | number): string {
  if (typeof value === 'number' || /^\d+$/.test(value)) return duration(value);
  const iso = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(value);
  if (!iso || value === 'PT') return value;
  return duration(Number(iso[1] ?? 0) * 3600 + Number(iso[2] ?? 0) * 60 + Number(iso[3] ?? 0));
}

/**
 * The Role column: the construct path first, then the role name unless it is the one
 * CloudFormation generates (the marker would repeat the path); CDK's own provider roles
 * say so.
 */
function roleText(role: AccessMapRole): string {
  const generated = role.roleName === `⟨generated name of role ${role.path}⟩`;
  return [role.path, ...generated ? [] : [`name: ${role.roleName}`], ...role.cdkFramework ? ['(CDK framework role)'] : []].join('\n');
}

/** A chain in words: `GitHub Actions: acme/web, branch main → Tooling/Deploy`. */
export function chainText(c: AccessMapChain): string {
  return [c.who, ...c.via].join(' → ');
}

function waysText(role: AccessMapRole): string {
  if (role.waysIn.length === 0) return 'nobody (no Allow statement)';
  const lines = role.waysIn.map(w => {
    const conditions = w.conditions.length > 0 ? ` (${w.conditions.join('; ')})` : '';
    const hop = w.hopFrom !== undefined ? ` — a hop from ${w.hopFrom}` : '';
    return `${w.broad ? `${BROAD} ` : ''}${w.who}${conditions}${hop}${w.broad ? ` — broad: ${w.broad}` : ''}`;
  });
  lines.push(...role.denies.map(d => `but ${d}`));
  for (const c of role.chains ?? []) {
    const flag = c.risk ? ` — risk: ${c.risk}` : c.broad ? ` — broad: ${c.broad}` : '';
    lines.push(`${c.risk || c.broad ? `${BROAD} ` : ''}through a chain: ${chainText(c)} (sessions of ${c.sessionLimit}: role chaining)${flag}`);
  }
  return lines.join('\n');
}

/** The longest session of a role, and the shorter one of its chains when it has them. */
function roleSessionText(role: AccessMapRole): string {
  const own = role.maxSessionDuration !== undefined ? sessionText(role.maxSessionDuration) : role.sessionLimit;
  const chained = (role.chains ?? []).length > 0 && (role.maxSessionDuration ?? 0) > 3600;
  return chained ? `${own}\n1 hour through a chain` : own;
}

/** An access entry in words: who, the access policies and groups, and whether it administers the cluster. */
export function clusterAccessText(e: AccessMapClusterAccess): string {
  const groups = e.kubernetesGroups.length > 0 ? `; Kubernetes groups ${e.kubernetesGroups.join(', ')}` : '';
  const user = e.username !== undefined ? `; username ${e.username}` : '';
  return `${e.who} → ${e.accessPolicies.join(', ') || 'no access policy'}${groups}${user}${e.admin ? ' (administers the cluster)' : ''}`;
}

/** The whole map as Markdown. */
export function mapMarkdown(map: MapView): string {
  const out: string[] = ['# Access map', ''];
  const ways = map.roles.flatMap(r => r.waysIn);
  const broad = ways.filter(w => w.broad).length;
  const chains = map.roles.flatMap(r => r.chains ?? []);
  const holders = [...map.roles.map(r => r.permissions), ...map.permissionSets.map(p => p.permissions)];
  const risky = holders.filter(p => p.flags.length > 0);
  out.push(`${map.roles.length} role(s) with ${ways.length} way(s) in; ${map.permissionSets.length} permission set(s) and `
    + `${map.assignments.length} Identity Center assignment(s); ${map.clusterAccess.length} EKS access entr${map.clusterAccess.length === 1 ? 'y' : 'ies'}. `
    + 'Values in ⟨…⟩ are only known at deploy time.', '');
  out.push(`- Broad ways in (${BROAD} in "Who can assume it"): ${broad}`);
  out.push(`- Risky permissions (${BROAD} in "Permissions"): ${risky.flatMap(p => p.flags).length} flag(s) on ${risky.length} role(s) and permission set(s), `
    + `${holders.filter(p => adminLevel(p)).length} of them administrator-level`);
  out.push(`- Ways in through a chain of roles: ${chains.length}, ${chains.filter(c => c.broad).length} of them from a broad way in, `
    + `${chains.filter(c => c.risk).length} reaching administrator-level permissions from a broad way in`, '');
  for (const w of map.warnings) out.push(`${BROAD} Not read: ${escape(w)}`, '');

  const stacks = [...new Set(map.roles.map(r => r.stack))];
  if (stacks.length > 0) out.push('## Who can assume which role', '');
  for (const stack of stacks) {
    out.push(`### ${escape(stack)}`, '', '| Role | Who can assume it | Longest session | Permissions |', '| --- | --- | --- | --- |');
    for (const role of map.roles.filter(r => r.stack === stack)) {
      out.push(`| ${cell(roleText(role))} | ${cell(waysText(role))} | ${cell(roleSessionText(role))} | ${cell(permissionsText(role.permissions))} |`);
    }
    out.push('');
  }

  if (map.permissionSets.length > 0 || map.assignments.length > 0) {
    out.push('## IAM Identity Center', '');
    if (map.permissionSets.length > 0) {
      out.push('| Permission set | Role in each assigned account | Longest session | Permissions |', '| --- | --- | --- | --- |');
      for (const set of map.permissionSets) {
        const accounts = [...new Set(map.assignments.filter(a => a.permissionSet === set.name).map(a => a.account))].sort();
        const where = accounts.length > 6 ? `${accounts.length} accounts (see the assignments)` : accounts.join(', ');
        const roles = accounts.length > 0 ? `AWSReservedSSO_${set.name}_… in ${where}` : 'none (not assigned)';
        out.push(`| ${cell(set.name)} | ${cell(roles)} | ${cell(sessionText(set.sessionDuration))} | ${cell(permissionsText(set.permissions))} |`);
      }
      out.push('');
    }
    if (map.assignments.length > 0) {
      out.push('| Principal | Permission set | Accounts |', '| --- | --- | --- |');
      for (const row of assignmentMatrix(map.assignments)) out.push(`| ${cell(row.principal)} | ${cell(row.permissionSet)} | ${row.accounts.join(', ')} |`);
      out.push('');
    }
  }

  if (map.clusterAccess.length > 0) {
    out.push('## EKS access entries', '', '| Cluster | Who | Access |', '| --- | --- | --- |');
    for (const e of map.clusterAccess) {
      const role = e.rolePath !== undefined ? map.roles.find(r => r.stack === e.roleStack && r.path === e.rolePath) : undefined;
      const broadIn = role ? [...role.waysIn, ...role.chains ?? []].find(w => w.broad) : undefined;
      const risk = e.admin && broadIn ? `\n${BROAD} a broad way in (${broadIn.who}) administers the cluster` : '';
      const access = [...e.accessPolicies, ...e.kubernetesGroups.map(g => `Kubernetes group ${g}`), ...e.username !== undefined ? [`username ${e.username}`] : []];
      out.push(`| ${cell(`${e.cluster} (${e.stack})`)} | ${cell(e.who)} | ${cell(`${access.join('\n') || 'no access policy'}${e.admin ? `\nadministers the cluster: ${e.admin}` : ''}${risk}`)} |`);
    }
    out.push('');
  }

  out.push('## Diagram', '', '```mermaid', mapMermaid(map), '```', '');
  return out.join('\n');
}

interface MatrixRow {
  readonly principal: string;
  readonly permissionSet: string;
  readonly accounts: string[];
}

/** Assignments grouped by principal and permission set, accounts sorted. */
function assignmentMatrix(assignments: AccessMapAssignment[]): MatrixRow[] {
  const rows = new Map<string, MatrixRow>();
  for (const a of assignments) {
    const key = `${a.principal}\u0000${a.permissionSet}`;
    const row = rows.get(key) ?? { principal: a.principal, permissionSet: a.permissionSet, accounts: [] };
    if (!row.accounts.includes(a.account)) row.accounts.push(a.account);
    rows.set(key, row);
  }
  return [...rows.values()]
    .map(r => ({ ...r, accounts: [...r.accounts].sort() }))
    .sort((x, y) => x.principal.localeCompare(y.principal) || x.permissionSet.localeCompare(y.permissionSet));
}

/** A Mermaid node label: quotes and angle brackets as entity codes. */
function label(text: string): string {
  return `"${text.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;')}"`;
}

/**
 * The map as a Mermaid flowchart: who (left) → role (right), grouped by stack, broad ways
 * in drawn in red; role -.-> role (dotted) where a role's (or a permission set's) policies
 * allow it to assume another (the next hop of a chain); Identity Center principals →
 * permission sets, labelled with the number of accounts; roles → the EKS clusters their
 * access entries open.
 */
export function mapMermaid(map: MapView): string {
  const lines = ['flowchart LR'];
  const whoIds = new Map<string, string>();
  const edges: string[] = [];
  const broadNodes = new Set<string>();
  const whoNode = (text: string) => {
    let id = whoIds.get(text);
    if (!id) {
      id = `w${whoIds.size}`;
      whoIds.set(text, id);
    }
    return id;
  };
  const stacks = [...new Set(map.roles.map(r => r.stack))];
  stacks.forEach((stack, si) => {
    lines.push(`  subgraph s${si}[${label(stack)}]`);
    map.roles.forEach((role, ri) => {
      if (role.stack !== stack) return;
      lines.push(`    r${ri}[${label(role.roleName.startsWith('⟨') ? role.path : role.roleName)}]`);
      for (const w of role.waysIn) {
        // A hop from a role of the map is drawn as the dotted edge from that role.
        if (w.hopFrom !== undefined) continue;
        const id = whoNode(w.who);
        if (w.broad) broadNodes.add(id);
        edges.push(`  ${id} ${w.broad ? '==>' : '-->'} r${ri}`);
      }
    });
    lines.push('  end');
  });
  map.roles.forEach((role, ri) => {
    for (const t of role.permissions.mayAssume ?? []) {
      const target = t.path === undefined ? -1 : map.roles.findIndex(r => r.stack === t.stack && r.path === t.path);
      edges.push(`  r${ri} -.-> ${target >= 0 ? `r${target}` : whoNode(assumeText(t))}`);
    }
  });
  const principals = new Map<string, string>();
  const sets = new Map<string, string>();
  for (const row of assignmentMatrix(map.assignments)) {
    if (!principals.has(row.principal)) principals.set(row.principal, `p${principals.size}`);
    if (!sets.has(row.permissionSet)) sets.set(row.permissionSet, `ps${sets.size}`);
    edges.push(`  ${principals.get(row.principal)} -->|${label(`${row.accounts.length} account(s)`)}| ${sets.get(row.permissionSet)}`);
  }
  // A permission set's role may assume roles too: the next hop of a chain from Identity Center.
  for (const set of map.permissionSets) {
    for (const t of set.permissions.mayAssume ?? []) {
      const target = t.path === undefined ? -1 : map.roles.findIndex(r => r.stack === t.stack && r.path === t.path);
      if (target < 0) continue;
      if (!sets.has(set.name)) sets.set(set.name, `ps${sets.size}`);
      edges.push(`  ${sets.get(set.name)} -.-> r${target}`);
    }
  }
  // EKS access entries: the role (or principal) that may use the cluster.
  const clusters = new Map<string, string>();
  for (const e of map.clusterAccess) {
    const key = `${e.cluster} (${e.stack})`;
    if (!clusters.has(key)) clusters.set(key, `c${clusters.size}`);
    const role = e.rolePath === undefined ? -1 : map.roles.findIndex(r => r.stack === e.roleStack && r.path === e.rolePath);
    edges.push(`  ${role >= 0 ? `r${role}` : whoNode(e.who)} -->|${label(e.admin ? 'administers' : 'uses')}| ${clusters.get(key)}`);
  }
  const shown = edges.slice(0, MAX_EDGES);
  const used = new Set(shown.flatMap(e => e.trim().split(/\s+/)));
  for (const [text, id] of whoIds) if (used.has(id)) lines.push(`  ${id}(${label(text)})`);
  for (const [text, id] of principals) if (used.has(id)) lines.push(`  ${id}(${label(text)})`);
  for (const [text, id] of sets) if (used.has(id)) lines.push(`  ${id}[${label(`permission set ${text}`)}]`);
  for (const [text, id] of clusters) if (used.has(id)) lines.push(`  ${id}[(${label(`EKS cluster ${text}`)})]`);
  lines.push(...shown);
  if (edges.length > shown.length) {
    lines.push(`  more[${label(`${edges.length - shown.length} more edge(s) not drawn; see the tables`)}]`);
  }
  const broad = [...broadNodes].filter(id => used.has(id));
  if (broad.length > 0) {
    lines.push('  classDef broad stroke:#d33,stroke-width:3px,color:#d33');
    lines.push(`  class ${broad.join(',')} broad`);
  }
  return lines.join('\n');
}

/** The changes between two maps as Markdown: added access first, broad changes marked. */
export function diffMarkdown(changes: AccessMapChange[]): string {
  const out = ['# Access changes', ''];
  if (changes.length === 0) {
    out.push('No access added or removed.', '');
    return out.join('\n');
  }
  for (const [changeType, title] of [[AccessMapChangeType.ADDED, 'Added'], [AccessMapChangeType.REMOVED, 'Removed']] as const) {
    const list = changes.filter(c => c.changeType === changeType);
    out.push(`## ${title} (${list.length})`, '');
    if (list.length === 0) out.push('None.');
    for (const c of list) {
      out.push(`- ${c.broad ? `${BROAD} ` : ''}**${escape(c.subject)}**: ${escape(c.text)}${c.broad ? ` — broad: ${escape(c.broad)}` : ''}`);
    }
    out.push('');
  }
  return out.join('\n');
}
