import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { findingsOr, hasNarrowingCondition, trustStatements, trustsService, unresolvedFindings } from '../trust-statements';

const SOURCE_ARN = new Set(['aws:sourcearn']);

/**
 * A role that trusts IAM Roles Anywhere (`rolesanywhere.amazonaws.com`) is pinned to its
 * trust anchors with `aws:SourceArn` (`ArnEquals` / `ArnLike` / `StringEquals` /
 * `StringLike`); otherwise a certificate from any trust anchor in the account reaches the role.
 *
 * Findings: `Missing::aws:SourceArn`, or `Unresolved::<block>` when the conditions are only known at deploy time.
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  const findings: string[] = [];
  let applicable = false;
  for (const s of trustStatements(node)) {
    if (!trustsService(s, 'rolesanywhere.amazonaws.com')) continue;
    applicable = true;
    if (hasNarrowingCondition(s, SOURCE_ARN)) continue;
    findings.push(...(s.unresolved.length > 0 ? unresolvedFindings(s) : ['Missing::aws:SourceArn']));
  }
  return applicable ? findingsOr(findings, NagRuleCompliance.COMPLIANT) : NagRuleCompliance.NOT_APPLICABLE;
}, 'name', { value: parse(__filename).name });
