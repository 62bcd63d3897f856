import { Comparison } from './comparison';

/**
 * One typed condition of a trust policy statement.
 *
 * The factories pick the IAM condition operator so callers never write one by hand:
 * exact values become `StringEquals` and values with `*` or `?` become `StringLike`
 * (one statement per operator, since IAM ANDs operators), audiences always use
 * `StringEquals`, and `ForAnyValue:` is allowed only on keys that really carry several
 * values.
 *
 * @example
 * TrustCondition.stringMatches('token.actions.githubusercontent.com:sub', ['repo:acme/api:ref:refs/heads/main'])
 */
export abstract class TrustCondition {
  /**
   * The key equals one of the values, or matches it as a wildcard pattern where the
   * value contains `*` or `?`.
   *
   * Values that are unresolved tokens are compared exactly.
   */
  public static stringMatches(key: string, values: string[]): TrustCondition {
    return new TypedCondition(key, values, Comparison.STRING_MATCH);
  }

  /**
   * The key equals one of the values exactly (`StringEquals`); `*` and `?` are literal.
   *
   * Use it for audiences, external ids, account and organization ids.
   */
  public static stringEquals(key: string, values: string[]): TrustCondition {
    return new TypedCondition(key, values, Comparison.STRING_EQUALS);
  }

  /**
   * The key is one of the ARNs (`ArnEquals`), or matches it as a pattern where the
   * ARN contains `*` or `?` (`ArnLike`).
   */
  public static arnMatches(key: string, arns: string[]): TrustCondition {
    return new TypedCondition(key, arns, Comparison.ARN_MATCH);
  }

  /** The boolean key has this value (`Bool`). */
  public static bool(key: string, value: boolean): TrustCondition {
    return new TypedCondition(key, [value ? 'true' : 'false'], Comparison.BOOL);
  }

  /** The numeric key is at most `value` (`NumericLessThanEquals`). */
  public static numericAtMost(key: string, value: number): TrustCondition {
    return new TypedCondition(key, [String(value)], Comparison.NUMERIC_AT_MOST);
  }

  /** The key is present in the request (`Null: false`). */
  public static isPresent(key: string): TrustCondition {
    return new TypedCondition(key, ['false'], Comparison.PRESENT);
  }

  /**
   * At least one of the values of a multi-valued key matches one of the patterns
   * (`ForAnyValue:StringLike`).
   *
   * Only keys that carry several values are accepted (for example
   * `cognito-identity.amazonaws.com:amr`); the trust policy refuses it on any other key.
   */
  public static anyValueMatches(key: string, values: string[]): TrustCondition {
    return new TypedCondition(key, values, Comparison.ANY_VALUE_MATCH);
  }

  /** The condition key, e.g. `sts:ExternalId`. */
  public abstract readonly key: string;

  /** The values, as strings. */
  public abstract readonly values: string[];

  /** @internal */
  public abstract readonly _comparison: Comparison;

  protected constructor() {}
}

/** The one implementation behind the factories. */
class TypedCondition extends TrustCondition {
  public readonly key: string;
  public readonly values: string[];
  /** @internal */
  public readonly _comparison: Comparison;

  constructor(key: string, values: string[], comparison: Comparison) {
    super();
    this.key = key;
    this.values = [...values];
    this._comparison = comparison;
  }
}
