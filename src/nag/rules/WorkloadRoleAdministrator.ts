import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { WayKind, serviceName } from '../../core/trust-scope';
import { ADMINISTRATOR_ACCESS_ARN, findResource, logicalIdOf, policiesAttachedTo, resolvedProperty } from '../stack-index';
import { describe, findingsOr, flatten, trustScopes } from '../trust-statements';

/** The compute services whose roles hand credentials to code: EC2 instances, ECS tasks, Lambda functions. */
const WORKLOAD_SERVICES = new Set(['ec2', 'ecs-tasks', 'lambda']);

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

/** A key of a resolved struct, in either case (camelCase from an L1, PascalCase from a template). */
function field(obj: unknown, name: string): unknown {
  if (!obj || typeof obj !== 'object') return undefined;
  const o = obj as Record<string, unknown>;
  return name in o ? o[name] : o[name.charAt(0).toLowerCase() + name.slice(1)];
}

/** Whether a policy document allows every action on every resource (`*` or `*:*`). */
function allowsEverything(document: unknown): boolean {
  return list(field(document, 'Statement')).some(s => field(s, 'Effect') === 'Allow'
    && list(field(s, 'Action')).some(a => a === '*' || a === '*:*')
    && list(field(s, 'Resource')).some(r => r === '*'));
}

/**
 * A workload role (trusted by `ec2.amazonaws.com`, `ecs-tasks.amazonaws.com` or
 * `lambda.amazonaws.com`) carries neither the AWS managed `AdministratorAccess` policy nor
 * a statement that allows `*` (or `*:*`) on `*`: inline, in a customer managed policy it
 * lists, or in a policy of the same stack that names it. Whoever runs code on the
 * instance, in the task or in the function holds those credentials.
 *
 * Findings: `ManagedPolicy::AdministratorAccess`, `ManagedPolicy::<logical id>`,
 * `InlinePolicy::<name>`, `Policy::<logical id>`.
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  const workload = trustScopes(node).some(s => s.ways.some(w => w.assumes && w.kind === WayKind.SERVICE
    && WORKLOAD_SERVICES.has(serviceName(w.principal) ?? '')));
  if (!workload) return NagRuleCompliance.NOT_APPLICABLE;
  const findings: string[] = [];
  for (const arn of list(resolvedProperty(node, 'ManagedPolicyArns'))) {
    if (ADMINISTRATOR_ACCESS_ARN.test(flatten(node, arn))) {
      findings.push('ManagedPolicy::AdministratorAccess');
      continue;
    }
    const ref = (arn as any)?.Ref;
    const policy = typeof ref === 'string' ? findResource(node, ref) : undefined;
    if (policy?.cfnResourceType === 'AWS::IAM::ManagedPolicy' && allowsEverything(resolvedProperty(policy, 'PolicyDocument'))) {
      findings.push(`ManagedPolicy::${logicalIdOf(policy)}`);
    }
  }
  for (const p of list(resolvedProperty(node, 'Policies'))) {
    if (allowsEverything(field(p, 'PolicyDocument'))) findings.push(`InlinePolicy::${describe(node, field(p, 'PolicyName'))}`);
  }
  for (const policy of policiesAttachedTo(node)) {
    if (allowsEverything(resolvedProperty(policy, 'PolicyDocument'))) findings.push(`Policy::${logicalIdOf(policy)}`);
  }
  return findingsOr(findings, NagRuleCompliance.COMPLIANT);
}, 'name', { value: parse(__filename).name });
