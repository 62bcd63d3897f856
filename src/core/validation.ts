import { Duration, Token } from 'aws-cdk-lib';
import { ErrorSite, fail } from './errors';

/**
 * Input validators shared by every pattern. Each one skips values that are unresolved
 * tokens (they are only known at deploy time) and throws the house error otherwise.
 */

const ACCOUNT_ID = /^\d{12}$/;
/** Partitions: aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-eusc, ... */
const ARN = /^arn:(aws(?:-[a-z]+)*):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|aws|):(.+)$/;
/** IAM names: role, policy, user, group, instance profile. */
const IAM_NAME = /^[\w+=,.@-]+$/;
const IAM_PATH = /^(\/|\/[\u0021-\u007E]+\/)$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]+$/;

/** True when the value (or any element) is only known at deploy time. */
export function isUnresolved(value: unknown): boolean {
  return Token.isUnresolved(value);
}

/** Quotes a value for an error message, shortening long ones. */
export function quote(value: string): string {
  const shown = value.length > 80 ? `${value.slice(0, 77)}...` : value;
  return `'${shown}'`;
}

/** A 12-digit AWS account id. */
export function validateAccountId(site: ErrorSite, prop: string, value: string): void {
  if (isUnresolved(value)) return;
  if (!ACCOUNT_ID.test(value)) {
    fail(site, prop, `${quote(value)} is not a 12-digit AWS account id`,
      'pass the account id as a string of 12 digits, e.g. \'111122223333\' (keep leading zeros)');
  }
}

/** The parts of an ARN. */
export interface ArnParts {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

/** Parses an ARN, or returns undefined when it does not have the ARN shape. */
export function parseArn(value: string): ArnParts | undefined {
  const m = ARN.exec(value);
  if (!m) return undefined;
  return { partition: m[1], service: m[2], region: m[3], account: m[4], resource: m[5] };
}

/** Options for {@link validateArn}. */
export interface ArnExpectation {
  /** The service the ARN must belong to, e.g. `iam`. */
  readonly service?: string;
  /** A pattern the resource part must match, e.g. /^role\/.+/. */
  readonly resource?: RegExp;
  /** What the ARN should look like, shown in the fix. */
  readonly example: string;
  /** Whether the account field must hold a 12-digit account id. @default true */
  readonly requireAccount?: boolean;
}

/** An ARN of the expected service and resource type; returns its parts when resolved. */
export function validateArn(site: ErrorSite, prop: string, value: string, expect: ArnExpectation): ArnParts | undefined {
  if (isUnresolved(value)) return undefined;
  const parts = parseArn(value);
  const requireAccount = expect.requireAccount ?? true;
  const ok = parts
    && (expect.service === undefined || parts.service === expect.service)
    && (expect.resource === undefined || expect.resource.test(parts.resource))
    && (!requireAccount || ACCOUNT_ID.test(parts.account));
  if (!ok) {
    fail(site, prop, `${quote(value)} is not a valid ${expect.service ?? 'AWS'} ARN of the expected kind`,
      `pass an ARN such as '${expect.example}'`);
  }
  return parts;
}

/** An IAM role ARN (`arn:<partition>:iam::<account>:role[/path]/name`). */
export function validateRoleArn(site: ErrorSite, prop: string, value: string): ArnParts | undefined {
  const parts = validateArn(site, prop, value, {
    service: 'iam',
    resource: /^role\/(?:[\u0021-\u007E]+\/)?[\w+=,.@-]{1,64}$/,
    example: 'arn:aws:iam::111122223333:role/deploy',
  });
  if (parts && parts.region !== '') {
    fail(site, prop, `${quote(value)} has a region, but IAM ARNs are global`, 'leave the region field empty: arn:aws:iam::111122223333:role/name');
  }
  return parts;
}

/** A string whose length lies in [min, max]. */
export function validateLength(site: ErrorSite, prop: string, value: string, min: number, max: number): void {
  if (isUnresolved(value)) return;
  if (value.length < min || value.length > max) {
    fail(site, prop, `${quote(value)} is ${value.length} characters long, outside ${min}-${max}`,
      `use ${min === max ? `exactly ${min}` : `between ${min} and ${max}`} characters`);
  }
}

/** A string matching a pattern. */
export function validatePattern(site: ErrorSite, prop: string, value: string, pattern: RegExp, allowed: string): void {
  if (isUnresolved(value)) return;
  if (!pattern.test(value)) {
    fail(site, prop, `${quote(value)} contains characters outside ${allowed}`, `use only ${allowed}`);
  }
}

/** An IAM name (role, policy, user): 1-`max` characters of `[\w+=,.@-]`. */
export function validateIamName(site: ErrorSite, prop: string, value: string, max: number = 64): void {
  validateLength(site, prop, value, 1, max);
  validatePattern(site, prop, value, IAM_NAME, 'letters, digits and + = , . @ _ -');
}

/** An IAM path: `/` or `/a/b/`, 1-512 printable ASCII characters. */
export function validateIamPath(site: ErrorSite, prop: string, value: string): void {
  if (isUnresolved(value)) return;
  if (value.length > 512 || !IAM_PATH.test(value)) {
    fail(site, prop, `${quote(value)} is not an IAM path`,
      'use \'/\' or a path that starts and ends with \'/\', e.g. \'/deploy/\', at most 512 characters');
  }
}

/** An `sts:ExternalId`: 2-1,224 characters of `[\w+=,.@:/-]`. */
export function validateExternalId(site: ErrorSite, prop: string, value: string): void {
  if (isUnresolved(value)) return;
  if (value.length < 2 || value.length > 1224) {
    fail(site, prop, `the external id ${quote(value)} is ${value.length} characters long, outside 2-1,224`,
      'use the external id your vendor generated for this account');
  }
  validatePattern(site, prop, value, EXTERNAL_ID, 'letters, digits and + = , . @ : / _ -');
}

/** A list that must hold at least one element. */
export function validateNotEmpty<T>(site: ErrorSite, prop: string, values: readonly T[] | undefined, fix: string): void {
  if (values === undefined || isUnresolved(values)) return;
  if (values.length === 0) {
    fail(site, prop, 'the list is empty', fix);
  }
}

/** Returns the elements that occur more than once (resolved values only). */
export function duplicatesOf(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const v of values) {
    if (isUnresolved(v)) continue;
    if (seen.has(v)) dup.add(v);
    seen.add(v);
  }
  return [...dup];
}

