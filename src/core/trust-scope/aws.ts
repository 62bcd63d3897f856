/** AWS principals: accounts, roles, organizations, any principal (part of the one definition of a narrow trust: see `index.ts`). */
import { ACCOUNT, allowsAction, conditionsBreadth, narrowing } from './conditions';
import { Breadth, ScopeCheck, ScopeContext, ScopeReason, WayKind, WayScope, reason, way } from './model';
import { ReadCondition, ReadStatement, isFreeDeployTime } from '../trust-reader';


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

export function awsWay(s: ReadStatement, value: string, ctx: ScopeContext): WayScope {
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
