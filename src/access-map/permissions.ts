/** What a role or a permission set may do, and the Identity Center assignments. */
import { Evaluator, splitOutsideMarkers } from './evaluate';
import {
  AccessMapAssignment, AccessMapAssumeTarget, AccessMapPermissionSet, AccessMapPermissions,
} from './model';
import { describeCondition, ownAccount, refersTo } from './readers/words';
import { ReadCondition as Condition, asList, isFreeDeployTime, parseJson, readStatement } from '../core/trust-reader';
import { isNarrowingOperator, isPattern } from '../core/trust-scope';

const ADMIN_POLICIES = new Set(['AdministratorAccess', 'PowerUserAccess', 'IAMFullAccess']);

export function rolePermissions(ev: Evaluator, id: string, p: any, framework: boolean): AccessMapPermissions {
  const resources: Record<string, any> = ev.loaded.template.Resources ?? {};
  // An entry chosen at deploy time stays in as its marker, and is flagged.
  const documents: any[] = asList(ev.value(p.Policies)).map((x: any) => (typeof x === 'string' ? x : x?.PolicyDocument));
  const managed: string[] = [];
  for (const raw of asList(p.ManagedPolicyArns)) {
    const local = raw?.Ref && resources[raw.Ref]?.Type === 'AWS::IAM::ManagedPolicy' ? raw.Ref : undefined;
    if (local) documents.push(resources[local].Properties?.PolicyDocument);
    managed.push(policyName(ev.str(raw)));
  }
  // Policies name the role by Ref, by its literal name (a role imported by name), or by a
  // name read from its ARN (`Fn::Select [1, Fn::Split ['/', ...]]`, as aws-cdk-lib writes
  // for a role it knows only by ARN).
  const literalName = typeof p.RoleName === 'string' ? p.RoleName : undefined;
  // A name chosen at deploy time (two `Fn::If`s on one condition read alike) names nothing for sure.
  const name = ev.roleName(id);
  const byValue = !isFreeDeployTime(name);
  const names = (x: any) => refersTo(x, id) || (literalName !== undefined && x === literalName)
    || (byValue && x !== null && typeof x === 'object' && ev.str(x) === name);
  for (const [otherId, r] of Object.entries<any>(resources)) {
    if (r?.Type === 'AWS::IAM::RolePolicy') {
      if (names(r.Properties?.RoleName)) documents.push(r.Properties?.PolicyDocument);
      continue;
    }
    if (r?.Type !== 'AWS::IAM::Policy' && r?.Type !== 'AWS::IAM::ManagedPolicy') continue;
    if (!asList(r.Properties?.Roles).some(names)) continue;
    documents.push(r.Properties?.PolicyDocument);
    if (r.Type === 'AWS::IAM::ManagedPolicy') managed.push(policyName(ev.str({ Ref: otherId })));
  }
  const boundary = p.PermissionsBoundary !== undefined ? policyName(ev.str(p.PermissionsBoundary)) : undefined;
  return summarize(ev, managed, documents, boundary, framework);
}

function policyName(arn: string): string {
  const m = /^arn:[^:]+:iam::(aws|\d{12}|⟨[^⟩]*⟩):policy\/(?:[^⟨]*\/)?(⟨[^⟩]*⟩|[^/]+)$/.exec(arn);
  if (!m) return arn;
  return m[1] === 'aws' ? `${m[2]} (AWS managed)` : m[2];
}

/**
 * What the policies allow, with flags for what is broad about them, and the roles they allow
 * to assume. `framework`: the role is aws-cdk-lib's own (see `isFrameworkRole`); its
 * `Resource: *` is not flagged.
 */
function summarize(
  ev: Evaluator, managedPolicies: string[], documents: any[], permissionsBoundary?: string, framework = false,
): AccessMapPermissions {
  const actions = new Set<string>();
  const flags = new Set<string>();
  const targets = new Map<string, AccessMapAssumeTarget>();
  for (const name of managedPolicies) {
    const base = name.replace(/ \(AWS managed\)$/, '');
    if (name.endsWith('(AWS managed)') && ADMIN_POLICIES.has(base)) flags.add(`${base}: administrator-level AWS managed policy`);
  }
  for (const raw of documents) {
    const doc = typeof raw === 'string' ? parseJson(raw) ?? raw : ev.value(raw);
    if (typeof doc === 'string') {
      flags.add(`a policy only known at deploy time (${doc})`);
      continue;
    }
    for (const s of asList((doc as any)?.Statement)) {
      if (typeof s === 'string') {
        flags.add(`a statement only known at deploy time (${s})`);
        continue;
      }
      if (s?.Effect !== 'Allow') continue;
      const notAction = ev.strings(s.NotAction);
      if (notAction.length > 0) flags.add(`NotAction: every action except ${notAction.join(', ')}`);
      const statementActions = ev.strings(s.Action);
      for (const a of statementActions) {
        actions.add(a);
        if (a === '*') flags.add('all actions (*)');
        else if (/^[^:]+:\*$/.test(a)) flags.add(`every action of a service (${a})`);
      }
      const resources = ev.strings(s.Resource);
      const notResource = ev.strings(s.NotResource);
      if (notResource.length > 0) flags.add('NotResource');
      const conditions = readStatement(ev, s);
      if (resources.includes('*') && !framework && !tagScopedAssume(statementActions, conditions.conditions)) flags.add('Resource: *');
      if (notResource.length > 0 || !statementActions.some(namesAssumeRole)) continue;
      const when = [...conditions.conditions.map(describeCondition), ...conditions.opaqueText];
      for (const resource of resources) {
        const key = `${resource}\u0000${when.join('\n')}`;
        if (!targets.has(key)) targets.set(key, { resource, who: targetWords(ev, resource), conditions: when });
      }
    }
  }
  return {
    managedPolicies,
    allowedActions: [...actions].sort(),
    flags: [...flags].sort(),
    ...(permissionsBoundary ? { permissionsBoundary } : {}),
    ...(targets.size > 0 ? { mayAssume: [...targets.values()] } : {}),
  };
}

