import { Evaluator, isUnresolved } from './evaluate';
import {
  AccessMapAssignment, AccessMapKind, AccessMapPermissionSet, AccessMapPermissions, AccessMapRole, AccessMapWayIn,
} from './model';
import { LoadedTemplate } from './templates';
import { SubjectScope, valueScope } from '../core/subject-scope';

/** One condition of a statement, after its intrinsics were read. */
interface Condition {
  readonly operator: string;
  readonly key: string;
  readonly values: string[];
}

/** A trust policy statement after its intrinsics were read. */
interface Statement {
  readonly effect: string;
  readonly principals: Record<string, string[]>;
  readonly actions: string[];
  readonly conditions: Condition[];
  /** Condition blocks whose content is only known at deploy time. */
  readonly opaque: string[];
}

/** Everything a template contributes to the map. */
export interface TemplateAccess {
  readonly roles: AccessMapRole[];
  readonly permissionSets: AccessMapPermissionSet[];
  readonly assignments: AccessMapAssignment[];
}

const ADMIN_POLICIES = new Set(['AdministratorAccess', 'PowerUserAccess', 'IAMFullAccess']);
const SAML_SIGN_IN = /^https:\/\/([a-z0-9-]+\.)?signin\.(aws\.amazon\.com|amazonaws-us-gov\.com|amazonaws\.cn)\/saml$/;

/** Reads the roles, permission sets and assignments of one template. */
export function describeTemplate(loaded: LoadedTemplate): TemplateAccess {
  const ev = new Evaluator(loaded);
  const resources: Record<string, any> = loaded.template.Resources ?? {};
  const roles: AccessMapRole[] = [];
  const permissionSets: AccessMapPermissionSet[] = [];
  const assignments: AccessMapAssignment[] = [];
  for (const [id, r] of Object.entries<any>(resources)) {
    if (r?.Type === 'AWS::IAM::Role') roles.push(describeRole(ev, id, r));
    else if (r?.Type === 'AWS::SSO::PermissionSet') permissionSets.push(describePermissionSet(ev, r));
    else if (r?.Type === 'AWS::SSO::Assignment') assignments.push(describeAssignment(ev, r));
  }
  return { roles, permissionSets, assignments };
}

function describeRole(ev: Evaluator, id: string, r: any): AccessMapRole {
  const p = r.Properties ?? {};
  const doc = ev.value(p.AssumeRolePolicyDocument) as any;
  const statements = asList(doc?.Statement).map(s => normalize(ev, s));
  const waysIn: AccessMapWayIn[] = [];
  const denies: string[] = [];
  for (const s of statements) {
    if (s.effect === 'Deny') {
      denies.push(describeDeny(s));
      continue;
    }
    for (const w of waysInOf(ev, id, s)) {
      // Statements that differ only in their actions (AssumeRole, then TagSession) are one way in.
      const same = waysIn.findIndex(x => x.kind === w.kind && x.who === w.who && x.conditions.join('\n') === w.conditions.join('\n'));
      if (same < 0) waysIn.push(w);
      else waysIn[same] = { ...waysIn[same], actions: [...new Set([...waysIn[same].actions, ...w.actions])] };
    }
  }
  const session = Number(ev.value(p.MaxSessionDuration));
  return {
    stack: ev.loaded.stack,
    logicalId: id,
    path: ev.label(id),
    roleName: ev.roleName(id),
    maxSessionDuration: Number.isFinite(session) && session > 0 ? session : 3600,
    waysIn,
    denies,
    permissions: rolePermissions(ev, id, p),
  };
}

