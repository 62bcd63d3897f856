import * as kms from 'aws-cdk-lib/aws-kms';
import { arn, CatalogEntry, Grant, NO_RESOURCE_LEVEL, tagConditions } from './grant';

/**
 * The Amazon EBS CSI driver (`ebs-csi-controller-sa` in `kube-system`).
 *
 * For `AddonPolicy.ebsCsiDriver`: builds the statements of the published policy.
 *
 * @see https://github.com/kubernetes-sigs/aws-ebs-csi-driver/blob/master/docs/example-iam-policy.json
 */
export function ebsCsiDriverEntry(options: { readonly kmsKeys?: kms.IKey[] }): CatalogEntry {
  return {
    controller: 'aws-ebs-csi-driver',
    id: 'EbsCsiDriver',
    grants: scope => {
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
    },
  };
}
