import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { WayKind } from '../../core/trust-scope';
import { resolvedProperty } from '../stack-index';
import { trustScopes } from '../trust-statements';

/** One hour, in seconds. */
const ONE_HOUR = 3600;

/**
 * A role that machines assume through OIDC federation (`sts:AssumeRoleWithWebIdentity`,
 * other than Cognito identity pools) keeps `MaxSessionDuration` at one hour or less. A CI
 * job or pod re-federates cheaply; a leaked session should not outlive it by hours.
 *
 * Findings: `MaxSessionDuration::<seconds>`, or `Unresolved::MaxSessionDuration` when it is only known at deploy time.
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  const machines = new Set<string>([WayKind.GITHUB_ACTIONS, WayKind.GITLAB_CI, WayKind.EKS_SERVICE_ACCOUNT, WayKind.OIDC]);
  if (!trustScopes(node).some(s => s.ways.some(w => w.assumes && machines.has(w.kind)))) return NagRuleCompliance.NOT_APPLICABLE;
  const max = resolvedProperty(node, 'MaxSessionDuration');
  if (max === undefined) return NagRuleCompliance.COMPLIANT;
  const seconds = typeof max === 'number' ? max : typeof max === 'string' && /^\d+$/.test(max) ? Number(max) : undefined;
  if (seconds === undefined) return ['Unresolved::MaxSessionDuration'];
  return seconds > ONE_HOUR ? [`MaxSessionDuration::${seconds}`] : NagRuleCompliance.COMPLIANT;
}, 'name', { value: parse(__filename).name });
