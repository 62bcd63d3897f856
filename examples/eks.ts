/**
 * Pods on EKS get AWS access without keys, and administrators reach the clusters with roles:
 * - a cluster defined in this app (aws-eks-v2, no kubectl needed to synthesize): the EBS CSI
 *   driver through EKS Pod Identity, ExternalDNS through IRSA, both with catalog policies
 *   scoped to one KMS key and one hosted zone;
 * - a cluster imported by name: the Pod Identity agent, the Cluster Autoscaler, and an
 *   administrator of the tooling account who manages the cluster through a cross-account
 *   role and an EKS access entry (`aws eks update-kubeconfig --role-arn`);
 * - pods that pull images from JFrog Artifactory with the short-lived token Artifactory
 *   issues for their IAM role (passwordless access; see src/eks/README.md for the mapping).
 */
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as eksv2 from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  AccessPatternsChecks, AddonPolicy, ClusterAccess, CrossAccountRole, IrsaCluster, IrsaRole, PodIdentityAgent, PodIdentityRole,
} from 'cdk-access-patterns';

// The cluster's IAM OIDC provider as AWS::IAM::OIDCProvider rather than a custom resource.
const app = new App({ context: { '@aws-cdk/aws-eks:useNativeOidcProvider': true } });
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new AccessPatternsChecks(app), new CfnGuardValidator());

const toolingAccount = '111111111111';
const platform = new Stack(app, 'Platform', { env: { account: '222222222222', region: 'eu-west-1' } });

// ---- A cluster defined in this app --------------------------------------------------------
const vpc = ec2.Vpc.fromVpcAttributes(platform, 'Vpc', {
  vpcId: 'vpc-0a1b2c3d4e5f60718',
  availabilityZones: ['eu-west-1a', 'eu-west-1b'],
  privateSubnetIds: ['subnet-0a1b2c3d4e5f60718', 'subnet-0a1b2c3d4e5f60719'],
  privateSubnetRouteTableIds: ['rtb-0a1b2c3d4e5f60718', 'rtb-0a1b2c3d4e5f60719'],
});

/** A customer managed key whose grants can only be created for AWS resources (EBS, EKS). */
function key(id: string, description: string): kms.Key {
  const k = new kms.Key(platform, id, { enableKeyRotation: true, description });
  k.addToResourcePolicy(new iam.PolicyStatement({
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['kms:CreateGrant'],
    resources: ['*'],
    conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
  }));
  return k;
}
const encryption = key('ClusterSecretsKey', 'Encrypts the Kubernetes secrets of the orders cluster');
const cluster = new eksv2.Cluster(platform, 'Orders', {
  version: eksv2.KubernetesVersion.V1_33,
  vpc,
  vpcSubnets: [{ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }],
  endpointAccess: eksv2.EndpointAccess.PRIVATE,
  secretsEncryptionKey: encryption,
  clusterLogging: [
    eksv2.ClusterLoggingTypes.API, eksv2.ClusterLoggingTypes.AUDIT, eksv2.ClusterLoggingTypes.AUTHENTICATOR,
    eksv2.ClusterLoggingTypes.CONTROLLER_MANAGER, eksv2.ClusterLoggingTypes.SCHEDULER,
  ],
});
// EKS Auto Mode requires these AWS managed policies on the cluster role and the node role;
// AWS updates them as the service changes, which a copy would not follow.
for (const [policy, reason] of [
  ['AmazonEKSClusterPolicy', 'the cluster role of every EKS cluster'],
  ['AmazonEKSComputePolicy', 'the cluster role of an Auto Mode cluster (manages the nodes)'],
  ['AmazonEKSBlockStoragePolicy', 'the cluster role of an Auto Mode cluster (manages EBS volumes)'],
  ['AmazonEKSLoadBalancingPolicy', 'the cluster role of an Auto Mode cluster (manages load balancers)'],
  ['AmazonEKSNetworkingPolicy', 'the cluster role of an Auto Mode cluster (manages network interfaces)'],
  ['AmazonEKSWorkerNodePolicy', 'the Auto Mode node role'],
  ['AmazonEC2ContainerRegistryReadOnly', 'the Auto Mode node role (pulls images from ECR)'],
]) {
  Validations.of(cluster).acknowledge({
    id: `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${policy}]`,
    reason: `EKS documents ${policy} as required for ${reason}; AWS maintains it with the service.`,
  });
}
Validations.of(cluster).acknowledge({
  id: 'CloudFormation-Validate::W9009',
  reason: 'aws-cdk-lib\'s Cluster writes EncryptionConfig.Resources [\'secrets\'] for secretsEncryptionKey; the property is not set by this app.',
});
Validations.of(cluster).acknowledge({
  id: 'Annotation::@aws-cdk/aws-eks:clusterMustManuallyTagSubnet',
  reason: 'The network stack that owns the VPC tags its private subnets with kubernetes.io/role/internal-elb=1.',
});
PodIdentityAgent.of(cluster);

