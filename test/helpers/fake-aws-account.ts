import type { FakeResponses } from './fake-aws';

/** Answers of an account that holds nothing: every call teardown's verification makes is empty. */
export function emptyAccount(): FakeResponses {
  return {
    tagging: { GetResources: () => ({ ResourceTagMappingList: [] }) },
    ec2: Object.fromEntries(
      [
        ['DescribeVpcs', 'Vpcs'],
        ['DescribeSubnets', 'Subnets'],
        ['DescribeSecurityGroups', 'SecurityGroups'],
        ['DescribeInternetGateways', 'InternetGateways'],
        ['DescribeNatGateways', 'NatGateways'],
        ['DescribeAddresses', 'Addresses'],
        ['DescribeRouteTables', 'RouteTables'],
        ['DescribeLaunchTemplates', 'LaunchTemplates'],
        ['DescribeInstances', 'Reservations'],
        ['DescribeVolumes', 'Volumes'],
        ['DescribeVpcPeeringConnections', 'VpcPeeringConnections'],
      ].map(([command, list]) => [command, () => ({ [list]: [] })]),
    ),
    eks: { ListClusters: () => ({ clusters: [] }) },
    elbv2: {
      DescribeLoadBalancers: () => ({ LoadBalancers: [] }),
      DescribeTargetGroups: () => ({ TargetGroups: [] }),
    },
    iam: {
      ListRoles: () => ({ Roles: [] }),
      ListPolicies: () => ({ Policies: [] }),
      ListInstanceProfiles: () => ({ InstanceProfiles: [] }),
      ListOpenIDConnectProviders: () => ({ OpenIDConnectProviderList: [] }),
    },
    kms: { ListKeys: () => ({ Keys: [] }) },
    route53: { ListHostedZones: () => ({ HostedZones: [] }) },
    logs: { DescribeLogGroups: () => ({ logGroups: [] }) },
    s3: { ListBuckets: () => ({ Buckets: [] }) },
    secretsManager: { ListSecrets: () => ({ SecretList: [] }) },
    autoScaling: { DescribeAutoScalingGroups: () => ({ AutoScalingGroups: [] }) },
  };
}
