import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { logicalIdOf, policiesAttachedTo, resolvedProperty } from '../stack-index';
import { describe, findingsOr } from '../trust-statements';

/**
 * An IAM user (`AWS::IAM::User`) has no console password (`LoginProfile`) and no
 * permissions: no inline or managed policies, no groups, and no `AWS::IAM::Policy` /
 * `AWS::IAM::ManagedPolicy` in the stack that names it. People belong in IAM Identity
 * Center (permission sets), workloads in roles.
 *
 * Findings: `LoginProfile`, `InlinePolicy::<name>`, `ManagedPolicy::<arn>`,
 * `Group::<group>` and `Policy::<logical id>`.
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  if (node.cfnResourceType !== 'AWS::IAM::User') return NagRuleCompliance.NOT_APPLICABLE;
  const findings: string[] = [];
  if (resolvedProperty(node, 'LoginProfile') !== undefined) findings.push('LoginProfile');
  const inline = resolvedProperty(node, 'Policies');
  if (Array.isArray(inline)) {
    for (const p of inline) findings.push(`InlinePolicy::${describe(node, p?.policyName ?? p?.PolicyName)}`);
  } else if (inline !== undefined) {
    findings.push('InlinePolicy::{token}');
  }
  const managed = resolvedProperty(node, 'ManagedPolicyArns');
  if (Array.isArray(managed)) {
    for (const arn of managed) findings.push(`ManagedPolicy::${describe(node, arn)}`);
  } else if (managed !== undefined) {
    findings.push('ManagedPolicy::{token}');
  }
  const groups = resolvedProperty(node, 'Groups');
  if (Array.isArray(groups)) {
    for (const g of groups) findings.push(`Group::${describe(node, g)}`);
  } else if (groups !== undefined) {
    findings.push('Group::{token}');
  }
  for (const policy of policiesAttachedTo(node)) findings.push(`Policy::${logicalIdOf(policy)}`);
  return findingsOr(findings, NagRuleCompliance.COMPLIANT);
}, 'name', { value: parse(__filename).name });
