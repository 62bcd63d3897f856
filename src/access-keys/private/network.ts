import * as iam from 'aws-cdk-lib/aws-iam';
import { ErrorSite, fail } from '../../core/errors';
import { isUnresolved, quote, validateNoDuplicates } from '../../core/validation';

const IPV4_CIDR = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}(\/(3[0-2]|[12]?\d))?$/;
const IPV6_CIDR = /^[0-9a-fA-F:]*:[0-9a-fA-F:.]*(\/(12[0-8]|1[01]\d|[1-9]?\d))?$/;
/** VPC endpoint ids: `vpce-` and 8 or 17 hexadecimal digits. */
const VPCE_ID = /^vpce-([0-9a-f]{8}|[0-9a-f]{17})$/;

/** Checks the networks a legacy key may be used from. */
export function validateNetworks(site: ErrorSite, ips: readonly string[], endpoints: readonly string[]): void {
  for (const ip of isUnresolved(ips) ? [] : ips) {
    if (isUnresolved(ip)) continue;
    if (!IPV4_CIDR.test(ip) && !IPV6_CIDR.test(ip)) {
      fail(site, 'allowedSourceIps', `${quote(ip)} is not an IPv4 or IPv6 address or CIDR range`, 'write an address or a range such as \'203.0.113.0/24\'');
    }
    if (/\/0$/.test(ip)) {
      fail(site, 'allowedSourceIps', `${quote(ip)} is every address`, 'name the ranges the application calls from, or waive the condition with networkConditionWaiver');
    }
  }
  for (const id of isUnresolved(endpoints) ? [] : endpoints) {
    if (isUnresolved(id)) continue;
    if (!VPCE_ID.test(id)) {
      fail(site, 'allowedVpcEndpointIds', `${quote(id)} is not a VPC endpoint id`, 'write the id of an interface or gateway endpoint, e.g. \'vpce-1a2b3c4d\'');
    }
  }
  if (!isUnresolved(ips)) validateNoDuplicates(site, 'allowedSourceIps', ips);
  if (!isUnresolved(endpoints)) validateNoDuplicates(site, 'allowedVpcEndpointIds', endpoints);
}

/**
 * The statement that denies every request signed with the key unless it comes from one of
 * the addresses or through one of the VPC endpoints. Two conditions in one statement are
 * both required for the deny: a request from a listed address, or through a listed
 * endpoint, is not denied. A condition on a key the request lacks (`aws:SourceIp` for a
 * request through a VPC endpoint, `aws:SourceVpce` for one over the internet) is true for
 * these negated operators, so the other list alone decides.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_aws_deny-ip.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourceip
 */
export function networkDenyStatement(ips: readonly string[], endpoints: readonly string[]): iam.PolicyStatement {
  const conditions: Record<string, Record<string, unknown>> = {};
  if (ips.length > 0 || isUnresolved(ips)) conditions.NotIpAddress = { 'aws:SourceIp': ips };
  if (endpoints.length > 0 || isUnresolved(endpoints)) conditions.StringNotEquals = { 'aws:SourceVpce': endpoints };
  return new iam.PolicyStatement({
    sid: 'DenyOutsideAllowedNetworks',
    effect: iam.Effect.DENY,
    actions: ['*'],
    resources: ['*'],
    conditions,
  });
}
