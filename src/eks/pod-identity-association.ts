import { Annotations, Resource, Stack, Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as eksv2 from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { aws_eks as eksRefs } from 'aws-cdk-lib/interfaces';
import { Construct } from 'constructs';
import { CLUSTER_NAME, validateNamespace, validateServiceAccountName } from './kubernetes-validation';
import { fail, siteOf } from '../core/errors';
import { quote } from '../core/validation';

/** Properties for a {@link PodIdentityAssociation}. */
export interface PodIdentityAssociationProps {
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

  /** The role the pods get (in the cluster's account), usually a {@link PodIdentityRole}. */
  readonly role: iam.IRole;

  /**
   * A role in another account that EKS assumes with the `role`'s session (role chaining),
   * for cross-account access. When it is an `iam.Role` of the same account and region in
   * this app, its trust policy gets the statement EKS needs: the `role` with
   * `sts:AssumeRole` + `sts:TagSession` and the association's `sts:ExternalId`.
   *
   * @default - no target role
   * @see https://docs.aws.amazon.com/eks/latest/userguide/pod-id-assign-target-role.html
   */
  readonly targetRole?: iam.IRole;

  /**
   * Do not add the `kubernetes-*` and `eks-cluster-*` session tags. Roles that scope their
   * trust with `aws:RequestTag` conditions then refuse the association's sessions.
   *
   * @default false
   */
  readonly disableSessionTags?: boolean;
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
  /** The association ARN. @attribute */
  public readonly associationArn: string;

  /** The association id. @attribute */
  public readonly associationId: string;

  /**
   * The external id EKS passes when it assumes the target role; the target role's trust
   * must require it. @attribute
   */
  public readonly externalId: string;

  constructor(scope: Construct, id: string, props: PodIdentityAssociationProps) {
    const site = siteOf('PodIdentityAssociation', scope, id);
    if ((props.cluster === undefined) === (props.clusterName === undefined)) {
      fail(site, 'cluster', props.cluster === undefined ? 'neither cluster nor clusterName is set' : 'both cluster and clusterName are set',
        'give the cluster, or its name');
    }
    if (props.cluster instanceof eks.FargateCluster || (props.cluster as unknown) instanceof eksv2.FargateCluster) {
      fail(site, 'cluster', `${props.cluster!.node.path} is a Fargate cluster, and EKS Pod Identity does not run on Fargate`,
        'use an IrsaRole for pods on Fargate, or run the pods on EC2 nodes');
    }
    const clusterName = props.clusterName ?? props.cluster!.clusterRef.clusterName;
    if (!Token.isUnresolved(clusterName) && !CLUSTER_NAME.test(clusterName)) {
      fail(site, 'clusterName', `${quote(clusterName)} is not an EKS cluster name`, 'use 1-100 letters, digits, \'-\' or \'_\', starting with a letter or digit');
    }
    validateNamespace(site, 'serviceAccountNamespace', props.serviceAccountNamespace);
    validateServiceAccountName(site, 'serviceAccountName', props.serviceAccountName);
    super(scope, id);

    const targetInReach = props.targetRole !== undefined && this.inReach(props.targetRole);
    const resource = new eks.CfnPodIdentityAssociation(this, 'Resource', {
      clusterName,
      namespace: props.serviceAccountNamespace,
      serviceAccount: props.serviceAccountName,
      roleArn: props.role.roleArn,
      targetRoleArn: targetInReach ? this.namedRoleArn(props.targetRole as iam.Role) : props.targetRole?.roleArn,
      disableSessionTags: props.disableSessionTags,
    });
    this.associationArn = resource.attrAssociationArn;
    this.associationId = resource.attrAssociationId;
    this.externalId = resource.attrExternalId;

    if (props.targetRole) this.trustFromTargetRole(props.role, props.targetRole, targetInReach, props.disableSessionTags ?? false);
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
  private trustFromTargetRole(source: iam.IRole, target: iam.IRole, inReach: boolean, sessionTagsDisabled: boolean): void {
    if (!inReach || !(target instanceof iam.Role) || !target.assumeRolePolicy) {
      Annotations.of(this).addWarningV2('cdk-access-patterns:podIdentityTargetTrust',
        `The target role ${target.node.path} is not a role of this app in the same environment, so its trust policy is not updated here: `
        + 'it must trust the association\'s role with sts:AssumeRole and sts:TagSession, requiring sts:ExternalId = the association\'s ExternalId.');
      return;
    }
    target.assumeRolePolicy.addStatements(new iam.PolicyStatement({
      principals: [new iam.ArnPrincipal(source.roleArn)],
      actions: sessionTagsDisabled ? ['sts:AssumeRole'] : ['sts:AssumeRole', 'sts:TagSession'],
      conditions: { StringEquals: { 'sts:ExternalId': this.externalId } },
    }));
  }
}
