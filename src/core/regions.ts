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
 * The regions aws-cdk-lib's region table knows, by partition, and each partition's SAML
 * sign-in endpoint: read here rather than from `RegionInfo`, whose first use loads
 * aws-cdk-lib's whole fact table (about 55 ms and 20 MB of memory in every synthesis that
 * touches it). `test/core/regions.test.ts` holds them against `RegionInfo` for every region
 * it knows; a region missing here (one newer than this table) is read from `RegionInfo`.
 */
const REGIONS_BY_PARTITION: Record<string, readonly string[]> = {
  'aws': [
    'af-south-1', 'ap-east-1', 'ap-east-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1', 'ap-south-2',
    'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7',
    'ca-central-1', 'ca-west-1', 'eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2', 'eu-west-1', 'eu-west-2',
    'eu-west-3', 'il-central-1', 'me-central-1', 'me-south-1', 'me-west-1', 'mx-central-1', 'sa-east-1', 'us-east-1', 'us-east-2',
    'us-west-1', 'us-west-2',
  ],
  'aws-cn': ['cn-north-1', 'cn-northwest-1'],
  'aws-us-gov': ['us-gov-east-1', 'us-gov-west-1'],
  'aws-iso': ['us-iso-east-1', 'us-iso-west-1'],
  'aws-iso-b': ['us-isob-east-1', 'us-isob-west-1'],
  'aws-iso-e': ['eu-isoe-west-1'],
  'aws-iso-f': ['us-isof-east-1', 'us-isof-south-1'],
  'aws-eusc': ['eusc-de-east-1'],
};

/** The SAML sign-in endpoint of each partition that has one (see {@link REGIONS_BY_PARTITION}). */
const SAML_SIGN_ON_URLS: Record<string, string> = {
  'aws': 'https://signin.aws.amazon.com/saml',
  'aws-cn': 'https://signin.amazonaws.cn/saml',
  'aws-us-gov': 'https://signin.amazonaws-us-gov.com/saml',
  'aws-iso': 'https://signin.c2shome.ic.gov/saml',
  'aws-iso-b': 'https://signin.sc2shome.sgov.gov/saml',
};

const PARTITION_OF_REGION = new Map<string, string>(
  Object.entries(REGIONS_BY_PARTITION).flatMap(([partition, regions]) => regions.map(r => [r, partition] as [string, string])));

/** The regions of {@link REGIONS_BY_PARTITION}, for the test that holds them against aws-cdk-lib. */
export const TABULATED_REGIONS: readonly string[] = [...PARTITION_OF_REGION.keys()];

/** The longest region name aws-cdk-lib's region table knows (`us-isof-south-1`). */
export const LONGEST_REGION_LENGTH = 15;

/**
 * The partition of a concrete region that aws-cdk-lib knows (`aws`, `aws-cn`,
 * `aws-us-gov` ...), or undefined for a token or an unknown region.
 */
export function partitionOfRegion(region: string): string | undefined {
  if (Token.isUnresolved(region)) return undefined;
  const tabulated = PARTITION_OF_REGION.get(region);
  if (tabulated !== undefined) return tabulated;
  return RegionInfo.get(region).partition || undefined;
}

/**
 * The non-regional SAML sign-in endpoint (`https://signin.aws.amazon.com/saml`) of a
 * concrete region that aws-cdk-lib knows, or undefined where it knows none.
 */
export function samlSignOnUrlOf(region: string): string | undefined {
  const tabulated = PARTITION_OF_REGION.get(region);
  if (tabulated !== undefined) return SAML_SIGN_ON_URLS[tabulated];
  return RegionInfo.get(region).samlSignOnUrl || undefined;
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
