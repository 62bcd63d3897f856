import * as s3 from 'aws-cdk-lib/aws-s3';
import { CatalogEntry, siteFor } from './grant';
import { validateNotEmpty } from '../../core/validation';

/**
 * The Mountpoint for Amazon S3 CSI driver (`s3-csi-driver-sa` in `kube-system`): lists
 * the given buckets and reads (and, unless `readOnly`, writes) their objects.
 *
 * For `AddonPolicy.mountpointS3`: checks the options and builds the statements of the published policy.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/s3-csi.html
 */
export function mountpointS3Entry(options: { readonly buckets: s3.IBucket[]; readonly readOnly?: boolean }): CatalogEntry {
  validateNotEmpty(siteFor('mountpointS3'), 'buckets', options.buckets, 'give the buckets the volumes mount');
  return {
    controller: 'aws-mountpoint-s3-csi-driver',
    id: 'MountpointS3',
    grants: () => [
      { actions: ['s3:ListBucket'], resources: options.buckets.map(b => b.bucketArn) },
      {
        actions: options.readOnly ? ['s3:GetObject'] : ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:DeleteObject'],
        resources: options.buckets.map(b => b.arnForObjects('*')),
        why: 'the objects of the mounted buckets',
      },
    ],
  };
}
