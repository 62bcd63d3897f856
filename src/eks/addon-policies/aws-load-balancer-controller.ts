import { Stack } from 'aws-cdk-lib';
import { arn, CatalogEntry, NO_RESOURCE_LEVEL } from './grant';

/**
 * The AWS Load Balancer Controller (`aws-load-balancer-controller` in `kube-system`):
 * load balancers, target groups, listeners and security groups carrying its
 * `elbv2.k8s.aws/cluster` tag, in this account and region.
 *
 * For `AddonPolicy.awsLoadBalancerController`: builds the statements of the published policy.
 *
 * @see https://github.com/kubernetes-sigs/aws-load-balancer-controller/blob/main/docs/install/iam_policy.json
 */
export function awsLoadBalancerControllerEntry(): CatalogEntry {
  return {
    controller: 'aws-load-balancer-controller',
    id: 'AwsLoadBalancerController',
    grants: scope => {
      const stack = Stack.of(scope);
      const elb = (r: string) => arn(scope, 'elasticloadbalancing', r);
      const loadBalancers = [elb('loadbalancer/app/*/*'), elb('loadbalancer/net/*/*')];
      const targetGroups = elb('targetgroup/*/*');
      const listeners = [elb('listener/app/*/*/*'), elb('listener/net/*/*/*'), elb('listener-rule/app/*/*/*/*'), elb('listener-rule/net/*/*/*/*')];
      const securityGroups = arn(scope, 'ec2', 'security-group/*');
      const owned = { Null: { 'aws:ResourceTag/elbv2.k8s.aws/cluster': 'false' } };
      const created = 'resources get their ids at creation; only those carrying the controller\'s elbv2.k8s.aws/cluster tag, in this account and region';
      const anyOf = 'the controller manages load balancers, listeners and security groups whose ids it only learns at run time; narrowed to this account and region';
      return [
        {
          actions: ['iam:CreateServiceLinkedRole'],
          resources: [stack.formatArn({ service: 'iam', region: '', resource: 'role', resourceName: 'aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing' })],
          conditions: { StringEquals: { 'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com' } },
        },
        {
          actions: ['ec2:DescribeAccountAttributes', 'ec2:DescribeAddresses', 'ec2:DescribeAvailabilityZones', 'ec2:DescribeInternetGateways',
            'ec2:DescribeVpcs', 'ec2:DescribeVpcPeeringConnections', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups', 'ec2:DescribeInstances',
            'ec2:DescribeNetworkInterfaces', 'ec2:DescribeTags', 'ec2:GetCoipPoolUsage', 'ec2:DescribeCoipPools',
            'elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeLoadBalancerAttributes', 'elasticloadbalancing:DescribeListeners',
            'elasticloadbalancing:DescribeListenerCertificates', 'elasticloadbalancing:DescribeSSLPolicies', 'elasticloadbalancing:DescribeRules',
            'elasticloadbalancing:DescribeTargetGroups', 'elasticloadbalancing:DescribeTargetGroupAttributes', 'elasticloadbalancing:DescribeTargetHealth',
            'elasticloadbalancing:DescribeTags', 'elasticloadbalancing:DescribeTrustStores', 'elasticloadbalancing:DescribeListenerAttributes',
            'acm:ListCertificates', 'iam:ListServerCertificates', 'shield:GetSubscriptionState'],
          resources: ['*'],
          why: NO_RESOURCE_LEVEL,
        },
        {
          actions: ['acm:DescribeCertificate'],
          resources: [arn(scope, 'acm', 'certificate/*')],
          why: 'the controller discovers certificates by host name; narrowed to this account and region',
        },
        {
          actions: ['iam:GetServerCertificate'],
          resources: [stack.formatArn({ service: 'iam', region: '', resource: 'server-certificate', resourceName: '*' })],
          why: 'the controller discovers server certificates by host name; narrowed to this account',
        },
        {
          actions: ['cognito-idp:DescribeUserPoolClient'],
          resources: [arn(scope, 'cognito-idp', 'userpool/*')],
          why: 'user pools are named by Ingress annotations; narrowed to this account and region',
        },
        {
          actions: ['wafv2:GetWebACL', 'wafv2:GetWebACLForResource', 'wafv2:AssociateWebACL', 'wafv2:DisassociateWebACL',
            'waf-regional:GetWebACL', 'waf-regional:GetWebACLForResource', 'waf-regional:AssociateWebACL', 'waf-regional:DisassociateWebACL'],
          resources: [arn(scope, 'wafv2', 'regional/webacl/*/*'), arn(scope, 'waf-regional', 'webacl/*'), elb('loadbalancer/app/*/*')],
          why: 'web ACLs are named by Ingress annotations; narrowed to this account and region',
        },
        {
          actions: ['shield:DescribeProtection', 'shield:CreateProtection', 'shield:DeleteProtection'],
          resources: [stack.formatArn({ service: 'shield', region: '', resource: 'protection', resourceName: '*' }), elb('loadbalancer/app/*/*')],
          why: 'protections get their ids at creation; narrowed to this account',
        },
        { actions: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress'], resources: [securityGroups], why: 'the controller opens the node security groups, which it does not tag; narrowed to this account and region' },
        { actions: ['ec2:CreateSecurityGroup'], resources: [securityGroups, arn(scope, 'ec2', 'vpc/*')], why: anyOf },
        {
          actions: ['ec2:CreateTags'],
          resources: [securityGroups],
          conditions: { StringEquals: { 'ec2:CreateAction': 'CreateSecurityGroup' }, Null: { 'aws:RequestTag/elbv2.k8s.aws/cluster': 'false' } },
          why: created,
        },
        {
          actions: ['ec2:CreateTags', 'ec2:DeleteTags'],
          resources: [securityGroups],
          conditions: { Null: { 'aws:RequestTag/elbv2.k8s.aws/cluster': 'true', 'aws:ResourceTag/elbv2.k8s.aws/cluster': 'false' } },
          why: created,
        },
        { actions: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress', 'ec2:DeleteSecurityGroup'], resources: [securityGroups], conditions: owned, why: created },
        {
          actions: ['elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:CreateTargetGroup'],
          resources: [...loadBalancers, targetGroups],
          conditions: { Null: { 'aws:RequestTag/elbv2.k8s.aws/cluster': 'false' } },
          why: created,
        },
        {
          actions: ['elasticloadbalancing:CreateListener', 'elasticloadbalancing:DeleteListener', 'elasticloadbalancing:CreateRule', 'elasticloadbalancing:DeleteRule'],
          resources: [...loadBalancers, ...listeners],
          why: anyOf,
        },
        {
          actions: ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'],
          resources: [...loadBalancers, targetGroups],
          conditions: { Null: { 'aws:RequestTag/elbv2.k8s.aws/cluster': 'true', 'aws:ResourceTag/elbv2.k8s.aws/cluster': 'false' } },
          why: created,
        },
        { actions: ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'], resources: listeners, why: anyOf },
        {
          actions: ['elasticloadbalancing:AddTags'],
          resources: [...loadBalancers, targetGroups],
          conditions: {
            StringEquals: { 'elasticloadbalancing:CreateAction': ['CreateTargetGroup', 'CreateLoadBalancer'] },
            Null: { 'aws:RequestTag/elbv2.k8s.aws/cluster': 'false' },
          },
          why: created,
        },
        {
          actions: ['elasticloadbalancing:ModifyLoadBalancerAttributes', 'elasticloadbalancing:SetIpAddressType', 'elasticloadbalancing:SetSecurityGroups',
            'elasticloadbalancing:SetSubnets', 'elasticloadbalancing:DeleteLoadBalancer', 'elasticloadbalancing:ModifyTargetGroup',
            'elasticloadbalancing:ModifyTargetGroupAttributes', 'elasticloadbalancing:DeleteTargetGroup'],
          resources: [...loadBalancers, targetGroups],
          conditions: owned,
          why: created,
        },
        { actions: ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'], resources: [targetGroups], why: anyOf },
        {
          actions: ['elasticloadbalancing:SetWebAcl', 'elasticloadbalancing:ModifyListener', 'elasticloadbalancing:AddListenerCertificates',
            'elasticloadbalancing:RemoveListenerCertificates', 'elasticloadbalancing:ModifyRule', 'elasticloadbalancing:SetRulePriorities'],
          resources: [...loadBalancers, ...listeners],
          why: anyOf,
        },
      ];
    },
  };
}
