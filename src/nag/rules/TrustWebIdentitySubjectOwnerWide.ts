import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { SubjectScope, issuerOf, subjectVerdict } from '../subjects';
import { findingsOr, isOidc, trustStatements } from '../trust-statements';

/**
 * A role that trusts an OIDC provider does not trust a whole owner: every repository of a
 * GitHub owner (`repo:acme/*`), every project of a GitLab group (`project_path:acme/*`) or
 * every service account of an EKS namespace (`system:serviceaccount:team-a:*`). Legal,
 * and sometimes meant, but any new repository, project or service account gets the role.
 *
 * Findings: `Subject::<value>`.
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  const findings: string[] = [];
  let applicable = false;
  for (const s of trustStatements(node)) {
    if (!isOidc(s)) continue;
    applicable = true;
    const verdict = subjectVerdict(s, issuerOf(s));
    if (verdict.scope === SubjectScope.OWNER_WIDE) findings.push(...verdict.findings);
  }
  return applicable ? findingsOr(findings, NagRuleCompliance.COMPLIANT) : NagRuleCompliance.NOT_APPLICABLE;
}, 'name', { value: parse(__filename).name });
