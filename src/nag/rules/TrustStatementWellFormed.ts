import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { Breadth, ScopeCheck } from '../../core/trust-scope';
import { checkFindings, findingsOr } from '../trust-statements';

/**
 * A trust statement IAM evaluates as written: every condition operator is one IAM documents
 * (`ForAllValuesStringEquals` lacks its colon), no condition key names an issuer with its
 * scheme (`https://token.actions.githubusercontent.com:sub` is never filled), no principal
 * ARN has a wildcard (IAM refuses it) or another partition than the role's, and no
 * condition can never be true (an `aws:PrincipalArn` of another account than the trusted
 * one, a Pod Identity cluster of another account than `aws:SourceAccount`).
 *
 * Findings: `Operator::<operator>`, `Key::<key>`, `Principal::<arn>`, `PrincipalArn::<pattern>`, `Cluster::<arn>`.
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  if (node.cfnResourceType !== 'AWS::IAM::Role') return NagRuleCompliance.NOT_APPLICABLE;
  const findings = [
    ...(checkFindings(node, ScopeCheck.CONDITION_FORM, () => true) ?? []),
    ...(checkFindings(node, ScopeCheck.PRINCIPAL_FORM, () => true) ?? []),
    ...(checkFindings(node, ScopeCheck.ACCOUNT, r => r.breadth === Breadth.INVALID) ?? []),
    ...(checkFindings(node, ScopeCheck.SOURCE_ACCOUNT, r => r.breadth === Breadth.INVALID) ?? []),
  ];
  return findingsOr(findings, NagRuleCompliance.COMPLIANT);
}, 'name', { value: parse(__filename).name });
