/**
 * IAM condition operators, evaluated against a request's context the way IAM documents
 * them (IAM User Guide, "IAM JSON policy elements: Condition operators" and "Single-valued
 * vs. multivalued context keys"). Three outcomes: `true`, `false`, and `undefined` when a
 * policy value holds a part only known at deploy time (`⟨...⟩`) that decides it.
 */
import { ReadCondition } from '../../core/trust-reader';
import { CONDITION_OPERATOR } from '../../core/trust-scope/conditions';

/** True, false, or undecided (a deploy-time value decides). */
export type Tri = boolean | undefined;

/** A request context: keys in lower case, one value or a list. */
export type Context = ReadonlyMap<string, string | string[]>;

/** The context of a request, keys in lower case (IAM compares condition keys case-insensitively). */
export function contextOf(values: Record<string, string | string[]>): Map<string, string | string[]> {
  return new Map(Object.entries(values).map(([k, v]) => [k.toLowerCase(), v]));
}

/** A context value the caller may choose freely: every condition on it can be met. */
export const CALLER_CHOOSES = '⟨chosen by the caller⟩';

/** Keys whose values the caller of `AssumeRole` passes itself (ExternalId, session name, source identity, session tags). */
const CALLER_KEYS = /^(sts:externalid|sts:rolesessionname|sts:sourceidentity|sts:transitivetagkeys|aws:requesttag\/.+|aws:tagkeys)$/;

/**
 * The context of a role that assumes another with a request of its own making: the keys it
 * passes itself hold whatever the trust wants, the others are absent.
 */
export class CallerContext extends Map<string, string | string[]> {
  public get(key: string): string | string[] | undefined {
    return super.get(key) ?? (CALLER_KEYS.test(key) ? CALLER_CHOOSES : undefined);
  }
}

export function and(values: Tri[]): Tri {
  if (values.some(v => v === false)) return false;
  return values.every(v => v === true) ? true : undefined;
}

export function or(values: Tri[]): Tri {
  if (values.some(v => v === true)) return true;
  return values.every(v => v === false) ? false : undefined;
}

export function not(value: Tri): Tri {
  return value === undefined ? undefined : !value;
}

/** The outcome of one condition, with the request's value for the explanation. */
export interface ConditionOutcome {
  readonly result: Tri;
  /** The request's value of the key, or undefined when the request does not carry it. */
  readonly actual?: string | string[];
  /** Why it cannot be decided or is malformed, in words. */
  readonly note?: string;
}

const MARKER = /⟨[^⟩]*⟩/g;

/**
 * Evaluates one condition. `Null` tests presence; `...IfExists` is true when the key is
 * absent; negated operators are true when the key is absent; a single-valued operator on a
 * list value is false (a set operator is needed); `ForAnyValue` is false and `ForAllValues`
 * true when the key is absent.
 */
export function evaluateCondition(c: ReadCondition, context: Context): ConditionOutcome {
  const outcome = evaluate(c, context);
  // A value chosen by a condition may be AWS::NoValue, which removes the key from the block.
  if (outcome.result === false && c.values.some(v => /^⟨value chosen by condition[^⟩]*⟩$/.test(v))) {
    return { ...outcome, result: undefined, note: 'a value chosen at deploy time may remove the condition' };
  }
  return outcome;
}

function evaluate(c: ReadCondition, context: Context): ConditionOutcome {
  const actual = context.get(c.key.toLowerCase());
  if (actual === CALLER_CHOOSES) return { result: true, actual, note: 'the caller passes the value the trust wants' };
  if (!CONDITION_OPERATOR.test(c.operator)) {
    return { result: false, actual, note: `IAM does not know the operator ${c.operator}: it refuses the policy, and the statement lets nobody in` };
  }
  if (c.key.includes('⟨')) return { result: undefined, actual, note: 'the condition key is only known at deploy time' };
  if (c.operator === 'Null') {
    const goal = actual === undefined ? 'true' : 'false';
    return { result: or(c.values.map(v => matchMarked(v, goal, { ignoreCase: true }))), actual };
  }
  const set = /^(ForAnyValue|ForAllValues):(.+)$/.exec(c.operator);
  const base = set ? set[2] : c.operator;
  const ifExists = base.endsWith('IfExists');
  const op = base.replace(/IfExists$/, '');
  const negated = /Not(Equals|Like)|^NotIpAddress/.test(op);
  const positive = op.replace(/Not(Equals|Like)/, '$1').replace(/^NotIpAddress$/, 'IpAddress');
  /** Whether one request value matches any policy value under the positive operator. */
  const one = (v: string): Tri => or(c.values.map(p => compare(positive, p, v, context)));
  const perValue = (v: string): Tri => (negated ? not(one(v)) : one(v));
  if (set) {
    if (actual === undefined) return { result: set[1] === 'ForAllValues', actual };
    const values = Array.isArray(actual) ? actual : [actual];
    return { result: set[1] === 'ForAnyValue' ? or(values.map(perValue)) : and(values.map(perValue)), actual };
  }
  if (actual === undefined) return { result: ifExists || negated, actual };
  if (Array.isArray(actual)) {
    return { result: false, actual, note: 'the request carries several values: only a ForAnyValue / ForAllValues operator compares them' };
  }
  return { result: perValue(actual), actual };
}

