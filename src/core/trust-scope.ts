/**
 * The one definition of a narrow trust. Given one trust statement, read as far as
 * synthesis allows (see `trust-reader.ts`), it says for each way in: the principal kind,
 * which condition pins the tenant (the GitHub owner, the AWS account, the trust anchor,
 * the identity pool ...) and the workload (the repository, the role, the certificate,
 * the service account), and, where the way in is wider than that, why and how to fix it.
 *
 * Construct validation, the nag rules and the access map all ask this module; none of
 * them keeps rules of its own about what narrows.
 */
import { ReadCondition, ReadStatement, isDeployTime, isFreeDeployTime } from './trust-reader';

/** How far a way in reaches. Ordered from narrowest to widest. */
export enum Breadth {
  /** Exactly the tenant and workload the trust names. */
  NARROW = 0,
  /** Every workload of one pinned tenant: every repository of an owner, every principal of an account. Needs a named opt-in. */
  OWNER_WIDE = 1,
  /** A value only known at deploy time decides how far it reaches. */
  UNRESOLVED = 2,
  /** The tenant is not pinned: workloads of others get in. */
  BROAD = 3,
  /** IAM refuses the statement, or a condition can never be true or never narrows as written. */
  INVALID = 4,
}

/** How a principal gets in, by the shape of the statement. */
export enum WayKind {
  AWS_ACCOUNT = 'aws-account',
  AWS_PRINCIPAL = 'aws-principal',
  ORGANIZATION = 'organization',
  ANY_PRINCIPAL = 'any-principal',
  SERVICE = 'service',
  GITHUB_ACTIONS = 'github-actions',
  GITLAB_CI = 'gitlab-ci',
  EKS_SERVICE_ACCOUNT = 'eks-service-account',
  EKS_POD_IDENTITY = 'eks-pod-identity',
  ROLES_ANYWHERE = 'roles-anywhere',
  COGNITO = 'cognito',
  OIDC = 'oidc',
  SAML = 'saml',
  UNRESOLVED = 'unresolved',
}

/** Which check a reason belongs to; each nag rule reports the reasons of its check. */
export enum ScopeCheck {
  /** The web identity audience (`<issuer>:aud`, Cognito's pool id, a built-in provider's app id). */
  AUDIENCE = 'audience',
  /** The web identity subject and the claims that pin the tenant (`<issuer>:sub`, Cognito's `amr`). */
  SUBJECT = 'subject',
  /** Another account's principals, not narrowed to a role, ExternalId, organization or MFA. */
  ACCOUNT = 'account',
  /** `"Principal": "*"` without a condition that pins the caller's organization, account or ARN. */
  ANY_PRINCIPAL = 'any-principal',
  /** IAM Roles Anywhere without its trust anchors pinned (`aws:SourceArn`). */
  TRUST_ANCHOR = 'trust-anchor',
  /** IAM Roles Anywhere certificates not pinned to one subject (CN, UID, serial number or SAN). */
  CERTIFICATE = 'certificate',
  /** EKS Pod Identity without `aws:SourceAccount`, or with a cluster of another account. */
  SOURCE_ACCOUNT = 'source-account',
  /** EKS Pod Identity without its service account pinned by the session tags. */
  POD_WORKLOAD = 'pod-workload',
  /** SAML without `SAML:aud`. */
  SAML_AUDIENCE = 'saml-audience',
  /** `ForAnyValue:` / `ForAllValues:` on a single-valued key. */
  SET_OPERATOR = 'set-operator',
  /** A condition IAM never evaluates as meant: an unknown operator, a key with a scheme. */
  CONDITION_FORM = 'condition-form',
  /** A principal IAM refuses or that never matches: a wildcard in an ARN, another partition. */
  PRINCIPAL_FORM = 'principal-form',
  /** Action wildcards or `NotAction` in an Allow statement. */
  ACTIONS = 'actions',
}

/** Why a way in (or a statement) is wider than narrow, or what to watch. */
export interface ScopeReason {
  readonly check: ScopeCheck;
  /** What this reason makes the way in. */
  readonly breadth: Breadth;
  /** The finding suffix the nag pack reports, e.g. `Subject::repo:*`. */
  readonly finding: string;
  /** Why, in plain words. */
  readonly text: string;
  /** How to fix it. */
  readonly fix: string;
  /** A warning that does not widen the way in (e.g. an audience pinned only by the provider's client ids). */
  readonly advisory?: boolean;
}

/** One subject value of a web identity way in, classified. */
export interface SubjectEntry {
  readonly key: string;
  readonly value: string;
  /** Whether the value is a pattern (`StringLike`). */
  readonly like: boolean;
  readonly breadth: Breadth;
  /** Why it is wider than narrow. */
  readonly reason?: ScopeReason;
}

/** One way into a role: one principal value of an Allow statement. */
export interface WayScope {
  readonly kind: WayKind;
  /** The principal value as read (`arn:aws:iam::111122223333:root`, `pods.eks.amazonaws.com`, a provider ARN). */
  readonly principal: string;
  /** Whether the statement allows this principal's assume action (`sts:AssumeRole`, `...WithWebIdentity`, `...WithSAML`). */
  readonly assumes: boolean;
  /** The widest of the reasons that widen; NARROW when none does. */
  readonly breadth: Breadth;
  readonly reasons: ScopeReason[];
  /** The conditions that pin the tenant or the workload: the access map says them in its words. */
  readonly pinnedBy: ReadCondition[];
  /** For web identity: the OIDC issuer (host and path), when known. */
  readonly issuer?: string;
  /** For web identity: the subject values, one by one. */
  readonly subjects?: SubjectEntry[];
}

/** What a statement lets in. */
export interface StatementScope {
  readonly ways: WayScope[];
  /** Problems of the statement as a whole: malformed conditions or principals, set operators, action wildcards. */
  readonly problems: ScopeReason[];
  /** The widest breadth of the ways that assume the role and of the problems. */
  readonly breadth: Breadth;
}

/** What the reader knows about where the statement is deployed. */
export interface ScopeContext {
  /** The stack's account, when known. */
  readonly account?: string;
  /** The stack's partition, when known. */
  readonly partition?: string;
}

// ---------------------------------------------------------------------------------------------
// Operators and values

const CONDITION_OPERATOR = new RegExp('^(?:(?:ForAnyValue|ForAllValues):)?(?:'
  + 'String(?:Not)?Equals(?:IgnoreCase)?|String(?:Not)?Like|Numeric(?:Not)?Equals|Numeric(?:LessThan|GreaterThan)(?:Equals)?'
  + '|Date(?:Not)?Equals|Date(?:LessThan|GreaterThan)(?:Equals)?|Bool|BinaryEquals|(?:Not)?IpAddress|Arn(?:Not)?(?:Equals|Like)'
  + ')(?:IfExists)?$|^Null$');

/** Keys that carry several values in one request (lower case). */
const MULTI_VALUED = new Set([
  'aws:tagkeys', 'aws:calledvia', 'aws:principalservicenameslist',
  'aws:principalorgpaths', 'aws:sourceorgpaths', 'aws:resourceorgpaths', 'sts:transitivetagkeys',
]);

