import { Annotations, Resource, Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as eksv2 from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { aws_eks as eksRefs } from 'aws-cdk-lib/interfaces';
import { Construct } from 'constructs';
import { validateNamespace } from './private/kubernetes-validation';
import { ErrorSite, fail, siteOf } from '../core/errors';
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
   * Give access policies, `kubernetesGroups` or both.
   *
   * @default - none: the role gets only what Kubernetes RBAC binds to its `kubernetesGroups`
   * @see https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html
   */
  readonly accessPolicies?: eksv2.IAccessPolicy[];

  /**
   * Kubernetes groups of the role's sessions: the `name` of `kind: Group` subjects in your
   * own `RoleBinding` / `ClusterRoleBinding` objects (Kubernetes RBAC instead of, or in
   * addition to, access policies). EKS does not check that a binding names them. Groups
   * starting with `system:` are refused: Kubernetes reserves the prefix for its own
   * groups, and `system:masters` is cluster administration that no binding can take back.
   *
   * @default - no Kubernetes group: access policies only
   * @see https://docs.aws.amazon.com/eks/latest/userguide/create-k8s-group-access-entry.html
   */
  readonly kubernetesGroups?: string[];

  /**
   * The Kubernetes username of the role's sessions, as Kubernetes audit logs and RBAC
   * `kind: User` subjects see it. It can't start with `system:`, `eks:`, `aws:`, `amazon:`
   * or `iam:`. Keep `{{SessionName}}` or `{{SessionNameRaw}}` in it so that each session
   * stays its own user in the audit log (without one, a warning).
   *
   * @default - the name EKS generates: the role's session ARN
   *   (`arn:aws:sts::<account>:assumed-role/<role>/{{SessionName}}`), which is recommended
   * @see https://docs.aws.amazon.com/eks/latest/userguide/set-custom-username.html
   */
  readonly username?: string;

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
    const accessPolicies = props.accessPolicies ?? [];
    const groups = props.kubernetesGroups ?? [];
    if (accessPolicies.length === 0 && groups.length === 0) {
      fail(site, 'accessPolicies', 'no access policy is given (nor any Kubernetes group), so the role could authenticate but do nothing',
        'give at least one access policy (e.g. AmazonEKSViewPolicy at namespace scope) or the kubernetesGroups your RBAC bindings name');
    }
    validateKubernetesGroups(site, groups);
    const sessionInUsername = validateUsername(site, props.username);
    const names: string[] = [];
    let clusterAdmin = false;
    let readsSecrets = false;
    for (const policy of accessPolicies) {
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
      accessPolicies,
    });
    if (groups.length > 0 || props.username !== undefined) {
      const cfn = entry.node.defaultChild as eks.CfnAccessEntry;
      if (groups.length > 0) cfn.kubernetesGroups = groups;
      // Groups alone: no empty access policy list in the template.
      if (accessPolicies.length === 0) cfn.addPropertyDeletionOverride('AccessPolicies');
      if (props.username !== undefined) cfn.username = props.username;
    }
    this.accessEntry = entry;
    this.accessEntryArn = entry.accessEntryArn;

    iam.Grant.addToPrincipal({ grantee: props.role, actions: ['eks:DescribeCluster'], resourceArns: [props.cluster.clusterRef.clusterArn] });
    if (clusterAdmin) {
      Annotations.of(this).addWarningV2(WARNING.clusterAdmin,
        `${props.role.node.path} gets full control of the cluster (allowClusterAdmin); prefer namespace-scoped access policies.`);
    }
    if (!sessionInUsername) {
      Annotations.of(this).addWarningV2(WARNING.accessEntryUsername,
        `the username ${quote(props.username!)} has no {{SessionName}} or {{SessionNameRaw}}, so every session of ${props.role.node.path} is one and the same user in the Kubernetes audit log; add one, or leave username unset.`);
    }
    if (readsSecrets) {
      Annotations.of(this).addWarningV2(WARNING.clusterAdminView,
        `${props.role.node.path} gets AmazonEKSAdminViewPolicy at cluster scope, which reads every Secret of every namespace; prefer AmazonEKSViewPolicy, or namespace scope.`);
    }
  }
}

/** Prefixes EKS refuses at the start of an access entry's username. */
const RESERVED_USERNAME_PREFIXES = ['system:', 'eks:', 'aws:', 'amazon:', 'iam:'];

/** Kubernetes groups of an access entry: non-empty, not repeated, and none of Kubernetes' own `system:` groups. */
function validateKubernetesGroups(site: ErrorSite, groups: string[]): void {
  for (const group of groups) {
    if (Token.isUnresolved(group)) continue;
    if (group.trim() === '') fail(site, 'kubernetesGroups', 'a group name is empty', 'give the group names your RoleBindings and ClusterRoleBindings name');
    if (group.startsWith('system:')) {
      fail(site, 'kubernetesGroups', `${quote(group)} is a Kubernetes system group (the 'system:' prefix is reserved for Kubernetes${group === 'system:masters' ? ', and system:masters is cluster administration that no RBAC change can take back' : ''})`,
        'bind a group of your own (e.g. \'platform-admins\') to the ClusterRole it needs, or use an access policy');
    }
  }
  validateNoDuplicates(site, 'kubernetesGroups', groups);
}

/**
 * An access entry's custom username: none of the prefixes EKS refuses. Returns false when a
 * literal username has no session name placeholder (every session would be one user).
 */
function validateUsername(site: ErrorSite, username: string | undefined): boolean {
  if (username === undefined || Token.isUnresolved(username)) return true;
  const reserved = RESERVED_USERNAME_PREFIXES.find(p => username.startsWith(p));
  if (username.trim() === '') fail(site, 'username', 'the username is empty', 'leave username unset to let EKS generate it');
  if (reserved) {
    fail(site, 'username', `${quote(username)} starts with ${quote(reserved)}, which EKS refuses (system:, eks:, aws:, amazon: and iam: are reserved)`,
      'choose a username of your own, e.g. \'platform-admin:{{SessionName}}\', or leave it unset');
  }
  return /\{\{SessionName(Raw)?\}\}/.test(username);
}
