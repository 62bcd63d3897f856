import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { Breadth, ScopeCheck, WayKind } from '../../core/trust-scope';
import { checkFindings, findingsOr } from '../trust-statements';
const WEB_IDENTITY = new Set<string>([WayKind.GITHUB_ACTIONS, WayKind.GITLAB_CI, WayKind.EKS_SERVICE_ACCOUNT, WayKind.OIDC, WayKind.COGNITO]);

/**
 * A role that trusts web identities pins the tenant: the claim that names the GitHub owner,
 * the GitLab group, the Terraform Cloud or Buildkite organization, the EKS namespace, is
 * pinned without wildcards as the first claim of the subject (or, for GitHub, by the
 * `repository` / `repository_id` claims); a Cognito trust says `authenticated` or
 * `unauthenticated` (`amr`). Reported: no subject, `*`, a wildcard in the tenant, a custom
 * GitHub subject whose first claim any repository admin can reproduce (`environment:prod`),
 * a subject only known at deploy time where it decides. What counts is decided by the one
 * definition of a narrow trust (`core/trust-scope/`).
 *
 * Findings: `Missing::<issuer>:sub`, `Subject::<value>`, `Unresolved::<key or block>`.
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  const findings = checkFindings(node, ScopeCheck.SUBJECT, r => r.breadth >= Breadth.UNRESOLVED && !r.advisory, kind => WEB_IDENTITY.has(kind));
  return findings === undefined ? NagRuleCompliance.NOT_APPLICABLE : findingsOr(findings, NagRuleCompliance.COMPLIANT);
}, 'name', { value: parse(__filename).name });
