import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { ScopeCheck } from '../../core/trust-scope';
import { checkFindings, findingsOr } from '../trust-statements';

/**
 * A trust policy uses `ForAnyValue:` / `ForAllValues:` only on multi-valued keys.
 * `ForAllValues:` on a single-valued key such as `sub`, `aud` or `sts:ExternalId` is
 * true when the key is absent, and `ForAnyValue:` hides the mistake.
 *
 * Findings: `Condition::<operator>::<key>`.
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  const findings = checkFindings(node, ScopeCheck.SET_OPERATOR, () => true);
  return findings === undefined ? NagRuleCompliance.NOT_APPLICABLE : findingsOr(findings, NagRuleCompliance.COMPLIANT);
}, 'name', { value: parse(__filename).name });
