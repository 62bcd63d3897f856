import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { Breadth, ScopeCheck } from '../../core/trust-scope';
import { checkFindings, findingsOr } from '../trust-statements';

/**
 * A role trusts another AWS account's principals (`arn:...:iam::<account>:root`, a bare
 * account id, `*` with `aws:PrincipalAccount`, or every account of an organization) only together with a condition that
 * narrows the callers: `sts:ExternalId`, an `aws:PrincipalArn` that names a role or a path, MFA (`aws:MultiFactorAuthPresent` true,
 * `aws:MultiFactorAuthAge`). A session name or source identity is the caller's choice, MFA
 * `false`, an ExternalId pattern of only wildcards and a whole-account ARN pattern narrow
 * nothing. The stack's own account is not flagged.
 *
 * Findings: `Principal::<root ARN>` (an account only known at deploy time reads `⟨...⟩`),
 * `Organization::<org ids>`,
 * or `Unresolved::<block>` when the conditions are only known at deploy time.
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  const findings = checkFindings(node, ScopeCheck.ACCOUNT, r => r.breadth === Breadth.OWNER_WIDE || r.breadth === Breadth.UNRESOLVED);
  return findings === undefined ? NagRuleCompliance.NOT_APPLICABLE : findingsOr(findings, NagRuleCompliance.COMPLIANT);
}, 'name', { value: parse(__filename).name });
