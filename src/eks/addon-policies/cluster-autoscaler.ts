import { arn, CatalogEntry, Grant, NO_RESOURCE_LEVEL, siteFor } from './grant';
import { tokenKeysJson } from '../../core/cfn-json';
import { validateNoDuplicates, validateNotEmpty } from '../../core/validation';
import { validateClusterName } from '../private/kubernetes-validation';

/**
 * The Kubernetes Cluster Autoscaler on AWS: resizes only the Auto Scaling groups tagged
 * for the given clusters.
 *
 * For `AddonPolicy.clusterAutoscaler`: checks the options and builds the statements of the published policy.
 *
 * @see https://github.com/kubernetes/autoscaler/blob/master/cluster-autoscaler/cloudprovider/aws/README.md
 */
export function clusterAutoscalerEntry(options: { readonly clusterNames: string[] }): CatalogEntry {
  const site = siteFor('clusterAutoscaler');
  validateNotEmpty(site, 'clusterNames', options.clusterNames, 'give the names of the clusters whose node groups the autoscaler resizes');
  options.clusterNames.forEach(name => validateClusterName(site, 'clusterNames', name));
  validateNoDuplicates(site, 'clusterNames', options.clusterNames);
  return {
    controller: 'cluster-autoscaler',
    id: 'ClusterAutoscaler',
    grants: scope => {
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
            StringEquals: tokenKeysJson(scope, `ClusterAutoscalerCondition${i}`, {
              'aws:ResourceTag/k8s.io/cluster-autoscaler/enabled': 'true',
              [`aws:ResourceTag/k8s.io/cluster-autoscaler/${cluster}`]: 'owned',
            }),
          },
          why: 'Auto Scaling groups are discovered at run time; only those tagged as owned by the given cluster',
        })),
      ];
    },
  };
}
