import { CfnParameter } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { controllerRole, documentOf, expectNeeds, managedPolicyDocument, newStack, simulateIdentity } from './identity-simulation';
import { AddonPolicy, IrsaCluster, IrsaRole } from '../../src';
import { OTHER_ACCOUNT, TEST_ACCOUNT } from '../support/env';
import { nagFindings } from '../support/nag';
import { templateOf } from '../support/template';

const A = TEST_ACCOUNT;
const O = OTHER_ACCOUNT;
const KEY = `arn:aws:kms:us-east-1:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const OTHER_KEY = `arn:aws:kms:us-east-1:${A}:key/99999999-12ab-34cd-56ef-1234567890ab`;
const ZONE = 'Z0123456789ABCDEFGHIJ';
const OTHER_ZONE = 'Z9999999999ABCDEFGHIJ';

describe('AddonPolicy', () => {
  describe('EBS CSI driver', () => {
    const volume = `arn:aws:ec2:us-east-1:${A}:volume/vol-0123`;
    const otherAccountVolume = `arn:aws:ec2:us-east-1:${O}:volume/vol-0123`;
    const otherRegionVolume = `arn:aws:ec2:eu-west-1:${A}:volume/vol-0123`;
    const snapshot = 'arn:aws:ec2:us-east-1::snapshot/snap-0123';
    const instance = `arn:aws:ec2:us-east-1:${A}:instance/i-0123`;
    let document: any;
    beforeAll(() => {
      document = documentOf(stack => AddonPolicy.ebsCsiDriver({ kmsKeys: [kms.Key.fromKeyArn(stack, 'Key', KEY)] }));
    });

    test('allows what the driver needs, in this account and region only', async () => {
      await expectNeeds(document, [
        ['ec2:DescribeVolumes', '*', {}, undefined],
        ['ec2:DescribeInstances', '*', {}, undefined],
        ['ec2:DescribeSnapshots', '*', {}, undefined],
        ['ec2:DescribeAvailabilityZones', '*', {}, undefined],
        ['ec2:AttachVolume', volume, {}, otherAccountVolume],
        ['ec2:AttachVolume', instance, {}, `arn:aws:ec2:us-east-1:${O}:instance/i-0123`],
        ['ec2:DetachVolume', volume, {}, otherRegionVolume],
        ['ec2:ModifyVolume', volume, {}, otherAccountVolume],
        ['ec2:CreateVolume', volume, { 'aws:RequestTag/ebs.csi.aws.com/cluster': 'true' }, otherAccountVolume],
        ['ec2:CreateVolume', snapshot, {}, 'arn:aws:ec2:eu-west-1::snapshot/snap-0123'],
        ['ec2:DeleteVolume', volume, { 'ec2:ResourceTag/CSIVolumeName': 'pvc-1' }, otherAccountVolume],
        ['ec2:CreateSnapshot', snapshot, { 'aws:RequestTag/CSIVolumeSnapshotName': 'snap' }, 'arn:aws:ec2:eu-west-1::snapshot/snap-0123'],
        ['ec2:DeleteSnapshot', snapshot, { 'ec2:ResourceTag/ebs.csi.aws.com/cluster': 'true' }, 'arn:aws:ec2:eu-west-1::snapshot/snap-0123'],
        ['ec2:CreateTags', volume, { 'ec2:CreateAction': 'CreateVolume' }, otherAccountVolume],
        ['ec2:CopyVolumes', volume, {}, otherAccountVolume],
        ['ec2:CopyVolumes', `arn:aws:ec2:us-east-1:${A}:volume/*`, { 'aws:RequestTag/ebs.csi.aws.com/cluster': 'true' }, `arn:aws:ec2:us-east-1:${O}:volume/*`],
        ['ec2:CreateTags', volume, { 'ec2:CreateAction': 'CopyVolumes' }, otherRegionVolume],
        ['kms:CreateGrant', KEY, { 'kms:GrantIsForAWSResource': 'true' }, OTHER_KEY],
        ['kms:GenerateDataKeyWithoutPlaintext', KEY, {}, OTHER_KEY],
        ['kms:Decrypt', KEY, {}, OTHER_KEY],
      ]);
    });

    test('volumes and snapshots without the driver\'s tags cannot be created or deleted', async () => {
      expect(await simulateIdentity(document, 'ec2:CreateVolume', volume, {})).toBe('Denied');
      expect(await simulateIdentity(document, 'ec2:DeleteVolume', volume, { 'ec2:ResourceTag/owner': 'someone' })).toBe('Denied');
      expect(await simulateIdentity(document, 'ec2:DeleteSnapshot', snapshot, {})).toBe('Denied');
      expect(await simulateIdentity(document, 'ec2:CreateTags', volume, { 'ec2:CreateAction': 'RunInstances' })).toBe('Denied');
      expect(await simulateIdentity(document, 'kms:CreateGrant', KEY, { 'kms:GrantIsForAWSResource': 'false' })).toBe('Denied');
    });

    test('without keys, no KMS permission at all', async () => {
      const plain = documentOf(() => AddonPolicy.ebsCsiDriver());
      expect(JSON.stringify(plain)).not.toContain('kms:');
    });
  });

  test('EFS CSI driver: access points only in the given file system and with the driver\'s tag', async () => {
    const fs = `arn:aws:elasticfilesystem:us-east-1:${A}:file-system/fs-0123`;
    const document = documentOf(stack => AddonPolicy.efsCsiDriver({
      fileSystems: [efs.FileSystem.fromFileSystemAttributes(stack, 'Fs', { fileSystemArn: fs, securityGroup: undefined as any })],
    }));
    const tag = { 'aws:RequestTag/efs.csi.aws.com/cluster': 'true' };
    await expectNeeds(document, [
      ['elasticfilesystem:DescribeAccessPoints', '*', {}, undefined],
      ['elasticfilesystem:DescribeFileSystems', '*', {}, undefined],
      ['elasticfilesystem:CreateAccessPoint', fs, tag, `arn:aws:elasticfilesystem:us-east-1:${A}:file-system/fs-9999`],
      ['elasticfilesystem:TagResource', `arn:aws:elasticfilesystem:us-east-1:${A}:access-point/fsap-0123`, tag, `arn:aws:elasticfilesystem:us-east-1:${O}:access-point/fsap-0123`],
      ['elasticfilesystem:DeleteAccessPoint', `arn:aws:elasticfilesystem:us-east-1:${A}:access-point/fsap-0123`,
        { 'aws:ResourceTag/efs.csi.aws.com/cluster': 'true' }, `arn:aws:elasticfilesystem:us-east-1:${O}:access-point/fsap-0123`],
    ]);
    expect(await simulateIdentity(document, 'elasticfilesystem:CreateAccessPoint', fs, {})).toBe('Denied');
    expect(await simulateIdentity(document, 'elasticfilesystem:TagResource', `arn:aws:elasticfilesystem:us-east-1:${A}:access-point/fsap-0123`, { 'aws:RequestTag/owner': 'x' })).toBe('Denied');
    expect(await simulateIdentity(document, 'elasticfilesystem:TagResource', fs, tag)).toBe('Denied');
    expect(await simulateIdentity(document, 'elasticfilesystem:DeleteAccessPoint', `arn:aws:elasticfilesystem:us-east-1:${A}:access-point/fsap-0123`, {})).toBe('Denied');
  });

  describe('AWS Load Balancer Controller', () => {
    const alb = `arn:aws:elasticloadbalancing:us-east-1:${A}:loadbalancer/app/k8s-orders/0123456789abcdef`;
    const otherAlb = `arn:aws:elasticloadbalancing:us-east-1:${O}:loadbalancer/app/k8s-orders/0123456789abcdef`;
    const tg = `arn:aws:elasticloadbalancing:us-east-1:${A}:targetgroup/k8s-orders/0123456789abcdef`;
    const listener = `arn:aws:elasticloadbalancing:us-east-1:${A}:listener/app/k8s-orders/0123456789abcdef/fedcba9876543210`;
    const sg = `arn:aws:ec2:us-east-1:${A}:security-group/sg-0123`;
    const otherSg = `arn:aws:ec2:us-east-1:${O}:security-group/sg-0123`;
    const owned = { 'aws:ResourceTag/elbv2.k8s.aws/cluster': 'prod' };
    let document: any;
    beforeAll(() => {
      document = documentOf(() => AddonPolicy.awsLoadBalancerController());
    });

    test('allows what the controller needs, in this account and region only', async () => {
      await expectNeeds(document, [
        ['iam:CreateServiceLinkedRole', `arn:aws:iam::${A}:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing`,
          { 'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com' }, `arn:aws:iam::${A}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`],
        ['ec2:DescribeSubnets', '*', {}, undefined],
        ['elasticloadbalancing:DescribeLoadBalancers', '*', {}, undefined],
        ['elasticloadbalancing:DescribeTargetHealth', '*', {}, undefined],
        ['acm:ListCertificates', '*', {}, undefined],
        ['acm:DescribeCertificate', `arn:aws:acm:us-east-1:${A}:certificate/0123`, {}, `arn:aws:acm:us-east-1:${O}:certificate/0123`],
        ['wafv2:AssociateWebACL', `arn:aws:wafv2:us-east-1:${A}:regional/webacl/orders/0123`, {}, `arn:aws:wafv2:us-east-1:${O}:regional/webacl/orders/0123`],
        ['ec2:CreateSecurityGroup', sg, { 'aws:RequestTag/elbv2.k8s.aws/cluster': 'prod' }, otherSg],
        ['ec2:CreateTags', sg, { 'ec2:CreateAction': 'CreateSecurityGroup', 'aws:RequestTag/elbv2.k8s.aws/cluster': 'prod' }, otherSg],
        ['ec2:AuthorizeSecurityGroupIngress', sg, {}, otherSg],
        ['ec2:DeleteSecurityGroup', sg, owned, otherSg],
        ['elasticloadbalancing:CreateLoadBalancer', alb, { 'aws:RequestTag/elbv2.k8s.aws/cluster': 'prod' }, otherAlb],
        ['elasticloadbalancing:CreateTargetGroup', tg, { 'aws:RequestTag/elbv2.k8s.aws/cluster': 'prod' }, `arn:aws:elasticloadbalancing:us-east-1:${O}:targetgroup/k8s-orders/0123456789abcdef`],
        ['elasticloadbalancing:CreateListener', alb, {}, otherAlb],
        ['elasticloadbalancing:ModifyListener', listener, {}, `arn:aws:elasticloadbalancing:eu-west-1:${A}:listener/app/k8s-orders/0123456789abcdef/fedcba9876543210`],
        ['elasticloadbalancing:DeleteLoadBalancer', alb, owned, otherAlb],
        ['elasticloadbalancing:ModifyTargetGroupAttributes', tg, owned, `arn:aws:elasticloadbalancing:eu-west-1:${A}:targetgroup/k8s-orders/0123456789abcdef`],
        ['elasticloadbalancing:RegisterTargets', tg, {}, `arn:aws:elasticloadbalancing:us-east-1:${O}:targetgroup/k8s-orders/0123456789abcdef`],
        ['elasticloadbalancing:AddTags', alb, { 'elasticloadbalancing:CreateAction': 'CreateLoadBalancer', 'aws:RequestTag/elbv2.k8s.aws/cluster': 'prod' }, otherAlb],
      ]);
    });

    test('load balancers and security groups without the controller\'s tag are out of reach', async () => {
      expect(await simulateIdentity(document, 'elasticloadbalancing:CreateLoadBalancer', alb, {})).toBe('Denied');
      expect(await simulateIdentity(document, 'elasticloadbalancing:DeleteLoadBalancer', alb, {})).toBe('Denied');
      expect(await simulateIdentity(document, 'ec2:DeleteSecurityGroup', sg, {})).toBe('Denied');
      expect(await simulateIdentity(document, 'iam:CreateServiceLinkedRole',
        `arn:aws:iam::${A}:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing`, { 'iam:AWSServiceName': 'autoscaling.amazonaws.com' })).toBe('Denied');
    });

    test('is split into managed policies under the 6,144-character quota', () => {
      const stack = newStack();
      const policies = AddonPolicy.awsLoadBalancerController().attachTo(controllerRole(stack));
      expect(policies.length).toBeGreaterThan(1);
      for (const p of policies) expect(JSON.stringify(managedPolicyDocument(stack, p)).length).toBeLessThanOrEqual(6144);
    });
  });

  test('ExternalDNS: records of the given zones only', async () => {
    const document = documentOf(stack => AddonPolicy.externalDns({ hostedZones: [route53.HostedZone.fromHostedZoneId(stack, 'Zone', ZONE)] }));
    await expectNeeds(document, [
      ['route53:ChangeResourceRecordSets', `arn:aws:route53:::hostedzone/${ZONE}`, {}, `arn:aws:route53:::hostedzone/${OTHER_ZONE}`],
      ['route53:ListResourceRecordSets', `arn:aws:route53:::hostedzone/${ZONE}`, {}, `arn:aws:route53:::hostedzone/${OTHER_ZONE}`],
      ['route53:ListTagsForResources', `arn:aws:route53:::hostedzone/${ZONE}`, {}, `arn:aws:route53:::hostedzone/${OTHER_ZONE}`],
      ['route53:ListHostedZones', '*', {}, undefined],
    ]);
  });

  test('cert-manager: only _acme-challenge TXT records of the given zones', async () => {
    const document = documentOf(stack => AddonPolicy.certManager({ hostedZones: [route53.HostedZone.fromHostedZoneId(stack, 'Zone', ZONE)] }));
    const challenge = { 'route53:ChangeResourceRecordSetsRecordTypes': ['TXT'], 'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['_acme-challenge.api.example.com'] };
    await expectNeeds(document, [
      ['route53:GetChange', 'arn:aws:route53:::change/C0123', {}, undefined],
      ['route53:ListResourceRecordSets', `arn:aws:route53:::hostedzone/${ZONE}`, {}, `arn:aws:route53:::hostedzone/${OTHER_ZONE}`],
      ['route53:ChangeResourceRecordSets', `arn:aws:route53:::hostedzone/${ZONE}`, challenge, `arn:aws:route53:::hostedzone/${OTHER_ZONE}`],
      ['route53:ListHostedZonesByName', '*', {}, undefined],
    ]);
    const zone = `arn:aws:route53:::hostedzone/${ZONE}`;
    expect(await simulateIdentity(document, 'route53:ChangeResourceRecordSets', zone, { ...challenge, 'route53:ChangeResourceRecordSetsRecordTypes': ['A'] })).toBe('Denied');
    expect(await simulateIdentity(document, 'route53:ChangeResourceRecordSets', zone, { ...challenge, 'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['api.example.com'] })).toBe('Denied');
  });

  test('Cluster Autoscaler: only the Auto Scaling groups tagged as owned by the given cluster', async () => {
    const document = documentOf(() => AddonPolicy.clusterAutoscaler({ clusterNames: ['prod'] }));
    const group = `arn:aws:autoscaling:us-east-1:${A}:autoScalingGroup:0123-4567:autoScalingGroupName/eks-prod-ng`;
    const tags = { 'aws:ResourceTag/k8s.io/cluster-autoscaler/enabled': 'true', 'aws:ResourceTag/k8s.io/cluster-autoscaler/prod': 'owned' };
    await expectNeeds(document, [
      ['autoscaling:DescribeAutoScalingGroups', '*', {}, undefined],
      ['ec2:DescribeLaunchTemplateVersions', '*', {}, undefined],
      ['ec2:DescribeInstanceTypes', '*', {}, undefined],
      ['eks:DescribeNodegroup', `arn:aws:eks:us-east-1:${A}:nodegroup/prod/ng/0123`, {}, `arn:aws:eks:us-east-1:${A}:nodegroup/dev/ng/0123`],
      ['autoscaling:SetDesiredCapacity', group, tags, `arn:aws:autoscaling:us-east-1:${O}:autoScalingGroup:0123-4567:autoScalingGroupName/eks-prod-ng`],
      ['autoscaling:TerminateInstanceInAutoScalingGroup', group, tags, `arn:aws:autoscaling:eu-west-1:${A}:autoScalingGroup:0123-4567:autoScalingGroupName/eks-prod-ng`],
    ]);
    expect(await simulateIdentity(document, 'autoscaling:SetDesiredCapacity', group, {
      'aws:ResourceTag/k8s.io/cluster-autoscaler/enabled': 'true', 'aws:ResourceTag/k8s.io/cluster-autoscaler/dev': 'owned',
    })).toBe('Denied');
    expect(await simulateIdentity(document, 'autoscaling:SetDesiredCapacity', group, { 'aws:ResourceTag/k8s.io/cluster-autoscaler/prod': 'owned' })).toBe('Denied');
  });

  test('External Secrets: exactly the given secrets, parameters and keys', async () => {
    const secret = `arn:aws:secretsmanager:us-east-1:${A}:secret:orders/db-AbCdEf`;
    const document = documentOf(stack => AddonPolicy.externalSecrets({
      secrets: [
        secretsmanager.Secret.fromSecretCompleteArn(stack, 'Db', secret),
        secretsmanager.Secret.fromSecretNameV2(stack, 'Api', 'orders/api'),
      ],
      parameters: [ssm.StringParameter.fromStringParameterName(stack, 'Host', '/orders/db-host')],
      kmsKeys: [kms.Key.fromKeyArn(stack, 'Key', KEY)],
    }));
    await expectNeeds(document, [
      ['secretsmanager:GetSecretValue', secret, {}, `arn:aws:secretsmanager:us-east-1:${A}:secret:billing/db-AbCdEf`],
      ['secretsmanager:DescribeSecret', `arn:aws:secretsmanager:us-east-1:${A}:secret:orders/api-XyZ123`, {}, `arn:aws:secretsmanager:us-east-1:${A}:secret:orders/api-admin-XyZ123`],
      ['secretsmanager:GetResourcePolicy', secret, {}, `arn:aws:secretsmanager:us-east-1:${O}:secret:orders/db-AbCdEf`],
      ['secretsmanager:ListSecretVersionIds', secret, {}, `arn:aws:secretsmanager:eu-west-1:${A}:secret:orders/db-AbCdEf`],
      ['ssm:GetParameter', `arn:aws:ssm:us-east-1:${A}:parameter/orders/db-host`, {}, `arn:aws:ssm:us-east-1:${A}:parameter/orders/db-password`],
      ['ssm:GetParametersByPath', `arn:aws:ssm:us-east-1:${A}:parameter/orders/db-host`, {}, `arn:aws:ssm:us-east-1:${A}:parameter/billing`],
      ['kms:Decrypt', KEY, {}, OTHER_KEY],
    ]);
  });

  test('VPC CNI: network interfaces of this account and region; IPv6 only assigns IPv6 addresses', async () => {
    const eni = `arn:aws:ec2:us-east-1:${A}:network-interface/eni-0123`;
    const otherEni = `arn:aws:ec2:us-east-1:${O}:network-interface/eni-0123`;
    const document = documentOf(() => AddonPolicy.vpcCni());
    await expectNeeds(document, [
      ['ec2:DescribeNetworkInterfaces', '*', {}, undefined],
      ['ec2:DescribeInstanceTypes', '*', {}, undefined],
      ['ec2:CreateNetworkInterface', eni, {}, otherEni],
      ['ec2:CreateNetworkInterface', `arn:aws:ec2:us-east-1:${A}:subnet/subnet-0123`, {}, `arn:aws:ec2:us-east-1:${O}:subnet/subnet-0123`],
      ['ec2:AttachNetworkInterface', `arn:aws:ec2:us-east-1:${A}:instance/i-0123`, {}, `arn:aws:ec2:eu-west-1:${A}:instance/i-0123`],
      ['ec2:AssignPrivateIpAddresses', eni, {}, otherEni],
      ['ec2:UnassignPrivateIpAddresses', eni, {}, otherEni],
      ['ec2:DeleteNetworkInterface', eni, {}, otherEni],
      ['ec2:CreateTags', eni, {}, otherEni],
    ]);
    const ipv6 = documentOf(() => AddonPolicy.vpcCni({ ipv6: true }));
    await expectNeeds(ipv6, [['ec2:AssignIpv6Addresses', eni, {}, otherEni]]);
    expect(await simulateIdentity(ipv6, 'ec2:AssignPrivateIpAddresses', eni)).toBe('Denied');
  });

  test('Mountpoint for S3: the given buckets; read-only drops writes', async () => {
    const document = documentOf(stack => AddonPolicy.mountpointS3({ buckets: [s3.Bucket.fromBucketName(stack, 'Data', 'orders-data')] }));
    await expectNeeds(document, [
      ['s3:ListBucket', 'arn:aws:s3:::orders-data', {}, 'arn:aws:s3:::billing-data'],
      ['s3:GetObject', 'arn:aws:s3:::orders-data/2026/11/report.csv', {}, 'arn:aws:s3:::billing-data/report.csv'],
      ['s3:PutObject', 'arn:aws:s3:::orders-data/2026/11/report.csv', {}, 'arn:aws:s3:::billing-data/report.csv'],
      ['s3:AbortMultipartUpload', 'arn:aws:s3:::orders-data/big.bin', {}, 'arn:aws:s3:::billing-data/big.bin'],
      ['s3:DeleteObject', 'arn:aws:s3:::orders-data/old.csv', {}, 'arn:aws:s3:::billing-data/old.csv'],
    ]);
    const readOnly = documentOf(stack => AddonPolicy.mountpointS3({ buckets: [s3.Bucket.fromBucketName(stack, 'Data', 'orders-data')], readOnly: true }));
    expect(await simulateIdentity(readOnly, 's3:GetObject', 'arn:aws:s3:::orders-data/a.csv')).toBe('Allowed');
    expect(await simulateIdentity(readOnly, 's3:PutObject', 'arn:aws:s3:::orders-data/a.csv')).toBe('Denied');
  });

  test('attaches as customer managed policies to IRSA and Pod Identity roles alike; snapshot; nag-clean with written reasons', () => {
    const stack = newStack();
    const irsa = new IrsaRole(stack, 'EbsCsi', {
      clusters: [IrsaCluster.fromIssuerUrl('https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE')],
      serviceAccounts: [{ serviceAccountNamespace: 'kube-system', serviceAccountName: 'ebs-csi-controller-sa' }],
    });
    const pod = controllerRole(stack);
    AddonPolicy.ebsCsiDriver().attachTo(irsa);
    AddonPolicy.ebsCsiDriver().attachTo(pod);
    AddonPolicy.awsLoadBalancerController().attachTo(pod);
    AddonPolicy.externalDns({ hostedZones: [route53.HostedZone.fromHostedZoneId(stack, 'Zone', ZONE)] }).attachTo(pod);
    AddonPolicy.certManager({ hostedZones: [route53.HostedZone.fromHostedZoneId(stack, 'Zone2', ZONE)] }).attachTo(pod);
    AddonPolicy.clusterAutoscaler({ clusterNames: ['prod', 'dev'] }).attachTo(pod);
    AddonPolicy.efsCsiDriver().attachTo(pod);
    AddonPolicy.vpcCni().attachTo(pod);
    AddonPolicy.mountpointS3({ buckets: [new s3.Bucket(stack, 'Data', { enforceSSL: true, serverAccessLogsPrefix: 'logs/' })] }).attachTo(pod);
    AddonPolicy.externalSecrets({ secrets: [secretsmanager.Secret.fromSecretNameV2(stack, 'Api', 'orders/api')] }).attachTo(pod);

    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Description: 'Permissions of aws-ebs-csi-driver',
      Roles: [{ Ref: Match.stringLikeRegexp('^EbsCsi') }],
    });
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^Controller') }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'eks:DescribeNodegroup', Resource: Match.arrayWith([Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([`:eks:us-east-1:${A}:nodegroup/dev/*/*`])] })]) })]) },
    });
    expect(templateOf(stack)).toMatchSnapshot();
    expect(nagFindings(stack)).toEqual([]);
  });

  test('the acknowledgements name the reason for each wildcard', () => {
    const stack = newStack();
    const [policy] = AddonPolicy.vpcCni().attachTo(controllerRole(stack));
    // Acknowledged when the template is rendered (the ids name the ARNs as rendered).
    Template.fromStack(stack);
    const acks = policy.node.metadata.filter(m => m.type === 'aws:cdk:acknowledged-rules').map(m => m.data);
    expect(acks).toEqual(expect.arrayContaining([
      { 'Annotation::AwsSolutions-IAM5[Resource::*]': expect.stringMatching(/ec2:DescribeInstances.*no resource-level permissions/) },
    ]));
  });

  test('attaching twice returns the first policies', () => {
    const stack = newStack();
    const role = controllerRole(stack);
    const first = AddonPolicy.awsLoadBalancerController().attachTo(role);
    expect(first.length).toBeGreaterThan(1);
    expect(AddonPolicy.awsLoadBalancerController().attachTo(role)).toEqual(first);
    const key = kms.Key.fromKeyArn(stack, 'Key', KEY);
    const ebs = AddonPolicy.ebsCsiDriver({ kmsKeys: [key] }).attachTo(role);
    expect(AddonPolicy.ebsCsiDriver({ kmsKeys: [key] }).attachTo(role)).toEqual(ebs);
  });

  test('attaching the same controller again with other arguments is refused, not silently dropped', () => {
    // GIVEN
    const stack = newStack();
    const role = controllerRole(stack);
    AddonPolicy.ebsCsiDriver().attachTo(role);
    // WHEN / THEN
    expect(() => AddonPolicy.ebsCsiDriver({ kmsKeys: [kms.Key.fromKeyArn(stack, 'Key', KEY)] }).attachTo(role))
      .toThrow(/Invalid AddonPolicy 'Controllers\/Controller' prop 'attachTo': the role already has the aws-ebs-csi-driver policy with other statements/);
    AddonPolicy.clusterAutoscaler({ clusterNames: ['prod'] }).attachTo(role);
    expect(() => AddonPolicy.clusterAutoscaler({ clusterNames: ['prod', 'dev'] }).attachTo(role)).toThrow(/prop 'attachTo'/);
  });

  test('toPolicyDocument gives the statements for any other use', () => {
    const stack = newStack();
    const doc = stack.resolve(AddonPolicy.mountpointS3({ buckets: [s3.Bucket.fromBucketName(stack, 'Data', 'orders-data')] }).toPolicyDocument(stack));
    expect(doc.Statement[0]).toEqual({ Effect: 'Allow', Action: 's3:ListBucket', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::orders-data']] } });
  });

  describe('validation', () => {
    test.each([
      ['no cluster', () => AddonPolicy.clusterAutoscaler({ clusterNames: [] }), /Invalid AddonPolicy 'clusterAutoscaler' prop 'clusterNames': the list is empty/],
      ['bad cluster name', () => AddonPolicy.clusterAutoscaler({ clusterNames: ['prod cluster'] }), /prop 'clusterNames': 'prod cluster' is not an EKS cluster name/],
      ['duplicate cluster', () => AddonPolicy.clusterAutoscaler({ clusterNames: ['prod', 'prod'] }), /prop 'clusterNames': 'prod' is listed more than once/],
      ['no hosted zone for ExternalDNS', () => AddonPolicy.externalDns({ hostedZones: [] }), /Invalid AddonPolicy 'externalDns' prop 'hostedZones': the list is empty/],
      ['no hosted zone for cert-manager', () => AddonPolicy.certManager({ hostedZones: [] }), /Invalid AddonPolicy 'certManager' prop 'hostedZones': the list is empty/],
      ['nothing for External Secrets', () => AddonPolicy.externalSecrets({}), /Invalid AddonPolicy 'externalSecrets' prop 'secrets': neither secrets nor parameters are given/],
      ['no bucket', () => AddonPolicy.mountpointS3({ buckets: [] }), /Invalid AddonPolicy 'mountpointS3' prop 'buckets': the list is empty/],
      ['empty file systems', () => AddonPolicy.efsCsiDriver({ fileSystems: [] }), /Invalid AddonPolicy 'efsCsiDriver' prop 'fileSystems': the list is empty/],
    ])('%s', (_name, make, message) => {
      expect(make).toThrow(message);
    });
  });

  test('accepts a token cluster name: the tag condition keys go through CfnJson', () => {
    const stack = newStack();
    const cluster = new CfnParameter(stack, 'ClusterName').valueAsString;
    AddonPolicy.clusterAutoscaler({ clusterNames: [cluster] }).attachTo(controllerRole(stack));
    const t = Template.fromStack(stack);
    t.resourceCountIs('Custom::AWSCDKCfnJson', 1);
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Condition: { StringEquals: { 'Fn::GetAtt': [Match.stringLikeRegexp('ClusterAutoscalerCondition0'), 'Value'] } } })]) },
    });
  });
});
