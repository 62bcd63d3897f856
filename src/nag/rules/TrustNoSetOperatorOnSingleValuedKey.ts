import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { conditionKeys, findingsOr, trustStatements } from '../trust-statements';

/** Condition keys that carry several values in one request. */
const MULTI_VALUED = new Set([
  'aws:tagkeys', 'aws:calledvia', 'aws:principalservicenameslist',
  'aws:principalorgpaths', 'aws:sourceorgpaths', 'aws:resourceorgpaths', 'sts:transitivetagkeys',
]);

/** Multi-valued by pattern: an OIDC `amr` (Cognito's authenticated / unauthenticated) and the eduPerson / eduOrg SAML attributes. */
function isMultiValued(key: string): boolean {
  const k = key.toLowerCase();
  return MULTI_VALUED.has(k) || /:amr$/.test(k) || /^saml:edu(person|org)/.test(k);
}

/**
 * A trust policy uses `ForAnyValue:` / `ForAllValues:` only on multi-valued keys.
 * `ForAllValues:` on a single-valued key such as `sub`, `aud` or `sts:ExternalId` is
 * true when the key is absent, and `ForAnyValue:` hides the mistake.
 *
 * Findings: `Condition::<operator>::<key>`.
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  const statements = trustStatements(node);
  if (statements.length === 0) return NagRuleCompliance.NOT_APPLICABLE;
  const findings: string[] = [];
  for (const s of statements) {
    for (const c of conditionKeys(s)) {
      if (/^For(AnyValue|AllValues):/i.test(c.operator) && !isMultiValued(c.key)) {
        findings.push(`Condition::${c.operator}::${c.key}`);
      }
    }
  }
  return findingsOr(findings, NagRuleCompliance.COMPLIANT);
}, 'name', { value: parse(__filename).name });
