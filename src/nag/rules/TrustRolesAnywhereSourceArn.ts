import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { Breadth, ScopeCheck, WayKind } from '../../core/trust-scope';
import { checkFindings, findingsOr } from '../trust-statements';

/**
 * A role that trusts IAM Roles Anywhere (`rolesanywhere.amazonaws.com`) is pinned to its
 * trust anchors with `aws:SourceArn` (exact ARNs: `trust-anchor/*` is every anchor);
 * otherwise a certificate from any trust anchor in the account reaches the role.
 *
 * Findings: `Missing::aws:SourceArn`, `SourceArn::<values>`, or `Unresolved::<block>`.
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  const findings = checkFindings(node, ScopeCheck.TRUST_ANCHOR, r => r.breadth >= Breadth.UNRESOLVED, kind => kind === WayKind.ROLES_ANYWHERE);
  return findings === undefined ? NagRuleCompliance.NOT_APPLICABLE : findingsOr(findings, NagRuleCompliance.COMPLIANT);
}, 'name', { value: parse(__filename).name });