function normalize(ev: Evaluator, s: any): Statement {
  const principals: Record<string, string[]> = {};
  if (s?.Principal === '*') {principals.AWS = ['*'];} else if (s?.Principal && typeof s.Principal === 'object') {
    for (const [type, value] of Object.entries(s.Principal)) principals[type] = ev.strings(value);
  }
  const conditions: Condition[] = [];
  const opaque: string[] = [];
  let block = s?.Condition;
  if (typeof block === 'string') block = parseJson(block);
  for (const [operator, raw] of Object.entries<any>(block && typeof block === 'object' ? block : {})) {
    // A CfnJson block reads as the JSON text its custom resource returns.
    const keys = typeof raw === 'string' ? parseJson(raw) : raw;
    if (!keys || typeof keys !== 'object' || Array.isArray(keys)) {
      opaque.push(operator);
      continue;
    }
    for (const [key, value] of Object.entries(keys)) conditions.push({ operator, key, values: ev.strings(value) });
  }
  return { effect: String(s?.Effect ?? 'Allow'), principals, actions: ev.strings(s?.Action), conditions, opaque };
}

/** Reads the statement's ways in; consumes the conditions that `who` already says. */
function waysInOf(ev: Evaluator, roleId: string, s: Statement): AccessMapWayIn[] {
  const out: AccessMapWayIn[] = [];
  for (const value of s.principals.AWS ?? []) out.push(awsWayIn(ev, s, value));
  for (const value of s.principals.Service ?? []) out.push(...serviceWaysIn(ev, roleId, s, value));
  for (const value of s.principals.Federated ?? []) out.push(...federatedWaysIn(s, value));
  for (const value of s.principals.CanonicalUser ?? []) out.push(way(AccessMapKind.AWS_PRINCIPAL, `canonical user ${value}`, s, new Set()));
  return out;
}

function way(kind: AccessMapKind, who: string, s: Statement, consumed: Set<Condition>, broad?: string): AccessMapWayIn {
  const conditions = s.conditions.filter(c => !consumed.has(c)).map(describeCondition);
  conditions.push(...s.opaque.map(o => `${o} conditions only known at deploy time`));
  return {
    kind,
    who,
    conditions,
    actions: s.actions,
    ...(broad ? { broad } : {}),
    unresolved: isUnresolved(who) || conditions.some(isUnresolved),
  };
}

function find(s: Statement, key: string | RegExp, operator?: RegExp): Condition[] {
  return s.conditions.filter(c => (typeof key === 'string' ? c.key.toLowerCase() === key.toLowerCase() : key.test(c.key))
    && (!operator || operator.test(c.operator)));
}

const NARROWING = /^(StringEquals|StringLike|ArnEquals|ArnLike|StringEqualsIgnoreCase)$/;