/** Whether a condition key carries several values: Cognito's `amr`, the list-valued SAML keys, and the global list keys. */
export function isMultiValuedKey(key: string): boolean {
  const k = key.toLowerCase();
  return MULTI_VALUED.has(k) || /:amr$/.test(k) || /^saml:(cn|edu(person|org)\w*)$/.test(k);
}

/**
 * Whether a condition under this operator can only narrow who matches: a positive
 * comparison, not `Null`, not negated, not `...IfExists` (true when the key is absent) and
 * not `ForAllValues:` (true when the key is absent).
 */
export function isNarrowingOperator(operator: string): boolean {
  return CONDITION_OPERATOR.test(operator) && operator !== 'Null' && !/^ForAllValues:/.test(operator)
    && !/IfExists$/.test(operator) && !/Not(Equals|Like|IpAddress)/.test(operator) && !/^NotIpAddress/.test(operator);
}

/** Whether values under this operator are patterns (`*` and `?` match). */
function isLikeOperator(operator: string): boolean {
  return /Like(IfExists)?$/.test(operator);
}

/** Whether a value is a pattern under `operator` (a `*` or `?` outside deploy-time markers). */
export function isPattern(operator: string, value: string): boolean {
  return isLikeOperator(operator) && /[*?]/.test(value.replace(/⟨[^⟩]*⟩/g, ''));
}

/** The narrowing conditions of a statement on a key (case-insensitive). */
function narrowing(s: ReadStatement, key: string | RegExp): ReadCondition[] {
  const candidates = narrowingConditions(s);
  if (typeof key === 'string') return candidates.byKey.get(key.toLowerCase()) ?? [];
  return candidates.all.filter(c => key.test(c.key));
}

/** The narrowing conditions of a statement, read once per statement: every rule and construct asks for them several times. */
const NARROWING_CACHE = new WeakMap<ReadStatement, { all: ReadCondition[]; byKey: Map<string, ReadCondition[]> }>();

function narrowingConditions(s: ReadStatement): { all: ReadCondition[]; byKey: Map<string, ReadCondition[]> } {
  let entry = NARROWING_CACHE.get(s);
  if (!entry) {
    const all = s.conditions.filter(c => c.values.length > 0 && isNarrowingOperator(c.operator));
    const byKey = new Map<string, ReadCondition[]>();
    for (const c of all) {
      const k = c.key.toLowerCase();
      const list = byKey.get(k);
      if (list) list.push(c);
      else byKey.set(k, [c]);
    }
    entry = { all, byKey };
    NARROWING_CACHE.set(s, entry);
  }
  return entry;
}

/**
 * How far a set of conditions on one key reaches: blocks under different operators must
 * all hold (AND), so the narrowest block decides; the values of one block are alternatives
 * (OR), so the widest value decides. `classify` returns the breadth of one literal value.
 */
function conditionsBreadth(cs: ReadCondition[], classify: (value: string, like: boolean) => Breadth): Breadth {
  let best: Breadth | undefined;
  for (const c of cs) {
    const like = isLikeOperator(c.operator);
    const widestValue = Math.max(...c.values.map(v => valueBreadth(v, like, classify)));
    best = best === undefined ? widestValue : Math.min(best, widestValue);
  }
  return best ?? Breadth.BROAD;
}

/**
 * The breadth of one value. A part that deploy time chooses freely is read both as a plain
 * name and, in a pattern, as `*`: when the two readings disagree, the value is UNRESOLVED.
 * A marker of a resource of the same template names one thing, and reads as a name.
 */
function valueBreadth(value: string, like: boolean, classify: (value: string, like: boolean) => Breadth): Breadth {
  if (!isDeployTime(value)) return classify(value, like);
  const named = value.replace(/⟨[^⟩]*⟩/g, m => (isFreeDeployTime(m) ? m : 'x'));
  if (!isFreeDeployTime(named)) return classify(named, like);
  // A value that is wholly chosen at deploy time says nothing about its shape.
  if (/^⟨[^⟩]*⟩$/.test(named)) return Breadth.UNRESOLVED;
  const optimistic = classify(named.replace(/⟨[^⟩]*⟩/g, 'x'), like);
  // A value an Fn::If chooses may also be AWS::NoValue, which removes the key: never narrow.
  if (/⟨value chosen by condition/.test(named)) return Math.max(optimistic, Breadth.UNRESOLVED);
  // Under an exact operator a `*` is a plain character: a value chosen at deploy time is one value.
  const pessimistic = classify(named.replace(/⟨[^⟩]*⟩/g, '*'), like);
  return optimistic === pessimistic ? optimistic : Math.max(optimistic, Breadth.UNRESOLVED);
}

/** Whether the statement allows `action`: by name, by a pattern (`sts:AssumeRole*`, `*`), or by not naming it in `NotAction`. */
export function allowsAction(s: ReadStatement, action: string): boolean {
  const a = action.toLowerCase();
  const matches = (pattern: string) => wildcardMatch(pattern.toLowerCase(), a);
  if (s.notActions.length > 0) return !s.notActions.some(matches);
  return s.actions.some(matches);
}

function wildcardMatch(pattern: string, value: string): boolean {
  if (!/[*?]/.test(pattern)) return pattern === value;
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return re.test(value);
}

/** A service principal's name: `ec2` for `ec2.amazonaws.com`, `ec2.amazonaws.com.cn` or `ec2.⟨URL suffix⟩`. */
export function serviceName(principal: string): string | undefined {
  const m = /^([a-z0-9.-]+?)\.(amazonaws\.com(\.cn)?|amazonaws\.eu|⟨[^⟩]*⟩|\{AWS::URLSuffix\})$/.exec(principal);
  return m ? m[1] : undefined;
}

const ACCOUNT = /^\d{12}$/;

function reason(check: ScopeCheck, breadth: Breadth, finding: string, text: string, fix: string, advisory?: boolean): ScopeReason {
  return { check, breadth, finding, text, fix, ...(advisory ? { advisory } : {}) };
}

// ---------------------------------------------------------------------------------------------
// Statements

/**
 * What one statement lets in: one way per principal value, each with its breadth and
 * reasons, and the problems of the statement as a whole. A Deny statement lets nobody in.
 */
export function statementScope(s: ReadStatement, ctx: ScopeContext = {}): StatementScope {
  const problems = statementProblems(s, ctx);
  if (s.effect !== 'Allow') return { ways: [], problems, breadth: widest(problems) };
  const ways: WayScope[] = [];
  if (s.unresolvedPrincipal) {
    ways.push(way(WayKind.UNRESOLVED, s.unresolvedPrincipal, true, [
      reason(ScopeCheck.ANY_PRINCIPAL, Breadth.UNRESOLVED, 'Unresolved::Principal', 'the principal is only known at deploy time',
        'name the principal in the template, or check the deployed value'),
    ], []));
  }
  if (s.notPrincipals) {
    ways.push(way(WayKind.ANY_PRINCIPAL, '*', allowsAction(s, 'sts:AssumeRole'), [
      reason(ScopeCheck.ANY_PRINCIPAL, Breadth.BROAD, 'NotPrincipal', 'NotPrincipal lets in every principal but those named',
        'name the principals allowed in Principal instead'),
    ], []));
  }
  for (const value of s.principals.AWS ?? []) ways.push(awsWay(s, value, ctx));
  for (const value of s.principals.Service ?? []) ways.push(serviceWay(s, value, ctx));
  for (const value of s.principals.Federated ?? []) ways.push(federatedWay(s, value));
  for (const value of s.principals.CanonicalUser ?? []) ways.push(way(WayKind.AWS_PRINCIPAL, value, allowsAction(s, 'sts:AssumeRole'), [], []));
  // Condition blocks only known at deploy time can only narrow (conditions AND): each kind says where one might decide.
  const assuming = ways.filter(w => w.assumes);
  return { ways, problems, breadth: Math.max(widest(problems), ...assuming.map(w => w.breadth), Breadth.NARROW) };
}