/** Whether an action names `sts:AssumeRole`, itself or by an STS pattern (`sts:AssumeRole*`, `sts:*`). */
function namesAssumeRole(action: string): boolean {
  const a = action.toLowerCase();
  if (!a.startsWith('sts:')) return false;
  const pattern = new RegExp(`^${a.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return pattern.test('sts:assumerole');
}

/**
 * Whether a statement only assumes roles (and tags the session) and names them by a
 * condition on their tags (`aws:ResourceTag/...`, `iam:ResourceTag/...`): its `Resource: *`
 * reaches the tagged roles, not every role.
 */
function tagScopedAssume(actions: string[], conditions: Condition[]): boolean {
  return actions.length > 0 && actions.every(a => /^sts:(AssumeRole|TagSession)$/i.test(a))
    && conditions.some(c => /^(aws|iam):ResourceTag\//i.test(c.key) && isNarrowingOperator(c.operator) && c.values.length > 0);
}

/** A role ARN in words: `role deploy in account 222222222222`, `roles like cdk-* in any account`, `any role`. */
function targetWords(ev: Evaluator, resource: string): string {
  if (resource === '*') return 'any role';
  const m = /^arn:[^:]+:iam::([^:]*):role\/(.+)$/.exec(resource);
  if (!m) return resource;
  const [, account, rest] = m;
  const parts = splitOutsideMarkers(rest, '/');
  const name = parts[parts.length - 1];
  const where = account === '*' ? 'in any account' : `in account ${ownAccount(ev, account)}`;
  return isPattern('StringLike', rest) ? `roles like ${rest} ${where}` : `role ${name} ${where}`;
}

export function describePermissionSet(ev: Evaluator, r: any): AccessMapPermissionSet {
  const p = r.Properties ?? {};
  const managed = ev.strings(p.ManagedPolicies).map(policyName);
  for (const ref of asList(p.CustomerManagedPolicyReferences)) {
    managed.push(`${ev.str(ref?.Path ?? '/')}${ev.str(ref?.Name)} (customer managed)`.replace(/^\//, ''));
  }
  const boundary = p.PermissionsBoundary
    ? (p.PermissionsBoundary.ManagedPolicyArn !== undefined ? policyName(ev.str(p.PermissionsBoundary.ManagedPolicyArn))
      : ev.str(p.PermissionsBoundary.CustomerManagedPolicyReference?.Name))
    : undefined;
  return {
    stack: ev.loaded.stack,
    name: ev.str(p.Name),
    sessionDuration: p.SessionDuration !== undefined ? ev.str(p.SessionDuration) : 'PT1H',
    permissions: summarize(ev, managed, p.InlinePolicy !== undefined ? [p.InlinePolicy] : [], boundary),
  };
}

export function describeAssignment(ev: Evaluator, r: any): AccessMapAssignment {
  const p = r.Properties ?? {};
  const principal = ev.str(p.PrincipalId);
  const lookedUp = /^⟨((?:group|user) "[^"]*"), id looked up at deploy⟩$/.exec(principal);
  const permissionSet = ev.str(p.PermissionSetArn);
  const localSet = /^⟨permission set (.+)⟩$/.exec(permissionSet);
  const arnSet = /^arn:[^:]+:sso:::permissionSet\/[^/]+\/(ps-[0-9a-f]+)$/.exec(permissionSet);
  const type = ev.str(p.PrincipalType);
  return {
    stack: ev.loaded.stack,
    principalType: type,
    principal: lookedUp ? `${lookedUp[1]} (id looked up at deploy)` : `${type.toLowerCase()} ${principal}`,
    permissionSet: localSet ? localSet[1] : arnSet ? arnSet[1] : permissionSet,
    account: ev.str(p.TargetId),
  };
}
