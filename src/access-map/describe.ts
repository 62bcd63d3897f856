import { Duration } from 'aws-cdk-lib';
import { Evaluator, isUnresolved, splitOutsideMarkers } from './evaluate';
import {
  AccessMapAssignment, AccessMapAssumeTarget, AccessMapKind, AccessMapPermissionSet, AccessMapPermissions, AccessMapRole, AccessMapWayIn,
} from './model';
import { LoadedTemplate } from './templates';
import {
  ReadCondition as Condition, ReadStatement as Statement, asList, isFreeDeployTime, parseJson, readStatement, readTrustPolicy,
} from '../core/trust-reader';
import {
  Breadth, ScopeContext, ScopeReason, StatementScope, WayKind, WayScope, isNarrowingOperator, isPattern, serviceName, statementScope,
} from '../core/trust-scope';

/** Everything a template contributes to the map. */
export interface TemplateAccess {
  readonly roles: AccessMapRole[];
  readonly permissionSets: AccessMapPermissionSet[];
  readonly assignments: AccessMapAssignment[];
  /**
   * The ARN of each role (same order as `roles`) as this template reads it (`local`) and as
   * another template of the same top-level stack reads it (`qualified`, see `EvaluatorOptions`).
   */
  readonly roleArns: Array<{ readonly local: string; readonly qualified: string }>;
}

const ADMIN_POLICIES = new Set(['AdministratorAccess', 'PowerUserAccess', 'IAMFullAccess']);
const SAML_SIGN_IN = /^https:\/\/([a-z0-9-]+\.)?signin\.(aws\.amazon\.com|amazonaws-us-gov\.com|amazonaws\.cn)\/saml$/;