function widest(reasons: ScopeReason[]): Breadth {
  return Math.max(Breadth.NARROW, ...reasons.filter(r => !r.advisory).map(r => r.breadth));
}

function way(
  kind: WayKind, principal: string, assumes: boolean, reasons: ScopeReason[], pinnedBy: ReadCondition[], extra: Partial<WayScope> = {},
): WayScope {
  return { kind, principal, assumes, breadth: widest(reasons), reasons, pinnedBy, ...extra };
}

function statementProblems(s: ReadStatement, ctx: ScopeContext): ScopeReason[] {
  const out: ScopeReason[] = [];
  for (const c of s.conditions) {
    if (!CONDITION_OPERATOR.test(c.operator)) {
      const fixed = /^(ForAnyValue|ForAllValues)(\w+)$/.exec(c.operator);
      out.push(reason(ScopeCheck.CONDITION_FORM, Breadth.INVALID, `Operator::${c.operator}`,
        `${c.operator} is not an IAM condition operator, so the policy is refused or the condition never holds`,
        fixed ? `write ${fixed[1]}:${fixed[2]}` : 'use an operator IAM documents, e.g. StringEquals'));
    }
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(c.key)) {
      out.push(reason(ScopeCheck.CONDITION_FORM, Breadth.INVALID, `Key::${c.key}`,
        `the key ${c.key} names the issuer with its scheme, and IAM never fills such a key`,
        `write ${c.key.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')}`));
    }
    if (/^For(AnyValue|AllValues):/.test(c.operator) && !isMultiValuedKey(c.key)) {
      out.push(reason(ScopeCheck.SET_OPERATOR, Breadth.INVALID, `Condition::${c.operator}::${c.key}`,
        `${c.operator.split(':')[0]}: on the single-valued key ${c.key}${c.operator.startsWith('ForAllValues') ? ' is true when the key is absent' : ' hides the mistake'}`,
        `use ${c.operator.split(':')[1]} on ${c.key}`));
    }
  }
  if (s.effect === 'Allow') {
    const wild = s.actions.filter(a => /[*?]/.test(a));
    if (wild.length > 0 || s.notActions.length > 0) {
      out.push(reason(ScopeCheck.ACTIONS, Breadth.NARROW, s.notActions.length > 0 ? `NotAction::${s.notActions.join(',')}` : `Action::${wild.join(',')}`,
        s.notActions.length > 0 ? 'NotAction allows every other STS action' : `${wild.join(', ')} allows more STS actions than the principal needs`,
        'name the STS actions, e.g. sts:AssumeRole and sts:TagSession', true));
    }
  }
  for (const [type, values] of Object.entries(s.principals)) {
    for (const v of values) {
      if (v === '*' || isDeployTime(v)) continue;
      if (/^arn:/.test(v) && /[*?]/.test(v)) {
        out.push(reason(ScopeCheck.PRINCIPAL_FORM, Breadth.INVALID, `Principal::${v}`,
          `IAM refuses a wildcard inside a principal ARN (${v})`,
          'name the principal exactly, and match patterns with a condition on aws:PrincipalArn (ArnLike)'));
        continue;
      }
      const partition = /^arn:([^:]+):/.exec(v)?.[1];
      if (partition && ctx.partition && !isDeployTime(partition) && partition !== ctx.partition && type !== 'Service') {
        out.push(reason(ScopeCheck.PRINCIPAL_FORM, Breadth.INVALID, `Principal::${v}`,
          `the principal is in the ${partition} partition, but the role in ${ctx.partition}, and principals of another partition never match`,
          `use the ARN of the ${ctx.partition} partition`));
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// AWS principals

const ROOT = /^(?:arn:[^:]+:iam::([^:]+):root|(\d{12}))$/;
const IAM_ARN = /^arn:([^:]+):(iam|sts)::([^:]+):(.+)$/;

/** The conditions that narrow an account's callers, and whether they do. */
interface CallerNarrowing {
  readonly narrowed: boolean;
  readonly reasons: ScopeReason[];
  readonly pinnedBy: ReadCondition[];
}

function callerNarrowing(s: ReadStatement, account: string | undefined): CallerNarrowing {
  const pinnedBy: ReadCondition[] = [];
  const reasons: ScopeReason[] = [];
  let narrowed = false;
  let unresolved = false;
  const pins = (cs: ReadCondition[], classify: (v: string, like: boolean) => Breadth) => {
    if (cs.length === 0) return;
    pinnedBy.push(...cs);
    const b = conditionsBreadth(cs, classify);
    if (b === Breadth.NARROW) narrowed = true;
    else if (b === Breadth.UNRESOLVED) unresolved = true;
  };
  // ExternalId: any exact value; a pattern that matches everything narrows nothing.
  pins(narrowing(s, 'sts:ExternalId'), (v, like) => (like && /^[*?]+$/.test(v) ? Breadth.BROAD : Breadth.NARROW));
  // An organization pins a tenant, never the callers within it: the accounts it holds are whole.
  const arns = narrowing(s, 'aws:PrincipalArn');
  pins(arns, (v, like) => principalArnPatternBreadth(v, like, account));
  // A block whose every ARN names another account than the trusted one never holds for it (the values are alternatives).
  for (const c of arns) {
    const others = c.values.filter(v => {
      const other = patternAccount(v);
      return account !== undefined && ACCOUNT.test(account) && other !== undefined && ACCOUNT.test(other) && other !== account;
    });
    if (others.length > 0 && others.length === c.values.length) {
      // Advisory: the trust builder splits exact and pattern values into statements of their own, so one
      // statement may hold a way in that only another statement's values serve.
      reasons.push(reason(ScopeCheck.ACCOUNT, Breadth.NARROW, `PrincipalArn::${others.join(',')}`,
        `the principal ARN ${others.length === 1 ? 'pattern' : 'patterns'} ${others.join(', ')} name${others.length === 1 ? 's' : ''} another account than ${account}, so this statement never lets account ${account} in`,
        `name a role of account ${account}`, true));
    }
  }
  const mfa = narrowing(s, 'aws:MultiFactorAuthPresent').filter(c => c.operator === 'Bool');
  pins(mfa, v => (v === 'true' ? Breadth.NARROW : Breadth.BROAD));
  pins(narrowing(s, 'aws:MultiFactorAuthAge').filter(c => /^NumericLessThan/.test(c.operator)), v => (/^\d+$/.test(v) ? Breadth.NARROW : Breadth.BROAD));
  if (!narrowed && unresolved) {
    reasons.push(reason(ScopeCheck.ACCOUNT, Breadth.UNRESOLVED, 'Unresolved::narrowing', 'the condition that narrows the callers is only known at deploy time',
      'check the deployed value'));
  }
  return { narrowed, reasons, pinnedBy };
}

/**
 * Whether an IAM principal ARN pattern names a principal, a path or a name prefix (and so
 * narrows a trusted account or organization), rather than every principal
 * (`arn:aws:iam::*:role/*`, `arn:aws:iam::111122223333:*`).
 */
export function principalArnPatternNarrows(value: string): boolean {
  return principalArnPatternBreadth(value, /[*?]/.test(value), undefined) !== Breadth.BROAD;
}

/** The account of a principal ARN pattern, when it has one (`arn:aws:iam::111122223333:role/x` -> `111122223333`). */
function patternAccount(value: string): string | undefined {
  return IAM_ARN.exec(value)?.[3];
}

/**
 * Whether a principal ARN (pattern) narrows an account's callers: it names a principal, or
 * a path or name prefix; a pattern for every principal (`arn:aws:iam::*:role/*`,
 * `arn:aws:iam::111122223333:*`) narrows nothing.
 */
function principalArnPatternBreadth(value: string, like: boolean, _account: string | undefined): Breadth {
  const m = IAM_ARN.exec(value);
  if (!m) return like && /^[*?]+$/.test(value) ? Breadth.BROAD : Breadth.NARROW;
  if (!like) return Breadth.NARROW;
  const resource = m[4];
  // What follows the principal type: `role/deploy/*` names a path, `role/*` nothing.
  const rest = /^(role|user|assumed-role|federated-user)\/(.*)$/.exec(resource)?.[2];
  if (rest === undefined || /^[*?]/.test(rest)) return Breadth.BROAD;
  return Breadth.NARROW;
}

function awsWay(s: ReadStatement, value: string, ctx: ScopeContext): WayScope {
  const assumes = allowsAction(s, 'sts:AssumeRole');
  if (value === '*') return anyPrincipalWay(s, assumes, ctx);
  const root = ROOT.exec(value);
  if (root || value === '⟨this account⟩') {
    const account = root ? (root[1] ?? root[2]) : '⟨this account⟩';
    const own = account === '⟨this account⟩' || (ctx.account !== undefined && account === ctx.account);
    const callers = callerNarrowing(s, ACCOUNT.test(account) ? account : undefined);
    const reasons = [...callers.reasons];
    if (!own && !callers.narrowed) {
      if (isFreeDeployTime(account)) {
        reasons.push(reason(ScopeCheck.ACCOUNT, Breadth.UNRESOLVED, `Principal::${value}`, 'the trusted account is only known at deploy time',
          'check the deployed account, or narrow the callers with aws:PrincipalArn, sts:ExternalId or MFA'));
      } else if (s.opaque.length > 0 && !reasons.some(r => r.breadth === Breadth.UNRESOLVED)) {
        reasons.push(reason(ScopeCheck.ACCOUNT, Breadth.UNRESOLVED, s.opaque.map(o => `Unresolved::${o}`).join(','),
          'any principal of the account that its own policies allow, unless the conditions only known at deploy time narrow it',
          'check the deployed conditions, or narrow the callers with aws:PrincipalArn, sts:ExternalId or MFA'));
      } else if (!reasons.some(r => r.breadth === Breadth.UNRESOLVED)) {
        reasons.push(reason(ScopeCheck.ACCOUNT, Breadth.OWNER_WIDE, `Principal::${value}`,
          'any principal of the account that its own policies allow',
          'trust the exact role ARN, or add sts:ExternalId, aws:PrincipalArn or MFA'));
      }
    }
    return way(WayKind.AWS_ACCOUNT, value, assumes, reasons, callers.pinnedBy);
  }
  const iam = IAM_ARN.exec(value);
  if (iam) {
    const callers = callerNarrowing(s, ACCOUNT.test(iam[3]) ? iam[3] : undefined);
    const reasons = callers.reasons.filter(r => r.breadth === Breadth.INVALID);
    if (isFreeDeployTime(value)) {
      reasons.push(reason(ScopeCheck.ANY_PRINCIPAL, Breadth.UNRESOLVED, `Principal::${value}`, 'the principal is only known at deploy time', 'check the deployed value'));
    }
    return way(WayKind.AWS_PRINCIPAL, value, assumes, reasons, callers.pinnedBy);
  }
  if (isFreeDeployTime(value)) {
    return way(WayKind.UNRESOLVED, value, assumes, [reason(ScopeCheck.ANY_PRINCIPAL, Breadth.UNRESOLVED, `Principal::${value}`,
      'the principal is only known at deploy time', 'check the deployed value')], []);
  }
  return way(WayKind.AWS_PRINCIPAL, value, assumes, [], []);
}

function anyPrincipalWay(s: ReadStatement, assumes: boolean, ctx: ScopeContext): WayScope {
  const org = narrowing(s, 'aws:PrincipalOrgID');
  const paths = narrowing(s, /^aws:PrincipalOrgPaths$/i);
  const accounts = narrowing(s, 'aws:PrincipalAccount');
  const arns = narrowing(s, 'aws:PrincipalArn');
  const sources = narrowing(s, /^aws:(SourceAccount|SourceArn|SourceOrgID|SourceOrgPaths)$/i);
  const breadths: Array<[Breadth, ReadCondition[], WayKind]> = [];
  if (org.length > 0) breadths.push([conditionsBreadth(org, (v, like) => (like && /[*?]/.test(v) ? Breadth.BROAD : Breadth.NARROW)), org, WayKind.ORGANIZATION]);
  if (paths.length > 0) breadths.push([conditionsBreadth(paths, (v, like) => (/^o-[a-z0-9]+\//.test(v) || !like ? Breadth.NARROW : Breadth.BROAD)), paths, WayKind.ORGANIZATION]);
  if (arns.length > 0) {
    // An ARN pins the caller when its account is literal and it names more than "any principal".
    breadths.push([conditionsBreadth(arns, (v, like) => {
      const account = patternAccount(v);
      if (account === undefined || (like && /[*?]/.test(account))) return Breadth.BROAD;
      const b = principalArnPatternBreadth(v, like, account);
      return b === Breadth.BROAD ? Breadth.OWNER_WIDE : b;
    }), arns, WayKind.AWS_PRINCIPAL]);
  }
  if (accounts.length > 0) {
    const narrowed = callerNarrowing(s, undefined);
    breadths.push([conditionsBreadth(accounts, (v, like) => {
      if (like && /[*?]/.test(v)) return Breadth.BROAD;
      const own = v === '⟨this account⟩' || (ctx.account !== undefined && v === ctx.account);
      return own || narrowed.narrowed ? Breadth.NARROW : Breadth.OWNER_WIDE;
    }), accounts, WayKind.AWS_ACCOUNT]);
  }
  if (sources.length > 0) breadths.push([conditionsBreadth(sources, (v, like) => (like && /^[^:]*[*?]/.test(v.replace(/^arn:[^:]*:[^:]*:[^:]*:/, '')) ? Breadth.BROAD : Breadth.NARROW)), sources, WayKind.ANY_PRINCIPAL]);
  if (breadths.length === 0) {
    const opaque = s.opaque.length > 0;
    return way(WayKind.ANY_PRINCIPAL, '*', assumes, [reason(ScopeCheck.ANY_PRINCIPAL, opaque ? Breadth.UNRESOLVED : Breadth.BROAD,
      opaque ? s.opaque.map(o => `Unresolved::${o}`).join(',') : 'Principal::*',
      'any AWS principal of any account', 'add aws:PrincipalOrgID, aws:PrincipalAccount or aws:PrincipalArn, or trust the principals by name')], []);
  }
  let best = breadths.reduce((a, b) => (b[0] < a[0] ? b : a));
  const pinnedBy = breadths.flatMap(b => b[1]);
  const reasons: ScopeReason[] = [];
  // An organization pins the tenant, not the workload: every principal of its accounts that their own policies allow.
  if (best[2] === WayKind.ORGANIZATION && best[0] === Breadth.NARROW && !callerNarrowing(s, undefined).narrowed) {
    best = [Breadth.OWNER_WIDE, best[1], best[2]];
    reasons.push(reason(ScopeCheck.ACCOUNT, Breadth.OWNER_WIDE, `Organization::${org.concat(paths).flatMap(c => c.values).join(',')}`,
      'any principal of the organization\'s accounts that their own policies allow',
      'narrow the callers with aws:PrincipalArn, sts:ExternalId or MFA, or trust the roles by ARN'));
  }
  if (best[0] === Breadth.BROAD) {
    reasons.push(reason(ScopeCheck.ANY_PRINCIPAL, Breadth.BROAD, 'Principal::*',
      'any AWS principal: the organization, account or ARN condition is a pattern that matches every caller',
      'pin aws:PrincipalOrgID, aws:PrincipalAccount or aws:PrincipalArn to exact values'));
  } else if (best[0] === Breadth.UNRESOLVED) {
    reasons.push(reason(ScopeCheck.ANY_PRINCIPAL, Breadth.UNRESOLVED, 'Unresolved::Principal', 'the condition that pins the callers is only known at deploy time', 'check the deployed value'));
  } else if (best[0] === Breadth.OWNER_WIDE && reasons.length === 0) {
    reasons.push(reason(ScopeCheck.ACCOUNT, Breadth.OWNER_WIDE, 'Principal::*', 'any principal of the account that its own policies allow',
      'narrow with aws:PrincipalArn, sts:ExternalId or MFA'));
  }
  return way(best[2], '*', assumes, reasons, pinnedBy);
}

// ---------------------------------------------------------------------------------------------
// Service principals

function serviceWay(s: ReadStatement, value: string, ctx: ScopeContext): WayScope {
  const assumes = allowsAction(s, 'sts:AssumeRole');
  const service = serviceName(value);
  if (service === 'rolesanywhere') return rolesAnywhereWay(s, value, assumes);
  if (service === 'pods.eks') return podIdentityWay(s, value, assumes, ctx);
  return way(WayKind.SERVICE, value, assumes, [], []);
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

// ---------------------------------------------------------------------------------------------
// Federated principals

/** IAM's built-in web identity providers: the key that carries the app id, and the one that carries the user. */
const BUILT_IN: Record<string, { audience: string; subject: string }> = {
  'accounts.google.com': { audience: 'accounts.google.com:aud', subject: 'accounts.google.com:sub' },
  'www.amazon.com': { audience: 'www.amazon.com:app_id', subject: 'www.amazon.com:user_id' },
  'graph.facebook.com': { audience: 'graph.facebook.com:app_id', subject: 'graph.facebook.com:id' },
};

function federatedWay(s: ReadStatement, value: string): WayScope {
  if (/^cognito-identity\.amazonaws\.com(\.cn)?$/.test(value)) return cognitoWay(s, value);
  if (/:saml-provider\/./.test(value) || (allowsAction(s, 'sts:AssumeRoleWithSAML') && !allowsAction(s, 'sts:AssumeRoleWithWebIdentity'))) {
    return samlWay(s, value);
  }
  return oidcWay(s, value);
}

function cognitoWay(s: ReadStatement, value: string): WayScope {
  const assumes = allowsAction(s, 'sts:AssumeRoleWithWebIdentity');
  const reasons: ScopeReason[] = [];
  const pools = narrowing(s, /^cognito-identity\.amazonaws\.com:aud$/i).filter(c => !/^For/.test(c.operator));
  if (pools.length === 0) {
    reasons.push(reason(ScopeCheck.AUDIENCE, s.opaque.length > 0 ? Breadth.UNRESOLVED : Breadth.INVALID,
      s.opaque.length > 0 ? s.opaque.map(o => `Unresolved::${o}`).join(',') : 'Missing::cognito-identity.amazonaws.com:aud',
      'no identity pool named (cognito-identity.amazonaws.com:aud); IAM refuses such a trust', 'add StringEquals cognito-identity.amazonaws.com:aud with the identity pool id'));
  } else {
    const b = conditionsBreadth(pools, (v, like) => (like && /[*?]/.test(v) ? Breadth.BROAD : Breadth.NARROW));
    if (b !== Breadth.NARROW) {
      reasons.push(reason(ScopeCheck.AUDIENCE, b, b === Breadth.UNRESOLVED ? 'Unresolved::cognito-identity.amazonaws.com:aud' : `Audience::${pools.flatMap(c => c.values).join(',')}`,
        b === Breadth.UNRESOLVED ? 'the identity pool is only known at deploy time' : 'the identity pool id is a pattern: identities of other pools get in',
        'name the identity pool id exactly'));
    }
  }
  const amr = s.conditions.filter(c => /^cognito-identity\.amazonaws\.com:amr$/i.test(c.key) && /^ForAnyValue:String(Equals|Like)$|^String(Equals|Like)$/.test(c.operator));
  const values = amr.flatMap(c => c.values);
  if (amr.length === 0 || values.some(v => /^[*?]+$/.test(v) || (isLikeOperator(amr[0].operator) && /^[*?]/.test(v)))) {
    reasons.push(reason(ScopeCheck.SUBJECT, Breadth.BROAD, amr.length === 0 ? 'Missing::cognito-identity.amazonaws.com:amr' : `Subject::amr:${values.join(',')}`,
      'the trust does not say authenticated or unauthenticated: guests get in wherever the pool allows them',
      'add ForAnyValue:StringLike cognito-identity.amazonaws.com:amr with authenticated (or unauthenticated for a guest role)'));
  } else if (values.includes('unauthenticated')) {
    reasons.push(reason(ScopeCheck.SUBJECT, Breadth.OWNER_WIDE, 'Subject::amr:unauthenticated',
      'unauthenticated (guest) identities: anyone who can reach the identity pool, without signing in',
      'keep the guest role to what anyone may do'));
  }
  return way(WayKind.COGNITO, value, assumes, reasons, [...pools, ...amr], { issuer: 'cognito-identity.amazonaws.com' });
}

function samlWay(s: ReadStatement, value: string): WayScope {
  const assumes = allowsAction(s, 'sts:AssumeRoleWithSAML');
  const reasons: ScopeReason[] = [];
  const audiences = s.conditions.filter(c => c.key.toLowerCase() === 'saml:aud' && /^String(Equals|EqualsIgnoreCase|Like)$/.test(c.operator) && c.values.length > 0);
  const b = audiences.length === 0 ? Breadth.BROAD : conditionsBreadth(audiences, (v, like) => (like && /[*?]/.test(v) ? Breadth.BROAD : Breadth.NARROW));
  if (b !== Breadth.NARROW) {
    const opaque = audiences.length === 0 && s.opaque.length > 0;
    reasons.push(reason(ScopeCheck.SAML_AUDIENCE, opaque ? Breadth.UNRESOLVED : b,
      opaque ? s.opaque.map(o => `Unresolved::${o}`).join(',') : audiences.length === 0 ? 'Missing::SAML:aud' : `Audience::${audiences.flatMap(c => c.values).join(',')}`,
      'no exact SAML:aud: assertions the IdP issues for other service providers are accepted',
      'add StringEquals SAML:aud with the sign-in endpoint of the partition, e.g. https://signin.aws.amazon.com/saml'));
  }
  return way(WayKind.SAML, value, assumes, reasons, audiences);
}

/** An OIDC issuer family: which claim of the subject pins the tenant and which the workload. */
interface IssuerFamily {
  readonly kind: WayKind;
  /** The tenant word for messages: `owner`, `group`, `organization`. */
  readonly tenant: string;
  /** Whether IAM refuses a trust of this issuer without a subject (GitHub). */
  readonly subjectRequiredByIam?: boolean;
  /** The breadth when no subject is pinned at all (the issuer itself may pin the tenant). */
  readonly withoutSubject: Breadth;
  /** The breadth of one subject value and why. */
  classify(value: string, like: boolean): { breadth: Breadth; why?: string; fix?: string };
}

const WILD = /[*?]/;

/** The first `claim:value` pair of a subject. */
function firstClaim(value: string): { claim: string; value: string; rest: string } | undefined {
  const m = /^([^:]*):([^:]*)(.*)$/.exec(value);
  return m ? { claim: m[1], value: m[2], rest: m[3] } : undefined;
}

/**
 * A `owner/name` value: a wildcard in the owner admits other owners (broad), in the name
 * every repository of the owner (owner-wide). `owner@id` is GitHub's immutable form: the
 * name cannot contain `@`, so `owner@*` still pins the owner's name.
 */
function ownerPath(path: string, like: boolean, what: string): { breadth: Breadth; why?: string; fix?: string } {
  const slash = path.indexOf('/');
  const owner = slash < 0 ? path : path.slice(0, slash);
  const [ownerName, ownerId] = owner.split('@');
  if (!like) return { breadth: Breadth.NARROW };
  if (ownerName === '' || WILD.test(ownerName)) {
    return { breadth: Breadth.BROAD, why: `a wildcard in the ${what} owner matches other owners' ${what}s`, fix: 'name the owner exactly' };
  }
  if (slash < 0) {
    return ownerId !== undefined && WILD.test(ownerId)
      ? { breadth: Breadth.OWNER_WIDE, why: `every ${what} of ${ownerName}, and of whoever holds the name ${ownerName} after a rename (the owner id is a wildcard)`, fix: 'give the owner id' }
      : { breadth: Breadth.NARROW };
  }
  const name = path.slice(slash + 1);
  if (ownerId !== undefined && WILD.test(ownerId)) {
    return { breadth: Breadth.OWNER_WIDE, why: `every ${what} of ${ownerName}, and of whoever holds the name ${ownerName} after a rename (the owner id is a wildcard)`, fix: `name the ${what} and give the owner id` };
  }
  if (name === '' || WILD.test(name.split('@')[0])) {
    return { breadth: Breadth.OWNER_WIDE, why: `every ${what} of ${ownerName}, including ones created later`, fix: `name each ${what}` };
  }
  return { breadth: Breadth.NARROW };
}

const GITHUB: IssuerFamily = {
  kind: WayKind.GITHUB_ACTIONS,
  tenant: 'owner',
  subjectRequiredByIam: true,
  withoutSubject: Breadth.INVALID,
  classify(value, like) {
    if (value === '*' || (like && /^[*?]+$/.test(value))) {
      return { breadth: Breadth.INVALID, why: 'IAM refuses a GitHub trust whose subject is *', fix: 'name the repository: repo:OWNER/REPO:...' };
    }
    const first = firstClaim(value);
    if (!first || (like && WILD.test(first.claim))) {
      return { breadth: Breadth.BROAD, why: 'the subject does not start with a claim that names the repository or owner', fix: 'start the subject with repo:OWNER/REPO' };
    }
    switch (first.claim) {
      case 'repo':
      case 'repository':
        return ownerPath(value.slice(first.claim.length + 1).split(':')[0], like, 'repository');
      case 'repository_id':
        return like && WILD.test(first.value) ? { breadth: Breadth.BROAD, why: 'the repository id is a pattern', fix: 'give the repository id exactly' } : { breadth: Breadth.NARROW };
      case 'repository_owner':
      case 'repository_owner_id':
        return like && WILD.test(first.value)
          ? { breadth: Breadth.BROAD, why: `the ${first.claim} is a pattern: other owners' repositories get in`, fix: 'name the owner exactly' }
          : { breadth: Breadth.OWNER_WIDE, why: `every repository of ${first.value}, including repositories created later`, fix: 'start the subject with repo:OWNER/REPO' };
      default:
        return {
          breadth: Breadth.BROAD,
          why: `the subject starts with the ${first.claim} claim, and any repository admin can make their own tokens' subject start the same way (OIDC subject customization)`,
          fix: 'start the subject with repo:OWNER/REPO (include_claim_keys: ["repo", ...])',
        };
    }
  },
};

const GITLAB: IssuerFamily = {
  kind: WayKind.GITLAB_CI,
  tenant: 'group',
  withoutSubject: Breadth.BROAD,
  classify(value, like) {
    const first = firstClaim(value);
    if (!first || (like && WILD.test(first.claim)) || value === '*') {
      return { breadth: Breadth.BROAD, why: 'the subject does not start with project_path', fix: 'start the subject with project_path:GROUP/PROJECT' };
    }
    if (first.claim !== 'project_path') {
      return {
        breadth: Breadth.BROAD,
        why: `the subject starts with the ${first.claim} claim, and any project can put its claims in that order (ci_id_token_sub_claim_components)`,
        fix: 'start the subject with project_path:GROUP/PROJECT',
      };
    }
    if (!like) return { breadth: Breadth.NARROW };
    const segments = first.value.split('/');
    if (segments[0] === '' || WILD.test(segments[0])) return { breadth: Breadth.BROAD, why: 'a wildcard in the top-level group matches other groups\' projects', fix: 'name the group exactly' };
    if (segments.length === 1 || segments.slice(1).some(x => WILD.test(x) || x === '')) {
      return { breadth: Breadth.OWNER_WIDE, why: `every project of ${segments[0]}, including projects created later`, fix: 'name the projects' };
    }
    return { breadth: Breadth.NARROW };
  },
};

const EKS: IssuerFamily = {
  kind: WayKind.EKS_SERVICE_ACCOUNT,
  tenant: 'namespace',
  withoutSubject: Breadth.BROAD,
  classify(value, like) {
    if (!value.startsWith('system:serviceaccount:')) {
      return like && WILD.test(value)
        ? { breadth: Breadth.BROAD, why: 'the subject matches service accounts of any namespace', fix: 'give system:serviceaccount:NAMESPACE:NAME' }
        : { breadth: Breadth.NARROW };
    }
    if (!like) return { breadth: Breadth.NARROW };
    const rest = value.slice('system:serviceaccount:'.length);
    const colon = rest.indexOf(':');
    const namespace = colon < 0 ? rest : rest.slice(0, colon);
    if (namespace === '' || WILD.test(namespace)) return { breadth: Breadth.BROAD, why: 'a wildcard in the namespace matches service accounts of other namespaces', fix: 'name the namespace exactly' };
    if (colon < 0 || WILD.test(rest.slice(colon + 1))) {
      return { breadth: Breadth.OWNER_WIDE, why: `every service account of namespace ${namespace}, including ones created later`, fix: 'name the service accounts' };
    }
    return { breadth: Breadth.NARROW };
  },
};

/**
 * A subject whose first claim names the tenant (`organization:ORG:...`): Terraform Cloud,
 * Buildkite. The claims in `workload` (tenant first) name one workload: a wildcard in them
 * reaches every matching workload of the tenant; after them it stays within one workload
 * (a Buildkite commit, a Terraform run phase).
 */
function tenantClaimFamily(tenant: string, workload: string[]): IssuerFamily {
  const claim = workload[0];
  return {
    kind: WayKind.OIDC,
    tenant,
    withoutSubject: Breadth.BROAD,
    classify(value, like) {
      const first = firstClaim(value);
      if (!first || first.claim !== claim || (like && WILD.test(first.claim))) {
        return { breadth: Breadth.BROAD, why: `the subject does not start with ${claim}:<${tenant}>, so other ${tenant}s' workloads can match`, fix: `start the subject with ${claim}:<${tenant}>:` };
      }
      if (!like) return { breadth: Breadth.NARROW };
      if (first.value === '' || WILD.test(first.value)) {
        return { breadth: Breadth.BROAD, why: `a wildcard in the ${tenant} matches other ${tenant}s' workloads`, fix: `name the ${tenant} exactly` };
      }
      // The pairs after the tenant, up to the last claim that names the workload.
      const parts = value.split(':');
      for (let i = 1; i < workload.length; i++) {
        const key = parts[2 * i];
        const name = parts[2 * i + 1];
        if (key === workload[i] && name !== undefined && !WILD.test(name)) continue;
        return { breadth: Breadth.OWNER_WIDE, why: `every matching workload of ${tenant} ${first.value}`, fix: `name the ${workload.slice(1).join(' and ')} exactly` };
      }
      return { breadth: Breadth.NARROW };
    },
  };
}

/** The issuer itself names the tenant (CircleCI's organization, Bitbucket's workspace). */
function issuerTenantFamily(tenant: string, narrowPattern: RegExp): IssuerFamily {
  return {
    kind: WayKind.OIDC,
    tenant,
    withoutSubject: Breadth.OWNER_WIDE,
    classify(value, like) {
      if (!like || !WILD.test(value) || narrowPattern.test(value)) return { breadth: Breadth.NARROW };
      return { breadth: Breadth.OWNER_WIDE, why: `every matching workload of the ${tenant} the issuer names`, fix: 'name the workload exactly' };
    },
  };
}

const UNKNOWN_ISSUER: IssuerFamily = {
  kind: WayKind.OIDC,
  tenant: 'tenant',
  withoutSubject: Breadth.BROAD,
  classify(value, like) {
    if (value === '*' || (like && /^[*?]/.test(value))) return { breadth: Breadth.BROAD, why: 'the subject matches every workload of the issuer', fix: 'name the subject' };
    return { breadth: Breadth.NARROW };
  },
};

/** The issuer families, by issuer (host and path). */
const ISSUERS: Array<[RegExp, IssuerFamily]> = [
  [/^token\.actions\.githubusercontent\.com(\/[^/]+)?$/, GITHUB],
  [/^gitlab\.com$/, GITLAB],
  [/^oidc\.eks\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/id\/[A-Za-z0-9]+$|^⟨issuer of EKS cluster /, EKS],
  [/^app\.terraform\.io$/, tenantClaimFamily('organization', ['organization', 'project', 'workspace'])],
  [/^agent\.buildkite\.com$/, tenantClaimFamily('organization', ['organization', 'pipeline'])],
  // CircleCI's issuer names the organization; a pattern after a written-out project stays within the project.
  [/^oidc\.circleci\.com\/org\/[^/*?]+$/, issuerTenantFamily('organization', /^org\/[^*?/]+\/project\/[^*?/]+\//)],
  // Bitbucket's issuer names the workspace; a pattern after a written-out repository uuid stays within the repository.
  [/^api\.bitbucket\.org\/2\.0\/workspaces\/[^/*?]+\/pipelines-config\/identity\/oidc$/, issuerTenantFamily('workspace', /^\{[^{}*?]+\}/)],
];

/** The family of an issuer; for an issuer only known at deploy time, guessed from the subjects' first claim. */
const FAMILY_BY_ISSUER = new Map<string, IssuerFamily | undefined>();

function familyOf(issuer: string | undefined, subjects: string[]): IssuerFamily {
  if (issuer) {
    let known = FAMILY_BY_ISSUER.get(issuer);
    if (known === undefined && !FAMILY_BY_ISSUER.has(issuer)) {
      known = ISSUERS.find(([re]) => re.test(issuer))?.[1];
      if (FAMILY_BY_ISSUER.size < 1000) FAMILY_BY_ISSUER.set(issuer, known);
    }
    if (known) return known;
  }
  const first = subjects[0] ?? '';
  if (first.startsWith('repo:') && (!issuer || isDeployTime(issuer))) return GITHUB;
  if (first.startsWith('project_path:')) return GITLAB;
  if (first.startsWith('system:serviceaccount:')) return EKS;
  return UNKNOWN_ISSUER;
}

/** The breadth of one subject value for an issuer: what construct validation and the nag pack both use. */
export function subjectBreadth(issuer: string | undefined, value: string, like: boolean): { breadth: Breadth; why?: string; fix?: string } {
  const family = familyOf(issuer, [value]);
  let why: string | undefined;
  let fix: string | undefined;
  const breadth = valueBreadth(value, like, (v, l) => {
    const r = family.classify(v, l);
    if (r.why && why === undefined && !isDeployTime(v)) {
      why = r.why;
      fix = r.fix;
    }
    return r.breadth;
  });
  if (breadth === Breadth.UNRESOLVED) return { breadth, why: `part of the subject ${value} is only known at deploy time`, fix: 'check the deployed value' };
  if (breadth === Breadth.NARROW) return { breadth };
  const literal = family.classify(value, like);
  return { breadth, why: why ?? literal.why, fix: fix ?? literal.fix };
}

/** GitHub claims that pin the repository (narrow) or the owner (owner-wide) when used as condition keys. */
const GITHUB_TENANT_CLAIMS: Array<[RegExp, Breadth]> = [
  [/:(repository|repository_id)$/, Breadth.NARROW],
  [/:(repository_owner|repository_owner_id|enterprise_id)$/, Breadth.OWNER_WIDE],
];

function oidcWay(s: ReadStatement, value: string): WayScope {
  const assumes = allowsAction(s, 'sts:AssumeRoleWithWebIdentity');
  const fromArn = /:oidc-provider\/(.+)$/.exec(value)?.[1];
  const builtIn = BUILT_IN[value];
  const keyIssuers = s.conditions.map(c => /^(.+):(sub|aud|amr|azp)$/.exec(c.key)?.[1]).filter((x): x is string => x !== undefined);
  const issuer = builtIn ? value : fromArn ?? keyIssuers[0];
  const reasons: ScopeReason[] = [];
  const pinnedBy: ReadCondition[] = [];
  const issuerLabel = issuer ?? '<issuer>';
  // A key whose issuer part is only known at deploy time may be this issuer's: it can narrow, or never hold.
  const keyOf = (claim: string) => (c: ReadCondition) => (issuer && !isDeployTime(c.key)
    ? c.key.toLowerCase() === `${issuer}:${claim}`.toLowerCase() : new RegExp(`:${claim}$`, 'i').test(c.key));

  // The audience: exact values only (StringLike without a wildcard is exact too).
  const audienceKey = builtIn ? (c: ReadCondition) => c.key.toLowerCase() === builtIn.audience : keyOf('aud');
  const audiences = s.conditions.filter(c => audienceKey(c) && /^String(Equals|EqualsIgnoreCase|Like)$/.test(c.operator) && c.values.length > 0);
  pinnedBy.push(...audiences);
  const audienceFinding = builtIn ? builtIn.audience : `${issuerLabel}:aud`;
  if (audiences.length === 0) {
    const clientIds = s.clientIds[value];
    if (s.opaque.length > 0) {
      reasons.push(reason(ScopeCheck.AUDIENCE, Breadth.UNRESOLVED, s.opaque.map(o => `Unresolved::${o}`).join(','), 'the audience condition is only known at deploy time', 'check the deployed value'));
    } else if (clientIds && clientIds.length > 0 && clientIds.every(id => id !== '' && !WILD.test(id) && !isFreeDeployTime(id))) {
      reasons.push(reason(ScopeCheck.AUDIENCE, Breadth.NARROW, `Missing::${audienceFinding}`,
        `no audience condition: STS checks the token's audience against the provider's client ids (${clientIds.join(', ')}) alone, and a client id added to the provider later widens this role too`,
        `add StringEquals ${audienceFinding}`, true));
    } else {
      reasons.push(reason(ScopeCheck.AUDIENCE, Breadth.BROAD, `Missing::${audienceFinding}`,
        'no audience condition: tokens the issuer mints for any client are accepted', `add StringEquals ${audienceFinding} with the audience the workload requests`));
    }
  } else {
    const b = conditionsBreadth(audiences, (v, like) => (v === '*' || (like && WILD.test(v)) ? Breadth.BROAD : Breadth.NARROW));
    if (b !== Breadth.NARROW) {
      reasons.push(reason(ScopeCheck.AUDIENCE, b, b === Breadth.UNRESOLVED ? `Unresolved::${audienceFinding}` : `Audience::${audiences.flatMap(c => c.values).join(',')}`,
        b === Breadth.UNRESOLVED ? 'the audience is only known at deploy time' : 'the audience is * or a pattern: tokens minted for other clients are accepted',
        'give the exact audience the workload requests, e.g. sts.amazonaws.com'));
    }
  }
  if (builtIn) return way(WayKind.OIDC, value, assumes, reasons, pinnedBy, { issuer: value, subjects: [] });

  // The subject: blocks under two operators must both match (AND).
  const subBlocks = s.conditions.filter(c => keyOf('sub')(c) && /^(String(Equals|EqualsIgnoreCase|Like)|ForAnyValue:String(Equals|Like))$/.test(c.operator) && c.values.length > 0);
  const subjectValues = subBlocks.flatMap(c => c.values);
  const family = familyOf(issuer, subjectValues);
  const subjects: SubjectEntry[] = [];
  let subjectBreadthAll: Breadth | undefined;
  let deciding: ScopeReason[] = [];
  for (const block of subBlocks) {
    const like = isLikeOperator(block.operator);
    let widestInBlock = Breadth.NARROW;
    const blockReasons: ScopeReason[] = [];
    for (const v of block.values) {
      const r = subjectBreadth(issuer, v, like);
      const entryReason = r.breadth === Breadth.NARROW ? undefined
        : reason(ScopeCheck.SUBJECT, r.breadth, r.breadth === Breadth.UNRESOLVED ? `Unresolved::${block.key}` : `Subject::${v}`,
          r.breadth === Breadth.UNRESOLVED ? r.why! : `the subject ${v}: ${r.why ?? 'reaches further than one workload'}`, r.fix ?? 'name the workload exactly');
      subjects.push({ key: block.key, value: v, like, breadth: r.breadth, ...(entryReason ? { reason: entryReason } : {}) });
      if (r.breadth > widestInBlock) {
        widestInBlock = r.breadth;
        blockReasons.length = 0;
      }
      if (entryReason && r.breadth === widestInBlock) blockReasons.push(entryReason);
    }
    if (subjectBreadthAll === undefined || widestInBlock < subjectBreadthAll) {
      subjectBreadthAll = widestInBlock;
      deciding = blockReasons;
    }
  }
  pinnedBy.push(...subBlocks);
  if (subjectBreadthAll === undefined) {
    if (s.opaque.length > 0) {
      deciding = [reason(ScopeCheck.SUBJECT, Breadth.UNRESOLVED, s.opaque.map(o => `Unresolved::${o}`).join(','), 'the subject condition is only known at deploy time', 'check the deployed value')];
      subjectBreadthAll = Breadth.UNRESOLVED;
    } else {
      subjectBreadthAll = family.withoutSubject;
      if (subjectBreadthAll !== Breadth.NARROW) {
        deciding = [reason(ScopeCheck.SUBJECT, subjectBreadthAll, `Missing::${issuerLabel}:sub`,
          family.subjectRequiredByIam ? 'no subject condition; IAM refuses such a GitHub trust' : `no subject condition: every workload ${subjectBreadthAll === Breadth.OWNER_WIDE ? `of the ${family.tenant} the issuer names` : 'of the issuer'} gets in`,
          `add a ${issuerLabel}:sub condition naming the workload`)];
      }
    }
  }
  // Other claims can pin the tenant where the subject does not (GitHub's repository and owner claims).
  if (family === GITHUB && subjectBreadthAll > Breadth.NARROW && subjectBreadthAll !== Breadth.INVALID) {
    for (const [re, b] of GITHUB_TENANT_CLAIMS) {
      const cs = s.conditions.filter(c => re.test(c.key) && (!issuer || c.key.toLowerCase().startsWith(issuer.toLowerCase() + ':')) && isNarrowingOperator(c.operator) && !/^For/.test(c.operator) && c.values.length > 0);
      if (cs.length === 0) continue;
      const claimBreadth = Math.max(b, conditionsBreadth(cs, (v, like) => (like && WILD.test(v) ? Breadth.BROAD : Breadth.NARROW)));
      if (claimBreadth < subjectBreadthAll) {
        pinnedBy.push(...cs);
        subjectBreadthAll = claimBreadth;
        deciding = claimBreadth === Breadth.NARROW ? [] : [reason(ScopeCheck.SUBJECT, claimBreadth, `Claim::${cs[0].key}`,
          `every repository of the owner the ${cs[0].key.split(':').pop()} claim names`, 'pin the repository with repo:OWNER/REPO')];
      }
    }
  }
  reasons.push(...deciding);
  return way(family.kind, value, assumes, reasons, pinnedBy, { ...(issuer ? { issuer } : {}), subjects });
}
