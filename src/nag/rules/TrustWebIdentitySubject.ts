import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { SubjectScope, issuerOf, subjectVerdict } from '../subjects';
import { findingsOr, isOidc, trustStatements } from '../trust-statements';

/**
 * A role that trusts an OIDC provider (`sts:AssumeRoleWithWebIdentity`, other than Cognito
 * identity pools, which scope by `amr`) requires the token subject (`<issuer>:sub`, with
 * `StringEquals` or `StringLike`) and no pattern that matches every subject: `*`, or a
 * wildcard before the repository (GitHub `repo:*`, `repo:acme*`, `repo:*\/api:*`), the
 * project (GitLab `project_path:*`) or the service account (EKS
 * `system:serviceaccount:*:reader`). Owner-wide patterns are `TrustWebIdentitySubjectOwnerWide`.
 *
 * Findings: `Missing::<issuer>:sub`, `Subject::<value>`, or `Unresolved::<key or block>`
 * when a part only known at deploy time decides whether the subject is scoped.
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  const findings: string[] = [];
  let applicable = false;
  for (const s of trustStatements(node)) {
    if (!isOidc(s)) continue;
    applicable = true;
    const verdict = subjectVerdict(s, issuerOf(s));
    if (verdict.scope >= SubjectScope.UNRESOLVED) findings.push(...verdict.findings);
  }
  return applicable ? findingsOr(findings, NagRuleCompliance.COMPLIANT) : NagRuleCompliance.NOT_APPLICABLE;
}, 'name', { value: parse(__filename).name });
