import { ArnFormat, CfnJson, Stack, Token, Validations } from 'aws-cdk-lib';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct, IConstruct } from 'constructs';
import { validateClusterName } from './kubernetes-validation';
import { ErrorSite, fail } from '../core/errors';
import { validateNoDuplicates, validateNotEmpty } from '../core/validation';

/** Options for {@link AddonPolicy.ebsCsiDriver}. */
export interface EbsCsiDriverPolicyOptions {
  /**
   * Customer managed KMS keys that encrypt the volumes (the `kmsKeyId` of a StorageClass,
   * or the account's default EBS encryption key). The driver gets `kms:CreateGrant`
   * (for AWS resources only), `kms:ListGrants`, `kms:RevokeGrant` and the data-key
   * actions on exactly these keys.
   *
   * @default - no KMS permissions (unencrypted volumes or AWS managed `aws/ebs` key)
   * @see https://docs.aws.amazon.com/eks/latest/userguide/ebs-csi.html
   */
  readonly kmsKeys?: kms.IKey[];
}

/** Options for {@link AddonPolicy.efsCsiDriver}. */
export interface EfsCsiDriverPolicyOptions {
  /**
   * The file systems in which the driver creates access points (dynamic provisioning).
   *
   * @default - every file system of the account and region
   */
  readonly fileSystems?: efs.IFileSystem[];
}

/** Options for {@link AddonPolicy.externalDns} and {@link AddonPolicy.certManager}. */
export interface HostedZonePolicyOptions {
  /**
   * The hosted zones whose records the controller changes. Run the controller with the
   * same zones as its filter (ExternalDNS `--zone-id-filter`, cert-manager
   * `hostedZoneID`), so that it never tries another zone.
   */
  readonly hostedZones: route53.IHostedZone[];
}

/** Options for {@link AddonPolicy.clusterAutoscaler}. */
export interface ClusterAutoscalerPolicyOptions {
  /**
   * The clusters whose Auto Scaling groups the autoscaler may resize. A group qualifies
   * when it carries the tags `k8s.io/cluster-autoscaler/enabled = true` and
   * `k8s.io/cluster-autoscaler/<cluster name> = owned` (what managed node groups set).
   */
  readonly clusterNames: string[];
}

/** Options for {@link AddonPolicy.externalSecrets}. */
export interface ExternalSecretsPolicyOptions {
  /**
   * Secrets Manager secrets that External Secrets may read.
   *
   * @default - none (give `secrets`, `parameters` or both)
   */
  readonly secrets?: secretsmanager.ISecret[];

  /**
   * SSM Parameter Store parameters that External Secrets may read.
   *
   * @default - none (give `secrets`, `parameters` or both)
   */
  readonly parameters?: ssm.IParameter[];

  /**
   * Customer managed KMS keys that encrypt those secrets or SecureString parameters
   * (`kms:Decrypt` only).
   *
   * @default - no KMS permissions (AWS managed keys)
   */
  readonly kmsKeys?: kms.IKey[];
}

/** Options for {@link AddonPolicy.vpcCni}. */
export interface VpcCniPolicyOptions {
  /**
   * The cluster's IP family is IPv6 (the `AmazonEKS_CNI_IPv6_Policy` permissions instead
   * of `AmazonEKS_CNI_Policy`).
   *
   * @default false
   */
  readonly ipv6?: boolean;
}

/** Options for {@link AddonPolicy.mountpointS3}. */
export interface MountpointS3PolicyOptions {
  /** The buckets the driver mounts. */
  readonly buckets: s3.IBucket[];

  /**
   * Mount read-only: no `s3:PutObject`, `s3:AbortMultipartUpload` or `s3:DeleteObject`.
   *
   * @default false
   */
  readonly readOnly?: boolean;
}

/** One statement of a catalog policy (internal). */
interface Grant {
  readonly actions: string[];
  readonly resources: string[];
  readonly conditions?: Record<string, unknown>;
  /** Why a resource ends in a wildcard; becomes the reason of the AwsSolutions-IAM5 acknowledgement. */
  readonly why?: string;
}

type GrantBuilder = (scope: Construct) => Grant[];

/** The size quota of a customer managed policy, in characters without whitespace. */
const MANAGED_POLICY_SIZE = 6144;

const NO_RESOURCE_LEVEL = 'these actions have no resource-level permissions, so IAM only accepts Resource "*"';

