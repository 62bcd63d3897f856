import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { allowsAction, conditionKeys, trustStatements } from '../trust-statements';

/**
 * A role that trusts an OIDC provider or Cognito identity pool
 * (`sts:AssumeRoleWithWebIdentity`) requires the token audience with `StringEquals` on
 * `<issuer>:aud`. Without it any token of the issuer, minted for any client, is accepted.
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleCompliance => {
  const statements = trustStatements(node);
  if (statements.length === 0) return NagRuleCompliance.NOT_APPLICABLE;
  let applicable = false;
  for (const s of statements) {
    if (!allowsAction(s, 'sts:AssumeRoleWithWebIdentity')) continue;
    applicable = true;
    const audience = conditionKeys(s).some(c => c.operator === 'StringEquals' && /:aud$/i.test(c.key) && c.values.length > 0 && !c.values.includes('*'));
    if (!audience) return NagRuleCompliance.NON_COMPLIANT;
  }
  return applicable ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NOT_APPLICABLE;
}, 'name', { value: parse(__filename).name });
