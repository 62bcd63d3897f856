import { parse } from 'path';
import { CfnResource, Stack } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { estimatePolicyLength, templateResourceLookup } from '../../core/policy-size';
import { DEFAULT_TRUST_POLICY_QUOTA } from '../../core/quotas';
import { cfnJsonValueById, trustPolicyOf } from '../trust-statements';

/**
 * A role's trust policy fits IAM's default quota of 2,048 characters (minified, without
 * whitespace); above it the deployment fails unless the account's "Role trust policy
 * length" quota was raised. Condition blocks kept in `CfnJson` count as the JSON they carry.
 *
 * Findings: the rule id alone when the length is known, `Estimated` when parts of the
 * policy (an account id, a provider ARN ...) are only known at deploy time and were
 * counted at a typical length.
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  const view = trustPolicyOf(node);
  if (!view) return NagRuleCompliance.NOT_APPLICABLE;
  const size = estimatePolicyLength(view.document, (logicalId, attribute) =>
    attribute === 'Value' ? cfnJsonValueById(node, logicalId) : undefined, undefined, templateResourceLookup(Stack.of(node)));
  if (size.length <= DEFAULT_TRUST_POLICY_QUOTA) return NagRuleCompliance.COMPLIANT;
  return size.estimated ? ['Estimated'] : NagRuleCompliance.NON_COMPLIANT;
}, 'name', { value: parse(__filename).name });
