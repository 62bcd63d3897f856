import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { allowsAction, conditionKeys, trustStatements } from '../trust-statements';

/** A subject pattern that matches every subject, or every repository of GitHub / GitLab. */
const UNSCOPED_SUBJECT = /^(\*|repo:\*.*|project_path:\*.*|system:serviceaccount:\*.*)$/;

/**
 * A role that trusts an OIDC provider (`sts:AssumeRoleWithWebIdentity`, other than
 * Cognito identity pools, which scope by `amr`) requires the token subject
 * (`<issuer>:sub`) with `StringEquals` or `StringLike`, and no pattern that matches
 * every subject (`*`, `repo:*`, ...). Without it any workload the issuer serves, such
 * as every GitHub repository in the world, can assume the role.
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleCompliance => {
  const statements = trustStatements(node);
  if (statements.length === 0) return NagRuleCompliance.NOT_APPLICABLE;
  let applicable = false;
  for (const s of statements) {
    if (!allowsAction(s, 'sts:AssumeRoleWithWebIdentity')) continue;
    const federated = s.principals.Federated ?? [];
    if (federated.length > 0 && federated.every(f => f === 'cognito-identity.amazonaws.com')) continue;
    applicable = true;
    const subjects = conditionKeys(s).filter(c => /:sub$/i.test(c.key) && (c.operator === 'StringEquals' || c.operator === 'StringLike'));
    if (subjects.length === 0) return NagRuleCompliance.NON_COMPLIANT;
    if (subjects.some(c => c.values.length === 0 || c.values.some(v => UNSCOPED_SUBJECT.test(v)))) return NagRuleCompliance.NON_COMPLIANT;
  }
  return applicable ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NOT_APPLICABLE;
}, 'name', { value: parse(__filename).name });
