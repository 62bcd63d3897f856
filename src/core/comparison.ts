/**
 * How a {@link TrustCondition} compares its values. Kept internal: callers choose through
 * the static factories on `TrustCondition`.
 */
export enum Comparison {
  /** StringEquals for exact values, StringLike for values with `*` or `?`. */
  STRING_MATCH = 'STRING_MATCH',
  /** StringEquals only: `*` and `?` are literal characters. */
  STRING_EQUALS = 'STRING_EQUALS',
  /** ArnEquals for exact ARNs, ArnLike for ARNs with `*` or `?`. */
  ARN_MATCH = 'ARN_MATCH',
  /** Bool. */
  BOOL = 'BOOL',
  /** NumericLessThanEquals. */
  NUMERIC_AT_MOST = 'NUMERIC_AT_MOST',
  /** Null = false: the key must be present in the request. */
  PRESENT = 'PRESENT',
  /** ForAnyValue:StringLike, for multi-valued keys only. */
  ANY_VALUE_MATCH = 'ANY_VALUE_MATCH',
}

/**
 * Condition keys that carry several values in one request. `ForAnyValue:` is only
 * meaningful on these; on a single-valued key such as `sub` or `aud` it is a mistake
 * (and `ForAllValues:` is true when the key is absent).
 */
export const MULTI_VALUED_KEYS: ReadonlySet<string> = new Set([
  'cognito-identity.amazonaws.com:amr',
  'aws:TagKeys',
  'aws:CalledVia',
  'aws:PrincipalServiceNamesList',
  'aws:PrincipalOrgPaths',
  'aws:SourceOrgPaths',
  'aws:ResourceOrgPaths',
  'sts:TransitiveTagKeys',
]);

/** True when a string is a wildcard pattern for StringLike / ArnLike. */
export function hasWildcard(value: string): boolean {
  return value.includes('*') || value.includes('?');
}
