import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { ScopeCheck } from '../../core/trust-scope';
import { checkFindings, findingsOr } from '../trust-statements';

/**
 * An Allow statement of a trust policy names its STS actions: no `*`, `sts:*`,
 * `sts:AssumeRole*` and no `NotAction`, which allow actions the principal does not need
 * (session tags, source identity) and hide which way in the statement opens.
 *
 * Findings: `Action::<patterns>`, `NotAction::<actions>`.
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  const findings = checkFindings(node, ScopeCheck.ACTIONS, () => true);
  return findings === undefined ? NagRuleCompliance.NOT_APPLICABLE : findingsOr(findings, NagRuleCompliance.COMPLIANT);
}, 'name', { value: parse(__filename).name });
