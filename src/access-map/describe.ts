import { Duration } from 'aws-cdk-lib';
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
  /** `NotPrincipal`: everyone but these. */
  readonly notPrincipals?: Record<string, string[]>;
  /** A `Principal` only known at deploy time (an `Fn::If`, a parameter). */
  readonly unresolvedPrincipal?: string;
  readonly actions: string[];
  readonly notActions: string[];
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
  let doc = ev.value(p.AssumeRolePolicyDocument) as any;
  // CloudFormation also takes the document as JSON text.
  if (typeof doc === 'string') doc = parseJson(doc) ?? doc;
  const raw = doc && typeof doc === 'object' ? asList(doc.Statement) : [doc];
  const waysIn: AccessMapWayIn[] = [];
  const denies: string[] = [];
  for (const entry of raw) {
    if (!entry || typeof entry !== 'object') {
      // A statement (or the whole document) chosen at deploy time: never read as "nobody".
      waysIn.push(unresolvedWay(`trust statement ${entry === undefined ? '⟨missing⟩' : String(entry)}`, []));
      continue;
    }
    const s = normalize(ev, entry);
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
  const sessionValue = ev.value(p.MaxSessionDuration) ?? 3600;
  const session = typeof sessionValue === 'number' || (typeof sessionValue === 'string' && /^\d+$/.test(sessionValue)) ? Number(sessionValue) : undefined;
  return {
    stack: ev.loaded.stack,
    logicalId: id,
    path: ev.label(id),
    roleName: ev.roleName(id),
    ...(session !== undefined ? { maxSessionDuration: session } : {}),
    sessionLimit: session !== undefined ? duration(session) : String(sessionValue),
    waysIn,
    denies,
    permissions: rolePermissions(ev, id, p),
  };
}

/** A way in that only deploy time decides: shown, marked broad, never dropped. */
function unresolvedWay(who: string, actions: string[]): AccessMapWayIn {
  return { kind: AccessMapKind.UNRESOLVED, who, conditions: [], actions, broad: 'only known at deploy time', unresolved: true };
}

function normalize(ev: Evaluator, s: any): Statement {
  const principals: Record<string, string[]> = {};
  let unresolvedPrincipal: string | undefined;
  const principal = ev.value(s.Principal);
  if (principal === '*') {
    principals.AWS = ['*'];
  } else if (typeof principal === 'string') {
    unresolvedPrincipal = principal;
  } else if (principal && typeof principal === 'object') {
    for (const [type, value] of Object.entries(principal)) principals[type] = ev.strings(value);
  }
  let notPrincipals: Record<string, string[]> | undefined;
  const notPrincipal = ev.value(s.NotPrincipal);
  if (notPrincipal !== undefined) {
    notPrincipals = {};
    if (notPrincipal && typeof notPrincipal === 'object') {
      for (const [type, value] of Object.entries(notPrincipal)) notPrincipals[type] = ev.strings(value);
    } else {
      notPrincipals.AWS = [String(notPrincipal)];
    }
  }
  const conditions: Condition[] = [];
  const opaque: string[] = [];
  let block = ev.value(s.Condition);
  if (typeof block === 'string') {
    const parsed = parseJson(block);
    if (!parsed || typeof parsed !== 'object') opaque.push(`conditions only known at deploy time (${block})`);
    block = parsed;
  }
  for (const [operator, raw] of Object.entries<any>(block && typeof block === 'object' ? block : {})) {
    // A CfnJson block reads as the JSON text its custom resource returns.
    const keys = typeof raw === 'string' ? parseJson(raw) : raw;
    if (!keys || typeof keys !== 'object' || Array.isArray(keys)) {
      opaque.push(`${operator} conditions only known at deploy time${typeof raw === 'string' ? ` (${raw})` : ''}`);
      continue;
    }
    for (const [key, value] of Object.entries(keys)) conditions.push({ operator, key, values: ev.strings(value) });
  }
  return {
    effect: String(ev.value(s.Effect) ?? 'Allow'),
    principals,
    ...(notPrincipals ? { notPrincipals } : {}),
    ...(unresolvedPrincipal ? { unresolvedPrincipal } : {}),
    actions: ev.strings(s.Action),
    notActions: ev.strings(s.NotAction),
    conditions,
    opaque,
  };
}

