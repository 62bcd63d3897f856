import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { attachGrants } from './addon-policies/attach';
import { awsLoadBalancerControllerEntry } from './addon-policies/aws-load-balancer-controller';
import { certManagerEntry } from './addon-policies/cert-manager';
import { clusterAutoscalerEntry } from './addon-policies/cluster-autoscaler';
import { ebsCsiDriverEntry } from './addon-policies/ebs-csi-driver';
import { efsCsiDriverEntry } from './addon-policies/efs-csi-driver';
import { externalDnsEntry } from './addon-policies/external-dns';
import { externalSecretsEntry } from './addon-policies/external-secrets';
import { fsxCsiDriverEntry } from './addon-policies/fsx-csi-driver';
import { CatalogEntry, toStatement } from './addon-policies/grant';
import { karpenterEntry } from './addon-policies/karpenter';
import { mountpointS3Entry } from './addon-policies/mountpoint-s3';
import { privateCaIssuerEntry } from './addon-policies/private-ca-issuer';
import { secretsStoreCsiProviderEntry } from './addon-policies/secrets-store-csi-provider';
import { veleroEntry } from './addon-policies/velero';
import { vpcCniEntry } from './addon-policies/vpc-cni';


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

/** Options for {@link AddonPolicy.karpenter}. */
export interface KarpenterPolicyOptions {
  /**
   * The cluster whose nodes Karpenter manages: its nodes, launch templates and instance
   * profiles carry `kubernetes.io/cluster/<name> = owned` and `eks:eks-cluster-name = <name>`,
   * and only those can be launched, tagged or terminated.
   */
  readonly clusterName: string;

  /**
   * The role of the nodes Karpenter launches (the `role` of its EC2NodeClass): the only
   * role it may pass to EC2.
   */
  readonly nodeRole: iam.IRole;

  /**
   * The interruption queue (`settings.interruptionQueue`) that EventBridge fills with
   * Spot interruption, rebalance, health and instance state events.
   *
   * @default - no queue: Karpenter runs without interruption handling
   * @see https://karpenter.sh/docs/concepts/disruption/#interruption
   */
  readonly interruptionQueue?: sqs.IQueue;
}

/** Options for {@link AddonPolicy.velero}. */
export interface VeleroPolicyOptions {
  /** The buckets of the BackupStorageLocations. */
  readonly buckets: s3.IBucket[];
}

/** Options for {@link AddonPolicy.fsxCsiDriver}. */
export interface FsxCsiDriverPolicyOptions {
  /**
   * S3 buckets that file systems link to as data repositories (`s3ImportPath`,
   * `s3ExportPath` of the StorageClass): the driver lists them.
   *
   * @default - no data repository: no S3 permission
   */
  readonly dataRepositoryBuckets?: s3.IBucket[];
}

/** Options for {@link AddonPolicy.privateCaIssuer}. */
export interface PrivateCaIssuerPolicyOptions {
  /** The private certificate authorities that the issuer resources (`spec.arn`) name. */
  readonly certificateAuthorities: acmpca.ICertificateAuthority[];
}

/** Options for {@link AddonPolicy.secretsStoreCsiProvider}. */
export interface SecretsStoreCsiProviderPolicyOptions {
  /**
   * Secrets Manager secrets that the pods mount.
   *
   * @default - none (give `secrets`, `parameters` or both)
   */
  readonly secrets?: secretsmanager.ISecret[];

  /**
   * SSM Parameter Store parameters that the pods mount.
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
    return new CatalogPolicy(ebsCsiDriverEntry(options));
  }

  /**
   * The Amazon EFS CSI driver (`efs-csi-controller-sa` in `kube-system`): creates and deletes
   * the access points of dynamically provisioned volumes.
   *
   * @see https://github.com/kubernetes-sigs/aws-efs-csi-driver/blob/master/docs/iam-policy-example.json
   */
  public static efsCsiDriver(options: EfsCsiDriverPolicyOptions = {}): AddonPolicy {
    return new CatalogPolicy(efsCsiDriverEntry(options));
  }

  /**
   * The AWS Load Balancer Controller (`aws-load-balancer-controller` in `kube-system`):
   * load balancers, target groups, listeners and security groups carrying its
   * `elbv2.k8s.aws/cluster` tag, in this account and region.
   *
   * @see https://github.com/kubernetes-sigs/aws-load-balancer-controller/blob/main/docs/install/iam_policy.json
   */
  public static awsLoadBalancerController(): AddonPolicy {
    return new CatalogPolicy(awsLoadBalancerControllerEntry());
  }

  /**
   * ExternalDNS (`external-dns`): changes and lists the records of the given hosted zones.
   *
   * @see https://github.com/kubernetes-sigs/external-dns/blob/master/docs/tutorials/aws.md
   */
  public static externalDns(options: HostedZonePolicyOptions): AddonPolicy {
    return new CatalogPolicy(externalDnsEntry(options));
  }

