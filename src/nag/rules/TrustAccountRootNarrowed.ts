import { parse } from 'path';
import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { findingsOr, hasNarrowingCondition, trustStatements, unresolvedFindings } from '../trust-statements';

const ACCOUNT_ROOT = /^(?:arn:[a-z-]+:iam::(\d{12}|\{[^}]+\}):root|(\d{12}))$/;

/** Condition keys that narrow the callers of a trusted account. */
const NARROWING_KEYS = new Set([
  'sts:externalid', 'aws:principalorgid', 'aws:principalorgpaths', 'aws:principalarn',
  'aws:multifactorauthpresent', 'aws:multifactorauthage',
]);

/**
 * A role trusts another AWS account's root (`arn:...:iam::<account>:root` or a bare
 * account id) only together with a condition that narrows the callers: `sts:ExternalId`,
 * `aws:PrincipalOrgID` / `aws:PrincipalOrgPaths`, `aws:PrincipalArn`, MFA
 * (`aws:MultiFactorAuthPresent` / `aws:MultiFactorAuthAge`). A session name or source
 * identity is the caller's choice, so it does not count. The stack's own account is not flagged.
 *
 * Findings: `Principal::<root ARN>` (an account only known at deploy time reads
 * `{token}`), or `Unresolved::<block>` when the conditions are only known at deploy time.
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  const statements = trustStatements(node);
  if (statements.length === 0) return NagRuleCompliance.NOT_APPLICABLE;
  const own = Stack.of(node).account;
  const findings: string[] = [];
  for (const s of statements) {
    if (s.effect !== 'Allow') continue;
    const roots = (s.principals.AWS ?? []).filter(p => {
      const m = ACCOUNT_ROOT.exec(p);
      if (!m) return false;
      const account = m[1] ?? m[2];
      return account !== '{AWS::AccountId}' && (Token.isUnresolved(own) || account !== own);
    });
    if (roots.length === 0) continue;
    if (hasNarrowingCondition(s, NARROWING_KEYS)) continue;
    findings.push(...(s.unresolved.length > 0 ? unresolvedFindings(s) : roots.map(r => `Principal::${r}`)));
  }
  return findingsOr(findings, NagRuleCompliance.COMPLIANT);
}, 'name', { value: parse(__filename).name });

