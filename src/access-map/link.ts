import { TemplateAccess } from './describe';
import { isUnresolved } from './evaluate';
import { AccessMapAssumeTarget, AccessMapPermissions, AccessMapRole } from './model';
import { LoadedTemplate } from './templates';

/**
 * The roles that each role and permission set may assume, and that EKS access entries name, resolved to the roles of the map
 * where the ARN names one: read from the same template, from another template of the same
 * top-level stack (through nested stack parameters and outputs), or, for an ARN with no
 * value only known at deploy time, from any stack of the map (a name CDK generated for a
 * cross-environment reference, or a literal name). Patterns are listed, not expanded.
 *
 * `templates[i]` is the template that `parts[i]` was read from.
 */
export function linkTargets(templates: LoadedTemplate[], parts: TemplateAccess[]): TemplateAccess[] {
  const roles = new Map<string, AccessMapRole>();
  const add = (key: string, role: AccessMapRole) => {
    if (!roles.has(key)) roles.set(key, role);
  };
  const rootIndex = templates.map(t => templates.indexOf(rootOf(t)));
  parts.forEach((part, i) => part.roles.forEach((role, j) => {
    const { local, qualified } = part.roleArns[j];
    add(`t${i} ${local}`, role);
    add(`r${rootIndex[i]} ${qualified}`, role);
    if (!isUnresolved(local)) add(`* ${local}`, role);
  }));
  const resolve = (i: number, target: AccessMapAssumeTarget): AccessMapAssumeTarget => {
    const r = target.resource;
    const role = roles.get(`t${i} ${r}`) ?? roles.get(`r${rootIndex[i]} ${r}`) ?? (isUnresolved(r) ? undefined : roles.get(`* ${r}`));
    return role ? { ...target, who: `role ${role.path} of stack ${role.stack}`, stack: role.stack, path: role.path } : target;
  };
  const link = (i: number, p: AccessMapPermissions): AccessMapPermissions =>
    (p.mayAssume ? { ...p, mayAssume: p.mayAssume.map(t => resolve(i, t)) } : p);
  return parts.map((part, i) => ({
    ...part,
    roles: part.roles.map(role => ({ ...role, permissions: link(i, role.permissions) })),
    permissionSets: part.permissionSets.map(set => ({ ...set, permissions: link(i, set.permissions) })),
    clusterAccess: part.clusterAccess.map(entry => {
      const r = resolve(i, { resource: entry.principalArn, who: entry.who, conditions: [] });
      return r.path !== undefined ? { ...entry, who: r.who, roleStack: r.stack, rolePath: r.path } : entry;
    }),
  }));
}

function rootOf(t: LoadedTemplate): LoadedTemplate {
  let root = t;
  while (root.parent) root = root.parent.template;
  return root;
}
