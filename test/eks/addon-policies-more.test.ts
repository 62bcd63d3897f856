import { CfnParameter, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { controllerRole, documentOf, expectNeeds, newStack, simulateIdentity } from './identity-simulation';
import { AddonPolicy } from '../../src';
import { OTHER_ACCOUNT, TEST_ACCOUNT } from '../support/env';
import { nagFindings } from '../support/nag';
import { templateOf } from '../support/template';

const A = TEST_ACCOUNT;
const O = OTHER_ACCOUNT;
const R = 'us-east-1';
const NODE_ROLE = `arn:aws:iam::${A}:role/KarpenterNodeRole-prod`;
const QUEUE = `arn:aws:sqs:${R}:${A}:prod`;
const CA = `arn:aws:acm-pca:${R}:${A}:certificate-authority/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0`;
const OTHER_CA = `arn:aws:acm-pca:${R}:${A}:certificate-authority/99999999-4b5a-6978-8796-a5b4c3d2e1f0`;
const KEY = `arn:aws:kms:${R}:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

const karpenter = (stack: Stack) => AddonPolicy.karpenter({
  clusterName: 'prod',
  nodeRole: iam.Role.fromRoleArn(stack, 'NodeRole', NODE_ROLE),
  interruptionQueue: sqs.Queue.fromQueueArn(stack, 'Queue', QUEUE),
});

describe('AddonPolicy (more controllers)', () => {
  describe('Karpenter (v1.14.1)', () => {
    const instance = `arn:aws:ec2:${R}:${A}:instance/i-0123`;
    const template = `arn:aws:ec2:${R}:${A}:launch-template/lt-0123`;
    const profile = `arn:aws:iam::${A}:instance-profile/prod_1234`;
    const owned = { 'aws:ResourceTag/kubernetes.io/cluster/prod': 'owned', 'aws:ResourceTag/karpenter.sh/nodepool': 'default' };
    const launching = { 'aws:RequestTag/kubernetes.io/cluster/prod': 'owned', 'aws:RequestTag/eks:eks-cluster-name': 'prod', 'aws:RequestTag/karpenter.sh/nodepool': 'default' };
    const profileTags = {
      'aws:RequestTag/kubernetes.io/cluster/prod': 'owned',
      'aws:RequestTag/eks:eks-cluster-name': 'prod',
      'aws:RequestTag/topology.kubernetes.io/region': R,
      'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': 'default',
    };
    const profileOwned = { 'aws:ResourceTag/kubernetes.io/cluster/prod': 'owned', 'aws:ResourceTag/topology.kubernetes.io/region': R, 'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': 'default' };
    let document: any;
    beforeAll(() => {
      document = documentOf(karpenter);
    });

    test('allows what the controller needs, action by action, for this cluster only', async () => {
      await expectNeeds(document, [
        ['ec2:RunInstances', `arn:aws:ec2:${R}::image/ami-0123`, {}, 'arn:aws:ec2:eu-west-1::image/ami-0123'],
        ['ec2:RunInstances', `arn:aws:ec2:${R}:${A}:subnet/subnet-0123`, {}, `arn:aws:ec2:eu-west-1:${A}:subnet/subnet-0123`],
        ['ec2:RunInstances', `arn:aws:ec2:${R}:${A}:security-group/sg-0123`, {}, `arn:aws:ec2:eu-west-1:${A}:security-group/sg-0123`],
        ['ec2:RunInstances', template, owned, `arn:aws:ec2:${R}:${O}:launch-template/lt-0123`],
        ['ec2:RunInstances', instance, launching, `arn:aws:ec2:${R}:${O}:instance/i-0123`],
        ['ec2:CreateLaunchTemplate', template, launching, `arn:aws:ec2:eu-west-1:${A}:launch-template/lt-0123`],
        ['ec2:CreateTags', instance, { ...launching, 'ec2:CreateAction': 'RunInstances' }, `arn:aws:ec2:${R}:${O}:instance/i-0123`],
        ['ec2:CreateTags', instance, { ...owned, 'aws:RequestTag/eks:eks-cluster-name': 'prod', 'aws:TagKeys': ['eks:eks-cluster-name', 'Name'] }, undefined],
        ['ec2:TerminateInstances', instance, owned, `arn:aws:ec2:${R}:${O}:instance/i-0123`],
        ['ec2:DeleteLaunchTemplate', template, owned, `arn:aws:ec2:${R}:${O}:launch-template/lt-0123`],
        ['iam:PassRole', NODE_ROLE, { 'iam:PassedToService': 'ec2.amazonaws.com' }, `arn:aws:iam::${A}:role/admin`],
        ['iam:CreateInstanceProfile', profile, profileTags, `arn:aws:iam::${O}:instance-profile/prod_1234`],
        ['iam:TagInstanceProfile', profile, { ...profileOwned, ...profileTags }, `arn:aws:iam::${O}:instance-profile/prod_1234`],
        ['iam:AddRoleToInstanceProfile', profile, profileOwned, `arn:aws:iam::${O}:instance-profile/prod_1234`],
        ['iam:DeleteInstanceProfile', profile, profileOwned, `arn:aws:iam::${O}:instance-profile/prod_1234`],
        ['iam:GetInstanceProfile', profile, {}, `arn:aws:iam::${O}:instance-profile/prod_1234`],
        ['iam:ListInstanceProfiles', '*', {}, undefined],
        ['eks:DescribeCluster', `arn:aws:eks:${R}:${A}:cluster/prod`, {}, `arn:aws:eks:${R}:${A}:cluster/dev`],
        ['arc-zonal-shift:GetManagedResource', '*', { 'arc-zonal-shift:ResourceIdentifier': `arn:aws:eks:${R}:${A}:cluster/prod` }, undefined],
        ['ec2:DescribeInstanceTypes', '*', { 'aws:RequestedRegion': R }, undefined],
        ['ec2:DescribeSubnets', '*', { 'aws:RequestedRegion': R }, undefined],
        ['pricing:GetProducts', '*', {}, undefined],
        ['sqs:ReceiveMessage', QUEUE, {}, `arn:aws:sqs:${R}:${A}:other`],
        ['sqs:DeleteMessage', QUEUE, {}, `arn:aws:sqs:${R}:${O}:prod`],
      ]);
    });

    test('the public AMI parameters of AWS, in this region (the simulator does not model account-less parameter ARNs)', () => {
      const ssmStatement = document.Statement.find((x: any) => x.Action === 'ssm:GetParameter');
      expect(ssmStatement).toEqual({ Effect: 'Allow', Action: 'ssm:GetParameter', Resource: `arn:aws:ssm:${R}::parameter/aws/service/*` });
    });

    test('another cluster\'s nodes, untagged resources and other roles are out of reach', async () => {
      const dev = { 'aws:ResourceTag/kubernetes.io/cluster/dev': 'owned', 'aws:ResourceTag/karpenter.sh/nodepool': 'default' };
      expect(await simulateIdentity(document, 'ec2:TerminateInstances', instance, dev)).toBe('Denied');
      expect(await simulateIdentity(document, 'ec2:TerminateInstances', instance, { 'aws:ResourceTag/kubernetes.io/cluster/prod': 'owned' })).toBe('Denied');
      expect(await simulateIdentity(document, 'ec2:RunInstances', instance, { ...launching, 'aws:RequestTag/eks:eks-cluster-name': 'dev' })).toBe('Denied');
      expect(await simulateIdentity(document, 'ec2:CreateTags', instance, { ...owned, 'aws:TagKeys': ['kubernetes.io/cluster/prod'] })).toBe('Denied');
      expect(await simulateIdentity(document, 'iam:PassRole', NODE_ROLE, { 'iam:PassedToService': 'lambda.amazonaws.com' })).toBe('Denied');
      expect(await simulateIdentity(document, 'iam:DeleteInstanceProfile', profile, { ...profileOwned, 'aws:ResourceTag/topology.kubernetes.io/region': 'eu-west-1' })).toBe('Denied');
      expect(await simulateIdentity(document, 'ec2:DescribeInstances', '*', { 'aws:RequestedRegion': 'eu-west-1' })).toBe('Denied');
      expect(await simulateIdentity(document, 'arc-zonal-shift:GetManagedResource', '*', { 'arc-zonal-shift:ResourceIdentifier': `arn:aws:eks:${R}:${A}:cluster/dev` })).toBe('Denied');
    });

    test('without an interruption queue, no SQS permission', () => {
      const plain = documentOf(stack => AddonPolicy.karpenter({ clusterName: 'prod', nodeRole: iam.Role.fromRoleArn(stack, 'NodeRole', NODE_ROLE) }));
      expect(JSON.stringify(plain)).not.toContain('sqs:');
    });

    test('a token cluster name: the tag condition keys go through CfnJson', () => {
      const stack = newStack();
      const cluster = new CfnParameter(stack, 'ClusterName').valueAsString;
      AddonPolicy.karpenter({ clusterName: cluster, nodeRole: iam.Role.fromRoleArn(stack, 'NodeRole', NODE_ROLE) }).attachTo(controllerRole(stack));
      const t = Template.fromStack(stack);
      expect(Object.keys(t.findResources('Custom::AWSCDKCfnJson')).length).toBeGreaterThan(0);
      t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Condition: Match.objectLike({ StringEquals: { 'Fn::GetAtt': [Match.stringLikeRegexp('KarpenterCondition'), 'Value'] } }) })]) },
      });
    });
  });

  test('Velero (v1.13.2): the given buckets; snapshots and volumes of this account and region', async () => {
    const document = documentOf(stack => AddonPolicy.velero({ buckets: [s3.Bucket.fromBucketName(stack, 'Backups', 'acme-velero')] }));
    const volume = `arn:aws:ec2:${R}:${A}:volume/vol-0123`;
    const snapshot = `arn:aws:ec2:${R}::snapshot/snap-0123`;
    await expectNeeds(document, [
      ['ec2:DescribeVolumes', '*', {}, undefined],
      ['ec2:DescribeSnapshots', '*', {}, undefined],
      ['ec2:CreateSnapshot', volume, {}, `arn:aws:ec2:${R}:${O}:volume/vol-0123`],
      ['ec2:CreateSnapshot', snapshot, {}, 'arn:aws:ec2:eu-west-1::snapshot/snap-0123'],
      ['ec2:CreateVolume', volume, {}, `arn:aws:ec2:eu-west-1:${A}:volume/vol-0123`],
      ['ec2:DeleteSnapshot', snapshot, {}, 'arn:aws:ec2:eu-west-1::snapshot/snap-0123'],
      ['ec2:CreateTags', snapshot, {}, 'arn:aws:ec2:eu-west-1::snapshot/snap-0123'],
      ['s3:PutObject', 'arn:aws:s3:::acme-velero/backups/b1/b1.tar.gz', {}, 'arn:aws:s3:::acme-data/b1.tar.gz'],
      ['s3:GetObject', 'arn:aws:s3:::acme-velero/backups/b1/b1.tar.gz', {}, 'arn:aws:s3:::acme-data/b1.tar.gz'],
      ['s3:DeleteObject', 'arn:aws:s3:::acme-velero/backups/b1/b1.tar.gz', {}, 'arn:aws:s3:::acme-data/b1.tar.gz'],
      ['s3:PutObjectTagging', 'arn:aws:s3:::acme-velero/backups/b1/b1.tar.gz', {}, 'arn:aws:s3:::acme-data/b1.tar.gz'],
      ['s3:ListMultipartUploadParts', 'arn:aws:s3:::acme-velero/big', {}, 'arn:aws:s3:::acme-data/big'],
      ['s3:ListBucket', 'arn:aws:s3:::acme-velero', {}, 'arn:aws:s3:::acme-data'],
    ]);
    expect(await simulateIdentity(document, 'ec2:DeleteVolume', volume)).toBe('Denied');
    expect(await simulateIdentity(document, 's3:DeleteBucket', 'arn:aws:s3:::acme-velero')).toBe('Denied');
  });

  test('FSx for Lustre CSI (v1.9.0): file systems of this account and region; the FSx service-linked roles only', async () => {
    const document = documentOf(stack => AddonPolicy.fsxCsiDriver({ dataRepositoryBuckets: [s3.Bucket.fromBucketName(stack, 'Data', 'acme-training-data')] }));
    const fs = `arn:aws:fsx:${R}:${A}:file-system/fs-0123456789abcdef0`;
    await expectNeeds(document, [
      ['fsx:DescribeFileSystems', '*', {}, undefined],
      ['fsx:CreateFileSystem', fs, {}, `arn:aws:fsx:${R}:${O}:file-system/fs-0123456789abcdef0`],
      ['fsx:TagResource', fs, {}, `arn:aws:fsx:eu-west-1:${A}:file-system/fs-0123456789abcdef0`],
      ['fsx:UpdateFileSystem', fs, {}, `arn:aws:fsx:${R}:${O}:file-system/fs-0123456789abcdef0`],
      ['fsx:DeleteFileSystem', fs, {}, `arn:aws:fsx:${R}:${O}:file-system/fs-0123456789abcdef0`],
      ['iam:CreateServiceLinkedRole', `arn:aws:iam::${A}:role/aws-service-role/s3.data-source.lustre.fsx.amazonaws.com/AWSServiceRoleForFSxS3Access_fs-0123`, {},
        `arn:aws:iam::${O}:role/aws-service-role/s3.data-source.lustre.fsx.amazonaws.com/AWSServiceRoleForFSxS3Access_fs-0123`],
      ['iam:PutRolePolicy', `arn:aws:iam::${A}:role/aws-service-role/s3.data-source.lustre.fsx.amazonaws.com/AWSServiceRoleForFSxS3Access_fs-0123`, {},
        `arn:aws:iam::${A}:role/admin`],
      ['iam:CreateServiceLinkedRole', `arn:aws:iam::${A}:role/aws-service-role/fsx.amazonaws.com/AWSServiceRoleForAmazonFSx`, { 'iam:AWSServiceName': 'fsx.amazonaws.com' }, undefined],
      ['s3:ListBucket', 'arn:aws:s3:::acme-training-data', {}, 'arn:aws:s3:::acme-secrets'],
    ]);
    expect(await simulateIdentity(document, 'iam:CreateServiceLinkedRole', `arn:aws:iam::${A}:role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS`, { 'iam:AWSServiceName': 'eks.amazonaws.com' })).toBe('Denied');
    expect(await simulateIdentity(document, 'iam:AttachRolePolicy', `arn:aws:iam::${A}:role/admin`)).toBe('Denied');
    expect(JSON.stringify(documentOf(() => AddonPolicy.fsxCsiDriver()))).not.toContain('s3:');
  });

  test('AWS Private CA issuer (v1.9.0): the given CAs only', async () => {
    const document = documentOf(stack => AddonPolicy.privateCaIssuer({ certificateAuthorities: [acmpca.CertificateAuthority.fromCertificateAuthorityArn(stack, 'Ca', CA)] }));
    await expectNeeds(document, [
      ['acm-pca:IssueCertificate', CA, {}, OTHER_CA],
      ['acm-pca:GetCertificate', CA, {}, OTHER_CA],
      ['acm-pca:DescribeCertificateAuthority', CA, {}, `arn:aws:acm-pca:${R}:${O}:certificate-authority/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0`],
    ]);
    expect(await simulateIdentity(document, 'acm-pca:RevokeCertificate', CA)).toBe('Denied');
  });

  test('Secrets Store CSI provider (3.1.1): exactly the given secrets, parameters and keys', async () => {
    const secret = `arn:aws:secretsmanager:${R}:${A}:secret:orders/db-AbCdEf`;
    const document = documentOf(stack => AddonPolicy.secretsStoreCsiProvider({
      secrets: [secretsmanager.Secret.fromSecretCompleteArn(stack, 'Db', secret), secretsmanager.Secret.fromSecretNameV2(stack, 'Api', 'orders/api')],
      parameters: [ssm.StringParameter.fromStringParameterName(stack, 'Host', '/orders/db-host')],
      kmsKeys: [kms.Key.fromKeyArn(stack, 'Key', KEY)],
    }));
    await expectNeeds(document, [
      ['secretsmanager:GetSecretValue', secret, {}, `arn:aws:secretsmanager:${R}:${A}:secret:billing/db-AbCdEf`],
      ['secretsmanager:DescribeSecret', `arn:aws:secretsmanager:${R}:${A}:secret:orders/api-XyZ123`, {}, `arn:aws:secretsmanager:${R}:${A}:secret:orders/api-admin-XyZ123`],
      ['ssm:GetParameters', `arn:aws:ssm:${R}:${A}:parameter/orders/db-host`, {}, `arn:aws:ssm:${R}:${A}:parameter/orders/db-password`],
      ['kms:Decrypt', KEY, {}, `arn:aws:kms:${R}:${A}:key/99999999-12ab-34cd-56ef-1234567890ab`],
    ]);
    expect(await simulateIdentity(document, 'secretsmanager:PutSecretValue', secret)).toBe('Denied');
  });

  test('attach to a Pod Identity role; snapshot; nag-clean with written reasons', () => {
    const stack = newStack();
    const pod = controllerRole(stack);
    karpenter(stack).attachTo(pod);
    AddonPolicy.velero({ buckets: [new s3.Bucket(stack, 'Backups', { enforceSSL: true, serverAccessLogsPrefix: 'logs/' })] }).attachTo(pod);
    AddonPolicy.fsxCsiDriver().attachTo(pod);
    AddonPolicy.privateCaIssuer({ certificateAuthorities: [acmpca.CertificateAuthority.fromCertificateAuthorityArn(stack, 'Ca', CA)] }).attachTo(pod);
    AddonPolicy.secretsStoreCsiProvider({ secrets: [secretsmanager.Secret.fromSecretNameV2(stack, 'Api', 'orders/api')] }).attachTo(pod);
    const t = Template.fromStack(stack);
    for (const controller of ['karpenter', 'velero', 'aws-fsx-csi-driver', 'aws-privateca-issuer', 'secrets-store-csi-driver-provider-aws']) {
      t.hasResourceProperties('AWS::IAM::ManagedPolicy', { Description: `Permissions of ${controller}`, Roles: [{ Ref: Match.stringLikeRegexp('^Controller') }] });
    }
    expect(templateOf(stack)).toMatchSnapshot();
    expect(nagFindings(stack)).toEqual([]);
  });

  test('attaching Karpenter twice returns the first policies; with another node role it is refused', () => {
    const stack = newStack();
    const role = controllerRole(stack);
    const first = karpenter(stack).attachTo(role);
    expect(AddonPolicy.karpenter({
      clusterName: 'prod', nodeRole: iam.Role.fromRoleArn(stack, 'Same', NODE_ROLE), interruptionQueue: sqs.Queue.fromQueueArn(stack, 'SameQueue', QUEUE),
    }).attachTo(role)).toEqual(first);
    expect(() => AddonPolicy.karpenter({ clusterName: 'prod', nodeRole: iam.Role.fromRoleArn(stack, 'Other', `arn:aws:iam::${A}:role/admin`) }).attachTo(role))
      .toThrow(/prop 'attachTo': the role already has the karpenter policy with other statements/);
  });

  describe('validation', () => {
    const stack = newStack();
    const nodeRole = iam.Role.fromRoleArn(stack, 'NodeRole', NODE_ROLE);
    test.each([
      ['bad cluster name', () => AddonPolicy.karpenter({ clusterName: 'prod cluster', nodeRole }), /Invalid AddonPolicy 'karpenter' prop 'clusterName': 'prod cluster' is not an EKS cluster name/],
      ['no bucket for Velero', () => AddonPolicy.velero({ buckets: [] }), /Invalid AddonPolicy 'velero' prop 'buckets': the list is empty/],
      ['empty data repositories', () => AddonPolicy.fsxCsiDriver({ dataRepositoryBuckets: [] }), /Invalid AddonPolicy 'fsxCsiDriver' prop 'dataRepositoryBuckets': the list is empty/],
      ['no CA', () => AddonPolicy.privateCaIssuer({ certificateAuthorities: [] }), /Invalid AddonPolicy 'privateCaIssuer' prop 'certificateAuthorities': the list is empty/],
      ['nothing to mount', () => AddonPolicy.secretsStoreCsiProvider({}), /Invalid AddonPolicy 'secretsStoreCsiProvider' prop 'secrets': neither secrets nor parameters are given/],
    ])('%s', (_name, make, message) => {
      expect(make).toThrow(message);
    });
  });
});