/** Whether `actual` matches the policy value `p` under a positive operator. */
function compare(op: string, p: string, actual: string, context: Context): Tri {
  switch (op) {
    case 'StringEquals': return matchMarked(substitute(p, context), actual, {});
    case 'StringEqualsIgnoreCase': return matchMarked(substitute(p, context), actual, { ignoreCase: true });
    case 'StringLike': return matchMarked(substitute(p, context), actual, { like: true });
    case 'ArnEquals':
    case 'ArnLike': return arnMatch(substitute(p, context), actual);
    case 'Bool': return matchMarked(p, actual, { ignoreCase: true });
    case 'BinaryEquals': return matchMarked(p, actual, {});
    case 'NumericEquals': return numeric(p, actual, (a, b) => a === b);
    case 'NumericLessThan': return numeric(p, actual, (a, b) => a < b);
    case 'NumericLessThanEquals': return numeric(p, actual, (a, b) => a <= b);
    case 'NumericGreaterThan': return numeric(p, actual, (a, b) => a > b);
    case 'NumericGreaterThanEquals': return numeric(p, actual, (a, b) => a >= b);
    case 'DateEquals': return date(p, actual, (a, b) => a === b);
    case 'DateLessThan': return date(p, actual, (a, b) => a < b);
    case 'DateLessThanEquals': return date(p, actual, (a, b) => a <= b);
    case 'DateGreaterThan': return date(p, actual, (a, b) => a > b);
    case 'DateGreaterThanEquals': return date(p, actual, (a, b) => a >= b);
    case 'IpAddress': return ipMatch(p, actual);
    default: return undefined;
  }
}

/**
 * Policy variables (`${aws:username}`, `${key, 'default'}`) replaced by the request's
 * values; `${*}`, `${?}`, `${$}` stand for the characters. A variable the request does not
 * carry, without a default, leaves a value nothing matches.
 */
function substitute(value: string, context: Context): string {
  return value.replace(/\$\{([^}]*)\}/g, (_, inner: string) => {
    if (inner === '*' || inner === '?' || inner === '$') return `\u0000${inner}`;
    const [name, fallback] = inner.split(/,\s*/);
    const v = context.get(name.trim().toLowerCase());
    if (typeof v === 'string') return v.replace(/[*?]/g, c => `\u0000${c}`);
    const d = fallback !== undefined ? /^'(.*)'$/.exec(fallback.trim()) : null;
    return d ? d[1] : '\u0001';
  });
}

/**
 * Whether `actual` matches the policy value: exactly, or as a pattern (`like`). A deploy-time
 * marker in the policy value may stand for anything: if the value cannot match even so, the
 * answer is false; if it could, undecided.
 */
export function matchMarked(policy: string, actual: string, o: { like?: boolean; ignoreCase?: boolean }): Tri {
  const marked = MARKER.test(policy);
  MARKER.lastIndex = 0;
  const parts = policy.split(MARKER);
  const source = parts.map(part => [...part].map((ch, i) => {
    if (ch === '\u0000') return '';
    const escaped = i > 0 && part[i - 1] === '\u0000';
    if (o.like && !escaped && ch === '*') return '.*';
    if (o.like && !escaped && ch === '?') return '.';
    return ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }).join('')).join('.*');
  const matches = new RegExp(`^${source}$`, `s${o.ignoreCase ? 'i' : ''}`).test(actual);
  if (!matches) return false;
  return marked ? undefined : true;
}

/** ARNs compared component by component (the six `:`-separated parts), each a pattern. */
function arnMatch(policy: string, actual: string): Tri {
  const p = splitArn(policy);
  const a = splitArn(actual);
  if (!p || !a) return matchMarked(policy, actual, { like: true });
  return and(p.map((part, i) => matchMarked(part, a[i], { like: true })));
}

function splitArn(arn: string): string[] | undefined {
  // Markers may hold ':' themselves: split outside them.
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of arn) {
    if (ch === '⟨') depth++;
    if (ch === '⟩') depth--;
    if (ch === ':' && depth === 0 && parts.length < 5) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts.length === 6 && parts[0] === 'arn' ? parts : undefined;
}

function numeric(policy: string, actual: string, test: (a: number, b: number) => boolean): Tri {
  if (policy.includes('⟨')) return undefined;
  const a = Number(actual);
  const b = Number(policy);
  return Number.isFinite(a) && Number.isFinite(b) ? test(a, b) : false;
}

/** Dates as ISO 8601 or epoch seconds. */
function date(policy: string, actual: string, test: (a: number, b: number) => boolean): Tri {
  if (policy.includes('⟨')) return undefined;
  const read = (v: string) => (/^\d+$/.test(v) ? Number(v) * 1000 : Date.parse(v));
  const a = read(actual);
  const b = read(policy);
  return Number.isFinite(a) && Number.isFinite(b) ? test(a, b) : false;
}

/** IPv4 addresses against a CIDR block; IPv6 is left undecided. */
function ipMatch(policy: string, actual: string): Tri {
  const cidr = /^(\d+\.\d+\.\d+\.\d+)(?:\/(\d+))?$/.exec(policy);
  const ip = /^\d+\.\d+\.\d+\.\d+$/.test(actual) ? actual : undefined;
  if (!cidr || !ip) return undefined;
  const toInt = (v: string) => v.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  const bits = Number(cidr[2] ?? 32);
  const masked = (n: number) => Math.floor(n / 2 ** (32 - bits));
  return masked(toInt(ip)) === masked(toInt(cidr[1]));
}
