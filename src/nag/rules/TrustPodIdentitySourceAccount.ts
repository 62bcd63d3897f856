import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { findingsOr, hasNarrowingCondition, trustStatements, trustsService, unresolvedFindings } from '../trust-statements';

const SOURCE_ACCOUNT = new Set(['aws:sourceaccount']);

/**
 * A role that trusts EKS Pod Identity (`pods.eks.amazonaws.com`) requires
 * `aws:SourceAccount`, so that only Pod Identity associations of the expected account
 * can hand the role to pods (the confused-deputy guard for a service principal).
 *
 * Findings: `Missing::aws:SourceAccount`, or `Unresolved::<block>` when the conditions are only known at deploy time.
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  const findings: string[] = [];
  let applicable = false;
  for (const s of trustStatements(node)) {
    if (!trustsService(s, 'pods.eks.amazonaws.com')) continue;
    applicable = true;
    if (hasNarrowingCondition(s, SOURCE_ACCOUNT)) continue;
    findings.push(...(s.unresolved.length > 0 ? unresolvedFindings(s) : ['Missing::aws:SourceAccount']));
  }
  return applicable ? findingsOr(findings, NagRuleCompliance.COMPLIANT) : NagRuleCompliance.NOT_APPLICABLE;
}, 'name', { value: parse(__filename).name });
