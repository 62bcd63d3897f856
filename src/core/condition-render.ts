/** Rendering typed conditions into IAM condition objects: operator choice and per-key merging (internal). */
import { Comparison } from './comparison';
import { hasLiteralWildcard } from './token-text';
import { TrustCondition } from './trust-condition';

/** An IAM condition object: operator -> key -> values. */
export type ConditionObject = Record<string, Record<string, unknown>>;

/** Short, stable ids for condition operators (used in CfnJson construct ids). */
export function operatorId(operator: string): string {
  return operator.replace(/[^A-Za-z]/g, '');
}

/**
 * Groups conditions by key and comparison, merges their values, and returns the list of
 * condition objects: one per combination of operator alternatives.
 */
export function conditionAlternatives(conditions: TrustCondition[]): ConditionObject[] {
  // A statement has a handful of conditions: a list scanned per condition costs less than a map.
  const groups: Array<{ key: string; comparison: Comparison; values: string[] }> = [];
  for (const c of conditions) {
    let group = groups.find(g => g.key === c.key && g.comparison === c._comparison);
    if (!group) {
      group = { key: c.key, comparison: c._comparison, values: [] };
      groups.push(group);
    }
    for (const v of c.values) {
      if (!group.values.includes(v)) group.values.push(v);
    }
  }

  let results: ConditionObject[] = [{}];
  for (const g of groups) {
    const options = operatorOptions(g.comparison, g.values);
    if (options.length === 1) {
      // One operator: every alternative gets the key (each alternative's blocks are its own).
      const [operator, values] = options[0];
      const value = values.length === 1 ? values[0] : values;
      for (const base of results) (base[operator] ??= {})[g.key] = value;
      continue;
    }
    const next: ConditionObject[] = [];
    for (const base of results) {
      for (const [operator, values] of options) {
        const copy: ConditionObject = {};
        for (const [op, block] of Object.entries(base)) copy[op] = { ...block };
        copy[operator] = { ...(copy[operator] ?? {}), [g.key]: values.length === 1 ? values[0] : values };
        next.push(copy);
      }
    }
    results = next;
  }
  return results;
}

/**
 * The operator(s) a group renders to, with the values each one gets.
 *
 * A value is a pattern when its literal text has `*` or `?`, tokens included:
 * `repo:${repository}:*` matches every ref of the repository the token resolves to, so it
 * renders under `StringLike`; the token's own value is never read as a pattern.
 */
function operatorOptions(comparison: Comparison, values: string[]): Array<[string, unknown[]]> {
  const split = (exactOp: string, likeOp: string): Array<[string, unknown[]]> => {
    const exact: string[] = [];
    const like: string[] = [];
    for (const v of values) (hasLiteralWildcard(v) ? like : exact).push(v);
    if (values.length === 0) return [];
    if (like.length === 0) return [[exactOp, exact]];
    if (exact.length === 0) return [[likeOp, like]];
    return [[exactOp, exact], [likeOp, like]];
  };
  switch (comparison) {
    case Comparison.STRING_MATCH: return split('StringEquals', 'StringLike');
    case Comparison.ARN_MATCH: return split('ArnEquals', 'ArnLike');
    case Comparison.STRING_EQUALS: return [['StringEquals', values]];
    case Comparison.BOOL: return [['Bool', values]];
    case Comparison.NUMERIC_AT_MOST: return [['NumericLessThanEquals', values]];
    case Comparison.PRESENT: return [['Null', values]];
    case Comparison.ANY_VALUE_MATCH: return [['ForAnyValue:StringLike', values]];
  }
}
