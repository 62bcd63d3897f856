/** AWS service principals: Roles Anywhere, EKS Pod Identity and the others (part of the one definition of a narrow trust: see `index.ts`). */
import { ACCOUNT, allowsAction, conditionsBreadth, narrowing, serviceName } from './conditions';
import { Breadth, ScopeCheck, ScopeContext, ScopeReason, WayKind, WayScope, reason, way } from './model';
import { ReadCondition, ReadStatement } from '../trust-reader';


export function serviceWay(s: ReadStatement, value: string, ctx: ScopeContext): WayScope {
  const assumes = allowsAction(s, 'sts:AssumeRole');
  const service = serviceName(value);
  if (service === 'rolesanywhere') return rolesAnywhereWay(s, value, assumes);
  if (service === 'pods.eks') return podIdentityWay(s, value, assumes, ctx);
  if (service !== undefined && SOURCE_CONDITIONS_DOCUMENTED.has(service)) return sourceConditionsWay(s, value, assumes, ctx, service);
  return way(WayKind.SERVICE, value, assumes, [], []);
}

/**
 * Services whose guide documents `aws:SourceAccount` / `aws:SourceArn` in the trust of the
 * roles they assume, by the `aws:SourceArn` service they send (a condition a service does
 * not send makes the role unusable, so only these are asked for them):
 * - `ecs-tasks`: task roles, `ArnLike aws:SourceArn arn:<partition>:ecs:<region>:<account>:*`
 *   (AmazonECS/latest/developerguide/task-iam-roles.html; a single cluster is not supported);
 * - `personalize`: `arn:<partition>:personalize:<region>:<account>:*`
 *   (personalize/latest/dg/cross-service-confused-deputy-prevention.html);
 * - `appstream`: fleets (appstream2/latest/developerguide/example-fleet-machine.html).
 */
const SOURCE_CONDITIONS_DOCUMENTED = new Map<string, string>([['ecs-tasks', 'ecs'], ['personalize', 'personalize'], ['appstream', 'appstream']]);

function sourceConditionsWay(s: ReadStatement, value: string, assumes: boolean, ctx: ScopeContext, service: string): WayScope {
  const reasons: ScopeReason[] = [];
  const accounts = narrowing(s, 'aws:SourceAccount');
  const arns = narrowing(s, 'aws:SourceArn');
  if (accounts.length === 0 && arns.length === 0) {
    reasons.push(reason(ScopeCheck.CONFUSED_DEPUTY, Breadth.NARROW, s.opaque.length > 0 ? s.opaque.map(o => `Unresolved::${o}`).join(',') : 'Missing::aws:SourceAccount',
      `no aws:SourceAccount or aws:SourceArn: ${value} documents them as the confused-deputy guard of the roles it assumes`,
      'add StringEquals aws:SourceAccount with the account, and ArnLike aws:SourceArn with the resources the service acts for', true));
  }
  const sourceAccounts = accounts.flatMap(c => c.values).map(v => (v === '⟨this account⟩' ? ctx.account ?? v : v)).filter(v => ACCOUNT.test(v));
  for (const arn of arns.flatMap(c => c.values)) {
    const m = /^arn:[^:]+:([^:]+):[^:]*:([^:]*):/.exec(arn);
    const account = m?.[2] === '⟨this account⟩' ? ctx.account : m?.[2];
    if (account && ACCOUNT.test(account) && sourceAccounts.length > 0 && !sourceAccounts.includes(account)) {
      reasons.push(reason(ScopeCheck.SOURCE_ACCOUNT, Breadth.INVALID, `SourceArn::${arn}`,
        `the source ARN ${arn} is in account ${account}, but aws:SourceAccount is ${sourceAccounts.join(' or ')}, so the trust never matches`,
        'name resources of the source account only'));
    }
    const arnService = SOURCE_CONDITIONS_DOCUMENTED.get(service);
    if (m && !/[*?⟨]/.test(m[1]) && m[1] !== arnService) {
      reasons.push(reason(ScopeCheck.SOURCE_ACCOUNT, Breadth.INVALID, `SourceArn::${arn}`,
        `${value} sends ${arnService} ARNs as aws:SourceArn, so ${arn} never matches`,
        `name ${arnService} resources, e.g. arn:<partition>:${arnService}:<region>:<account>:*`));
    }
  }
  return way(WayKind.SERVICE, value, assumes, reasons, [...accounts, ...arns]);
}

