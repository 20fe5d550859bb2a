/**
 * EC2's own describe calls, filtered by the environment tag: the tagging API does not report
 * every EC2 resource, and gives no state (a deleted NAT gateway is listed for a while).
 */
import {
  DescribeAddressesCommand,
  EC2Client,
  Filter,
  paginateDescribeInstances,
  paginateDescribeInternetGateways,
  paginateDescribeLaunchTemplates,
  paginateDescribeNatGateways,
  paginateDescribeRouteTables,
  paginateDescribeSecurityGroups,
  paginateDescribeSubnets,
  paginateDescribeVolumes,
  paginateDescribeVpcPeeringConnections,
  paginateDescribeVpcs,
  Tag,
} from '@aws-sdk/client-ec2';
import { TAG_KEYS } from '../../naming/tags';
import { collect, Probe, ProbeTable, tagMap } from './probe';

/** One EC2 describe call: `list` fetches the items matching `filters`, `describe` reads one. */
function ec2Probe<T>(
  kind: string,
  source: string,
  list: (ec2: EC2Client, filters: Filter[]) => Promise<T[]>,
  describe: (item: T) => { id?: string; tags?: Tag[]; state?: string },
): Probe {
  return async ({ ec2 }, environment) => {
    const items = await list(ec2, [{ Name: `tag:${TAG_KEYS.environment}`, Values: [environment] }]);
    return items.map((item) => {
      const { id, tags, state } = describe(item);
      return { kind, id: id ?? '?', tags: tagMap(tags), state, source };
    });
  };
}

export const EC2_PROBES: ProbeTable = {
  'ec2:DescribeVpcs': ec2Probe(
    'ec2:vpc',
    'ec2:DescribeVpcs',
    (ec2, Filters) => collect(paginateDescribeVpcs({ client: ec2 }, { Filters }), (p) => p.Vpcs),
    (v) => ({ id: v.VpcId, tags: v.Tags }),
  ),
  'ec2:DescribeSubnets': ec2Probe(
    'ec2:subnet',
    'ec2:DescribeSubnets',
    (ec2, Filters) =>
      collect(paginateDescribeSubnets({ client: ec2 }, { Filters }), (p) => p.Subnets),
    (s) => ({ id: s.SubnetId, tags: s.Tags }),
  ),
  'ec2:DescribeSecurityGroups': ec2Probe(
    'ec2:security-group',
    'ec2:DescribeSecurityGroups',
    (ec2, Filters) =>
      collect(
        paginateDescribeSecurityGroups({ client: ec2 }, { Filters }),
        (p) => p.SecurityGroups,
      ),
    (g) => ({ id: g.GroupId, tags: g.Tags }),
  ),
  'ec2:DescribeInternetGateways': ec2Probe(
    'ec2:internet-gateway',
    'ec2:DescribeInternetGateways',
    (ec2, Filters) =>
      collect(
        paginateDescribeInternetGateways({ client: ec2 }, { Filters }),
        (p) => p.InternetGateways,
      ),
    (g) => ({ id: g.InternetGatewayId, tags: g.Tags }),
  ),
  'ec2:DescribeNatGateways': ec2Probe(
    'ec2:natgateway',
    'ec2:DescribeNatGateways',
    // DescribeNatGateways names its filter list `Filter`, unlike the other describe calls.
    (ec2, Filter) =>
      collect(paginateDescribeNatGateways({ client: ec2 }, { Filter }), (p) => p.NatGateways),
    (n) => ({ id: n.NatGatewayId, tags: n.Tags, state: n.State }),
  ),
  'ec2:DescribeAddresses': ec2Probe(
    'ec2:elastic-ip',
    'ec2:DescribeAddresses',
    // Not paginated: one call returns every address.
    async (ec2, Filters) =>
      (await ec2.send(new DescribeAddressesCommand({ Filters }))).Addresses ?? [],
    (a) => ({ id: a.AllocationId, tags: a.Tags }),
  ),
  'ec2:DescribeRouteTables': ec2Probe(
    'ec2:route-table',
    'ec2:DescribeRouteTables',
    (ec2, Filters) =>
      collect(paginateDescribeRouteTables({ client: ec2 }, { Filters }), (p) => p.RouteTables),
    (t) => ({ id: t.RouteTableId, tags: t.Tags }),
  ),
  // A deleted peering stays listed (status deleted) for hours; its state tells it is gone.
  'ec2:DescribeVpcPeeringConnections': ec2Probe(
    'ec2:vpc-peering-connection',
    'ec2:DescribeVpcPeeringConnections',
    (ec2, Filters) =>
      collect(
        paginateDescribeVpcPeeringConnections({ client: ec2 }, { Filters }),
        (p) => p.VpcPeeringConnections,
      ),
    (c) => ({ id: c.VpcPeeringConnectionId, tags: c.Tags, state: c.Status?.Code }),
  ),
  'ec2:DescribeLaunchTemplates': ec2Probe(
    'ec2:launch-template',
    'ec2:DescribeLaunchTemplates',
    (ec2, Filters) =>
      collect(
        paginateDescribeLaunchTemplates({ client: ec2 }, { Filters }),
        (p) => p.LaunchTemplates,
      ),
    (t) => ({ id: t.LaunchTemplateId, tags: t.Tags }),
  ),
  'ec2:DescribeInstances': ec2Probe(
    'ec2:instance',
    'ec2:DescribeInstances',
    (ec2, Filters) =>
      collect(paginateDescribeInstances({ client: ec2 }, { Filters }), (p) =>
        (p.Reservations ?? []).flatMap((r) => r.Instances ?? []),
      ),
    (i) => ({ id: i.InstanceId, tags: i.Tags, state: i.State?.Name }),
  ),
  'ec2:DescribeVolumes': ec2Probe(
    'ec2:volume',
    'ec2:DescribeVolumes',
    (ec2, Filters) =>
      collect(paginateDescribeVolumes({ client: ec2 }, { Filters }), (p) => p.Volumes),
    (v) => ({ id: v.VolumeId, tags: v.Tags, state: v.State }),
  ),
};
