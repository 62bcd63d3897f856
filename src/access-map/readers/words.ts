/** What every reader of a way in shares: the way in as the map shows it, and conditions in plain words. */
import { Duration } from 'aws-cdk-lib';
import { ReadCondition as Condition, ReadStatement as Statement } from '../../core/trust-reader';
import { Breadth, ScopeReason, StatementScope, WayScope, isPattern } from '../../core/trust-scope';
import { AccessMapKind } from '../../core/trust-scope/kind';
import { Evaluator, isUnresolved } from '../evaluate';
import { AccessMapWayIn } from '../model';

/** One way in of a statement, with what a reader needs to say it in words. */
export interface WayRead {
  readonly ev: Evaluator;
  /** The logical id of the role. */
  readonly roleId: string;
  readonly s: Statement;
  /** What the statement lets in, by the one definition of a narrow trust. */
  readonly scope: StatementScope;
  readonly w: WayScope;
  /** Why the way in is broad, if it is. */
  readonly broad?: string;
}

/** Says one way in in words: one line, or one per subject or association. */
export type WayReader = (r: WayRead) => AccessMapWayIn[];

/**
 * Why a way in is broad, from the one definition of a narrow trust: its reasons that widen
 * it to owner-wide or beyond, and the problems of its statement. `only` keeps some reasons.
 */
export function broadOf(reasons: ScopeReason[], scope: StatementScope, only: (r: ScopeReason) => boolean = () => true): string | undefined {
  const texts = [...reasons, ...scope.problems].filter(r => !r.advisory && r.breadth >= Breadth.OWNER_WIDE && only(r)).map(r => r.text);
  return texts.length > 0 ? [...new Set(texts)].join('; ') : undefined;
}

export function kindOf(w: WayScope): AccessMapKind {
  return w.kind;
}

export function way(kind: AccessMapKind, who: string, s: Statement, consumed: Set<Condition>, broad?: string): AccessMapWayIn {
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

export function find(s: Statement, key: string | RegExp, operator?: RegExp): Condition[] {
  return s.conditions.filter(c => (typeof key === 'string' ? c.key.toLowerCase() === key.toLowerCase() : key.test(c.key))
    && (!operator || operator.test(c.operator)));
}

export const NARROWING = /^(StringEquals|StringLike|ArnEquals|ArnLike|StringEqualsIgnoreCase)$/;

/** Whether a condition under a `...Like` operator has a `*` or `?` in a value. */
export function hasWildcard(cs: Condition[]): boolean {
  return cs.some(c => c.values.some(v => isPattern(c.operator, v)));
}

/** `o-1 or o-2`, or `like o-*` when a value is a pattern. */
export function valuesText(cs: Condition[]): string {
  return `${hasWildcard(cs) ? 'like ' : ''}${cs.flatMap(c => c.values).join(' or ')}`;
}

/** `111122223333 (this account)` for the stack's own account. */
export function ownAccount(ev: Evaluator, account: string): string {
  return account === ev.loaded.account ? `${account} (this account)` : account;
}

/** Whether `value` is `Ref` or `Fn::GetAtt` of the resource. */
export function refersTo(value: any, logicalId: string): boolean {
  return value?.Ref === logicalId || (Array.isArray(value?.['Fn::GetAtt']) && value['Fn::GetAtt'][0] === logicalId);
}

/** `⟨Orders, named at deploy⟩` reads as `Orders (named at deploy)` inside a sentence. */
export function bare(value: string): string {
  const m = /^⟨(.+), named at deploy⟩$/.exec(value);
  return m ? `⟨${m[1]}⟩ (named at deploy)` : value;
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

export function principalList(principals: Record<string, string[]>): string {
  return Object.entries(principals).map(([type, values]) => `${type} ${values.join(', ')}`).join('; ');
}

/** `3600` reads `1 hour`, `900` reads `15 minutes` (aws-cdk-lib's own wording); a non-number, as is. */
export function duration(seconds: number | string): string {
  const n = Number(seconds);
  return Number.isFinite(n) && n >= 0 ? Duration.seconds(n).toHumanString() : String(seconds);
}
