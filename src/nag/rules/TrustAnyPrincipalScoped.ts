import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { findingsOr, hasNarrowingCondition, trustStatements, unresolvedFindings } from '../trust-statements';

/** Condition keys that limit a `*` principal to known callers. */
const SCOPING_KEYS = new Set([
  'aws:principalorgid', 'aws:principalorgpaths', 'aws:principalaccount', 'aws:principalarn',
  'aws:sourceaccount', 'aws:sourcearn', 'aws:sourceorgid', 'aws:sourceorgpaths',
]);

/**
 * A role that trusts `"Principal": "*"` (or `{"AWS": "*"}`) limits the callers with an
 * organization, account or ARN condition (`aws:PrincipalOrgID`, `aws:PrincipalAccount`,
 * `aws:PrincipalArn`, `aws:SourceAccount`, `aws:SourceArn` ...). A `Null` check, a negated
 * or `...IfExists` operator, `ForAllValues:` or a bare `*` value does not count.
 *
 * Findings: `Principal::*`, or `Unresolved::<block>` when the conditions are only known at deploy time.
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  const statements = trustStatements(node);
  if (statements.length === 0) return NagRuleCompliance.NOT_APPLICABLE;
  const findings: string[] = [];
  for (const s of statements) {
    if (s.effect !== 'Allow' || !s.anyPrincipal) continue;
    if (hasNarrowingCondition(s, SCOPING_KEYS)) continue;
    findings.push(...(s.unresolved.length > 0 ? unresolvedFindings(s) : ['Principal::*']));
  }
  return findingsOr(findings, NagRuleCompliance.COMPLIANT);
}, 'name', { value: parse(__filename).name });
