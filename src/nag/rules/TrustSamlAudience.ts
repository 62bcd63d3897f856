import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { allowsAction, conditionKeys, trustStatements } from '../trust-statements';

/**
 * A role that trusts a SAML provider (`sts:AssumeRoleWithSAML`) requires the sign-in
 * endpoint as the assertion's audience (`StringEquals SAML:aud`).
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleCompliance => {
  const statements = trustStatements(node);
  if (statements.length === 0) return NagRuleCompliance.NOT_APPLICABLE;
  let applicable = false;
  for (const s of statements) {
    if (!allowsAction(s, 'sts:AssumeRoleWithSAML')) continue;
    applicable = true;
    const audience = conditionKeys(s).some(c => c.operator === 'StringEquals' && c.key.toLowerCase() === 'saml:aud' && c.values.length > 0);
    if (!audience) return NagRuleCompliance.NON_COMPLIANT;
  }
  return applicable ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NOT_APPLICABLE;
}, 'name', { value: parse(__filename).name });
