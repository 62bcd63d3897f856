import * as efs from 'aws-cdk-lib/aws-efs';
import { arn, CatalogEntry, siteFor } from './grant';
import { validateNotEmpty } from '../../core/validation';

/**
 * The Amazon EFS CSI driver (`efs-csi-controller-sa` in `kube-system`): creates and deletes
 * the access points of dynamically provisioned volumes.
 *
 * For `AddonPolicy.efsCsiDriver`: checks the options and builds the statements of the published policy.
 *
 * @see https://github.com/kubernetes-sigs/aws-efs-csi-driver/blob/master/docs/iam-policy-example.json
 */
export function efsCsiDriverEntry(options: { readonly fileSystems?: efs.IFileSystem[] }): CatalogEntry {
  const site = siteFor('efsCsiDriver');
  if (options.fileSystems !== undefined) validateNotEmpty(site, 'fileSystems', options.fileSystems, 'give at least one file system, or leave fileSystems out');
  return {
    controller: 'aws-efs-csi-driver',
    id: 'EfsCsiDriver',
    grants: scope => {
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
    },
  };
}
