import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { ScopeCheck, WayKind } from '../../core/trust-scope';
import { checkFindings, findingsOr } from '../trust-statements';
const WEB_IDENTITY = new Set<string>([WayKind.GITHUB_ACTIONS, WayKind.GITLAB_CI, WayKind.EKS_SERVICE_ACCOUNT, WayKind.OIDC, WayKind.COGNITO]);

/**
 * A role that trusts an OIDC provider defined in the same stack, without an audience
 * condition: STS checks the token's audience against the provider's client id list alone.
 * The role is as narrow as that list, but a client id added to the provider later widens
 * this role too. Name the audience in the trust.
 *
 * Findings: `Missing::<issuer>:aud`.
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  const findings = checkFindings(node, ScopeCheck.AUDIENCE, r => r.advisory === true, kind => WEB_IDENTITY.has(kind));
  return findings === undefined ? NagRuleCompliance.NOT_APPLICABLE : findingsOr(findings, NagRuleCompliance.COMPLIANT);
}, 'name', { value: parse(__filename).name });
