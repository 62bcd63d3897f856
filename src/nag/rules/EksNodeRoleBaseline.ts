import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { WayKind, serviceName } from '../../core/trust-scope';
import { logicalIdOf, policiesAttachedTo, resolvedProperty } from '../stack-index';
import { describe, findingsOr, flatten, trustScopes } from '../trust-statements';

/** The AWS managed policies that make a role an EKS node role. */
const WORKER_POLICY = /^arn:[a-z-]+:iam::aws:policy\/AmazonEKSWorkerNode(Minimal)?Policy$/;

/** The AWS managed policies a node needs: join the cluster, pull images, run the VPC CNI, be managed by SSM. */
const BASELINE = new Set([
  'AmazonEKSWorkerNodePolicy', 'AmazonEKSWorkerNodeMinimalPolicy', 'AmazonEC2ContainerRegistryReadOnly',
  'AmazonEC2ContainerRegistryPullOnly', 'AmazonEKS_CNI_Policy', 'AmazonSSMManagedInstanceCore',
]);

/**
 * An EKS node role (trusted by EC2, however the service principal is written:
 * `ec2.amazonaws.com`, `ec2.amazonaws.com.cn`, `ec2.${AWS::URLSuffix}`; and carrying
 * `AmazonEKSWorkerNodePolicy` or `AmazonEKSWorkerNodeMinimalPolicy`) carries nothing
 * beyond the node baseline: `AmazonEC2ContainerRegistryReadOnly` (or `PullOnly`),
 * `AmazonEKS_CNI_Policy` and `AmazonSSMManagedInstanceCore`. Every pod on the node can use
 * the node role's credentials; give pods their own role (Pod Identity or IRSA).
 *
 * Findings: `ManagedPolicy::<arn or logical id>`, `InlinePolicy::<name>` and
 * `Policy::<logical id>` (an `AWS::IAM::Policy` / `AWS::IAM::ManagedPolicy` in the stack
 * that names the role).
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  const ec2 = trustScopes(node).some(s => s.ways.some(w => w.assumes && w.kind === WayKind.SERVICE && serviceName(w.principal) === 'ec2'));
  if (!ec2) return NagRuleCompliance.NOT_APPLICABLE;
  const managed = resolvedProperty(node, 'ManagedPolicyArns');
  const arns = Array.isArray(managed) ? managed : [];
  if (!arns.some(arn => WORKER_POLICY.test(flatten(node, arn)))) return NagRuleCompliance.NOT_APPLICABLE;
  const findings: string[] = [];
  for (const arn of arns) {
    const flat = flatten(node, arn);
    const m = /^arn:[a-z-]+:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(flat);
    if (m && BASELINE.has(m[1])) continue;
    findings.push(`ManagedPolicy::${describe(node, arn)}`);
  }
  const inline = resolvedProperty(node, 'Policies');
  if (Array.isArray(inline)) {
    for (const p of inline) findings.push(`InlinePolicy::${describe(node, p?.policyName ?? p?.PolicyName)}`);
  }
  for (const policy of policiesAttachedTo(node)) findings.push(`Policy::${logicalIdOf(policy)}`);
  return findingsOr(findings, NagRuleCompliance.COMPLIANT);
}, 'name', { value: parse(__filename).name });
