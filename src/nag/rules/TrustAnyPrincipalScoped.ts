import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { conditionKeys, trustStatements } from '../trust-statements';

/** Condition keys that limit a `*` principal to known callers. */
const SCOPING_KEYS = new Set([
  'aws:principalorgid', 'aws:principalorgpaths', 'aws:principalaccount', 'aws:principalarn',
  'aws:sourceaccount', 'aws:sourcearn', 'aws:sourceorgid', 'aws:sourceorgpaths',
]);

/**
 * A role that trusts `"Principal": "*"` (or `{"AWS": "*"}`) limits the callers with an
 * organization, account or ARN condition.
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleCompliance => {
  const statements = trustStatements(node);
  if (statements.length === 0) return NagRuleCompliance.NOT_APPLICABLE;
  for (const s of statements) {
    if (s.effect !== 'Allow' || !s.anyPrincipal) continue;
    const scoped = conditionKeys(s).some(c => SCOPING_KEYS.has(c.key.toLowerCase()) && !c.operator.startsWith('ForAllValues:'));
    if (!scoped) return NagRuleCompliance.NON_COMPLIANT;
  }
  return NagRuleCompliance.COMPLIANT;
}, 'name', { value: parse(__filename).name });