// The EBS CSI driver through Pod Identity, with the one key that encrypts its volumes.
const volumesKey = key('VolumesKey', 'Encrypts the EBS volumes of the orders cluster');
const ebsCsi = new PodIdentityRole(platform, 'EbsCsiDriver', {
  clusterArns: [cluster.clusterArn],
  serviceAccounts: [{ serviceAccountNamespace: 'kube-system', serviceAccountName: 'ebs-csi-controller-sa' }],
  description: 'Amazon EBS CSI driver of the orders cluster',
});
AddonPolicy.ebsCsiDriver({ kmsKeys: [volumesKey] }).attachTo(ebsCsi);
ebsCsi.associate('EbsCsiAssociation', {
  cluster,
  serviceAccountNamespace: 'kube-system',
  serviceAccountName: 'ebs-csi-controller-sa',
});

// ExternalDNS through IRSA (the cluster's OIDC provider), on one hosted zone.
const zone = route53.HostedZone.fromHostedZoneAttributes(platform, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'orders.example.com' });
const externalDns = new IrsaRole(platform, 'ExternalDns', {
  clusters: [IrsaCluster.fromOpenIdConnectProvider(cluster.openIdConnectProvider)],
  serviceAccounts: [{ serviceAccountNamespace: 'external-dns', serviceAccountName: 'external-dns' }],
  description: 'ExternalDNS of the orders cluster (orders.example.com only)',
});
AddonPolicy.externalDns({ hostedZones: [zone] }).attachTo(externalDns);
// The issuer of a cluster defined in the app is only known at deploy time, so the role's
// condition keys go through CfnJson, whose provider function renders JSON and calls no API.
Validations.of(platform).acknowledge({
  id: 'cdk-validator-cfnguard::lambda_inside_vpc_check',
  reason: 'The only function in this stack is the CfnJson provider of aws-cdk-lib, which renders the IRSA condition keys at deploy time and reaches no network resource.',
});

// ---- A cluster imported by name -------------------------------------------------------------
const legacy = eks.CfnCluster.fromClusterName(platform, 'Legacy', 'legacy');
PodIdentityAgent.of(legacy, { addonVersion: 'v1.3.8-eksbuild.2' });

const autoscaler = new PodIdentityRole(platform, 'ClusterAutoscaler', {
  serviceAccounts: [{ serviceAccountNamespace: 'kube-system', serviceAccountName: 'cluster-autoscaler' }],
  description: 'Cluster Autoscaler of the legacy cluster',
});
AddonPolicy.clusterAutoscaler({ clusterNames: ['legacy'] }).attachTo(autoscaler);
autoscaler.associate('AutoscalerAssociation', { cluster: legacy, serviceAccountNamespace: 'kube-system', serviceAccountName: 'cluster-autoscaler' });

// Administrators of the tooling account manage the legacy cluster: they assume this role
// (with MFA), then run `aws eks update-kubeconfig --name legacy --role-arn <role ARN>`.
const admin = new CrossAccountRole(platform, 'LegacyClusterAdmin', {
  trustedRoleArns: [`arn:aws:iam::${toolingAccount}:role/platform-admins`],
  requireMfa: true,
  description: 'Kubernetes administrators of the legacy cluster, from the tooling account',
});
new ClusterAccess(platform, 'LegacyAdminAccess', {
  cluster: legacy,
  role: admin,
  accessPolicies: [eksv2.AccessPolicy.fromAccessPolicyName('AmazonEKSClusterAdminPolicy', { accessScopeType: eksv2.AccessScopeType.CLUSTER })],
  allowClusterAdmin: true,
});
Validations.of(platform.node.findChild('LegacyAdminAccess')).acknowledge({
  id: 'Annotation::cdk-access-patterns:clusterAdmin',
  reason: 'The platform team administers the legacy cluster; its members assume the role with MFA only.',
});
// Developers read the orders namespace only.
new ClusterAccess(platform, 'LegacyOrdersViewers', {
  cluster: legacy,
  role: iam.Role.fromRoleArn(platform, 'OrdersDevelopers',
    'arn:aws:iam::222222222222:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_OrdersDeveloper_0123456789abcdef', { mutable: false }),
  accessPolicies: [eksv2.AccessPolicy.fromAccessPolicyName('AmazonEKSViewPolicy', { accessScopeType: eksv2.AccessScopeType.NAMESPACE, namespaces: ['orders'] })],
});

// ---- Pods pulling from JFrog Artifactory --------------------------------------------------
// The JFrog Registry Operator (SecretRotator with spec.authType: podIdentity) signs an STS
// GetCallerIdentity request with this role's credentials and gets a short-lived Artifactory
// token for the user the role is mapped to. Artifactory maps an exact role ARN without a
// path, hence the fixed name.
const artifactory = new PodIdentityRole(platform, 'ArtifactoryPull', {
  roleName: 'orders-artifactory-pull',
  clusterArns: [cluster.clusterArn],
  serviceAccounts: [{ serviceAccountNamespace: 'jfrog-operator', serviceAccountName: 'jfrog-operator-sa' }],
  description: 'Mapped to an Artifactory user; exchanged for short-lived registry tokens by the JFrog Registry Operator',
});
// What JFrog's setup guide grants the role: reading its own role.
artifactory.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['iam:GetRole'], resources: [artifactory.roleArn] }));
artifactory.associate('ArtifactoryAssociation', {
  cluster,
  serviceAccountNamespace: 'jfrog-operator',
  serviceAccountName: 'jfrog-operator-sa',
});

app.synth();
