import { Evaluator, isUnresolved } from './evaluate';
import { AccessMapAssignment, AccessMapClusterAccess, AccessMapPermissionSet, AccessMapRole, AccessMapWayIn } from './model';
import { describeAssignment, describePermissionSet, rolePermissions } from './permissions';
import { readWayIn } from './readers';
import { broadOf, describeCondition, duration, principalList } from './readers/words';
import { LoadedTemplate } from './templates';
import { ReadStatement as Statement, readTrustPolicy } from '../core/trust-reader';
import { ScopeContext, StatementScope, statementScope } from '../core/trust-scope';

export { describeCondition, duration } from './readers/words';

/** Everything a template contributes to the map. */
export interface TemplateAccess {
  readonly roles: AccessMapRole[];
  readonly permissionSets: AccessMapPermissionSet[];
  readonly assignments: AccessMapAssignment[];
  /** EKS access entries. */
  readonly clusterAccess: AccessMapClusterAccess[];
  /**
   * The ARN of each role (same order as `roles`) as this template reads it (`local`) and as
   * another template of the same top-level stack reads it (`qualified`, see `EvaluatorOptions`).
   */
  readonly roleArns: Array<{ readonly local: string; readonly qualified: string }>;
}

/** Reads the roles, permission sets and assignments of one template. */
export function describeTemplate(loaded: LoadedTemplate): TemplateAccess {
  const ev = new Evaluator(loaded);
  const qualified = new Evaluator(loaded, { qualified: true });
  const resources: Record<string, any> = loaded.template.Resources ?? {};
  const roles: AccessMapRole[] = [];
  const roleArns: TemplateAccess['roleArns'] = [];
  const permissionSets: AccessMapPermissionSet[] = [];
  const assignments: AccessMapAssignment[] = [];
  const clusterAccess: AccessMapClusterAccess[] = [];
  for (const [id, r] of Object.entries<any>(resources)) {
    if (r?.Type === 'AWS::IAM::Role') {
      roles.push(describeRole(ev, id, r));
      const arn = { 'Fn::GetAtt': [id, 'Arn'] };
      roleArns.push({ local: ev.str(arn), qualified: qualified.str(arn) });
    } else if (r?.Type === 'AWS::SSO::PermissionSet') {
      permissionSets.push(describePermissionSet(ev, r));
    } else if (r?.Type === 'AWS::SSO::Assignment') {
      assignments.push(describeAssignment(ev, r));
    } else if (r?.Type === 'AWS::EKS::AccessEntry') {
      clusterAccess.push(describeAccessEntry(ev, r));
    }
  }
  return { roles, permissionSets, assignments, clusterAccess, roleArns };
}

/**
 * Construct paths (or, without path metadata, logical ids) that aws-cdk-lib gives the roles
 * of its own custom resource providers: the `Provider` framework's functions and waiter,
 * the `AwsCustomResource` singleton, and `CustomResourceProvider` handlers.
 */
const FRAMEWORK_PATH = /(^|\/)(framework-(onEvent|isComplete|onTimeout)|waiter-state-machine|AWS679f53fac002430cb0da5b7982bd2287|[^/]*CustomResourceProvider)(\/|$)/;

const FRAMEWORK_ID = /^(AWS679f53fac002430cb0da5b7982bd2287|.*CustomResourceProviderRole[0-9A-F]{8}$|.*framework(onEvent|isComplete|onTimeout)ServiceRole[0-9A-F]{8}$|.*waiterstatemachineRole[0-9A-F]{8}$)/;

/** Whether aws-cdk-lib created the role for one of its own custom resource providers. */
function isFrameworkRole(ev: Evaluator, id: string): boolean {
  const path = ev.label(id);
  if (FRAMEWORK_PATH.test(path) || FRAMEWORK_ID.test(id)) return true;
  // The handlers aws-cdk-lib marks in the construct tree (read with fromStack).
  return [...ev.loaded.frameworkPaths ?? []].some(marked => path === marked || path.startsWith(`${marked}/`));
}

