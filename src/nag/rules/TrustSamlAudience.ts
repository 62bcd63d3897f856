import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { Breadth, ScopeCheck, WayKind } from '../../core/trust-scope';
import { checkFindings, findingsOr } from '../trust-statements';

/**
 * A role that trusts a SAML provider (`sts:AssumeRoleWithSAML`) pins `SAML:aud` to exact
 * values (the sign-in endpoint of the partition).
 *
 * Findings: `Missing::SAML:aud`, `Audience::<values>`, or `Unresolved::<block>`.
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  const findings = checkFindings(node, ScopeCheck.SAML_AUDIENCE, r => r.breadth >= Breadth.UNRESOLVED, kind => kind === WayKind.SAML);
  return findings === undefined ? NagRuleCompliance.NOT_APPLICABLE : findingsOr(findings, NagRuleCompliance.COMPLIANT);
}, 'name', { value: parse(__filename).name });
