import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { arn, CatalogEntry, Grant, NO_RESOURCE_LEVEL, siteFor } from './grant';
import { tokenKeysJson } from '../../core/cfn-json';
import { validateClusterName } from '../private/kubernetes-validation';

/** The upstream release whose published policy these statements follow. */
export const KARPENTER_UPSTREAM = 'aws/karpenter-provider-aws v1.14.1';

/**
 * Karpenter's controller (`karpenter` in `kube-system`): launches and terminates the nodes
 * of one cluster, passes the node role, manages the instance profiles it creates, and reads
 * the interruption queue.
 *
 * For `AddonPolicy.karpenter`: the statements of the five managed policies of the
 * getting-started CloudFormation template (NodeLifecycle, IAMIntegration, EKSIntegration,
 * Interruption, ResourceDiscovery, ZonalShift) of Karpenter v1.14.1, with the resources that
 * Karpenter creates narrowed to this account.
 *
 * @see https://github.com/aws/karpenter-provider-aws/blob/v1.14.1/website/content/en/v1.14/getting-started/getting-started-with-karpenter/cloudformation.yaml
 */
export function karpenterEntry(options: {
  readonly clusterName: string;
  readonly nodeRole: iam.IRole;
  readonly interruptionQueue?: sqs.IQueue;
}): CatalogEntry {
  const site = siteFor('karpenter');
  validateClusterName(site, 'clusterName', options.clusterName);
  const cluster = options.clusterName;
  return {
    controller: 'karpenter',
    id: 'Karpenter',
    grants: scope => {
      const region = Stack.of(scope).region;
      let blocks = 0;
      // Condition keys hold the cluster name: a name given as a token goes through CfnJson.
      const block = (values: Record<string, unknown>) => tokenKeysJson(scope, `KarpenterCondition${blocks++}`, values);
      const ec2 = (resource: string, account?: string) => arn(scope, 'ec2', resource, account === undefined ? {} : { account });
      const created = ['fleet/*', 'instance/*', 'volume/*', 'network-interface/*', 'launch-template/*', 'spot-instances-request/*'].map(r => ec2(r));
      const instanceProfiles = Stack.of(scope).formatArn({ service: 'iam', region: '', resource: 'instance-profile', resourceName: '*' });
      const owned = { [`aws:ResourceTag/kubernetes.io/cluster/${cluster}`]: 'owned' };
      const requestTags = { [`aws:RequestTag/kubernetes.io/cluster/${cluster}`]: 'owned', 'aws:RequestTag/eks:eks-cluster-name': cluster };
      const nodeTags = 'Karpenter creates its instances, launch templates and instance profiles at run time; scoped by the cluster\'s tags';
      const grants: Grant[] = [
        {
          // AllowScopedEC2InstanceAccessActions
          actions: ['ec2:RunInstances', 'ec2:CreateFleet'],
          resources: [ec2('image/*', ''), ec2('snapshot/*', ''), ec2('security-group/*', '*'), ec2('subnet/*', '*'),
            ec2('capacity-reservation/*', '*'), ec2('placement-group/*', '*')],
          why: 'images, subnets and security groups are chosen by EC2NodeClass selectors at run time (AMIs and shared subnets belong to other accounts); narrowed to this region',
        },
        {
          // AllowScopedEC2LaunchTemplateAccessActions
          actions: ['ec2:RunInstances', 'ec2:CreateFleet'],
          resources: [ec2('launch-template/*')],
          conditions: { StringEquals: block(owned), StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' } },
          why: nodeTags,
        },
        {
          // AllowScopedEC2InstanceActionsWithTags
          actions: ['ec2:RunInstances', 'ec2:CreateFleet', 'ec2:CreateLaunchTemplate'],
          resources: created,
          conditions: { StringEquals: block(requestTags), StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' } },
          why: nodeTags,
        },
        {
          // AllowScopedResourceCreationTagging
          actions: ['ec2:CreateTags'],
          resources: created,
          conditions: {
            StringEquals: block({ ...requestTags, 'ec2:CreateAction': ['RunInstances', 'CreateFleet', 'CreateLaunchTemplate'] }),
            StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' },
          },
          why: nodeTags,
        },
        {
          // AllowScopedResourceTagging
          actions: ['ec2:CreateTags'],
          resources: [ec2('instance/*')],
          conditions: {
            'StringEquals': block(owned),
            'StringLike': { 'aws:ResourceTag/karpenter.sh/nodepool': '*' },
            'StringEqualsIfExists': { 'aws:RequestTag/eks:eks-cluster-name': cluster },
            'ForAllValues:StringEquals': { 'aws:TagKeys': ['eks:eks-cluster-name', 'karpenter.sh/nodeclaim', 'Name'] },
          },
          why: nodeTags,
        },
        {
          // AllowScopedDeletion
          actions: ['ec2:TerminateInstances', 'ec2:DeleteLaunchTemplate'],
          resources: [ec2('instance/*'), ec2('launch-template/*')],
          conditions: { StringEquals: block(owned), StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' } },
          why: nodeTags,
        },
        {
          // AllowPassingInstanceRole
          actions: ['iam:PassRole'],
          resources: [options.nodeRole.roleArn],
          conditions: { StringEquals: { 'iam:PassedToService': ['ec2.amazonaws.com', 'ec2.amazonaws.com.cn'] } },
        },
        {
          // AllowScopedInstanceProfileCreationActions
          actions: ['iam:CreateInstanceProfile'],
          resources: [instanceProfiles],
          conditions: {
            StringEquals: block({ ...requestTags, 'aws:RequestTag/topology.kubernetes.io/region': region }),
            StringLike: { 'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': '*' },
          },
          why: nodeTags,
        },
        {
          // AllowScopedInstanceProfileTagActions
          actions: ['iam:TagInstanceProfile'],
          resources: [instanceProfiles],
          conditions: {
            StringEquals: block({
              ...owned,
              'aws:ResourceTag/topology.kubernetes.io/region': region,
              ...requestTags,
              'aws:RequestTag/topology.kubernetes.io/region': region,
            }),
            StringLike: { 'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': '*', 'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': '*' },
          },
          why: nodeTags,
        },
        {
          // AllowScopedInstanceProfileActions
          actions: ['iam:AddRoleToInstanceProfile', 'iam:RemoveRoleFromInstanceProfile', 'iam:DeleteInstanceProfile'],
          resources: [instanceProfiles],
          conditions: {
            StringEquals: block({ ...owned, 'aws:ResourceTag/topology.kubernetes.io/region': region }),
            StringLike: { 'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': '*' },
          },
          why: nodeTags,
        },
        // AllowAPIServerEndpointDiscovery
        { actions: ['eks:DescribeCluster'], resources: [arn(scope, 'eks', `cluster/${cluster}`)] },
        {
          // AllowZonalShiftStatusReadOnly
          actions: ['arc-zonal-shift:GetManagedResource'],
          resources: ['*'],
          conditions: { StringEquals: { 'arc-zonal-shift:ResourceIdentifier': arn(scope, 'eks', `cluster/${cluster}`) } },
          why: 'as Karpenter\'s published policy: the resource is named by the arc-zonal-shift:ResourceIdentifier condition (this cluster)',
        },
        {
          // AllowRegionalReadActions
          actions: ['ec2:DescribeCapacityReservations', 'ec2:DescribeImages', 'ec2:DescribeInstances', 'ec2:DescribeInstanceStatus',
            'ec2:DescribeInstanceTypeOfferings', 'ec2:DescribeInstanceTypes', 'ec2:DescribeLaunchTemplates', 'ec2:DescribePlacementGroups',
            'ec2:DescribeSecurityGroups', 'ec2:DescribeSpotPriceHistory', 'ec2:DescribeSubnets'],
          resources: ['*'],
          conditions: { StringEquals: { 'aws:RequestedRegion': region } },
          why: NO_RESOURCE_LEVEL,
        },
        {
          // AllowSSMReadActions
          actions: ['ssm:GetParameter'],
          resources: [arn(scope, 'ssm', 'parameter/aws/service/*', { account: '' })],
          why: 'the public parameters of AWS (AMI ids) under /aws/service',
        },
        // AllowPricingReadActions, AllowUnscopedInstanceProfileListAction
        { actions: ['pricing:GetProducts', 'iam:ListInstanceProfiles'], resources: ['*'], why: NO_RESOURCE_LEVEL },
        // AllowInstanceProfileReadActions
        { actions: ['iam:GetInstanceProfile'], resources: [instanceProfiles], why: 'Karpenter reads the instance profiles it created; they are named at run time' },
      ];
      if (options.interruptionQueue) {
        // AllowInterruptionQueueActions
        grants.push({ actions: ['sqs:DeleteMessage', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'], resources: [options.interruptionQueue.queueArn] });
      }
      return grants;
    },
  };
}
