import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { SubjectScope, subjectRuleResult } from '../subjects';

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
export default Object.defineProperty(
  (node: CfnResource): NagRuleResult => subjectRuleResult(node, scope => scope >= SubjectScope.UNRESOLVED),
  'name', { value: parse(__filename).name },
);
