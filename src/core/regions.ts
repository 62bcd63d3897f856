import { Stack, Token } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { IConstruct } from 'constructs';

/**
 * The shape of an AWS region code (`eu-west-1`, `us-gov-west-1`, `cn-north-1`,
 * `ap-southeast-5`), without anchors, to build larger patterns from (a Cognito identity
 * pool id is `<region>:<GUID>`).
 */
export const REGION_PATTERN = '[a-z]{2}(?:-[a-z]+)+-\\d+';

const REGION = new RegExp(`^${REGION_PATTERN}$`);

/** True when `value` has the shape of a region code. Tokens are not region codes. */
export function isRegionCode(value: string): boolean {
  return !Token.isUnresolved(value) && REGION.test(value);
}

/**
 * The partition of a concrete region that aws-cdk-lib knows (`aws`, `aws-cn`,
 * `aws-us-gov` ...), or undefined for a token or an unknown region.
 */
export function partitionOfRegion(region: string): string | undefined {
  if (Token.isUnresolved(region)) return undefined;
  return RegionInfo.get(region).partition || undefined;
}

/** The partition of `scope`'s stack when its region is concrete and known, else undefined. */
export function knownPartitionOf(scope: IConstruct): string | undefined {
  return partitionOfRegion(Stack.of(scope).region);
}

/** Region code prefixes of the partitions other than `aws`, most specific first. */
const PARTITION_PREFIXES: Array<[RegExp, string]> = [
  [/^cn-/, 'aws-cn'], [/^us-gov-/, 'aws-us-gov'], [/^us-isob-/, 'aws-iso-b'], [/^us-isof-/, 'aws-iso-f'],
  [/^us-iso-/, 'aws-iso'], [/^eu-isoe-/, 'aws-iso-e'], [/^eusc-/, 'aws-eusc'],
];

/**
 * The partition of `scope`'s stack from the shape of its region code alone, without
 * loading aws-cdk-lib's region table: for checks that run once per role. Undefined for a
 * token or a region code of no known shape.
 */
export function partitionFromRegionCode(scope: IConstruct): string | undefined {
  const region = Stack.of(scope).region;
  if (Token.isUnresolved(region) || !REGION.test(region)) return undefined;
  for (const [prefix, partition] of PARTITION_PREFIXES) if (prefix.test(region)) return partition;
  return /^(af|ap|ca|eu|il|me|mx|sa|us)-/.test(region) ? 'aws' : undefined;
}

/** Per stack: a stack's account and region are fixed when it is created. */
const SCOPE_CONTEXTS = new WeakMap<Stack, { account?: string; partition?: string }>();

/** The stack's account and partition, where synthesis knows them: what the trust scope reads a statement against. */
export function scopeContextOf(scope: IConstruct): { account?: string; partition?: string } {
  const stack = Stack.of(scope);
  let ctx = SCOPE_CONTEXTS.get(stack);
  if (!ctx) {
    const account = stack.account;
    const partition = partitionFromRegionCode(stack);
    ctx = {
      ...(Token.isUnresolved(account) ? {} : { account }),
      ...(partition ? { partition } : {}),
    };
    SCOPE_CONTEXTS.set(stack, ctx);
  }
  return ctx;
}