  /**
   * cert-manager's Route 53 DNS-01 solver: only `TXT` records named `_acme-challenge.*`
   * in the given hosted zones.
   *
   * @see https://cert-manager.io/docs/configuration/acme/dns01/route53/
   */
  public static certManager(options: HostedZonePolicyOptions): AddonPolicy {
    return new CatalogPolicy(certManagerEntry(options));
  }

  /**
   * The Kubernetes Cluster Autoscaler on AWS: resizes only the Auto Scaling groups tagged
   * for the given clusters.
   *
   * @see https://github.com/kubernetes/autoscaler/blob/master/cluster-autoscaler/cloudprovider/aws/README.md
   */
  public static clusterAutoscaler(options: ClusterAutoscalerPolicyOptions): AddonPolicy {
    return new CatalogPolicy(clusterAutoscalerEntry(options));
  }

  /**
   * External Secrets Operator: reads exactly the given Secrets Manager secrets and SSM
   * parameters (and decrypts with the given keys).
   *
   * @see https://external-secrets.io/latest/provider/aws-secrets-manager/
   */
  public static externalSecrets(options: ExternalSecretsPolicyOptions): AddonPolicy {
    return new CatalogPolicy(externalSecretsEntry(options));
  }

  /**
   * The Amazon VPC CNI plugin (`aws-node` in `kube-system`): network interfaces and their
   * IP addresses, in this account and region.
   *
   * @see https://docs.aws.amazon.com/eks/latest/userguide/cni-iam-role.html
   */
  public static vpcCni(options: VpcCniPolicyOptions = {}): AddonPolicy {
    return new CatalogPolicy(vpcCniEntry(options));
  }

  /**
   * The Mountpoint for Amazon S3 CSI driver (`s3-csi-driver-sa` in `kube-system`): lists
   * the given buckets and reads (and, unless `readOnly`, writes) their objects.
   *
   * @see https://docs.aws.amazon.com/eks/latest/userguide/s3-csi.html
   */
  public static mountpointS3(options: MountpointS3PolicyOptions): AddonPolicy {
    return new CatalogPolicy(mountpointS3Entry(options));
  }

  /**
   * Karpenter's controller (`karpenter` in `kube-system`), following the published policies
   * of Karpenter v1.14.1: launches, tags and terminates only the nodes, launch templates and
   * instance profiles tagged for the given cluster, passes only the given node role to EC2,
   * and reads only the given interruption queue.
   *
   * @see https://github.com/aws/karpenter-provider-aws/blob/v1.14.1/website/content/en/v1.14/getting-started/getting-started-with-karpenter/cloudformation.yaml
   */
  public static karpenter(options: KarpenterPolicyOptions): AddonPolicy {
    return new CatalogPolicy(karpenterEntry(options));
  }

  /**
   * Velero with the AWS plugin (`velero` in `velero`), following the plugin's published
   * policy (v1.13.2): backups in the given buckets, EBS snapshots in this account and region.
   *
   * @see https://github.com/vmware-tanzu/velero-plugin-for-aws/blob/v1.13.2/README.md
   */
  public static velero(options: VeleroPolicyOptions): AddonPolicy {
    return new CatalogPolicy(veleroEntry(options));
  }

  /**
   * The Amazon FSx for Lustre CSI driver (`fsx-csi-controller-sa` in `kube-system`),
   * following the driver's published policy (v1.9.0): file systems of this account and region.
   *
   * @see https://github.com/kubernetes-sigs/aws-fsx-csi-driver/blob/v1.9.0/docs/install.md
   */
  public static fsxCsiDriver(options: FsxCsiDriverPolicyOptions = {}): AddonPolicy {
    return new CatalogPolicy(fsxCsiDriverEntry(options));
  }

  /**
   * The AWS Private CA issuer for cert-manager (`aws-privateca-issuer`), following the
   * issuer's published policy (v1.9.0): certificates from the given CAs only.
   *
   * @see https://github.com/cert-manager/aws-privateca-issuer/blob/v1.9.0/README.md
   */
  public static privateCaIssuer(options: PrivateCaIssuerPolicyOptions): AddonPolicy {
    return new CatalogPolicy(privateCaIssuerEntry(options));
  }

  /**
   * The AWS provider of the Secrets Store CSI driver, following the provider's published
   * policy (3.1.1). Attach it to the role of the pods that mount the secrets: the provider
   * fetches them with the pod's own credentials.
   *
   * @see https://github.com/aws/secrets-store-csi-driver-provider-aws/blob/3.1.1/README.md
   */
  public static secretsStoreCsiProvider(options: SecretsStoreCsiProviderPolicyOptions): AddonPolicy {
    return new CatalogPolicy(secretsStoreCsiProviderEntry(options));
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
  constructor(private readonly entry: CatalogEntry) {
    super(entry.controller);
  }

  public toPolicyDocument(scope: Construct): iam.PolicyDocument {
    return new iam.PolicyDocument({ statements: this.entry.grants(scope).map(toStatement) });
  }

  public attachTo(role: iam.IRole): iam.ManagedPolicy[] {
    return attachGrants(role, { controller: this.controller, id: `${this.entry.id}Policy`, grants: this.entry.grants(role) });
  }
}
