import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { Breadth, ScopeCheck, WayKind } from '../../core/trust-scope';
import { checkFindings, findingsOr } from '../trust-statements';
const WEB_IDENTITY = new Set<string>([WayKind.GITHUB_ACTIONS, WayKind.GITLAB_CI, WayKind.EKS_SERVICE_ACCOUNT, WayKind.OIDC, WayKind.COGNITO]);

/**
 * A role that trusts every workload of one pinned tenant: every repository of a GitHub
 * owner (`repo:acme/*`, `repository_owner:acme`, `repo:acme@<any id>/<any repository>`), every project of a GitLab
 * group, every service account of a namespace, every workspace of a Terraform Cloud
 * organization, or Cognito guests. Anything created there later gets the role.
 *
 * Findings: `Subject::<value>`, `Claim::<key>`.
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  const findings = checkFindings(node, ScopeCheck.SUBJECT, r => r.breadth === Breadth.OWNER_WIDE, kind => WEB_IDENTITY.has(kind));
  return findings === undefined ? NagRuleCompliance.NOT_APPLICABLE : findingsOr(findings, NagRuleCompliance.COMPLIANT);
}, 'name', { value: parse(__filename).name });
