import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { ScopeCheck, WayKind } from '../../core/trust-scope';
import { checkFindings, findingsOr } from '../trust-statements';
const WEB_IDENTITY = new Set<string>([WayKind.GITHUB_ACTIONS, WayKind.GITLAB_CI, WayKind.EKS_SERVICE_ACCOUNT, WayKind.OIDC, WayKind.COGNITO]);

/**
 * A role that trusts web identities (an OIDC provider, an IAM built-in provider or a Cognito
 * identity pool) pins the token audience to exact values: `<issuer>:aud` (`StringEquals`, or
 * `StringLike` without a wildcard), the app id of a built-in provider (`www.amazon.com:app_id`,
 * `graph.facebook.com:app_id`, `accounts.google.com:aud`), the identity pool id for Cognito
 * (`cognito-identity.amazonaws.com:aud`). A missing audience, `*` or a pattern is reported;
 * what counts is decided by the one definition of a narrow trust (`core/trust-scope/`).
 *
 * A trust without an audience whose provider is defined in the same stack with a known
 * client id list is reported by `TrustWebIdentityAudienceByProvider` (a warning) instead.
 *
 * Findings: `Missing::<issuer>:aud`, `Audience::<values>`, or `Unresolved::<key or block>`.
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  const findings = checkFindings(node, ScopeCheck.AUDIENCE, r => !r.advisory, kind => WEB_IDENTITY.has(kind));
  return findings === undefined ? NagRuleCompliance.NOT_APPLICABLE : findingsOr(findings, NagRuleCompliance.COMPLIANT);
}, 'name', { value: parse(__filename).name });
