import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { issuerOf } from '../subjects';
import { allowsAction, conditionKeys, findingsOr, isCognito, trustStatements, unresolvedFindings } from '../trust-statements';

/**
 * A role that trusts an OIDC provider or a Cognito identity pool
 * (`sts:AssumeRoleWithWebIdentity`) requires the token audience with `StringEquals` on
 * `<issuer>:aud` (`cognito-identity.amazonaws.com:aud` for Cognito). Without it any token
 * of the issuer, minted for any client, is accepted.
 *
 * Findings: `Missing::<issuer>:aud`, or `Unresolved::<block>` when the condition block is
 * only known at deploy time.
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  const findings: string[] = [];
  let applicable = false;
  for (const s of trustStatements(node)) {
    if (!allowsAction(s, 'sts:AssumeRoleWithWebIdentity')) continue;
    applicable = true;
    const key = isCognito(s) ? /^cognito-identity\.amazonaws\.com:aud$/i : /:aud$/i;
    const audience = conditionKeys(s).some(c => c.operator === 'StringEquals' && key.test(c.key) && c.values.length > 0 && !c.values.includes('*'));
    if (audience) continue;
    findings.push(...(s.unresolved.length > 0 ? unresolvedFindings(s) : [`Missing::${issuerOf(s)}:aud`]));
  }
  return applicable ? findingsOr(findings, NagRuleCompliance.COMPLIANT) : NagRuleCompliance.NOT_APPLICABLE;
}, 'name', { value: parse(__filename).name });