function awsWayIn(ev: Evaluator, s: Statement, value: string): AccessMapWayIn {
  const consumed = new Set<Condition>();
  const take = (cs: Condition[]) => { cs.forEach(c => consumed.add(c)); return cs; };
  const externalId = take(find(s, 'sts:ExternalId', NARROWING));
  const principalArn = take(find(s, 'aws:PrincipalArn', NARROWING));
  const mfa = find(s, 'aws:MultiFactorAuthPresent', /^Bool$/).filter(c => c.values.includes('true'));
  const withText = [
    externalId.length > 0 ? 'with ExternalId' : '',
    principalArn.length > 0 ? `with principal ARN like ${principalArn.flatMap(c => c.values).join(' or ')}` : '',
  ].filter(Boolean).join(', ');
  const suffix = withText ? ` ${withText}` : '';
  const narrowed = externalId.length > 0 || principalArn.length > 0 || mfa.length > 0;

  if (value === '*') {
    const org = take(find(s, 'aws:PrincipalOrgID', NARROWING));
    if (org.length > 0) return way(AccessMapKind.ORGANIZATION, `anyone in organization ${org.flatMap(c => c.values).join(' or ')}${suffix}`, s, consumed);
    const paths = take(find(s, 'aws:PrincipalOrgPaths', /^(ForAnyValue:)?(StringEquals|StringLike)$/));
    if (paths.length > 0) return way(AccessMapKind.ORGANIZATION, `anyone in organization path ${paths.flatMap(c => c.values).join(' or ')}${suffix}`, s, consumed);
    const account = take(find(s, 'aws:PrincipalAccount', NARROWING));
    if (account.length > 0) {
      return way(AccessMapKind.AWS_ACCOUNT, `any principal of account ${account.flatMap(c => c.values).join(' or ')}${suffix}`, s, consumed,
        narrowed ? undefined : 'any principal of the account');
    }
    return way(AccessMapKind.ANY_PRINCIPAL, `any AWS principal${suffix}`, s, consumed, principalArn.length > 0 ? undefined : 'any AWS principal of any account');
  }
  const own = (account: string) => (account === ev.loaded.account ? `${account} (this account)` : account);
  const root = /^(\d{12})$/.exec(value) ?? /^arn:[^:]+:iam::(\d{12}|⟨[^⟩]*⟩):root$/.exec(value);
  if (root) {
    return way(AccessMapKind.AWS_ACCOUNT, `account ${own(root[1])}${suffix}`, s, consumed,
      narrowed ? undefined : 'any principal of the account that its own policies allow');
  }
  const iam = /^arn:[^:]+:(iam|sts)::([^:]+):(role|user|assumed-role|federated-user)\/(.+)$/.exec(value);
  if (iam) {
    const [, , account, type, rest] = iam;
    const name = rest.split('/').slice(-1)[0];
    const who = type === 'assumed-role'
      ? `session ${rest.split('/')[1]} of role ${rest.split('/')[0]} in account ${own(account)}`
      : `${type.replace('-', ' ')} ${type === 'role' || type === 'user' ? name : rest} in account ${own(account)}`;
    return way(AccessMapKind.AWS_PRINCIPAL, `${who}${suffix}`, s, consumed);
  }
  return way(AccessMapKind.AWS_PRINCIPAL, `AWS principal ${value}${suffix}`, s, consumed);
}

function serviceWaysIn(ev: Evaluator, roleId: string, s: Statement, service: string): AccessMapWayIn[] {
  if (/^rolesanywhere\.amazonaws\.com(\.cn)?$/.test(service)) return [rolesAnywhere(s)];
  if (/^pods\.eks\.amazonaws\.com(\.cn)?$/.test(service)) return podIdentity(ev, roleId, s);
  return [way(AccessMapKind.SERVICE, `AWS service ${service}`, s, new Set())];
}

function rolesAnywhere(s: Statement): AccessMapWayIn {
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
  const via = anchorNames.length > 0 ? `via trust anchor ${anchorNames.join(' or ')}` : 'via any trust anchor';
  const broad = parts.length === 0 ? 'any certificate the trust anchor accepts' : anchorNames.length === 0 ? 'no trust anchor named (aws:SourceArn)' : undefined;
  return way(AccessMapKind.ROLES_ANYWHERE, `${certificates} ${via}`, s, consumed, broad);
}

/** A trust anchor of the same template reads by name; an ARN by its id. */
function anchorName(value: string): string {
  const marker = /^⟨trust anchor (.+)⟩$/.exec(value);
  if (marker) return marker[1];
  const arn = /^arn:[^:]+:rolesanywhere:([^:]*):(\d{12}):trust-anchor\/(.+)$/.exec(value);
  return arn ? `${arn[3]} (account ${arn[2]}, ${arn[1]})` : value;
}

