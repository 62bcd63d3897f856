import { Annotations, Resource, Token } from 'aws-cdk-lib';
import * as eksv2 from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { aws_eks as eksRefs } from 'aws-cdk-lib/interfaces';
import { Construct } from 'constructs';
import { validateNamespace } from './private/kubernetes-validation';
import { fail, siteOf } from '../core/errors';
import { quote, validateNoDuplicates, validateRoleArn } from '../core/validation';
import { WARNING } from '../core/warnings';

/** Access policies that give administrator rights over the whole cluster when cluster-scoped. */
const ADMIN_POLICIES = ['AmazonEKSClusterAdminPolicy', 'AmazonEKSAdminPolicy'];

/**
 * Access policies that can create pods and service accounts and edit RBAC (Admin) or
 * workloads (Edit): in `kube-system`, where the control plane add-ons and their privileged
 * service accounts live, that is cluster administration in practice.
 */
const KUBE_SYSTEM_ADMIN_POLICIES = ['AmazonEKSAdminPolicy', 'AmazonEKSEditPolicy'];

/** Properties for a {@link ClusterAccess}. */
export interface ClusterAccessProps {
  /**
   * The cluster: an `aws-eks` or `aws-eks-v2` cluster of this app, or one imported with
   * `eks.CfnCluster.fromClusterName(this, 'Prod', 'prod')`. The access entry is created
   * in this construct's stack, which must deploy to the cluster's account and region.
   */
  readonly cluster: eksRefs.IClusterRef;

  /**
   * The IAM role that gets access: a role of the cluster's account (e.g. a
   * `CrossAccountRole` that administrators of another account assume), a role of another
   * account, or an IAM Identity Center role
   * (`arn:aws:iam::<account>:role/aws-reserved/sso.amazonaws.com/<region>/AWSReservedSSO_<set>_<id>`,
   * path included). Not an STS session (`assumed-role`) ARN.
   *
   * @see https://docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html
   */
  readonly role: iam.IRole;

  /**
   * The EKS access policies and their scope, e.g.
   * `eksv2.AccessPolicy.fromAccessPolicyName('AmazonEKSViewPolicy', { accessScopeType: eksv2.AccessScopeType.NAMESPACE, namespaces: ['orders'] })`.
   * At least one.
   *
   * @see https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html
   */
  readonly accessPolicies: eksv2.IAccessPolicy[];

  /**
   * Allow `AmazonEKSClusterAdminPolicy`, `AmazonEKSAdminPolicy` at cluster scope, or
   * `AmazonEKSAdminPolicy` / `AmazonEKSEditPolicy` in the `kube-system` namespace (whose
   * privileged service accounts and add-ons give control of the whole cluster): full
   * control of every namespace and of the cluster's own objects. Leaves a warning.
   *
   * @default false
   */
  readonly allowClusterAdmin?: boolean;
}

/**
 * Gives an IAM role access to a cluster's Kubernetes API: an EKS access entry
 * (`AWS::EKS::AccessEntry`, type `STANDARD`) with access policy associations at cluster or
 * namespace scope. With it, whoever may assume the role runs
 * `aws eks update-kubeconfig --name <cluster> --role-arn <role ARN>`. The role also gets
 * `eks:DescribeCluster` on the cluster (what `update-kubeconfig` calls) when it is a role
 * of this app.
 *
 * The cluster's authentication mode must include access entries (`API` or
 * `API_AND_CONFIG_MAP`).
 *
 * @example
 * new ClusterAccess(this, 'OrdersReaders', {
 *   cluster: eks.CfnCluster.fromClusterName(this, 'Prod', 'prod'),
 *   role,
 *   accessPolicies: [eksv2.AccessPolicy.fromAccessPolicyName('AmazonEKSViewPolicy', {
 *     accessScopeType: eksv2.AccessScopeType.NAMESPACE, namespaces: ['orders'],
 *   })],
 * });
 */
export class ClusterAccess extends Resource {
  /** The access entry. */
  public readonly accessEntry: eksv2.IAccessEntry;

  /**
   * The access entry ARN.
   *
   * @attribute
   */
  public readonly accessEntryArn: string;

