import { Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { arn, CatalogEntry, Grant, NO_RESOURCE_LEVEL, siteFor } from './grant';
import { validateNotEmpty } from '../../core/validation';

/** The upstream release whose published policy these statements follow. */
export const FSX_CSI_DRIVER_UPSTREAM = 'kubernetes-sigs/aws-fsx-csi-driver v1.9.0';

/**
 * The Amazon FSx for Lustre CSI driver (`fsx-csi-controller-sa` in `kube-system`): creates,
 * updates and deletes the file systems of dynamically provisioned volumes.
 *
 * For `AddonPolicy.fsxCsiDriver`: the statements of the driver's published policy (v1.9.0),
 * with file systems narrowed to this account and region (`fsx:CreateFileSystem` and
 * `fsx:TagResource` on `file-system/*`, as Amazon FSx documents for tagging on creation),
 * the service-linked roles to this account, and `s3:ListBucket` to the data repository
 * buckets.
 *
 * @see https://github.com/kubernetes-sigs/aws-fsx-csi-driver/blob/v1.9.0/docs/install.md
 */
export function fsxCsiDriverEntry(options: { readonly dataRepositoryBuckets?: s3.IBucket[] }): CatalogEntry {
  if (options.dataRepositoryBuckets !== undefined) {
    validateNotEmpty(siteFor('fsxCsiDriver'), 'dataRepositoryBuckets', options.dataRepositoryBuckets,
      'give the buckets the file systems link to, or leave dataRepositoryBuckets out');
  }
  return {
    controller: 'aws-fsx-csi-driver',
    id: 'FsxCsiDriver',
    grants: scope => {
      const serviceLinked = 'the service-linked roles of FSx, by their service path in this account';
      const grants: Grant[] = [
        {
          actions: ['iam:CreateServiceLinkedRole', 'iam:AttachRolePolicy', 'iam:PutRolePolicy'],
          resources: [Stack.of(scope).formatArn({ service: 'iam', region: '', resource: 'role', resourceName: 'aws-service-role/s3.data-source.lustre.fsx.amazonaws.com/*' })],
          why: serviceLinked,
        },
        {
          actions: ['iam:CreateServiceLinkedRole'],
          resources: ['*'],
          conditions: { StringLike: { 'iam:AWSServiceName': ['fsx.amazonaws.com'] } },
          why: 'as the driver\'s published policy: only the FSx service-linked role (iam:AWSServiceName fsx.amazonaws.com)',
        },
        { actions: ['fsx:DescribeFileSystems'], resources: ['*'], why: NO_RESOURCE_LEVEL },
        {
          actions: ['fsx:CreateFileSystem', 'fsx:DeleteFileSystem', 'fsx:UpdateFileSystem', 'fsx:TagResource'],
          resources: [arn(scope, 'fsx', 'file-system/*')],
          why: 'file systems are created at run time for each PersistentVolumeClaim; narrowed to this account and region',
        },
      ];
      const buckets = options.dataRepositoryBuckets ?? [];
      if (buckets.length > 0) grants.push({ actions: ['s3:ListBucket'], resources: buckets.map(b => b.bucketArn) });
      return grants;
    },
  };
}
