import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { conditionKeys, trustStatements } from '../trust-statements';

const ACCOUNT_ROOT = /^(arn:[a-z-]+:iam::(\d{12}|\{token\}):root|\d{12})$/;

/**
 * A role trusts an AWS account root (`arn:...:iam::<account>:root` or a bare account id)
 * only together with a condition that narrows the callers (external id, MFA, organization,
 * session name, source identity, principal ARN ...).
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  const statements = trustStatements(node);
  if (statements.length === 0) return NagRuleCompliance.NOT_APPLICABLE;
  const findings: string[] = [];
  for (const s of statements) {
    if (s.effect !== 'Allow') continue;
    const roots = (s.principals.AWS ?? []).filter(p => ACCOUNT_ROOT.test(p));
    if (roots.length > 0 && conditionKeys(s).length === 0) {
      findings.push(...roots.map(r => `Principal::${r}`));
    }
  }
  return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
}, 'name', { value: parse(__filename).name });