function describeRole(ev: Evaluator, id: string, r: any): AccessMapRole {
  const p = r.Properties ?? {};
  const waysIn: AccessMapWayIn[] = [];
  const denies: string[] = [];
  const partition = ev.partition;
  const ctx: ScopeContext = {
    ...(ev.loaded.account ? { account: ev.loaded.account } : {}),
    ...(isUnresolved(partition) ? {} : { partition }),
  };
  for (const s of readTrustPolicy(ev, p.AssumeRolePolicyDocument)) {
    if (s.effect === 'Deny') {
      denies.push(describeDeny(s));
      continue;
    }
    // What the statement lets in comes from the one definition of a narrow trust; the map only says it in words.
    const scope = statementScope(s, ctx);
    for (const w of waysInOf(ev, id, s, scope)) {
      // Statements that differ only in their actions (AssumeRole, then TagSession) are one way in.
      const same = waysIn.findIndex(x => x.kind === w.kind && x.who === w.who && x.conditions.join('\n') === w.conditions.join('\n'));
      if (same < 0) waysIn.push(w);
      else waysIn[same] = { ...waysIn[same], actions: [...new Set([...waysIn[same].actions, ...w.actions])] };
    }
  }
  const sessionValue = ev.value(p.MaxSessionDuration) ?? 3600;
  const session = typeof sessionValue === 'number' || (typeof sessionValue === 'string' && /^\d+$/.test(sessionValue)) ? Number(sessionValue) : undefined;
  const framework = isFrameworkRole(ev, id);
  return {
    stack: ev.loaded.stack,
    logicalId: id,
    path: ev.label(id),
    roleName: ev.roleName(id),
    ...(session !== undefined ? { maxSessionDuration: session } : {}),
    sessionLimit: session !== undefined ? duration(session) : String(sessionValue),
    waysIn,
    denies,
    permissions: rolePermissions(ev, id, p, framework),
    ...(framework ? { cdkFramework: true } : {}),
  };
}

/** Reads the statement's ways in, in words: each with the reader of its kind (`readers/`). */
function waysInOf(ev: Evaluator, roleId: string, s: Statement, scope: StatementScope): AccessMapWayIn[] {
  return scope.ways.flatMap(w => readWayIn({ ev, roleId, s, scope, w, broad: broadOf(w.reasons, scope) }));
}

/** Access policies that administer a cluster when scoped to it. */
const CLUSTER_ADMIN_POLICIES = /^(AmazonEKSClusterAdminPolicy|AmazonEKSAdminPolicy)$/;

/** An EKS access entry: the cluster, the principal, its access policies and Kubernetes groups. */
function describeAccessEntry(ev: Evaluator, r: any): AccessMapClusterAccess {
  const p = r.Properties ?? {};
  const principalArn = ev.str(p.PrincipalArn);
  const policies: any[] = Array.isArray(p.AccessPolicies) ? p.AccessPolicies : [];
  let admin: string | undefined;
  const accessPolicies = policies.map(x => {
    const name = ev.str(x?.PolicyArn).replace(/^arn:[^:]+:eks::aws:cluster-access-policy\//, '');
    const type = ev.str(x?.AccessScope?.Type);
    const scope = type === 'namespace' ? `namespaces ${ev.strings(x?.AccessScope?.Namespaces).join(', ')}` : type;
    if (type === 'cluster' && CLUSTER_ADMIN_POLICIES.test(name)) admin = admin ?? `${name} on the whole cluster`;
    return `${name} (${scope})`;
  });
  const username = p.Username !== undefined ? ev.str(p.Username) : undefined;
  return {
    stack: ev.loaded.stack,
    cluster: ev.str(p.ClusterName),
    principalArn,
    who: principalWords(principalArn),
    accessPolicies,
    kubernetesGroups: ev.strings(p.KubernetesGroups),
    ...(username !== undefined ? { username } : {}),
    ...(admin ? { admin } : {}),
  };
}

/** An access entry's principal in words: an Identity Center permission set's role, a role, or the ARN. */
function principalWords(arn: string): string {
  const sso = /^arn:[^:]+:iam::([^:]+):role\/aws-reserved\/sso\.amazonaws\.com\/(?:[^/]+\/)?AWSReservedSSO_(.+)_[0-9a-f]{16}$/.exec(arn);
  if (sso) return `the role of permission set ${sso[2]} in account ${sso[1]}`;
  const role = /^arn:[^:]+:iam::([^:]+):role\/(?:.*\/)?([^/]+)$/.exec(arn);
  return role ? `role ${role[2]} in account ${role[1]}` : arn;
}

function describeDeny(s: Statement): string {
  const who = s.notPrincipals ? `anyone except ${principalList(s.notPrincipals)}`
    : s.unresolvedPrincipal ? `principal ${s.unresolvedPrincipal}`
      : principalList(s.principals) || 'anyone';
  const what = s.notActions.length > 0 ? `every action except ${s.notActions.join(', ')}` : s.actions.join(', ');
  const when = [...s.conditions.map(describeCondition), ...s.opaqueText];
  return `deny ${what} to ${who}${when.length > 0 ? ` when ${when.join(' and ')}` : ''}`;
}
