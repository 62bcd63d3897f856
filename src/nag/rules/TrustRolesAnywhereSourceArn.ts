import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { conditionKeys, trustStatements } from '../trust-statements';

/**
 * A role that trusts IAM Roles Anywhere (`rolesanywhere.amazonaws.com`) is pinned to
 * its trust anchors with `aws:SourceArn`; otherwise a certificate from any trust anchor
 * in the account reaches the role.
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleCompliance => {
  const statements = trustStatements(node);
  let applicable = false;
  for (const s of statements) {
    if (s.effect !== 'Allow' || !(s.principals.Service ?? []).includes('rolesanywhere.amazonaws.com')) continue;
    applicable = true;
    const pinned = conditionKeys(s).some(c => c.key.toLowerCase() === 'aws:sourcearn' && /^(ArnEquals|ArnLike|StringEquals|StringLike)$/.test(c.operator));
    if (!pinned) return NagRuleCompliance.NON_COMPLIANT;
  }
  return applicable ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NOT_APPLICABLE;
}, 'name', { value: parse(__filename).name });
