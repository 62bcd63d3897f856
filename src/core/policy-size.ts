/**
 * Measures a policy document the way IAM counts it: minified JSON, no whitespace.
 *
 * At synthesis parts of a policy are CloudFormation intrinsics (the partition, an account
 * id, the ARN of a provider created in the same stack). Those are replaced by values of a
 * typical length, so the result is an estimate whenever intrinsics were present.
 */

/** The measured length of a policy. */
export interface PolicyLength {
  /** Characters of the minified policy. */
  readonly length: number;
  /** Whether some values were estimated because they are only known at deploy time. */
  readonly estimated: boolean;
}

/** Lengths of pseudo parameters (the longest common value). */
const PSEUDO_LENGTHS: Record<string, number> = {
  'AWS::Partition': 'aws-us-gov'.length,
  'AWS::AccountId': 12,
  'AWS::Region': 14,
  'AWS::URLSuffix': 13,
  'AWS::StackName': 24,
  'AWS::StackId': 96,
  'AWS::NotificationARNs': 60,
  'AWS::NoValue': 0,
};
/** A reference to a resource or parameter whose value is unknown. */
const UNKNOWN_REF_LENGTH = 24;
/** An attribute named Arn or ending in Arn. */
const UNKNOWN_ARN_LENGTH = 72;

/**
 * Estimates the minified length of a resolved policy.
 *
 * @param resolved the policy after `Stack.resolve`
 * @param lookupGetAtt returns the concrete value behind a `Fn::GetAtt` when the caller
 *   knows it (e.g. a CfnJson condition block), or undefined
 * @param partition the stack's partition when known (its region is concrete); otherwise the
 *   longest, `aws-us-gov`, is counted, so that the estimate does not fall short
 */
export function estimatePolicyLength(
  resolved: unknown,
  lookupGetAtt: (logicalId: string, attribute: string) => unknown = () => undefined,
  partition?: string,
): PolicyLength {
  let estimated = false;

  const scalar = (value: unknown): string => {
    const v = concrete(value);
    return typeof v === 'string' ? v : JSON.stringify(v);
  };

  const concrete = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(concrete);
    if (value === null || typeof value !== 'object') return value;
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) {
      return intrinsic(keys[0], obj[keys[0]]);
    }
    const out: Record<string, unknown> = {};
    for (const k of keys) out[scalar(k)] = concrete(obj[k]);
    return out;
  };

  const intrinsic = (name: string, arg: unknown): unknown => {
    estimated = true;
    switch (name) {
      case 'Ref': {
        if (arg === 'AWS::Partition' && partition !== undefined) return partition;
        const len = PSEUDO_LENGTHS[String(arg)];
        return 'x'.repeat(len ?? UNKNOWN_REF_LENGTH);
      }
      case 'Fn::Join': {
        const [delimiter, parts] = arg as [string, unknown[]];
        return (Array.isArray(parts) ? parts : [parts]).map(scalar).join(delimiter);
      }
      case 'Fn::GetAtt': {
        const [logicalId, attribute] = Array.isArray(arg) ? arg as [string, string] : String(arg).split('.');
        const known = lookupGetAtt(logicalId, attribute);
        if (known !== undefined) {
          const value = concrete(known);
          // A JSON string (CfnJson's Value) counts as the object it carries.
          if (typeof value === 'string' && value.startsWith('{')) {
            try {
              return JSON.parse(value);
            } catch {
              return value;
            }
          }
          return value;
        }
        return 'x'.repeat(/Arn$/.test(attribute) ? UNKNOWN_ARN_LENGTH : UNKNOWN_REF_LENGTH);
      }
      case 'Fn::Sub': {
        const template = Array.isArray(arg) ? String(arg[0]) : String(arg);
        return template.replace(/\$\{[^}]+\}/g, 'x'.repeat(UNKNOWN_REF_LENGTH));
      }
      default:
        return 'x'.repeat(UNKNOWN_REF_LENGTH);
    }
  };

  const json = JSON.stringify(concrete(resolved));
  return { length: json.length, estimated };
}
