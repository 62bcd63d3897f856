/** Operators, values and actions (part of the one definition of a narrow trust: see `index.ts`). */
import { Breadth } from './model';
import { ReadCondition, ReadStatement, isDeployTime, isFreeDeployTime } from '../trust-reader';


export const CONDITION_OPERATOR = new RegExp('^(?:(?:ForAnyValue|ForAllValues):)?(?:'
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
export function isLikeOperator(operator: string): boolean {
  return /Like(IfExists)?$/.test(operator);
}

/** Whether a value is a pattern under `operator` (a `*` or `?` outside deploy-time markers). */
export function isPattern(operator: string, value: string): boolean {
  return isLikeOperator(operator) && /[*?]/.test(value.replace(/⟨[^⟩]*⟩/g, ''));
}

/** The narrowing conditions of a statement on a key (case-insensitive). */
export function narrowing(s: ReadStatement, key: string | RegExp): ReadCondition[] {
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
export function conditionsBreadth(cs: ReadCondition[], classify: (value: string, like: boolean) => Breadth): Breadth {
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
export function valueBreadth(value: string, like: boolean, classify: (value: string, like: boolean) => Breadth): Breadth {
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

export const ACCOUNT = /^\d{12}$/;
