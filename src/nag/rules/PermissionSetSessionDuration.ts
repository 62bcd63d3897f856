import { parse } from 'path';
import { CfnResource, Duration } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { resolvedProperty } from '../stack-index';

/** Eight hours, in seconds: a working day. */
const EIGHT_HOURS = 8 * 3600;

/**
 * An IAM Identity Center permission set (`AWS::SSO::PermissionSet`) keeps its
 * `SessionDuration` (ISO-8601) at eight hours or less: a working day, after which people
 * sign in again (and lose access promptly when they leave).
 *
 * Findings: `SessionDuration::<value>` (also for a value that is not an ISO-8601
 * duration), or `Unresolved::SessionDuration` when it is only known at deploy time.
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  if (node.cfnResourceType !== 'AWS::SSO::PermissionSet') return NagRuleCompliance.NOT_APPLICABLE;
  const value = resolvedProperty(node, 'SessionDuration');
  if (value === undefined) return NagRuleCompliance.COMPLIANT;
  if (typeof value !== 'string') return ['Unresolved::SessionDuration'];
  let seconds: number;
  try {
    seconds = Duration.parse(value).toSeconds();
  } catch {
    return [`SessionDuration::${value}`];
  }
  return seconds > EIGHT_HOURS ? [`SessionDuration::${value}`] : NagRuleCompliance.COMPLIANT;
}, 'name', { value: parse(__filename).name });
