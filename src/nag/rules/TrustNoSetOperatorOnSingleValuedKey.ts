import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { conditionKeys, trustStatements } from '../trust-statements';

/** Condition keys that carry several values in one request. */
const MULTI_VALUED = new Set([
  'cognito-identity.amazonaws.com:amr', 'aws:tagkeys', 'aws:calledvia', 'aws:principalservicenameslist',
  'aws:principalorgpaths', 'aws:sourceorgpaths', 'aws:resourceorgpaths', 'sts:transitivetagkeys',
]);

/**
 * A trust policy uses `ForAnyValue:` / `ForAllValues:` only on multi-valued keys.
 * `ForAllValues:` on a single-valued key such as `sub`, `aud` or `sts:ExternalId` is
 * true when the key is absent, and `ForAnyValue:` hides the mistake.
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  const statements = trustStatements(node);
  if (statements.length === 0) return NagRuleCompliance.NOT_APPLICABLE;
  const findings: string[] = [];
  for (const s of statements) {
    for (const c of conditionKeys(s)) {
      if (/^For(Any|All)Value:/i.test(c.operator) && !MULTI_VALUED.has(c.key.toLowerCase())) {
        findings.push(`Condition::${c.operator}::${c.key}`);
      }
    }
  }
  return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
}, 'name', { value: parse(__filename).name });