function rolesAnywhereWay(s: ReadStatement, value: string, assumes: boolean): WayScope {
  const reasons: ScopeReason[] = [];
  const anchors = narrowing(s, 'aws:SourceArn');
  const anchorBreadth = anchors.length === 0 ? Breadth.BROAD
    : conditionsBreadth(anchors, (v, like) => (like && /[*?]/.test(v) ? Breadth.BROAD : Breadth.NARROW));
  if (anchorBreadth === Breadth.BROAD) {
    const opaque = s.opaque.length > 0 && anchors.length === 0;
    reasons.push(reason(ScopeCheck.TRUST_ANCHOR, opaque ? Breadth.UNRESOLVED : Breadth.BROAD,
      opaque ? s.opaque.map(o => `Unresolved::${o}`).join(',') : anchors.length === 0 ? 'Missing::aws:SourceArn' : `SourceArn::${anchors.flatMap(c => c.values).join(',')}`,
      anchors.length === 0 ? 'no trust anchor named (aws:SourceArn): a certificate of any trust anchor in the account gets in'
        : 'the trust anchor ARN is a pattern: a certificate of any matching trust anchor gets in',
      'add ArnEquals aws:SourceArn with the trust anchor ARNs'));
  } else if (anchorBreadth === Breadth.UNRESOLVED) {
    reasons.push(reason(ScopeCheck.TRUST_ANCHOR, Breadth.UNRESOLVED, 'Unresolved::aws:SourceArn', 'the trust anchor is only known at deploy time', 'check the deployed value'));
  }
  // The certificate attributes that name one subject; organization, unit and country are shared by every certificate a CA issues to them.
  const subject = narrowing(s, /^aws:PrincipalTag\/x509(Subject\/(CN|UID|serialNumber)|SAN\/(DNS|URI|Name|CN|EmailAddress))$/i);
  const certBreadth = subject.length === 0 ? Breadth.OWNER_WIDE
    : conditionsBreadth(subject, (v, like) => (like && /[*?]/.test(v) ? Breadth.OWNER_WIDE : Breadth.NARROW));
  if (certBreadth !== Breadth.NARROW) {
    reasons.push(reason(ScopeCheck.CERTIFICATE, certBreadth, 'Certificate::any',
      subject.length === 0 ? 'any certificate the trust anchor accepts' : 'the certificate subject is a pattern or only known at deploy time',
      'pin the certificate subject CN, UID, serial number or a SAN exactly'));
  }
  const attributes = narrowing(s, /^aws:PrincipalTag\/x509/i);
  return way(WayKind.ROLES_ANYWHERE, value, assumes, reasons, [...anchors, ...attributes]);
}

function podIdentityWay(s: ReadStatement, value: string, assumes: boolean, ctx: ScopeContext): WayScope {
  const reasons: ScopeReason[] = [];
  const accounts = narrowing(s, 'aws:SourceAccount');
  if (accounts.length === 0) {
    reasons.push(reason(ScopeCheck.SOURCE_ACCOUNT, Breadth.NARROW, s.opaque.length > 0 ? s.opaque.map(o => `Unresolved::${o}`).join(',') : 'Missing::aws:SourceAccount',
      'no aws:SourceAccount: the confused-deputy guard of the service principal is missing', 'add StringEquals aws:SourceAccount with the account of the clusters', true));
  }
  const sourceAccounts = accounts.flatMap(c => c.values).map(v => (v === '⟨this account⟩' ? ctx.account ?? v : v)).filter(v => ACCOUNT.test(v));
  const clusters = narrowing(s, /^aws:RequestTag\/eks-cluster-arn$/i);
  for (const arn of clusters.flatMap(c => c.values)) {
    const account = /^arn:[^:]+:eks:[^:]*:([^:]+):cluster\//.exec(arn)?.[1];
    if (account && ACCOUNT.test(account) && sourceAccounts.length > 0 && !sourceAccounts.includes(account)) {
      reasons.push(reason(ScopeCheck.SOURCE_ACCOUNT, Breadth.INVALID, `Cluster::${arn}`,
        `the cluster ${arn} is in account ${account}, but aws:SourceAccount is ${sourceAccounts.join(' or ')}, so the trust never matches`,
        'trust clusters of the source account only'));
    }
  }
  const tag = (name: string) => narrowing(s, new RegExp(`^aws:RequestTag/${name}$`, 'i'));
  const namespaces = tag('kubernetes-namespace');
  const serviceAccounts = tag('kubernetes-service-account');
  const pin = (cs: ReadCondition[]) => (cs.length === 0 ? Breadth.OWNER_WIDE
    : conditionsBreadth(cs, (v, like) => (like && /[*?]/.test(v) ? Breadth.OWNER_WIDE : Breadth.NARROW)));
  const workload = Math.max(pin(namespaces), pin(serviceAccounts));
  if (workload !== Breadth.NARROW) {
    reasons.push(reason(ScopeCheck.POD_WORKLOAD, workload, 'ServiceAccount::any',
      'the trust names no single service account: any Pod Identity association of the account may use the role',
      'add StringEquals aws:RequestTag/kubernetes-namespace and aws:RequestTag/kubernetes-service-account'));
  }
  return way(WayKind.EKS_POD_IDENTITY, value, assumes, reasons, [...accounts, ...clusters, ...namespaces, ...serviceAccounts, ...tag('eks-cluster-name')]);
}