function podIdentity(ev: Evaluator, roleId: string, s: Statement): AccessMapWayIn[] {
  const consumed = new Set<Condition>();
  const tag = (name: string) => {
    const cs = find(s, `aws:RequestTag/${name}`, NARROWING);
    cs.forEach(c => consumed.add(c));
    return cs.flatMap(c => c.values);
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
  if (namespaces.length > 0 && serviceAccounts.length > 0) {
    return [way(AccessMapKind.EKS_POD_IDENTITY,
      `EKS Pod Identity: service account ${namespaces.join(' or ')}/${serviceAccounts.join(' or ')} on ${clusterText}`, s, consumed)];
  }
  // The trust names no service account: every association in the account may use the role.
  const broad = `the trust names no service account: any Pod Identity association on ${clusterText} may use the role`;
  const associations = Object.values<any>(ev.loaded.template.Resources ?? {})
    .filter(r => r?.Type === 'AWS::EKS::PodIdentityAssociation' && refersTo(r.Properties?.RoleArn, roleId));
  if (associations.length === 0) return [way(AccessMapKind.EKS_POD_IDENTITY, `EKS Pod Identity: any service account on ${clusterText}`, s, consumed, broad)];
  return associations.map(a => way(AccessMapKind.EKS_POD_IDENTITY,
    `EKS Pod Identity: service account ${ev.str(a.Properties.Namespace)}/${ev.str(a.Properties.ServiceAccount)} on cluster ${bare(ev.str(a.Properties.ClusterName))} (association)`,
    s, consumed, broad));
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

function federatedWaysIn(s: Statement, provider: string): AccessMapWayIn[] {
  if (/^cognito-identity\.amazonaws\.com$/.test(provider)) return [cognito(s)];
  const saml = /:saml-provider\/(.+)$/.exec(provider);
  if (saml || s.actions.some(a => /^sts:AssumeRoleWithSAML$/i.test(a))) return [samlWay(s, saml ? saml[1] : provider)];
  return oidc(s, provider);
}

function cognito(s: Statement): AccessMapWayIn {
  const consumed = new Set<Condition>();
  const pools = find(s, 'cognito-identity.amazonaws.com:aud', NARROWING);
  pools.forEach(c => consumed.add(c));
  const amr = find(s, 'cognito-identity.amazonaws.com:amr', /^(ForAnyValue:)?(StringEquals|StringLike)$/);
  amr.forEach(c => consumed.add(c));
  const amrValues = amr.flatMap(c => c.values);
  const poolText = pools.length > 0 ? `identity pool ${pools.flatMap(c => c.values).map(v => v.replace(/^⟨identity pool (.+)⟩$/, '$1')).join(' or ')}` : 'any identity pool';
  const who = amrValues.includes('unauthenticated') ? 'unauthenticated (guest) identities'
    : amrValues.includes('authenticated') ? 'authenticated identities' : 'any identity';
  const broad = pools.length === 0 ? 'no identity pool named (cognito-identity.amazonaws.com:aud)'
    : amrValues.includes('unauthenticated') ? 'anyone who can reach the identity pool, without signing in' : undefined;
  return way(AccessMapKind.COGNITO, `Cognito ${poolText}, ${who}`, s, consumed, broad);
}

function samlWay(s: Statement, provider: string): AccessMapWayIn {
  const consumed = new Set<Condition>();
  // The standard sign-in audiences only say the users sign in to the console; they do not narrow who.
  for (const c of find(s, 'SAML:aud', /^StringEquals$/)) if (c.values.every(v => SAML_SIGN_IN.test(v))) consumed.add(c);
  const name = provider.replace(/^⟨name of SAML provider (.+)⟩$/, '⟨$1⟩');
  return way(AccessMapKind.SAML, `users of SAML provider ${name}`, s, consumed);
}

const GITHUB_ISSUER = /^token\.actions\.githubusercontent\.com(\/.*)?$/;
const EKS_ISSUER = /^oidc\.eks\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/id\/([A-Za-z0-9]+)$/;
const EKS_ISSUER_MARKER = /^⟨issuer of EKS cluster (.+)⟩$/;

function oidc(s: Statement, provider: string): AccessMapWayIn[] {
  const fromArn = /:oidc-provider\/(.+)$/.exec(provider)?.[1];
  const keyIssuers = s.conditions.map(c => /^(.+):(sub|aud|amr|azp)$/.exec(c.key)?.[1]).filter((x): x is string => x !== undefined);
  const issuer = fromArn ?? keyIssuers[0] ?? provider;
  const consumed = new Set<Condition>();
  const subs = s.conditions.filter(c => c.key.endsWith(':sub') && /^(StringEquals|StringLike)$/.test(c.operator));
  subs.forEach(c => consumed.add(c));
  const values = subs.flatMap(c => c.values.map(v => ({ value: v, like: c.operator === 'StringLike', key: c.key })));
  const first = values[0]?.value ?? '';
  const github = GITHUB_ISSUER.test(issuer) || first.startsWith('repo:');
  const gitlab = !github && first.startsWith('project_path:');
  const eks = !github && !gitlab && (EKS_ISSUER.test(issuer) || EKS_ISSUER_MARKER.test(issuer) || first.startsWith('system:serviceaccount:'));
  // The audience a provider of this kind always uses says nothing about who.
  for (const c of s.conditions.filter(x => x.key.endsWith(':aud') && x.operator === 'StringEquals')) {
    const standard = (github || eks) ? c.values.every(v => v === 'sts.amazonaws.com') : gitlab ? c.values.every(v => /^https:\/\//.test(v)) : false;
    if (standard) consumed.add(c);
  }
  const kind = github ? AccessMapKind.GITHUB_ACTIONS
    : gitlab ? AccessMapKind.GITLAB_CI
      : eks ? AccessMapKind.EKS_SERVICE_ACCOUNT : AccessMapKind.OIDC;
  const cluster = eks ? eksCluster(issuer) : '';
  const prefix = github ? 'GitHub Actions' : gitlab ? `GitLab CI (${issuer})` : eks ? 'EKS service account' : `OIDC issuer ${issuer}`;
  if (values.length === 0) {
    const anyone = github ? 'any job of any repository' : gitlab ? 'any job of any project' : eks ? `any service account on ${cluster}` : 'any subject';
    return [way(kind, `${prefix}: ${anyone}`, s, consumed, `no ${issuer}:sub condition`)];
  }
  return values.map(({ value, like, key }) => {
    const scope = valueScope(key, value.replace(/⟨[^⟩]*⟩/g, '{token}'), like);
    const broad = scope === SubjectScope.UNSCOPED ? `the subject ${value} matches any ${github ? 'repository' : gitlab ? 'project' : eks ? 'namespace' : 'subject'}`
      : scope === SubjectScope.OWNER_WIDE ? `the subject ${value} matches every ${github ? 'repository of the owner' : gitlab ? 'project of the group' : 'service account of the namespace'}`
        : undefined;
    const who = github ? `GitHub Actions: ${githubSubject(value)}`
      : gitlab ? `${prefix}: ${gitlabSubject(value)}`
        : eks ? eksSubject(value, cluster)
          : `${prefix}: subject ${like ? 'like ' : ''}${value}`;
    return way(kind, who, s, consumed, broad);
  });
}

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
  if (key === 'aws:multifactorauthage' && /^NumericLessThan(Equals)?$/.test(c.operator)) return `MFA within the last ${duration(Number(c.values[0]))}`;
  if (key === 'sts:sourceidentity' && c.operator === 'Null' && c.values.every(v => v === 'false')) return 'the caller must set a source identity';
  if (key === 'sts:externalid' && NARROWING.test(c.operator)) return 'with ExternalId';
  const set = /^(ForAnyValue|ForAllValues):(.+)$/.exec(c.operator);
  const base = set ? set[2] : c.operator;
  const ifExists = /IfExists$/.test(base);
  const op = base.replace(/IfExists$/, '');
  if (op === 'Null') return `${c.key} is ${c.values.every(v => v === 'true') ? 'absent' : 'present'}`;
  const words = OPERATOR_WORDS[op] ?? op;
  const quantifier = set ? (set[1] === 'ForAnyValue' ? 'any of ' : 'all of ') : '';
  return `${quantifier}${c.key} ${words} ${c.values.join(' or ')}${ifExists ? ' (if present)' : ''}`;
}

function describeDeny(s: Statement): string {
  const who = Object.entries(s.principals).map(([type, values]) => `${type} ${values.join(', ')}`).join('; ') || 'anyone';
  const when = s.conditions.map(describeCondition);
  return `deny ${s.actions.join(', ')} to ${who}${when.length > 0 ? ` when ${when.join(' and ')}` : ''}`;
}

/** `3600` reads `1 h`, `900` reads `15 min`. */
export function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'an unknown time';
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

function rolePermissions(ev: Evaluator, id: string, p: any): AccessMapPermissions {
  const resources: Record<string, any> = ev.loaded.template.Resources ?? {};
  const documents: any[] = asList(p.Policies).map((x: any) => x?.PolicyDocument);
  const managed: string[] = [];
  for (const raw of asList(p.ManagedPolicyArns)) {
    const local = raw?.Ref && resources[raw.Ref]?.Type === 'AWS::IAM::ManagedPolicy' ? raw.Ref : undefined;
    if (local) documents.push(resources[local].Properties?.PolicyDocument);
    managed.push(local ? policyName(ev.str(raw)) : policyName(ev.str(raw)));
  }
  for (const [otherId, r] of Object.entries<any>(resources)) {
    if (r?.Type !== 'AWS::IAM::Policy' && r?.Type !== 'AWS::IAM::ManagedPolicy') continue;
    if (!asList(r.Properties?.Roles).some((x: any) => refersTo(x, id))) continue;
    documents.push(r.Properties?.PolicyDocument);
    if (r.Type === 'AWS::IAM::ManagedPolicy') managed.push(policyName(ev.str({ Ref: otherId })));
  }
  const boundary = p.PermissionsBoundary !== undefined ? policyName(ev.str(p.PermissionsBoundary)) : undefined;
  return summarize(ev, managed, documents, boundary);
}

function policyName(arn: string): string {
  const m = /^arn:[^:]+:iam::(aws|\d{12}|⟨[^⟩]*⟩):policy\/(?:[^⟨]*\/)?(⟨[^⟩]*⟩|[^/]+)$/.exec(arn);
  if (!m) return arn;
  return m[1] === 'aws' ? `${m[2]} (AWS managed)` : m[2];
}

function summarize(ev: Evaluator, managedPolicies: string[], documents: any[], permissionsBoundary?: string): AccessMapPermissions {
  const actions = new Set<string>();
  const flags = new Set<string>();
  for (const name of managedPolicies) {
    const base = name.replace(/ \(AWS managed\)$/, '');
    if (name.endsWith('(AWS managed)') && ADMIN_POLICIES.has(base)) flags.add(`${base}: administrator-level AWS managed policy`);
  }
  for (const raw of documents) {
    const doc = typeof raw === 'string' ? parseJson(raw) : ev.value(raw);
    for (const s of asList((doc as any)?.Statement)) {
      if (s?.Effect !== 'Allow') continue;
      const notAction = ev.strings(s.NotAction);
      if (notAction.length > 0) flags.add(`NotAction: every action except ${notAction.join(', ')}`);
      for (const a of ev.strings(s.Action)) {
        actions.add(a);
        if (a === '*') flags.add('all actions (*)');
        else if (/^[^:]+:\*$/.test(a)) flags.add(`every action of a service (${a})`);
      }
      if (ev.strings(s.NotResource).length > 0) flags.add('NotResource');
      if (ev.strings(s.Resource).includes('*')) flags.add('Resource: *');
    }
  }
  return {
    managedPolicies,
    allowedActions: [...actions].sort(),
    flags: [...flags].sort(),
    ...(permissionsBoundary ? { permissionsBoundary } : {}),
  };
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

function asList(value: unknown): any[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function parseJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