/**
 * IAM permissions for the common cluster controllers, one catalog for IRSA and Pod
 * Identity. Each policy follows the controller's published IAM policy, narrowed by the
 * arguments (keys, zones, buckets, secrets, clusters) and to the stack's account and
 * region; `Resource: "*"` is kept only for actions without resource-level permissions.
 *
 * @example
 * const role = new PodIdentityRole(this, 'EbsCsi', {
 *   serviceAccounts: [{ serviceAccountNamespace: 'kube-system', serviceAccountName: 'ebs-csi-controller-sa' }],
 * });
 * AddonPolicy.ebsCsiDriver({ kmsKeys: [key] }).attachTo(role);
 */
export abstract class AddonPolicy {
  /**
   * The Amazon EBS CSI driver (`ebs-csi-controller-sa` in `kube-system`).
   *
   * @see https://github.com/kubernetes-sigs/aws-ebs-csi-driver/blob/master/docs/example-iam-policy.json
   */
  public static ebsCsiDriver(options: EbsCsiDriverPolicyOptions = {}): AddonPolicy {
    return new CatalogPolicy('aws-ebs-csi-driver', 'EbsCsiDriver', scope => {
      const volumes = arn(scope, 'ec2', 'volume/*');
      const instances = arn(scope, 'ec2', 'instance/*');
      const snapshots = arn(scope, 'ec2', 'snapshot/*', { account: '' });
      const anyVolume = 'the driver manages every EBS volume a PersistentVolume names, including statically provisioned ones; narrowed to this account and region';
      const tagged = 'volumes and snapshots get their ids at creation; the statement is scoped by the driver\'s tags';
      const grants: Grant[] = [
        {
          actions: ['ec2:DescribeAvailabilityZones', 'ec2:DescribeInstances', 'ec2:DescribeSnapshots', 'ec2:DescribeTags',
            'ec2:DescribeVolumes', 'ec2:DescribeVolumesModifications', 'ec2:DescribeVolumeStatus'],
          resources: ['*'],
          why: NO_RESOURCE_LEVEL,
        },
        { actions: ['ec2:CreateSnapshot', 'ec2:ModifyVolume'], resources: [volumes], why: anyVolume },
        {
          actions: ['ec2:CopyVolumes'],
          resources: [arn(scope, 'ec2', 'volume/vol-*')],
          why: 'the source of a copy is any existing volume (vol-*) a PersistentVolume names; the new volume (volume/*) only with the driver\'s tags',
        },
        { actions: ['ec2:AttachVolume', 'ec2:DetachVolume'], resources: [volumes, instances], why: anyVolume },
        { actions: ['ec2:CreateVolume', 'ec2:EnableFastSnapshotRestores'], resources: [snapshots], why: 'volumes are restored from any snapshot a VolumeSnapshotContent names; narrowed to this region' },
        {
          actions: ['ec2:CreateTags'],
          resources: [volumes, snapshots],
          conditions: { StringEquals: { 'ec2:CreateAction': ['CreateVolume', 'CreateSnapshot', 'CopyVolumes'] } },
          why: tagged,
        },
        { actions: ['ec2:DeleteTags'], resources: [volumes, snapshots], why: anyVolume },
        ...tagConditions(['ec2:CreateVolume', 'ec2:CopyVolumes'], volumes, 'aws:RequestTag', { 'ebs.csi.aws.com/cluster': 'true', 'CSIVolumeName': '*' }, tagged),
        ...tagConditions(['ec2:DeleteVolume'], volumes, 'ec2:ResourceTag',
          { 'ebs.csi.aws.com/cluster': 'true', 'CSIVolumeName': '*', 'kubernetes.io/created-for/pvc/name': '*' }, tagged),
        ...tagConditions(['ec2:CreateSnapshot'], snapshots, 'aws:RequestTag', { 'CSIVolumeSnapshotName': '*', 'ebs.csi.aws.com/cluster': 'true' }, tagged),
        ...tagConditions(['ec2:DeleteSnapshot'], snapshots, 'ec2:ResourceTag', { 'CSIVolumeSnapshotName': '*', 'ebs.csi.aws.com/cluster': 'true' }, tagged),
      ];
      const keys = (options.kmsKeys ?? []).map(k => k.keyArn);
      if (keys.length > 0) {
        grants.push(
          { actions: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'], resources: keys, conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } },
          {
            actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:DescribeKey'],
            resources: keys,
          },
        );
      }
      return grants;
    });
  }

  /**
   * The Amazon EFS CSI driver (`efs-csi-controller-sa` in `kube-system`): creates and deletes
   * the access points of dynamically provisioned volumes.
   *
   * @see https://github.com/kubernetes-sigs/aws-efs-csi-driver/blob/master/docs/iam-policy-example.json
   */
  public static efsCsiDriver(options: EfsCsiDriverPolicyOptions = {}): AddonPolicy {
    const site = siteFor('efsCsiDriver');
    if (options.fileSystems !== undefined) validateNotEmpty(site, 'fileSystems', options.fileSystems, 'give at least one file system, or leave fileSystems out');
    return new CatalogPolicy('aws-efs-csi-driver', 'EfsCsiDriver', scope => {
      const fileSystems = options.fileSystems?.map(f => f.fileSystemArn) ?? [arn(scope, 'elasticfilesystem', 'file-system/*')];
      const accessPoints = arn(scope, 'elasticfilesystem', 'access-point/*');
      return [
        { actions: ['elasticfilesystem:DescribeAccessPoints', 'elasticfilesystem:DescribeFileSystems', 'elasticfilesystem:DescribeMountTargets', 'ec2:DescribeAvailabilityZones'], resources: ['*'], why: 'the driver lists file systems and access points without an id, which IAM authorizes on "*"' },
        {
          actions: ['elasticfilesystem:CreateAccessPoint'],
          resources: fileSystems,
          conditions: { StringEquals: { 'aws:RequestTag/efs.csi.aws.com/cluster': 'true' } },
          why: 'every file system of this account and region (no fileSystems given); only with the driver\'s tag',
        },
        {
          actions: ['elasticfilesystem:TagResource'],
          resources: [accessPoints],
          conditions: { StringEquals: { 'aws:RequestTag/efs.csi.aws.com/cluster': 'true' } },
          why: 'access points get their ids at creation; tagging them on creation requires the driver\'s tag',
        },
        {
          actions: ['elasticfilesystem:DeleteAccessPoint'],
          resources: [accessPoints],
          conditions: { StringEquals: { 'aws:ResourceTag/efs.csi.aws.com/cluster': 'true' } },
          why: 'access points get their ids at creation; only those carrying the driver\'s tag',
        },
      ];
    });
  }

  /**
   * The AWS Load Balancer Controller (`aws-load-balancer-controller` in `kube-system`):
   * load balancers, target groups, listeners and security groups carrying its
   * `elbv2.k8s.aws/cluster` tag, in this account and region.
   *
   * @see https://github.com/kubernetes-sigs/aws-load-balancer-controller/blob/main/docs/install/iam_policy.json
   */
  public static awsLoadBalancerController(): AddonPolicy {
    return new CatalogPolicy('aws-load-balancer-controller', 'AwsLoadBalancerController', scope => {
      const stack = Stack.of(scope);
      const elb = (r: string) => arn(scope, 'elasticloadbalancing', r);
      const loadBalancers = [elb('loadbalancer/app/*/*'), elb('loadbalancer/net/*/*')];
      const targetGroups = elb('targetgroup/*/*');
      const listeners = [elb('listener/app/*/*/*'), elb('listener/net/*/*/*'), elb('listener-rule/app/*/*/*/*'), elb('listener-rule/net/*/*/*/*')];
      const securityGroups = arn(scope, 'ec2', 'security-group/*');
      const owned = { Null: { 'aws:ResourceTag/elbv2.k8s.aws/cluster': 'false' } };
      const created = 'resources get their ids at creation; only those carrying the controller\'s elbv2.k8s.aws/cluster tag, in this account and region';
      const anyOf = 'the controller manages load balancers, listeners and security groups whose ids it only learns at run time; narrowed to this account and region';
      return [
        {
          actions: ['iam:CreateServiceLinkedRole'],
          resources: [stack.formatArn({ service: 'iam', region: '', resource: 'role', resourceName: 'aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing' })],
          conditions: { StringEquals: { 'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com' } },
        },
        {
          actions: ['ec2:DescribeAccountAttributes', 'ec2:DescribeAddresses', 'ec2:DescribeAvailabilityZones', 'ec2:DescribeInternetGateways',
            'ec2:DescribeVpcs', 'ec2:DescribeVpcPeeringConnections', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups', 'ec2:DescribeInstances',
            'ec2:DescribeNetworkInterfaces', 'ec2:DescribeTags', 'ec2:GetCoipPoolUsage', 'ec2:DescribeCoipPools',
            'elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeLoadBalancerAttributes', 'elasticloadbalancing:DescribeListeners',
            'elasticloadbalancing:DescribeListenerCertificates', 'elasticloadbalancing:DescribeSSLPolicies', 'elasticloadbalancing:DescribeRules',
            'elasticloadbalancing:DescribeTargetGroups', 'elasticloadbalancing:DescribeTargetGroupAttributes', 'elasticloadbalancing:DescribeTargetHealth',
            'elasticloadbalancing:DescribeTags', 'elasticloadbalancing:DescribeTrustStores', 'elasticloadbalancing:DescribeListenerAttributes',
            'acm:ListCertificates', 'iam:ListServerCertificates', 'shield:GetSubscriptionState'],
          resources: ['*'],
          why: NO_RESOURCE_LEVEL,
        },
        {
          actions: ['acm:DescribeCertificate'],
          resources: [arn(scope, 'acm', 'certificate/*')],
          why: 'the controller discovers certificates by host name; narrowed to this account and region',
        },
        {
          actions: ['iam:GetServerCertificate'],
          resources: [stack.formatArn({ service: 'iam', region: '', resource: 'server-certificate', resourceName: '*' })],
          why: 'the controller discovers server certificates by host name; narrowed to this account',
        },
        {
          actions: ['cognito-idp:DescribeUserPoolClient'],
          resources: [arn(scope, 'cognito-idp', 'userpool/*')],
          why: 'user pools are named by Ingress annotations; narrowed to this account and region',
        },
        {
          actions: ['wafv2:GetWebACL', 'wafv2:GetWebACLForResource', 'wafv2:AssociateWebACL', 'wafv2:DisassociateWebACL',
            'waf-regional:GetWebACL', 'waf-regional:GetWebACLForResource', 'waf-regional:AssociateWebACL', 'waf-regional:DisassociateWebACL'],
          resources: [arn(scope, 'wafv2', 'regional/webacl/*/*'), arn(scope, 'waf-regional', 'webacl/*'), elb('loadbalancer/app/*/*')],
          why: 'web ACLs are named by Ingress annotations; narrowed to this account and region',
        },
        {
          actions: ['shield:DescribeProtection', 'shield:CreateProtection', 'shield:DeleteProtection'],
          resources: [stack.formatArn({ service: 'shield', region: '', resource: 'protection', resourceName: '*' }), elb('loadbalancer/app/*/*')],
          why: 'protections get their ids at creation; narrowed to this account',
        },
        { actions: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress'], resources: [securityGroups], why: 'the controller opens the node security groups, which it does not tag; narrowed to this account and region' },
        { actions: ['ec2:CreateSecurityGroup'], resources: [securityGroups, arn(scope, 'ec2', 'vpc/*')], why: anyOf },
        {
          actions: ['ec2:CreateTags'],
          resources: [securityGroups],
          conditions: { StringEquals: { 'ec2:CreateAction': 'CreateSecurityGroup' }, Null: { 'aws:RequestTag/elbv2.k8s.aws/cluster': 'false' } },
          why: created,
        },
        {
          actions: ['ec2:CreateTags', 'ec2:DeleteTags'],
          resources: [securityGroups],
          conditions: { Null: { 'aws:RequestTag/elbv2.k8s.aws/cluster': 'true', 'aws:ResourceTag/elbv2.k8s.aws/cluster': 'false' } },
          why: created,
        },
        { actions: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress', 'ec2:DeleteSecurityGroup'], resources: [securityGroups], conditions: owned, why: created },
        {
          actions: ['elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:CreateTargetGroup'],
          resources: [...loadBalancers, targetGroups],
          conditions: { Null: { 'aws:RequestTag/elbv2.k8s.aws/cluster': 'false' } },
          why: created,
        },
        {
          actions: ['elasticloadbalancing:CreateListener', 'elasticloadbalancing:DeleteListener', 'elasticloadbalancing:CreateRule', 'elasticloadbalancing:DeleteRule'],
          resources: [...loadBalancers, ...listeners],
          why: anyOf,
        },
        {
          actions: ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'],
          resources: [...loadBalancers, targetGroups],
          conditions: { Null: { 'aws:RequestTag/elbv2.k8s.aws/cluster': 'true', 'aws:ResourceTag/elbv2.k8s.aws/cluster': 'false' } },
          why: created,
        },
        { actions: ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'], resources: listeners, why: anyOf },
        {
          actions: ['elasticloadbalancing:AddTags'],
          resources: [...loadBalancers, targetGroups],
          conditions: {
            StringEquals: { 'elasticloadbalancing:CreateAction': ['CreateTargetGroup', 'CreateLoadBalancer'] },
            Null: { 'aws:RequestTag/elbv2.k8s.aws/cluster': 'false' },
          },
          why: created,
        },
        {
          actions: ['elasticloadbalancing:ModifyLoadBalancerAttributes', 'elasticloadbalancing:SetIpAddressType', 'elasticloadbalancing:SetSecurityGroups',
            'elasticloadbalancing:SetSubnets', 'elasticloadbalancing:DeleteLoadBalancer', 'elasticloadbalancing:ModifyTargetGroup',
            'elasticloadbalancing:ModifyTargetGroupAttributes', 'elasticloadbalancing:DeleteTargetGroup'],
          resources: [...loadBalancers, targetGroups],
          conditions: owned,
          why: created,
        },
        { actions: ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'], resources: [targetGroups], why: anyOf },
        {
          actions: ['elasticloadbalancing:SetWebAcl', 'elasticloadbalancing:ModifyListener', 'elasticloadbalancing:AddListenerCertificates',
            'elasticloadbalancing:RemoveListenerCertificates', 'elasticloadbalancing:ModifyRule', 'elasticloadbalancing:SetRulePriorities'],
          resources: [...loadBalancers, ...listeners],
          why: anyOf,
        },
      ];
    });
  }

  /**
   * ExternalDNS (`external-dns`): changes and lists the records of the given hosted zones.
   *
   * @see https://github.com/kubernetes-sigs/external-dns/blob/master/docs/tutorials/aws.md
   */
  public static externalDns(options: HostedZonePolicyOptions): AddonPolicy {
    validateZones(siteFor('externalDns'), options);
    return new CatalogPolicy('external-dns', 'ExternalDns', () => {
      const zones = options.hostedZones.map(z => z.hostedZoneArn);
      return [
        { actions: ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets', 'route53:ListTagsForResources'], resources: zones },
        { actions: ['route53:ListHostedZones'], resources: ['*'], why: NO_RESOURCE_LEVEL },
      ];
    });
  }

  /**
   * cert-manager's Route 53 DNS-01 solver: only `TXT` records named `_acme-challenge.*`
   * in the given hosted zones.
   *
   * @see https://cert-manager.io/docs/configuration/acme/dns01/route53/
   */
  public static certManager(options: HostedZonePolicyOptions): AddonPolicy {
    validateZones(siteFor('certManager'), options);
    return new CatalogPolicy('cert-manager', 'CertManager', scope => {
      const zones = options.hostedZones.map(z => z.hostedZoneArn);
      return [
        {
          actions: ['route53:GetChange'],
          resources: [Stack.of(scope).formatArn({ service: 'route53', region: '', account: '', resource: 'change', resourceName: '*' })],
          why: 'Route 53 change ids are only known once a change is submitted',
        },
        { actions: ['route53:ListResourceRecordSets'], resources: zones },
        {
          actions: ['route53:ChangeResourceRecordSets'],
          resources: zones,
          conditions: {
            'ForAllValues:StringEquals': { 'route53:ChangeResourceRecordSetsRecordTypes': ['TXT'] },
            'ForAllValues:StringLike': { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['_acme-challenge.*'] },
          },
        },
        { actions: ['route53:ListHostedZonesByName'], resources: ['*'], why: NO_RESOURCE_LEVEL },
      ];
    });
  }

  /**
   * The Kubernetes Cluster Autoscaler on AWS: resizes only the Auto Scaling groups tagged
   * for the given clusters.
   *
   * @see https://github.com/kubernetes/autoscaler/blob/master/cluster-autoscaler/cloudprovider/aws/README.md
   */
  public static clusterAutoscaler(options: ClusterAutoscalerPolicyOptions): AddonPolicy {
    const site = siteFor('clusterAutoscaler');
    validateNotEmpty(site, 'clusterNames', options.clusterNames, 'give the names of the clusters whose node groups the autoscaler resizes');
    options.clusterNames.forEach(name => validateClusterName(site, 'clusterNames', name));
    validateNoDuplicates(site, 'clusterNames', options.clusterNames);
    return new CatalogPolicy('cluster-autoscaler', 'ClusterAutoscaler', scope => {
      const groups = arn(scope, 'autoscaling', 'autoScalingGroup:*:autoScalingGroupName/*');
      return [
        {
          actions: ['autoscaling:DescribeAutoScalingGroups', 'autoscaling:DescribeAutoScalingInstances', 'autoscaling:DescribeLaunchConfigurations',
            'autoscaling:DescribeScalingActivities', 'autoscaling:DescribeTags', 'ec2:DescribeImages', 'ec2:DescribeInstanceTypes',
            'ec2:DescribeLaunchTemplateVersions', 'ec2:GetInstanceTypesFromInstanceRequirements'],
          resources: ['*'],
          why: NO_RESOURCE_LEVEL,
        },
        {
          actions: ['eks:DescribeNodegroup'],
          resources: options.clusterNames.map(c => arn(scope, 'eks', `nodegroup/${c}/*/*`)),
          why: 'node group names and ids are discovered from the Auto Scaling group tags; narrowed to the given clusters',
        },
        ...options.clusterNames.map((cluster, i): Grant => ({
          actions: ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup'],
          resources: [groups],
          conditions: {
            StringEquals: tokenKeys(scope, `ClusterAutoscalerCondition${i}`, {
              'aws:ResourceTag/k8s.io/cluster-autoscaler/enabled': 'true',
              [`aws:ResourceTag/k8s.io/cluster-autoscaler/${cluster}`]: 'owned',
            }),
          },
          why: 'Auto Scaling groups are discovered at run time; only those tagged as owned by the given cluster',
        })),
      ];
    });
  }

  /**
   * External Secrets Operator: reads exactly the given Secrets Manager secrets and SSM
   * parameters (and decrypts with the given keys).
   *
   * @see https://external-secrets.io/latest/provider/aws-secrets-manager/
   */
  public static externalSecrets(options: ExternalSecretsPolicyOptions): AddonPolicy {
    const site = siteFor('externalSecrets');
    const secrets = options.secrets ?? [];
    const parameters = options.parameters ?? [];
    if (secrets.length + parameters.length === 0) {
      fail(site, 'secrets', 'neither secrets nor parameters are given, so the operator could read nothing',
        'list the secrets and parameters the ExternalSecret resources name');
    }
    return new CatalogPolicy('external-secrets', 'ExternalSecrets', () => {
      const grants: Grant[] = [];
      if (secrets.length > 0) {
        grants.push({
          actions: ['secretsmanager:GetResourcePolicy', 'secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret', 'secretsmanager:ListSecretVersionIds'],
          resources: secrets.map(s => s.secretFullArn ?? `${s.secretArn}-??????`),
          why: 'a secret imported by name has a random six-character suffix, matched by "-??????"',
        });
      }
      if (parameters.length > 0) {
        grants.push({
          actions: ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath', 'ssm:GetParameterHistory'],
          resources: parameters.map(p => p.parameterArn),
        });
      }
      const keys = (options.kmsKeys ?? []).map(k => k.keyArn);
      if (keys.length > 0) grants.push({ actions: ['kms:Decrypt'], resources: keys });
      return grants;
    });
  }

  /**
   * The Amazon VPC CNI plugin (`aws-node` in `kube-system`): network interfaces and their
   * IP addresses, in this account and region.
   *
   * @see https://docs.aws.amazon.com/eks/latest/userguide/cni-iam-role.html
   */
  public static vpcCni(options: VpcCniPolicyOptions = {}): AddonPolicy {
    return new CatalogPolicy('amazon-vpc-cni', 'VpcCni', scope => {
      const enis = arn(scope, 'ec2', 'network-interface/*');
      const anyEni = 'network interfaces get their ids at creation; narrowed to this account and region';
      const describe: Grant = {
        actions: ['ec2:DescribeInstances', 'ec2:DescribeTags', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeInstanceTypes'],
        resources: ['*'],
        why: NO_RESOURCE_LEVEL,
      };
      const tag: Grant = { actions: ['ec2:CreateTags'], resources: [enis], why: anyEni };
      if (options.ipv6) {
        return [describe, { actions: ['ec2:AssignIpv6Addresses'], resources: [enis], why: anyEni }, tag];
      }
      return [
        describe,
        {
          actions: ['ec2:AssignPrivateIpAddresses', 'ec2:AttachNetworkInterface', 'ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface',
            'ec2:DetachNetworkInterface', 'ec2:ModifyNetworkInterfaceAttribute', 'ec2:UnassignPrivateIpAddresses'],
          resources: [enis, arn(scope, 'ec2', 'instance/*'), arn(scope, 'ec2', 'subnet/*'), arn(scope, 'ec2', 'security-group/*')],
          why: 'the plugin attaches interfaces to the nodes in the node subnets and security groups, all known at run time; narrowed to this account and region',
        },
        tag,
      ];
    });
  }

  /**
   * The Mountpoint for Amazon S3 CSI driver (`s3-csi-driver-sa` in `kube-system`): lists
   * the given buckets and reads (and, unless `readOnly`, writes) their objects.
   *
   * @see https://docs.aws.amazon.com/eks/latest/userguide/s3-csi.html
   */
  public static mountpointS3(options: MountpointS3PolicyOptions): AddonPolicy {
    validateNotEmpty(siteFor('mountpointS3'), 'buckets', options.buckets, 'give the buckets the volumes mount');
    return new CatalogPolicy('aws-mountpoint-s3-csi-driver', 'MountpointS3', () => [
      { actions: ['s3:ListBucket'], resources: options.buckets.map(b => b.bucketArn) },
      {
        actions: options.readOnly ? ['s3:GetObject'] : ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:DeleteObject'],
        resources: options.buckets.map(b => b.arnForObjects('*')),
        why: 'the objects of the mounted buckets',
      },
    ]);
  }

  /** The controller this policy is for, e.g. `aws-ebs-csi-driver`. */
  public readonly controller: string;

  protected constructor(controller: string) {
    this.controller = controller;
  }

  /**
   * The policy statements, with ARNs in the partition, account and region of `scope`'s stack.
   */
  public abstract toPolicyDocument(scope: Construct): iam.PolicyDocument;

  /**
   * Attaches the policy to a role (an `IrsaRole`, a `PodIdentityRole` or any role) as
   * customer managed policies, children of the role: one, or more when the statements
   * exceed the 6,144-character quota of a managed policy (the Load Balancer Controller).
   * Statements that must keep a wildcard resource carry an `AwsSolutions-IAM5`
   * acknowledgement stating why. Attaching the same controller's policy to the same role
   * again returns the policies attached first when it renders the same statements, and
   * throws when it was built with other arguments (whose permissions would be dropped).
   *
   * @returns the managed policies, in order
   */
  public abstract attachTo(role: iam.IRole): iam.ManagedPolicy[];
}

class CatalogPolicy extends AddonPolicy {
  constructor(controller: string, private readonly id: string, private readonly grants: GrantBuilder) {
    super(controller);
  }

  public toPolicyDocument(scope: Construct): iam.PolicyDocument {
    return new iam.PolicyDocument({ statements: this.grants(scope).map(toStatement) });
  }

  public attachTo(role: iam.IRole): iam.ManagedPolicy[] {
    const id = `${this.id}Policy`;
    const stack = Stack.of(role);
    const grants = this.grants(role);
    const rendered = JSON.stringify(grants.map(g => stack.resolve(toStatement(g).toStatementJson())));
    const existing = role.node.tryFindChild(id);
    if (existing instanceof iam.ManagedPolicy) {
      if (ATTACHED.get(existing) !== rendered) {
        fail({ kind: 'AddonPolicy', path: role.node.path }, 'attachTo',
          `the role already has the ${this.controller} policy with other statements (built with other arguments), which this call would silently drop`,
          `attach the ${this.controller} policy once per role, built with all its arguments (every key, zone, bucket or cluster)`);
      }
      return role.node.children.filter((c): c is iam.ManagedPolicy => c instanceof iam.ManagedPolicy && (c.node.id === id || new RegExp(`^${id}\\d+$`).test(c.node.id)));
    }
    const policies: iam.ManagedPolicy[] = [];
    let size = 0;
    let chunk: Grant[] = [];
    const flush = () => {
      const policy = new iam.ManagedPolicy(role, policies.length === 0 ? id : `${id}${policies.length + 1}`, {
        description: `Permissions of ${this.controller}`,
        roles: [role],
        statements: chunk.map(toStatement),
      });
      acknowledgeWildcards(policy, chunk);
      policies.push(policy);
      chunk = [];
      size = 0;
    };
    for (const grant of grants) {
      // Over-estimates the deployed size: unresolved ARNs are longer than their values.
      const length = JSON.stringify(stack.resolve(toStatement(grant).toStatementJson())).length;
      if (chunk.length > 0 && size + length > MANAGED_POLICY_SIZE) flush();
      chunk.push(grant);
      size += length;
    }
    flush();
    ATTACHED.set(policies[0], rendered);
    return policies;
  }
}

/** The rendered statements each first policy of a catalog attachment was built from. */
const ATTACHED = new WeakMap<iam.ManagedPolicy, string>();

function toStatement(grant: Grant): iam.PolicyStatement {
  return new iam.PolicyStatement({ actions: grant.actions, resources: grant.resources, conditions: grant.conditions as any });
}

/** Acknowledges each wildcard resource with the reasons of the statements that hold it. */
function acknowledgeWildcards(policy: iam.ManagedPolicy, grants: Grant[]): void {
  const stack = Stack.of(policy);
  const reasons = new Map<string, Set<string>>();
  for (const grant of grants) {
    for (const resource of grant.resources) {
      const flat = flatten(stack.resolve(resource));
      if (!flat.includes('*') && !flat.includes('?')) continue;
      if (!grant.why) throw new Error(`internal: the ${policy.node.path} statement on ${flat} has no reason for its wildcard`);
      const id = `AwsSolutions-IAM5[Resource::${flat}]`;
      if (!reasons.has(id)) reasons.set(id, new Set());
      reasons.get(id)!.add(`${grant.actions.join(', ')}: ${grant.why}.`);
    }
  }
  for (const [id, why] of reasons) {
    Validations.of(policy).acknowledge({ id, reason: [...why].join(' ') });
  }
}

/** The flat form cdk-nag gives a resource (`arn:<AWS::Partition>:...`, `<Bucket.Arn>/*`). */
function flatten(value: unknown): string {
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (value && typeof value === 'object') {
    const v = value as Record<string, any>;
    if (v['Fn::Join']) return (v['Fn::Join'][1] as unknown[]).map(flatten).join(v['Fn::Join'][0]);
    if (v['Fn::Sub']) return flatten(v['Fn::Sub']);
    if (v['Fn::GetAtt']) return `<${v['Fn::GetAtt'][0]}.${v['Fn::GetAtt'][1]}>`;
    if (v.Ref) return `<${v.Ref}>`;
  }
  return JSON.stringify(value);
}

/** An ARN of the scope's stack: `arn:<partition>:<service>:<region>:<account>:<resource>`. */
function arn(scope: IConstruct, service: string, resource: string, options: { account?: string } = {}): string {
  return Stack.of(scope).formatArn({ service, resource, account: options.account, arnFormat: ArnFormat.NO_RESOURCE_NAME });
}

/** One statement per tag, as the published policies do (any one tag qualifies). */
function tagConditions(actions: string[], resource: string, prefix: string, tags: Record<string, string>, why: string): Grant[] {
  return Object.entries(tags).map(([tag, value]) => ({
    actions,
    resources: [resource],
    conditions: { [value.includes('*') ? 'StringLike' : 'StringEquals']: { [`${prefix}/${tag}`]: value } },
    why,
  }));
}

/** Condition keys that contain a token go through CfnJson. */
function tokenKeys(scope: Construct, id: string, block: Record<string, string>): unknown {
  if (!Object.keys(block).some(k => Token.isUnresolved(k))) return block;
  const existing = scope.node.tryFindChild(id);
  return existing instanceof CfnJson ? existing : new CfnJson(scope, id, { value: block });
}

function validateZones(site: ErrorSite, options: HostedZonePolicyOptions): void {
  validateNotEmpty(site, 'hostedZones', options.hostedZones ?? [], 'give the hosted zones whose records the controller manages');
}

function siteFor(factory: string): ErrorSite {
  return { kind: 'AddonPolicy', path: factory };
}
