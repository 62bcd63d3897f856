import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { SubjectScope, subjectRuleResult } from '../subjects';

/**
 * A role that trusts an OIDC provider does not trust a whole owner: every repository of a
 * GitHub owner (`repo:acme/*`), every project of a GitLab group (`project_path:acme/*`) or
 * every service account of an EKS namespace (`system:serviceaccount:team-a:*`). Legal,
 * and sometimes meant, but any new repository, project or service account gets the role.
 *
 * Findings: `Subject::<value>`.
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleResult => subjectRuleResult(node, scope => scope === SubjectScope.OWNER_WIDE),
  'name', { value: parse(__filename).name },
);
