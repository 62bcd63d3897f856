import { arn, CatalogEntry, Grant, NO_RESOURCE_LEVEL } from './grant';

/**
 * The Amazon VPC CNI plugin (`aws-node` in `kube-system`): network interfaces and their
 * IP addresses, in this account and region.
 *
 * For `AddonPolicy.vpcCni`: builds the statements of the published policy.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/cni-iam-role.html
 */
export function vpcCniEntry(options: { readonly ipv6?: boolean }): CatalogEntry {
  return {
    controller: 'amazon-vpc-cni',
    id: 'VpcCni',
    grants: scope => {
      const enis = arn(scope, 'ec2', 'network-interface/*');
      const anyEni = 'network interfaces get their ids at creation; narrowed to this account and region';
      const describe: Grant = {
        actions: ['ec2:DescribeInstances', 'ec2:DescribeTags', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeInstanceTypes'],
        resources: ['*'],
        why: NO_RESOURCE_LEVEL,
      };
      const tag: Grant = { actions: ['ec2:CreateTags'], resources: [enis], why: anyEni };
      if (options.ipv6) {
        return [describe, { actions: ['ec2:AssignIpv6Addresses'], resources: [enis], why: anyEni }, tag];
      }
      return [
        describe,
        {
          actions: ['ec2:AssignPrivateIpAddresses', 'ec2:AttachNetworkInterface', 'ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface',
            'ec2:DetachNetworkInterface', 'ec2:ModifyNetworkInterfaceAttribute', 'ec2:UnassignPrivateIpAddresses'],
          resources: [enis, arn(scope, 'ec2', 'instance/*'), arn(scope, 'ec2', 'subnet/*'), arn(scope, 'ec2', 'security-group/*')],
          why: 'the plugin attaches interfaces to the nodes in the node subnets and security groups, all known at run time; narrowed to this account and region',
        },
        tag,
      ];
    },
  };
}
