import { Annotations, Resource, Stack, Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as eksv2 from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { aws_eks as eksRefs } from 'aws-cdk-lib/interfaces';
import { Construct } from 'constructs';
import { validateClusterName, validateNamespace, validateServiceAccountName } from './private/kubernetes-validation';
import { PodIdentityTrust, podIdentityTrustOf } from './private/pod-identity-trust';
import { ErrorSite, fail, siteOf } from '../core/errors';
import { PatternRole } from '../core/pattern-role';
import { accountOfArn } from '../core/token-text';
import { TrustCondition } from '../core/trust-condition';
import { parseArn, quote } from '../core/validation';
import { WARNING } from '../core/warnings';

/**
 * Options for {@link PodIdentityRole.associate}: an association without its role. The
 * base of {@link PodIdentityAssociationProps}.
 */
export interface PodIdentityRoleAssociateOptions {
  /**
   * The cluster, by name (it may be imported or defined elsewhere). Give either
   * `clusterName` or `cluster`.
   *
   * @default - use `cluster`
   */
  readonly clusterName?: string;

  /**
   * The cluster: an `aws-eks` or `aws-eks-v2` cluster, or one imported with
   * `eks.CfnCluster.fromClusterName`. Fargate clusters are refused: Pod Identity does not
   * run on Fargate.
   *
   * @default - use `clusterName`
   */
  readonly cluster?: eksRefs.IClusterRef;

  /** The namespace of the service account. */
  readonly serviceAccountNamespace: string;

  /** The service account the pods run as. */
  readonly serviceAccountName: string;

  /**
   * A role in another account that EKS assumes with the `role`'s session (role chaining),
   * for cross-account access. The `role` gets an identity policy allowing `sts:AssumeRole`
   * (+ `sts:TagSession`) on it. When it is an `iam.Role` of the same account and region in
   * this app, its trust policy gets the statement EKS needs: the `role` with
   * `sts:AssumeRole` + `sts:TagSession` and the association's `sts:ExternalId`.
   *
   * @default - no target role
   * @see https://docs.aws.amazon.com/eks/latest/userguide/pod-id-assign-target-role.html
   */
  readonly targetRole?: iam.IRole;

  /**
   * Do not add the `kubernetes-*` and `eks-cluster-*` session tags. Roles that scope their
   * trust with `aws:RequestTag` conditions then refuse the association's sessions (refused
   * at synth for a {@link PodIdentityRole} with `clusterArns` or `serviceAccounts`).
   *
   * @default false
   */
  readonly disableSessionTags?: boolean;
}

/** Properties for a {@link PodIdentityAssociation}. */
export interface PodIdentityAssociationProps extends PodIdentityRoleAssociateOptions {
  /**
   * The role the pods get (in the cluster's account), usually a {@link PodIdentityRole},
   * whose `clusterArns` and `serviceAccounts` must then admit this association.
   */
  readonly role: iam.IRole;
}

/**
 * An EKS Pod Identity association: pods running as a service account get a role. A
 * standalone L2 over `AWS::EKS::PodIdentityAssociation`; needs the `eks-pod-identity-agent`
 * add-on on the cluster (not available on Fargate).
 *
 * @example
 * new PodIdentityAssociation(this, 'Reader', {
 *   clusterName: 'prod',
 *   serviceAccountNamespace: 'orders',
 *   serviceAccountName: 'reader',
 *   role,
 * });
 */
export class PodIdentityAssociation extends Resource {
  /**
   * The association ARN.
   *
   * @attribute
   */
  public readonly associationArn: string;

  /**
   * The association id.
   *
   * @attribute
   */
  public readonly associationId: string;

  /**
   * The external id EKS passes when it assumes the target role; the target role's trust
   * must require it.
   *
   * @attribute
   */
  public readonly externalId: string;

  constructor(scope: Construct, id: string, props: PodIdentityAssociationProps) {
    const site = siteOf('PodIdentityAssociation', scope, id);
    if ((props.cluster === undefined) === (props.clusterName === undefined)) {
      fail(site, 'cluster', props.cluster === undefined ? 'neither cluster nor clusterName is set' : 'both cluster and clusterName are set',
        'give the cluster, or its name');
    }
    if (props.cluster instanceof eks.FargateCluster || props.cluster instanceof eksv2.FargateCluster) {
      fail(site, 'cluster', `${props.cluster!.node.path} is a Fargate cluster, and EKS Pod Identity does not run on Fargate`,
        'use an IrsaRole for pods on Fargate, or run the pods on EC2 nodes');
    }
    const clusterName = props.clusterName ?? props.cluster!.clusterRef.clusterName;
    validateClusterName(site, 'clusterName', clusterName);
    validateNamespace(site, 'serviceAccountNamespace', props.serviceAccountNamespace);
    validateServiceAccountName(site, 'serviceAccountName', props.serviceAccountName);
    const roleTrust = podIdentityTrustOf(props.role);
    if (roleTrust) validateAgainstRole(site, scope, props, clusterName, roleTrust);
    super(scope, id);

    const targetInReach = props.targetRole !== undefined && this.inReach(props.targetRole);
    const targetArn = props.targetRole === undefined ? undefined
      : targetInReach ? this.namedRoleArn(props.targetRole as iam.Role) : props.targetRole.roleArn;
    const resource = new eks.CfnPodIdentityAssociation(this, 'Resource', {
      clusterName,
      namespace: props.serviceAccountNamespace,
      serviceAccount: props.serviceAccountName,
      roleArn: props.role.roleArn,
      targetRoleArn: targetArn,
      disableSessionTags: props.disableSessionTags,
    });
    this.associationArn = resource.attrAssociationArn;
    this.associationId = resource.attrAssociationId;
    this.externalId = resource.attrExternalId;

    if (props.targetRole && targetArn !== undefined) {
      const actions = props.disableSessionTags ? ['sts:AssumeRole'] : ['sts:AssumeRole', 'sts:TagSession'];
      // Role chaining needs both sides: the association's role may assume the target role ...
      iam.Grant.addToPrincipal({ grantee: props.role, actions, resourceArns: [targetArn] });
      // ... and the target role trusts it.
      this.trustFromTargetRole(props.role, props.targetRole, targetInReach, actions);
    }
  }

  /** Whether the target role is a role of this app whose trust policy can reference the association. */
  private inReach(target: iam.IRole): boolean {
    const here = Stack.of(this);
    const there = Stack.of(target);
    const sameEnvironment = here === there
      || (!Token.isUnresolved(here.account) && here.account === there.account && here.region === there.region);
    return target instanceof iam.Role && target.assumeRolePolicy !== undefined && sameEnvironment;
  }

  /**
   * The target role's ARN built from its physical name. Referencing the role itself would
   * make a dependency cycle: its trust references the association's external id.
   */
  private namedRoleArn(target: iam.Role): string {
    const cfn = target.node.defaultChild as iam.CfnRole;
    const name = cfn.roleName;
    if (name === undefined || Token.isUnresolved(name) || (cfn.path !== undefined && Token.isUnresolved(cfn.path))) {
      fail(siteOf('PodIdentityAssociation', this), 'targetRole',
        `${target.node.path} has no fixed roleName, so the association (which names the role) and the role's trust (which requires the association's external id) would depend on each other`,
        'give the target role a roleName (and a fixed path, if any)');
    }
    const path = (cfn.path ?? '/').replace(/^\//, '');
    return Stack.of(target).formatArn({ service: 'iam', region: '', resource: 'role', resourceName: `${path}${name}` });
  }

  /** Adds the statement EKS needs to the target role's trust, when the target role is in reach. */
  private trustFromTargetRole(source: iam.IRole, target: iam.IRole, inReach: boolean, actions: string[]): void {
    if (!inReach || !(target instanceof iam.Role) || !target.assumeRolePolicy) {
      Annotations.of(this).addWarningV2(WARNING.podIdentityTargetTrust,
        `The target role ${target.node.path} is not a role of this app in the same environment, so its trust policy is not updated here: `
        + 'it must trust the association\'s role with sts:AssumeRole and sts:TagSession, requiring sts:ExternalId = the association\'s ExternalId.');
      return;
    }
    const principals = [new iam.ArnPrincipal(source.roleArn)];
    if (target instanceof PatternRole) {
      // A pattern role of this library: through its trust builder, which validates and measures it.
      target._trust.addStatement({ principals, actions, conditions: [TrustCondition.stringEquals('sts:ExternalId', [this.externalId])] });
      return;
    }
    target.assumeRolePolicy.addStatements(new iam.PolicyStatement({
      principals,
      actions,
      conditions: { StringEquals: { 'sts:ExternalId': this.externalId } },
    }));
  }
}

/**
 * Refuses an association whose sessions the PodIdentityRole's trust would refuse at run
 * time: no session tags while the trust checks them, or a service account or cluster the
 * trust does not list. Values that are tokens are not compared.
 */
function validateAgainstRole(
  site: ErrorSite, scope: Construct, props: PodIdentityAssociationProps, clusterName: string, trust: PodIdentityTrust,
): void {
  const role = props.role;
  const clusterArns = trust.clusterArns;
  const serviceAccounts = trust.serviceAccounts;
  if (props.disableSessionTags && (clusterArns !== undefined || serviceAccounts !== undefined)) {
    const scopedBy = clusterArns ? 'clusterArns' : 'serviceAccounts';
    fail(site, 'disableSessionTags',
      `${role.node.path} admits only sessions tagged with its ${scopedBy} (aws:RequestTag), and disableSessionTags removes the tags, so EKS could never assume it`,
      'leave disableSessionTags out, or use a PodIdentityRole without clusterArns and serviceAccounts');
  }
  const namespace = props.serviceAccountNamespace;
  const name = props.serviceAccountName;
  if (serviceAccounts !== undefined && !Token.isUnresolved(namespace) && !Token.isUnresolved(name)) {
    const admitted = serviceAccounts.some(sa => Token.isUnresolved(sa.serviceAccountNamespace) || Token.isUnresolved(sa.serviceAccountName)
      || (sa.serviceAccountNamespace === namespace && sa.serviceAccountName === name));
    if (!admitted) {
      fail(site, 'serviceAccountName', `${quote(`${namespace}:${name}`)} is not among the serviceAccounts of ${role.node.path} (${serviceAccounts.map(sa => quote(`${sa.serviceAccountNamespace}:${sa.serviceAccountName}`)).join(', ')}), whose trust would refuse it`,
        'associate a service account the role lists, or add it to the role\'s serviceAccounts');
    }
  }
  if (clusterArns !== undefined && !Token.isUnresolved(clusterName) && !clusterArns.some(a => Token.isUnresolved(a))) {
    const stack = Stack.of(scope);
    const given = props.cluster === undefined ? undefined : props.cluster.clusterRef.clusterArn;
    const parts = given !== undefined && !Token.isUnresolved(given) ? parseArn(given) : undefined;
    const account = parts?.account ?? (Token.isUnresolved(stack.account) ? undefined : stack.account);
    const region = parts?.region ?? (Token.isUnresolved(stack.region) ? undefined : stack.region);
    const admitted = clusterArns.some(a => {
      const p = parseArn(a);
      return p !== undefined && globMatches(p.resource, `cluster/${clusterName}`)
        && (account === undefined || globMatches(p.account, account)) && (region === undefined || globMatches(p.region, region));
    });
    if (!admitted) {
      const where = [region, account].filter(x => x !== undefined).join(', ');
      fail(site, props.cluster === undefined ? 'clusterName' : 'cluster',
        `the cluster ${quote(clusterName)}${where ? ` (${where})` : ''} is not among the clusterArns of ${role.node.path} (${clusterArns.map(quote).join(', ')}), whose trust would refuse it`,
        'associate a cluster the role lists, or add its ARN to the role\'s clusterArns');
    }
  }
  validateClusterAccount(site, scope, props, clusterName, trust);
}

/**
 * EKS sets `aws:SourceAccount` to the cluster's account: a cluster of another account than
 * the one the PodIdentityRole's trust requires could never assume it. The cluster's
 * account is the one in its ARN, or else the association's (an association lives in its
 * cluster's account). Skipped when either account is a token.
 */
function validateClusterAccount(
  site: ErrorSite, scope: Construct, props: PodIdentityAssociationProps, clusterName: string, trust: PodIdentityTrust,
): void {
  const role = props.role;
  const required = trust.sourceAccount;
  if (Token.isUnresolved(required)) return;
  const given = props.cluster === undefined ? undefined : props.cluster.clusterRef.clusterArn;
  const fromArn = given === undefined ? undefined : accountOfArn(given);
  const stackAccount = Stack.of(scope).account;
  const account = fromArn ?? (Token.isUnresolved(stackAccount) ? undefined : stackAccount);
  if (account === undefined || account === required) return;
  const cluster = Token.isUnresolved(clusterName) ? 'the cluster' : `the cluster ${quote(clusterName)}`;
  fail(site, props.cluster === undefined ? 'clusterName' : 'cluster',
    `${cluster} is in account ${account}${fromArn !== undefined ? ` (its ARN ${quote(given!)})` : ' (the association\'s account)'}, `
    + `but the trust of ${role.node.path} requires aws:SourceAccount ${required}, and EKS sets aws:SourceAccount to the cluster's account, so EKS could never assume the role`,
    `associate a cluster of account ${required} with this role; for a cluster of account ${account}, associate a role of that account and give ${role.node.path} as its targetRole`);
}

/** Whether `value` matches an IAM `StringLike` pattern (`*` and `?`). */
function globMatches(pattern: string, value: string): boolean {
  const regex = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${regex}$`).test(value);
}
