import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { Breadth, ScopeCheck } from '../../core/trust-scope';
import { checkFindings, findingsOr } from '../trust-statements';

/**
 * A role that trusts `"Principal": "*"` (or `{"AWS": "*"}`, or `NotPrincipal`) pins the
 * callers with an exact organization, account or ARN condition (`aws:PrincipalOrgID`,
 * `aws:PrincipalAccount`, `aws:PrincipalArn`, `aws:SourceAccount`, `aws:SourceArn` ...).
 * A `Null` check, a negated or `...IfExists` operator, `ForAllValues:`, or a pattern that
 * matches every caller (`o-*`, `????????????`, `arn:aws:iam::*:role/*`) does not count. A
 * principal only known at deploy time is reported as unresolved.
 *
 * Findings: `Principal::*`, `NotPrincipal`, `Unresolved::<block or Principal>`.
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  const findings = checkFindings(node, ScopeCheck.ANY_PRINCIPAL, r => r.breadth >= Breadth.UNRESOLVED);
  return findings === undefined ? NagRuleCompliance.NOT_APPLICABLE : findingsOr(findings, NagRuleCompliance.COMPLIANT);
}, 'name', { value: parse(__filename).name });
