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
