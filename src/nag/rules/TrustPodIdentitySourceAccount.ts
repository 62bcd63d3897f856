import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { ScopeCheck, WayKind } from '../../core/trust-scope';
import { checkFindings, findingsOr } from '../trust-statements';

/**
 * A role that trusts EKS Pod Identity (`pods.eks.amazonaws.com`) requires
 * `aws:SourceAccount`, so that only Pod Identity associations of the expected account
 * can hand the role to pods (the confused-deputy guard for a service principal).
 *
 * Findings: `Missing::aws:SourceAccount`, or `Unresolved::<block>` when the conditions are only known at deploy time.
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  const findings = checkFindings(node, ScopeCheck.SOURCE_ACCOUNT, r => r.advisory === true, kind => kind === WayKind.EKS_POD_IDENTITY);
  return findings === undefined ? NagRuleCompliance.NOT_APPLICABLE : findingsOr(findings, NagRuleCompliance.COMPLIANT);
}, 'name', { value: parse(__filename).name });
