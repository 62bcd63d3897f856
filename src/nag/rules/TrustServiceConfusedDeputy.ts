import { parse } from 'path';
import { CfnResource, Stack } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { ScopeCheck, WayKind } from '../../core/trust-scope';
import { logicalIdOf, onReset, resolvedProperty } from '../stack-index';
import { checkFindings, findingsOr } from '../trust-statements';

let executionRoles = new WeakMap<Stack, Set<string>>();
onReset(() => { executionRoles = new WeakMap(); });

/** Whether every `AWS::ECS::TaskDefinition` of the stack that names the role names it as its execution role only. */
function isOnlyExecutionRole(node: CfnResource): boolean {
  const stack = Stack.of(node);
  let roles = executionRoles.get(stack);
  if (!roles) {
    const execution = new Set<string>();
    const task = new Set<string>();
    for (const c of stack.node.findAll()) {
      if (!CfnResource.isCfnResource(c) || c.cfnResourceType !== 'AWS::ECS::TaskDefinition' || Stack.of(c) !== stack) continue;
      const refOf = (v: any): string | undefined => (Array.isArray(v?.['Fn::GetAtt']) ? v['Fn::GetAtt'][0] : v?.Ref);
      const e = refOf(resolvedProperty(c, 'ExecutionRoleArn'));
      const t = refOf(resolvedProperty(c, 'TaskRoleArn'));
      if (e) execution.add(e);
      if (t) task.add(t);
    }
    roles = new Set([...execution].filter(r => !task.has(r)));
    executionRoles.set(stack, roles);
  }
  return roles.has(logicalIdOf(node));
}

/**
 * A role trusted by an AWS service whose guide documents the confused-deputy conditions
 * of the roles it assumes (`ecs-tasks.amazonaws.com` for ECS task roles, Amazon
 * Personalize, WorkSpaces Applications fleets) requires `aws:SourceAccount` or
 * `aws:SourceArn`. Services that do not document them (EC2 instance profiles, Lambda
 * execution roles) are not asked: a condition on a key the service does not send makes the
 * role unusable. An ECS task execution role (named only as `ExecutionRoleArn` by the task
 * definitions of its stack) is not asked either: the ECS guide documents the conditions for
 * task roles.
 *
 * Findings: `Missing::aws:SourceAccount`, or `Unresolved::<block>` when the conditions are only known at deploy time.
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  const findings = checkFindings(node, ScopeCheck.CONFUSED_DEPUTY, r => r.advisory === true, kind => kind === WayKind.SERVICE);
  if (findings === undefined) return NagRuleCompliance.NOT_APPLICABLE;
  if (findings.length > 0 && isOnlyExecutionRole(node)) return NagRuleCompliance.COMPLIANT;
  return findingsOr(findings, NagRuleCompliance.COMPLIANT);
}, 'name', { value: parse(__filename).name });