/** Reads the roles, permission sets and assignments of one template. */
export function describeTemplate(loaded: LoadedTemplate): TemplateAccess {
  const ev = new Evaluator(loaded);
  const qualified = new Evaluator(loaded, { qualified: true });
  const resources: Record<string, any> = loaded.template.Resources ?? {};
  const roles: AccessMapRole[] = [];
  const roleArns: TemplateAccess['roleArns'] = [];
  const permissionSets: AccessMapPermissionSet[] = [];
  const assignments: AccessMapAssignment[] = [];
  for (const [id, r] of Object.entries<any>(resources)) {
    if (r?.Type === 'AWS::IAM::Role') {
      roles.push(describeRole(ev, id, r));
      const arn = { 'Fn::GetAtt': [id, 'Arn'] };
      roleArns.push({ local: ev.str(arn), qualified: qualified.str(arn) });
    } else if (r?.Type === 'AWS::SSO::PermissionSet') {
      permissionSets.push(describePermissionSet(ev, r));
    } else if (r?.Type === 'AWS::SSO::Assignment') {
      assignments.push(describeAssignment(ev, r));
    }
  }
  return { roles, permissionSets, assignments, roleArns };
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

/**
 * Why a way in is broad, from the one definition of a narrow trust: its reasons that widen
 * it to owner-wide or beyond, and the problems of its statement. `only` keeps some reasons.
 */
function broadOf(reasons: ScopeReason[], scope: StatementScope, only: (r: ScopeReason) => boolean = () => true): string | undefined {
  const texts = [...reasons, ...scope.problems].filter(r => !r.advisory && r.breadth >= Breadth.OWNER_WIDE && only(r)).map(r => r.text);
  return texts.length > 0 ? [...new Set(texts)].join('; ') : undefined;
}

/** Reads the statement's ways in, in words. */
function waysInOf(ev: Evaluator, roleId: string, s: Statement, scope: StatementScope): AccessMapWayIn[] {
  const out: AccessMapWayIn[] = [];
  for (const w of scope.ways) {
    const broad = broadOf(w.reasons, scope);
    if (w.kind === WayKind.UNRESOLVED && s.unresolvedPrincipal !== undefined && w.principal === s.unresolvedPrincipal) {
      out.push(way(AccessMapKind.UNRESOLVED, s.unresolvedPrincipal, s, new Set(), broad));
    } else if (w.principal === '*' && s.notPrincipals && w.reasons.some(r => r.finding === 'NotPrincipal')) {
      out.push(way(AccessMapKind.ANY_PRINCIPAL, `anyone except ${principalList(s.notPrincipals)}`, s, new Set(), broad));
    } else if ((s.principals.AWS ?? []).includes(w.principal)) {
      out.push(awsWayIn(ev, s, w, broad));
    } else if ((s.principals.Service ?? []).includes(w.principal)) {
      out.push(...serviceWaysIn(ev, roleId, s, w, broad));
    } else if ((s.principals.Federated ?? []).includes(w.principal)) {
      out.push(...federatedWaysIn(s, w, scope));
    } else {
      out.push(way(kindOf(w), `canonical user ${w.principal}`, s, new Set(), broad));
    }
  }
  return out;
}

function kindOf(w: WayScope): AccessMapKind {
  return (w.kind as string) as AccessMapKind;
}

function way(kind: AccessMapKind, who: string, s: Statement, consumed: Set<Condition>, broad?: string): AccessMapWayIn {
  const conditions = s.conditions.filter(c => !consumed.has(c)).map(describeCondition);
  conditions.push(...s.opaqueText);
  const actions = s.notActions.length > 0 ? [`every action except ${s.notActions.join(', ')}`] : s.actions;
  return {
    kind,
    who,
    conditions,
    actions,
    ...(broad ? { broad } : {}),
    unresolved: isUnresolved(who) || conditions.some(isUnresolved),
  };
}

function find(s: Statement, key: string | RegExp, operator?: RegExp): Condition[] {
  return s.conditions.filter(c => (typeof key === 'string' ? c.key.toLowerCase() === key.toLowerCase() : key.test(c.key))
    && (!operator || operator.test(c.operator)));
}

const NARROWING = /^(StringEquals|StringLike|ArnEquals|ArnLike|StringEqualsIgnoreCase)$/;

/** Whether a condition under a `...Like` operator has a `*` or `?` in a value. */
function hasWildcard(cs: Condition[]): boolean {
  return cs.some(c => c.values.some(v => isPattern(c.operator, v)));
}

/** `o-1 or o-2`, or `like o-*` when a value is a pattern. */
function valuesText(cs: Condition[]): string {
  return `${hasWildcard(cs) ? 'like ' : ''}${cs.flatMap(c => c.values).join(' or ')}`;
}

function awsWayIn(ev: Evaluator, s: Statement, w: WayScope, broad: string | undefined): AccessMapWayIn {
  const value = w.principal;
  const consumed = new Set<Condition>();
  const take = (cs: Condition[]) => { cs.forEach(c => consumed.add(c)); return cs; };
  const externalId = take(find(s, 'sts:ExternalId', NARROWING));
  const principalArn = take(find(s, 'aws:PrincipalArn', NARROWING));
  const withText = [
    externalId.length > 0 ? `with ExternalId${hasWildcard(externalId) ? ` ${valuesText(externalId)}` : ''}` : '',
    principalArn.length > 0 ? `with principal ARN like ${principalArn.flatMap(c => c.values).join(' or ')}` : '',
  ].filter(Boolean).join(', ');
  const suffix = withText ? ` ${withText}` : '';
  if (value === '*') {
    const org = take(find(s, 'aws:PrincipalOrgID', NARROWING));
    if (org.length > 0) return way(AccessMapKind.ORGANIZATION, `anyone in organization ${valuesText(org)}${suffix}`, s, consumed, broad);
    const paths = take(find(s, 'aws:PrincipalOrgPaths', /^(ForAnyValue:)?(StringEquals|StringLike)$/));
    if (paths.length > 0) return way(AccessMapKind.ORGANIZATION, `anyone in organization path ${valuesText(paths)}${suffix}`, s, consumed, broad);
    const account = take(find(s, 'aws:PrincipalAccount', NARROWING));
    if (account.length > 0) return way(AccessMapKind.AWS_ACCOUNT, `any principal of account ${valuesText(account)}${suffix}`, s, consumed, broad);
    return way(AccessMapKind.ANY_PRINCIPAL, `any AWS principal${suffix}`, s, consumed, broad);
  }
  const own = (account: string) => ownAccount(ev, account);
  const root = /^(\d{12}|⟨this account⟩)$/.exec(value) ?? /^arn:[^:]+:iam::(\d{12}|⟨[^⟩]*⟩):root$/.exec(value);
  if (root) return way(AccessMapKind.AWS_ACCOUNT, `account ${own(root[1])}${suffix}`, s, consumed, broad);
  const iam = /^arn:[^:]+:(iam|sts)::([^:]+):(role|user|assumed-role|federated-user)\/(.+)$/.exec(value);
  if (iam) {
    const [, , account, type, rest] = iam;
    const parts = splitOutsideMarkers(rest, '/');
    const who = type === 'assumed-role'
      ? `session ${parts[1]} of role ${parts[0]} in account ${own(account)}`
      : `${type.replace('-', ' ')} ${type === 'role' || type === 'user' ? parts[parts.length - 1] : rest} in account ${own(account)}`;
    return way(AccessMapKind.AWS_PRINCIPAL, `${who}${suffix}`, s, consumed, broad);
  }
  return way(kindOf(w), `AWS principal ${value}${suffix}`, s, consumed, broad);
}

function serviceWaysIn(ev: Evaluator, roleId: string, s: Statement, w: WayScope, broad: string | undefined): AccessMapWayIn[] {
  if (w.kind === WayKind.ROLES_ANYWHERE) return [rolesAnywhere(s, broad)];
  if (w.kind === WayKind.EKS_POD_IDENTITY) return podIdentity(ev, roleId, s, broad);
  return [way(AccessMapKind.SERVICE, `AWS service ${serviceName(w.principal) && isUnresolved(w.principal) ? `${serviceName(w.principal)}.amazonaws.com` : w.principal}`, s, new Set(), broad)];
}

function rolesAnywhere(s: Statement, broad: string | undefined): AccessMapWayIn {
  const consumed = new Set<Condition>();
  const anchors = find(s, 'aws:SourceArn', NARROWING);
  anchors.forEach(c => consumed.add(c));
  const attributes = find(s, /^aws:PrincipalTag\/x509(Subject|Issuer|SAN)\//i, NARROWING);
  attributes.forEach(c => consumed.add(c));
  const parts = attributes.map(c => {
    const [, kind, field] = /^aws:PrincipalTag\/x509(Subject|Issuer|SAN)\/(.+)$/i.exec(c.key)!;
    const prefix = kind.toLowerCase() === 'issuer' ? 'issuer ' : kind.toUpperCase() === 'SAN' ? 'SAN ' : '';
    const op = /Like/.test(c.operator) ? ' like ' : '=';
    return `${prefix}${field}${op}${c.values.join(' or ')}`;
  });
  const anchorNames = anchors.flatMap(c => c.values).map(anchorName);
  const certificates = parts.length > 0 ? `certificates with ${parts.join(', ')}` : 'any certificate';
  const via = anchorNames.length > 0 ? `via trust anchor ${hasWildcard(anchors) ? 'like ' : ''}${anchorNames.join(' or ')}` : 'via any trust anchor';
  return way(AccessMapKind.ROLES_ANYWHERE, `${certificates} ${via}`, s, consumed, broad);
}

function podIdentity(ev: Evaluator, roleId: string, s: Statement, broad: string | undefined): AccessMapWayIn[] {
  const consumed = new Set<Condition>();
  // A pattern (`like team-*`) is kept as a pattern in the words.
  const tag = (name: string) => {
    const cs = find(s, `aws:RequestTag/${name}`, NARROWING);
    cs.forEach(c => consumed.add(c));
    // A tag that may be anything (`like *`) names nothing.
    if (cs.length === 0 || cs.some(c => c.values.some(v => isPattern(c.operator, v) && /^[*?]+$/.test(v)))) return [];
    return [valuesText(cs)];
  };
  const namespaces = tag('kubernetes-namespace');
  const serviceAccounts = tag('kubernetes-service-account');
  const clusterArns = tag('eks-cluster-arn');
  const clusterNames = tag('eks-cluster-name');
  const accounts = find(s, 'aws:SourceAccount', NARROWING);
  accounts.forEach(c => consumed.add(c));
  const accountText = accounts.flatMap(c => c.values).join(' or ') || 'any account';
  const clusters = [...clusterArns.map(a => a.replace(/^arn:[^:]+:eks:[^:]*:[^:]*:cluster\//, '')), ...clusterNames];
  const clusterText = clusters.length > 0 ? `cluster ${clusters.map(bare).join(' or ')}` : `any cluster of ${accountText}`;
  const single = (v: string[]) => v.length === 1 && !/ or |^like /.test(v[0]);
  if (namespaces.length > 0 && serviceAccounts.length > 0) {
    const who = single(namespaces) && single(serviceAccounts) ? `service account ${namespaces[0]}/${serviceAccounts[0]}`
      : `service account ${serviceAccounts.join('')} in namespace ${namespaces.join('')}`;
    return [way(AccessMapKind.EKS_POD_IDENTITY, `EKS Pod Identity: ${who} on ${clusterText}`, s, consumed, broad)];
  }
  // The trust names no service account: every association in the account (or namespace) may use the role.
  const scope = namespaces.length > 0 ? `in namespace ${namespaces.join('')} ` : '';
  const associations = Object.values<any>(ev.loaded.template.Resources ?? {})
    .filter(r => r?.Type === 'AWS::EKS::PodIdentityAssociation' && refersTo(r.Properties?.RoleArn, roleId));
  if (associations.length === 0) return [way(AccessMapKind.EKS_POD_IDENTITY, `EKS Pod Identity: any service account ${scope}on ${clusterText}`, s, consumed, broad)];
  return associations.map(a => way(AccessMapKind.EKS_POD_IDENTITY,
    `EKS Pod Identity: service account ${ev.str(a.Properties.Namespace)}/${ev.str(a.Properties.ServiceAccount)} on cluster ${bare(ev.str(a.Properties.ClusterName))} (association)`,
    s, consumed, broad));
}

function federatedWaysIn(s: Statement, w: WayScope, scope: StatementScope): AccessMapWayIn[] {
  if (w.kind === WayKind.COGNITO) return [cognito(s, broadOf(w.reasons, scope))];
  if (w.kind === WayKind.SAML) return [samlWay(s, /:saml-provider\/(.+)$/.exec(w.principal)?.[1] ?? w.principal, broadOf(w.reasons, scope))];
  return oidc(s, w, scope);
}

function cognito(s: Statement, broad: string | undefined): AccessMapWayIn {
  const consumed = new Set<Condition>();
  const pools = find(s, 'cognito-identity.amazonaws.com:aud', NARROWING);
  pools.forEach(c => consumed.add(c));
  const amr = find(s, 'cognito-identity.amazonaws.com:amr', /^(ForAnyValue:)?(StringEquals|StringLike)$/);
  amr.forEach(c => consumed.add(c));
  const amrValues = amr.flatMap(c => c.values);
  const poolText = pools.length > 0 ? `identity pool ${pools.flatMap(c => c.values).map(v => v.replace(/^⟨identity pool (.+)⟩$/, '$1')).join(' or ')}` : 'any identity pool';
  const guests = amrValues.includes('unauthenticated') || hasWildcard(amr) || amr.length === 0;
  const who = amrValues.includes('unauthenticated') ? 'unauthenticated (guest) identities'
    : guests ? 'any identity, guests included'
      : amrValues.includes('authenticated') ? 'authenticated identities' : `identities signed in with ${amrValues.join(' or ')}`;
  return way(AccessMapKind.COGNITO, `Cognito ${poolText}, ${who}`, s, consumed, broad);
}

function samlWay(s: Statement, provider: string, broad: string | undefined): AccessMapWayIn {
  const consumed = new Set<Condition>();
  // The standard sign-in audiences only say the users sign in to the console; they do not narrow who.
  for (const c of find(s, 'SAML:aud', /^StringEquals$/)) if (c.values.every(v => SAML_SIGN_IN.test(v))) consumed.add(c);
  const name = provider.replace(/^⟨name of SAML provider (.+)⟩$/, '⟨$1⟩');
  return way(AccessMapKind.SAML, `users of SAML provider ${name}`, s, consumed, broad);
}

function oidc(s: Statement, w: WayScope, scope: StatementScope): AccessMapWayIn[] {
  const issuer = w.issuer ?? w.principal;
  const consumed = new Set<Condition>();
  const kind = kindOf(w);
  const github = w.kind === WayKind.GITHUB_ACTIONS;
  const gitlab = w.kind === WayKind.GITLAB_CI;
  const eks = w.kind === WayKind.EKS_SERVICE_ACCOUNT;
  // The words come from one subject block (StringEquals first); a second block stays a listed condition.
  const subBlocks = w.pinnedBy.filter(c => /:sub$/i.test(c.key));
  const words = subBlocks.filter(c => c.operator === 'StringEquals').slice(0, 1);
  if (words.length === 0) words.push(...subBlocks.slice(0, 1));
  words.forEach(c => consumed.add(c));
  // The audience a provider of this kind always uses says nothing about who.
  for (const c of s.conditions.filter(x => x.key.endsWith(':aud') && x.operator === 'StringEquals')) {
    const standard = (github || eks) ? c.values.every(v => v === 'sts.amazonaws.com') : gitlab ? c.values.every(v => /^https:\/\//.test(v)) : false;
    if (standard) consumed.add(c);
  }
  const cluster = eks ? eksCluster(issuer) : '';
  const prefix = github ? 'GitHub Actions' : gitlab ? `GitLab CI (${issuer})` : eks ? 'EKS service account' : `OIDC issuer ${issuer}`;
  // The reasons that are not about one subject value (the audience, the statement) apply to every line.
  const common = (r: ScopeReason) => r.check !== 'subject' || !(w.subjects ?? []).some(e => e.reason === r);
  const entries = (w.subjects ?? []).filter(e => words.some(c => c.key === e.key && c.values.includes(e.value) && (c.operator === 'StringLike') === e.like));
  if (entries.length === 0) {
    const anyone = github ? 'any job of any repository' : gitlab ? 'any job of any project' : eks ? `any service account on ${cluster}` : 'any subject';
    return [way(kind, `${prefix}: ${anyone}`, s, consumed, broadOf(w.reasons, scope))];
  }
  // A second subject block ANDs with the first: when it narrows the way in, the values of the first do not widen it.
  const narrowedElsewhere = w.breadth < Math.max(...entries.map(e => e.breadth));
  return entries.map(({ value, like, reason }) => {
    const own = reason && !narrowedElsewhere ? [reason] : [];
    const broad = broadOf([...own, ...w.reasons.filter(common)], scope);
    // Under StringEquals a `*` is a plain character: the words must not read it as a pattern.
    const literal = !like && /[*?]/.test(value);
    const who = literal ? `${prefix}: subject ${value} (exactly, * and ? are not wildcards here)`
      : github ? `GitHub Actions: ${githubSubject(value)}`
        : gitlab ? `${prefix}: ${gitlabSubject(value)}`
          : eks ? eksSubject(value, cluster)
            : `${prefix}: subject ${like ? 'like ' : ''}${value}`;
    return way(kind, who, s, consumed, broad);
  });
}

/** `111122223333 (this account)` for the stack's own account. */
function ownAccount(ev: Evaluator, account: string): string {
  return account === ev.loaded.account ? `${account} (this account)` : account;
}

/** A trust anchor of the same template reads by name; an ARN by its id. */
function anchorName(value: string): string {
  const marker = /^⟨trust anchor (.+)⟩$/.exec(value);
  if (marker) return marker[1];
  const arn = /^arn:[^:]+:rolesanywhere:([^:]*):(\d{12}):trust-anchor\/(.+)$/.exec(value);
  return arn ? `${arn[3]} (account ${arn[2]}, ${arn[1]})` : value;
}

/** Whether `value` is `Ref` or `Fn::GetAtt` of the resource. */
function refersTo(value: any, logicalId: string): boolean {
  return value?.Ref === logicalId || (Array.isArray(value?.['Fn::GetAtt']) && value['Fn::GetAtt'][0] === logicalId);
}

/** `⟨Orders, named at deploy⟩` reads as `Orders (named at deploy)` inside a sentence. */
function bare(value: string): string {
  const m = /^⟨(.+), named at deploy⟩$/.exec(value);
  return m ? `⟨${m[1]}⟩ (named at deploy)` : value;
}

const EKS_ISSUER = /^oidc\.eks\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/id\/([A-Za-z0-9]+)$/;
const EKS_ISSUER_MARKER = /^⟨issuer of EKS cluster (.+)⟩$/;

function eksCluster(issuer: string): string {
  const marker = EKS_ISSUER_MARKER.exec(issuer);
  if (marker) return `cluster ${marker[1].replace(/^(.+), named at deploy$/, '⟨$1⟩ (named at deploy)')}`;
  const literal = EKS_ISSUER.exec(issuer);
  if (literal) return `the cluster with OIDC issuer id ${literal[2]} (${literal[1]})`;
  return `the cluster of issuer ${issuer}`;
}

function eksSubject(value: string, cluster: string): string {
  const m = /^system:serviceaccount:([^:]+):(.+)$/.exec(value);
  if (!m) return `EKS service account: subject ${value} on ${cluster}`;
  if (m[2] === '*') return `EKS service account: every service account in namespace ${m[1]} on ${cluster}`;
  return `EKS service account ${m[1]}/${m[2]} on ${cluster}`;
}

function githubSubject(value: string): string {
  const owner = /^repo:([^/:]+)\/\*$/.exec(value);
  if (owner) return `every repository of ${owner[1]}`;
  const m = /^repo:([^:]+):(.*)$/.exec(value);
  if (!m) return `subject ${value}`;
  const [, repo, rest] = m;
  const ref = /^ref:refs\/(heads|tags)\/(.+)$/.exec(rest);
  if (ref) return `${repo}, ${ref[1] === 'heads' ? 'branch' : 'tag'} ${ref[2]}`;
  const env = /^environment:([^:]+)$/.exec(rest);
  if (env) return `${repo}, environment ${env[1]}`;
  if (rest === 'pull_request') return `${repo}, pull requests`;
  if (rest === '*') return `${repo}, any branch, tag, environment or pull request`;
  return `${repo}, subject ${rest}`;
}

function gitlabSubject(value: string): string {
  const group = /^project_path:([^:]+)\/\*$/.exec(value);
  if (group) return `every project of group ${group[1]}`;
  const m = /^project_path:([^:]+)(?::(.*))?$/.exec(value);
  if (!m) return `subject ${value}`;
  const [, project, rest] = m;
  const ref = /^ref_type:(branch|tag):ref:(.+)$/.exec(rest ?? '');
  if (ref) return `${project}, ${ref[1]} ${ref[2]}`;
  if (rest === '*') return `${project}, any branch or tag`;
  return rest ? `${project}, subject ${rest}` : project;
}

const OPERATOR_WORDS: Record<string, string> = {
  StringEquals: '=',
  StringEqualsIgnoreCase: '=',
  ArnEquals: '=',
  NumericEquals: '=',
  Bool: '=',
  BinaryEquals: '=',
  StringLike: 'like',
  ArnLike: 'like',
  StringNotEquals: '≠',
  StringNotEqualsIgnoreCase: '≠',
  ArnNotEquals: '≠',
  NumericNotEquals: '≠',
  StringNotLike: 'not like',
  ArnNotLike: 'not like',
  NumericLessThan: '<',
  NumericLessThanEquals: '≤',
  NumericGreaterThan: '>',
  NumericGreaterThanEquals: '≥',
  DateLessThan: 'before',
  DateLessThanEquals: 'at or before',
  DateGreaterThan: 'after',
  DateGreaterThanEquals: 'at or after',
  IpAddress: 'in',
  NotIpAddress: 'not in',
};

/** A condition in plain words: `with MFA`, `source identity set`, or `key op values`. */
export function describeCondition(c: Condition): string {
  const key = c.key.toLowerCase();
  if (key === 'aws:multifactorauthpresent' && c.operator === 'Bool' && c.values.every(v => v === 'true')) return 'with MFA';
  if (key === 'aws:multifactorauthage' && /^NumericLessThan(Equals)?$/.test(c.operator)) return `MFA within the last ${duration(c.values[0])}`;
  if (key === 'sts:sourceidentity' && c.operator === 'Null' && c.values.every(v => v === 'false')) return 'the caller must set a source identity';
  if (key === 'sts:externalid' && NARROWING.test(c.operator)) return 'with ExternalId';
  const set = /^(ForAnyValue|ForAllValues):(.+)$/.exec(c.operator);
  const base = set ? set[2] : c.operator;
  const ifExists = /IfExists$/.test(base);
  const op = base.replace(/IfExists$/, '');
  if (op === 'Null') return `${c.key} is ${c.values.every(v => v === 'true') ? 'absent' : 'present'}`;
  const words = OPERATOR_WORDS[op] ?? op;
  const quantifier = set ? (set[1] === 'ForAnyValue' ? 'any of ' : 'all of ') : '';
  // Several values of a negated operator must all differ: "≠ a and ≠ b".
  const joiner = /Not/.test(op) ? ` and ${words} ` : ' or ';
  return `${quantifier}${c.key} ${words} ${c.values.join(joiner)}${ifExists ? ' (or the key is absent)' : ''}`;
}

function principalList(principals: Record<string, string[]>): string {
  return Object.entries(principals).map(([type, values]) => `${type} ${values.join(', ')}`).join('; ');
}

function describeDeny(s: Statement): string {
  const who = s.notPrincipals ? `anyone except ${principalList(s.notPrincipals)}`
    : s.unresolvedPrincipal ? `principal ${s.unresolvedPrincipal}`
      : principalList(s.principals) || 'anyone';
  const what = s.notActions.length > 0 ? `every action except ${s.notActions.join(', ')}` : s.actions.join(', ');
  const when = [...s.conditions.map(describeCondition), ...s.opaqueText];
  return `deny ${what} to ${who}${when.length > 0 ? ` when ${when.join(' and ')}` : ''}`;
}

/** `3600` reads `1 hour`, `900` reads `15 minutes` (aws-cdk-lib's own wording); a non-number, as is. */
export function duration(seconds: number | string): string {
  const n = Number(seconds);
  return Number.isFinite(n) && n >= 0 ? Duration.seconds(n).toHumanString() : String(seconds);
}

function rolePermissions(ev: Evaluator, id: string, p: any, framework: boolean): AccessMapPermissions {
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

function describePermissionSet(ev: Evaluator, r: any): AccessMapPermissionSet {
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

function describeAssignment(ev: Evaluator, r: any): AccessMapAssignment {
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
