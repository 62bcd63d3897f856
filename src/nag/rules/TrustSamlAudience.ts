import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { allowsAction, conditionKeys, findingsOr, trustStatements, unresolvedFindings } from '../trust-statements';

/**
 * A role that trusts a SAML provider (`sts:AssumeRoleWithSAML`) requires the sign-in
 * endpoint as the assertion's audience (`StringEquals SAML:aud`).
 *
 * Findings: `Missing::SAML:aud`, or `Unresolved::<block>` when the conditions are only known at deploy time.
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  const findings: string[] = [];
  let applicable = false;
  for (const s of trustStatements(node)) {
    if (!allowsAction(s, 'sts:AssumeRoleWithSAML')) continue;
    applicable = true;
    const audience = conditionKeys(s).some(c => c.operator === 'StringEquals' && c.key.toLowerCase() === 'saml:aud' && c.values.length > 0 && !c.values.includes('*'));
    if (audience) continue;
    findings.push(...(s.unresolved.length > 0 ? unresolvedFindings(s) : ['Missing::SAML:aud']));
  }
  return applicable ? findingsOr(findings, NagRuleCompliance.COMPLIANT) : NagRuleCompliance.NOT_APPLICABLE;
}, 'name', { value: parse(__filename).name });