/** A list without repeated values. */
export function validateNoDuplicates(site: ErrorSite, prop: string, values: readonly string[]): void {
  const dup = duplicatesOf(values);
  if (dup.length > 0) {
    fail(site, prop, `${dup.map(quote).join(', ')} ${dup.length === 1 ? 'is' : 'are'} listed more than once`, 'list each value once');
  }
}

/** A duration within [min, max] (whole seconds). */
export function validateDuration(site: ErrorSite, prop: string, value: Duration, min: Duration, max: Duration): void {
  if (isUnresolved(value.toSeconds())) return;
  const s = value.toSeconds();
  if (s < min.toSeconds() || s > max.toSeconds()) {
    fail(site, prop, `${value.toHumanString()} is outside ${min.toHumanString()} to ${max.toHumanString()}`,
      `choose a duration between ${min.toHumanString()} and ${max.toHumanString()}`);
  }
}

/**
 * An ISO-8601 duration string (e.g. `PT1H`, `PT8H30M`) within [min, max]; returns seconds.
 * Uses `Duration.parse` from aws-cdk-lib, which accepts the `PnDTnHnMnS` forms CloudFormation uses.
 */
export function validateIsoDuration(site: ErrorSite, prop: string, value: string, min: Duration, max: Duration): number | undefined {
  if (isUnresolved(value)) return undefined;
  let parsed: Duration;
  try {
    parsed = Duration.parse(value);
  } catch {
    return fail(site, prop, `${quote(value)} is not an ISO-8601 duration`, 'write it like \'PT1H\' or \'PT8H30M\'');
  }
  validateDuration(site, prop, parsed, min, max);
  return parsed.toSeconds();
}