  constructor(scope: Construct, id: string, props: ClusterAccessProps) {
    const site = siteOf('ClusterAccess', scope, id);
    const roleArn = props.role.roleArn;
    if (!Token.isUnresolved(roleArn) && /^arn:[^:]+:sts::/.test(roleArn)) {
      fail(site, 'role', `${quote(roleArn)} is an STS session, which an access entry cannot name`,
        'give the role ARN (arn:aws:iam::<account>:role/<name>), not the assumed-role session');
    }
    validateRoleArn(site, 'role', roleArn);
    if (!props.accessPolicies || props.accessPolicies.length === 0) {
      fail(site, 'accessPolicies', 'no access policy is given, so the role could authenticate but do nothing',
        'give at least one access policy, e.g. AmazonEKSViewPolicy at namespace scope');
    }
    const names: string[] = [];
    let clusterAdmin = false;
    let readsSecrets = false;
    for (const policy of props.accessPolicies) {
      const name = /cluster-access-policy\/([A-Za-z0-9]+)$/.exec(policy.policy)?.[1] ?? policy.policy;
      const scopeType = policy.accessScope.type;
      const namespaces = policy.accessScope.namespaces ?? [];
      if (scopeType === eksv2.AccessScopeType.NAMESPACE) {
        if (!Token.isUnresolved(namespaces) && namespaces.length === 0) {
          fail(site, 'accessPolicies', `${quote(name)} has namespace scope but no namespace`, 'list the namespaces, or use cluster scope');
        }
        namespaces.forEach(n => validateNamespace(site, 'accessPolicies', n));
        validateNoDuplicates(site, 'accessPolicies', namespaces);
      } else if (namespaces.length > 0) {
        fail(site, 'accessPolicies', `${quote(name)} has cluster scope and namespaces ${namespaces.map(quote).join(', ')}`,
          'use AccessScopeType.NAMESPACE to limit it to those namespaces');
      }
      if (name === 'AmazonEKSClusterAdminPolicy' || (ADMIN_POLICIES.includes(name) && scopeType === eksv2.AccessScopeType.CLUSTER)) {
        clusterAdmin = true;
        if (!props.allowClusterAdmin) {
          fail(site, 'accessPolicies', `${quote(name)} at cluster scope gives full control of the cluster`,
            'scope a narrower policy to namespaces, or set allowClusterAdmin: true to opt in');
        }
      }
      const inKubeSystem = scopeType === eksv2.AccessScopeType.NAMESPACE && !Token.isUnresolved(namespaces) && namespaces.includes('kube-system');
      if (KUBE_SYSTEM_ADMIN_POLICIES.includes(name) && inKubeSystem) {
        clusterAdmin = true;
        if (!props.allowClusterAdmin) {
          fail(site, 'accessPolicies', `${quote(name)} in the 'kube-system' namespace gives full control of the cluster (its service accounts and add-ons are privileged)`,
            'leave kube-system out of the namespaces, or set allowClusterAdmin: true to opt in');
        }
      }
      if (name === 'AmazonEKSAdminViewPolicy' && scopeType === eksv2.AccessScopeType.CLUSTER) readsSecrets = true;
      names.push(name);
    }
    validateNoDuplicates(site, 'accessPolicies', names);
    super(scope, id);

    const cluster = eksv2.Cluster.fromClusterAttributes(this, 'Cluster', { clusterName: props.cluster.clusterRef.clusterName });
    const entry = new eksv2.AccessEntry(this, 'Resource', {
      cluster,
      principal: roleArn,
      accessEntryType: eksv2.AccessEntryType.STANDARD,
      accessPolicies: props.accessPolicies,
    });
    this.accessEntry = entry;
    this.accessEntryArn = entry.accessEntryArn;

    iam.Grant.addToPrincipal({ grantee: props.role, actions: ['eks:DescribeCluster'], resourceArns: [props.cluster.clusterRef.clusterArn] });
    if (clusterAdmin) {
      Annotations.of(this).addWarningV2(WARNING.clusterAdmin,
        `${props.role.node.path} gets full control of the cluster (allowClusterAdmin); prefer namespace-scoped access policies.`);
    }
    if (readsSecrets) {
      Annotations.of(this).addWarningV2(WARNING.clusterAdminView,
        `${props.role.node.path} gets AmazonEKSAdminViewPolicy at cluster scope, which reads every Secret of every namespace; prefer AmazonEKSViewPolicy, or namespace scope.`);
    }
  }
}
