import * as s3 from 'aws-cdk-lib/aws-s3';
import { arn, CatalogEntry, NO_RESOURCE_LEVEL, siteFor } from './grant';
import { validateNotEmpty } from '../../core/validation';

/** The upstream release whose published policy these statements follow. */
export const VELERO_UPSTREAM = 'vmware-tanzu/velero-plugin-for-aws v1.13.2';

/**
 * Velero with its AWS plugin (`velero` in `velero`): writes backups to the given buckets and
 * snapshots EBS volumes, in this account and region.
 *
 * For `AddonPolicy.velero`: the statements of the plugin's published policy (v1.13.2), with
 * its `Resource: "*"` EC2 statement split by resource type and narrowed to this account and
 * region.
 *
 * @see https://github.com/vmware-tanzu/velero-plugin-for-aws/blob/v1.13.2/README.md#set-permissions-for-velero
 */
export function veleroEntry(options: { readonly buckets: s3.IBucket[] }): CatalogEntry {
  validateNotEmpty(siteFor('velero'), 'buckets', options.buckets, 'give the buckets of the BackupStorageLocations');
  return {
    controller: 'velero',
    id: 'Velero',
    grants: scope => {
      const volumes = arn(scope, 'ec2', 'volume/*');
      const snapshots = arn(scope, 'ec2', 'snapshot/*', { account: '' });
      const anyVolume = 'Velero snapshots and restores the volumes of the PersistentVolumes it backs up, named at run time; narrowed to this account and region';
      return [
        { actions: ['ec2:DescribeVolumes', 'ec2:DescribeSnapshots'], resources: ['*'], why: NO_RESOURCE_LEVEL },
        { actions: ['ec2:CreateSnapshot'], resources: [volumes, snapshots], why: anyVolume },
        { actions: ['ec2:CreateVolume'], resources: [volumes, snapshots], why: anyVolume },
        { actions: ['ec2:DeleteSnapshot'], resources: [snapshots], why: anyVolume },
        { actions: ['ec2:CreateTags'], resources: [volumes, snapshots], why: anyVolume },
        {
          actions: ['s3:GetObject', 's3:DeleteObject', 's3:PutObject', 's3:PutObjectTagging', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
          resources: options.buckets.map(b => b.arnForObjects('*')),
          why: 'the objects of the backup buckets',
        },
        { actions: ['s3:ListBucket'], resources: options.buckets.map(b => b.bucketArn) },
      ];
    },
  };
}