/** Reads the statement's ways in; consumes the conditions that `who` already says. */
function waysInOf(ev: Evaluator, roleId: string, s: Statement): AccessMapWayIn[] {
  const out: AccessMapWayIn[] = [];
  if (s.unresolvedPrincipal) out.push(way(AccessMapKind.UNRESOLVED, `principal ${s.unresolvedPrincipal}`, s, new Set(), 'only known at deploy time'));
  if (s.notPrincipals) {
    out.push(way(AccessMapKind.ANY_PRINCIPAL, `anyone except ${principalList(s.notPrincipals)}`, s, new Set(), 'NotPrincipal: every principal but those named'));
  }
  for (const value of s.principals.AWS ?? []) out.push(awsWayIn(ev, s, value));
  for (const value of s.principals.Service ?? []) out.push(...serviceWaysIn(ev, roleId, s, value));
  for (const value of s.principals.Federated ?? []) out.push(...federatedWaysIn(s, value));
  for (const value of s.principals.CanonicalUser ?? []) out.push(way(AccessMapKind.AWS_PRINCIPAL, `canonical user ${value}`, s, new Set()));
  return out;
}

function way(kind: AccessMapKind, who: string, s: Statement, consumed: Set<Condition>, broad?: string): AccessMapWayIn {
  const conditions = s.conditions.filter(c => !consumed.has(c)).map(describeCondition);
  conditions.push(...s.opaque);
  const actions = s.notActions.length > 0 ? [`every action except ${s.notActions.join(', ')}`] : s.actions;
  return {
    kind,
    who,
    conditions,
    actions,
    ...(broad ? { broad } : s.opaque.length > 0 ? { broad: 'conditions only known at deploy time' } : {}),
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
  return cs.some(c => /Like/.test(c.operator) && c.values.some(v => /[*?]/.test(v)));
}

/**
 * A value chosen at deploy time (`Fn::If`, a parameter, an import): it may be anything,
 * or, with `AWS::NoValue`, remove the key. A reference to a resource of the template
 * (`⟨trust anchor X⟩`) is not one of these.
 */
const CHOSEN = /⟨(value chosen by condition|parameter |import |Ref |Fn::|value from mapping)/;

/** Whether the conditions may match more than their literal values: a pattern, or a value chosen at deploy time. */
function uncertain(cs: Condition[]): boolean {
  return hasWildcard(cs) || cs.some(c => c.values.some(v => CHOSEN.test(v)));
}

/** `o-1 or o-2`, or `like o-*` when a value is a pattern. */
function valuesText(cs: Condition[]): string {
  return `${hasWildcard(cs) ? 'like ' : ''}${cs.flatMap(c => c.values).join(' or ')}`;
}

/** Splits on `separator` outside `⟨...⟩` markers (a marker may hold a construct path). */
function splitOutsideMarkers(text: string, separator: string): string[] {
  const markers: string[] = [];
  const masked = text.replace(/⟨[^⟩]*⟩/g, m => `\u0000${markers.push(m) - 1}\u0000`);
  return masked.split(separator).map(part => part.replace(/\u0000(\d+)\u0000/g, (_m, i: string) => markers[Number(i)]));
}

function awsWayIn(ev: Evaluator, s: Statement, value: string): AccessMapWayIn {
  const consumed = new Set<Condition>();
  const take = (cs: Condition[]) => { cs.forEach(c => consumed.add(c)); return cs; };
  const externalId = take(find(s, 'sts:ExternalId', NARROWING));
  const principalArn = take(find(s, 'aws:PrincipalArn', NARROWING));
  const mfa = find(s, 'aws:MultiFactorAuthPresent', /^Bool$/).filter(c => c.values.length > 0 && c.values.every(v => v === 'true'));
  const withText = [
    externalId.length > 0 ? `with ExternalId${hasWildcard(externalId) ? ` ${valuesText(externalId)}` : ''}` : '',
    principalArn.length > 0 ? `with principal ARN like ${principalArn.flatMap(c => c.values).join(' or ')}` : '',
  ].filter(Boolean).join(', ');
  const suffix = withText ? ` ${withText}` : '';
  // A pattern narrows only where it names the account: arn:aws:iam::*:role/* narrows nothing.
  const arnNarrows = principalArn.length > 0 && !uncertain(principalArn.filter(c => !/Like/.test(c.operator)))
    && principalArn.every(c => c.values.every(v => /^arn:[^:]+:(iam|sts)::\d{12}:(role|user|assumed-role|federated-user)\/[^*?]/.test(v)));
  const narrowed = (externalId.length > 0 && !uncertain(externalId)) || arnNarrows || mfa.length > 0;

  if (value === '*') {
    const org = take(find(s, 'aws:PrincipalOrgID', NARROWING));
    if (org.length > 0) {
      return way(AccessMapKind.ORGANIZATION, `anyone in organization ${valuesText(org)}${suffix}`, s, consumed,
        uncertain(org) ? 'the organization id is a pattern or only known at deploy time' : undefined);
    }
    const paths = take(find(s, 'aws:PrincipalOrgPaths', /^(ForAnyValue:)?(StringEquals|StringLike)$/));
    if (paths.length > 0) {
      // A path pattern narrows only below a literal organization id: o-abc/* does, */ does not.
      const open = uncertain(paths) && paths.some(c => c.values.some(v => !/^o-[a-z0-9]+\//.test(v)));
      return way(AccessMapKind.ORGANIZATION, `anyone in organization path ${valuesText(paths)}${suffix}`, s, consumed,
        open ? 'the organization path is a pattern or only known at deploy time' : undefined);
    }
    const account = take(find(s, 'aws:PrincipalAccount', NARROWING));
    if (account.length > 0) {
      return way(AccessMapKind.AWS_ACCOUNT, `any principal of account ${valuesText(account)}${suffix}`, s, consumed,
        narrowed && !uncertain(account) ? undefined : 'any principal of the account');
    }
    return way(AccessMapKind.ANY_PRINCIPAL, `any AWS principal${suffix}`, s, consumed, arnNarrows ? undefined : 'any AWS principal of any account');
  }
  const own = (account: string) => (account === ev.loaded.account ? `${account} (this account)` : account);
  const root = /^(\d{12}|⟨this account⟩)$/.exec(value) ?? /^arn:[^:]+:iam::(\d{12}|⟨[^⟩]*⟩):root$/.exec(value);
  if (root) {
    return way(AccessMapKind.AWS_ACCOUNT, `account ${own(root[1])}${suffix}`, s, consumed,
      narrowed ? undefined : 'any principal of the account that its own policies allow');
  }
  const iam = /^arn:[^:]+:(iam|sts)::([^:]+):(role|user|assumed-role|federated-user)\/(.+)$/.exec(value);
  if (iam) {
    const [, , account, type, rest] = iam;
    const parts = splitOutsideMarkers(rest, '/');
    const who = type === 'assumed-role'
      ? `session ${parts[1]} of role ${parts[0]} in account ${own(account)}`
      : `${type.replace('-', ' ')} ${type === 'role' || type === 'user' ? parts[parts.length - 1] : rest} in account ${own(account)}`;
    return way(AccessMapKind.AWS_PRINCIPAL, `${who}${suffix}`, s, consumed);
  }
  return way(AccessMapKind.AWS_PRINCIPAL, `AWS principal ${value}${suffix}`, s, consumed,
    isUnresolved(value) ? 'the principal is only known at deploy time' : undefined);
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
  const via = anchorNames.length > 0 ? `via trust anchor ${hasWildcard(anchors) ? 'like ' : ''}${anchorNames.join(' or ')}` : 'via any trust anchor';
  // An attribute pattern of only wildcards (`CN like *`) matches every certificate.
  const anyCertificate = parts.length === 0 || attributes.every(c => (/Like/.test(c.operator) && c.values.some(v => /^[*?]+$/.test(v))) || uncertain([c]));
  const broad = anyCertificate ? 'any certificate the trust anchor accepts'
    : anchorNames.length === 0 ? 'no trust anchor named (aws:SourceArn)'
      : uncertain(anchors) ? 'the trust anchor ARN is a pattern or only known at deploy time' : undefined;
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
  // A pattern (`like team-*`) is kept as a pattern in the words.
  const tag = (name: string) => {
    const cs = find(s, `aws:RequestTag/${name}`, NARROWING);
    cs.forEach(c => consumed.add(c));
    // A tag that may be anything (`like *`, a value chosen at deploy time) names nothing.
    if (cs.length === 0 || cs.some(c => (/Like/.test(c.operator) && c.values.some(v => /^[*?]+$/.test(v))) || c.values.some(v => CHOSEN.test(v)))) return [];
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
    return [way(AccessMapKind.EKS_POD_IDENTITY, `EKS Pod Identity: ${who} on ${clusterText}`, s, consumed)];
  }
  // The trust names no service account: every association in the account (or namespace) may use the role.
  const scope = namespaces.length > 0 ? `in namespace ${namespaces.join('')} ` : '';
  const broad = `the trust names no service account: any Pod Identity association ${scope}on ${clusterText} may use the role`;
  const associations = Object.values<any>(ev.loaded.template.Resources ?? {})
    .filter(r => r?.Type === 'AWS::EKS::PodIdentityAssociation' && refersTo(r.Properties?.RoleArn, roleId));
  if (associations.length === 0) return [way(AccessMapKind.EKS_POD_IDENTITY, `EKS Pod Identity: any service account ${scope}on ${clusterText}`, s, consumed, broad)];
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
  const wildAmr = uncertain(amr);
  const guests = amrValues.includes('unauthenticated') || wildAmr || amr.length === 0;
  const who = amrValues.includes('unauthenticated') ? 'unauthenticated (guest) identities'
    : guests ? 'any identity, guests included'
      : amrValues.includes('authenticated') ? 'authenticated identities' : `identities signed in with ${amrValues.join(' or ')}`;
  const broad = pools.length === 0 || uncertain(pools) ? 'no single identity pool named (cognito-identity.amazonaws.com:aud)'
    : guests ? 'anyone who can reach the identity pool, without signing in (if the pool allows guests)' : undefined;
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
  // The subject block: of this provider's issuer. Blocks under two operators must both match
  // (AND): the words come from one (StringEquals first), the other stays a listed condition.
  const subBlocks = s.conditions.filter(c => (fromArn ? c.key === `${fromArn}:sub` : c.key.endsWith(':sub')) && /^(StringEquals|StringLike)$/.test(c.operator));
  const subs = subBlocks.filter(c => c.operator === 'StringEquals').slice(0, 1);
  if (subs.length === 0) subs.push(...subBlocks.slice(0, 1));
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
        : scope === SubjectScope.UNRESOLVED || CHOSEN.test(value) ? `part of the subject ${value} is only known at deploy time` : undefined;
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
  const when = [...s.conditions.map(describeCondition), ...s.opaque];
  return `deny ${what} to ${who}${when.length > 0 ? ` when ${when.join(' and ')}` : ''}`;
}

/** `3600` reads `1 hour`, `900` reads `15 minutes` (aws-cdk-lib's own wording); a non-number, as is. */
export function duration(seconds: number | string): string {
  const n = Number(seconds);
  return Number.isFinite(n) && n >= 0 ? Duration.seconds(n).toHumanString() : String(seconds);
}

function rolePermissions(ev: Evaluator, id: string, p: any): AccessMapPermissions {
  const resources: Record<string, any> = ev.loaded.template.Resources ?? {};
  // An entry chosen at deploy time stays in as its marker, and is flagged.
  const documents: any[] = asList(ev.value(p.Policies)).map((x: any) => (typeof x === 'string' ? x : x?.PolicyDocument));
  const managed: string[] = [];
  for (const raw of asList(p.ManagedPolicyArns)) {
    const local = raw?.Ref && resources[raw.Ref]?.Type === 'AWS::IAM::ManagedPolicy' ? raw.Ref : undefined;
    if (local) documents.push(resources[local].Properties?.PolicyDocument);
    managed.push(policyName(ev.str(raw)));
  }
  // Policies name the role by Ref, or by its literal name (a role imported by name).
  const literalName = typeof p.RoleName === 'string' ? p.RoleName : undefined;
  const names = (x: any) => refersTo(x, id) || (literalName !== undefined && x === literalName);
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
