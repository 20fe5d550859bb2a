import { DataAwsAvailabilityZones } from '@cdktf/provider-aws/lib/data-aws-availability-zones';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { planSubnets } from './cidr-plan';

export const DEFAULT_VPC_CIDR = '10.0.0.0/16';
export const DEFAULT_ZONE_COUNT = 3;
export const DEFAULT_PRIVATE_SUBNET_PREFIX = 19;
export const DEFAULT_PUBLIC_SUBNET_PREFIX = 20;

export type NatGatewayMode = 'perAz' | 'single';

export interface NetworkProps {
  /** Prefix of every Name tag. */
  readonly namePrefix: string;
  /** @default 10.0.0.0/16 */
  readonly vpcCidr?: string;
  /**
   * A zone count (the region's first available zones) or explicit zone names.
   * @default 3
   */
  readonly availabilityZones?: number | readonly string[];
  /** @default 19 */
  readonly privateSubnetPrefix?: number;
  /** @default 20 */
  readonly publicSubnetPrefix?: number;
  /** @default perAz - one NAT gateway per zone, so a zone outage does not cut the others off */
  readonly natGateways?: NatGatewayMode;
}

/** What other constructs need from the network. */
export interface NetworkOutputs {
  readonly vpcId: string;
  readonly vpcCidr: string;
  readonly privateSubnetIds: string[];
  readonly publicSubnetIds: string[];
  /** One route table per private subnet, same order (peering routes go into them). */
  readonly privateRouteTableIds: string[];
  /** Public addresses of the NAT gateways: the VPC's egress to the internet. */
  readonly natPublicIps: string[];
  /** Zone of each subnet index (tokens when the zones are looked up). */
  readonly availabilityZones: string[];
}

/**
 * A VPC over 2 or 3 zones: public subnets (internet gateway) and private subnets (NAT egress), as
 * the quick start laid them out. The subnets carry no `kubernetes.io/role/elb`,
 * `kubernetes.io/role/internal-elb` or `kubernetes.io/cluster/<name>` tag: those only tell
 * in-cluster controllers where to create load balancers (EKS needs none of them since 1.19), and
 * here every load balancer is Terraform's.
 */
export class Network extends Construct {
  readonly vpc: Vpc;
  readonly publicSubnets: Subnet[];
  readonly privateSubnets: Subnet[];
  readonly natGateways: NatGateway[];
  readonly privateRouteTables: RouteTable[] = [];
  readonly outputs: NetworkOutputs;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const vpcCidr = props.vpcCidr ?? DEFAULT_VPC_CIDR;
    const zonesInput = props.availabilityZones ?? DEFAULT_ZONE_COUNT;
    const zoneCount = typeof zonesInput === 'number' ? zonesInput : zonesInput.length;
    if (zoneCount < 2 || zoneCount > 3) {
      throw new Error(`availabilityZones must be 2 or 3 zones; got ${zoneCount}`);
    }
    const plan = planSubnets(
      vpcCidr,
      zoneCount,
      props.privateSubnetPrefix ?? DEFAULT_PRIVATE_SUBNET_PREFIX,
      props.publicSubnetPrefix ?? DEFAULT_PUBLIC_SUBNET_PREFIX,
    );
    const zones = this.resolveZones(zonesInput, zoneCount);
    const name = (suffix: string) => ({ Name: `${props.namePrefix}-${suffix}` });

    this.vpc = new Vpc(this, 'vpc', {
      cidrBlock: vpcCidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: name('vpc'),
    });
    const internetGateway = new InternetGateway(this, 'internet-gateway', {
      vpcId: this.vpc.id,
      tags: name('igw'),
    });

    const publicRoutes = new RouteTable(this, 'public-routes', {
      vpcId: this.vpc.id,
      tags: name('public'),
    });
    new Route(this, 'public-default-route', {
      routeTableId: publicRoutes.id,
      destinationCidrBlock: '0.0.0.0/0',
      gatewayId: internetGateway.id,
    });

    this.publicSubnets = plan.public.map((cidr, i) => {
      const subnet = new Subnet(this, `public-${i}`, {
        vpcId: this.vpc.id,
        cidrBlock: cidr,
        availabilityZone: zones[i],
        tags: name(`public-${i}`),
      });
      new RouteTableAssociation(this, `public-${i}-routes`, {
        subnetId: subnet.id,
        routeTableId: publicRoutes.id,
      });
      return subnet;
    });

    const natCount = props.natGateways === 'single' ? 1 : zoneCount;
    const natIps: Eip[] = [];
    this.natGateways = Array.from({ length: natCount }, (_, i) => {
      const eip = new Eip(this, `nat-${i}-ip`, { domain: 'vpc', tags: name(`nat-${i}`) });
      natIps.push(eip);
      return new NatGateway(this, `nat-${i}`, {
        allocationId: eip.allocationId,
        subnetId: this.publicSubnets[i].id,
        tags: name(`nat-${i}`),
        dependsOn: [internetGateway],
      });
    });

    this.privateSubnets = plan.private.map((cidr, i) => {
      const subnet = new Subnet(this, `private-${i}`, {
        vpcId: this.vpc.id,
        cidrBlock: cidr,
        availabilityZone: zones[i],
        tags: name(`private-${i}`),
      });
      const routes = new RouteTable(this, `private-${i}-routes-table`, {
        vpcId: this.vpc.id,
        tags: name(`private-${i}`),
      });
      this.privateRouteTables.push(routes);
      new Route(this, `private-${i}-default-route`, {
        routeTableId: routes.id,
        destinationCidrBlock: '0.0.0.0/0',
        natGatewayId: this.natGateways[Math.min(i, natCount - 1)].id,
      });
      new RouteTableAssociation(this, `private-${i}-routes`, {
        subnetId: subnet.id,
        routeTableId: routes.id,
      });
      return subnet;
    });

    this.outputs = {
      vpcId: this.vpc.id,
      vpcCidr,
      privateSubnetIds: this.privateSubnets.map((s) => s.id),
      publicSubnetIds: this.publicSubnets.map((s) => s.id),
      privateRouteTableIds: this.privateRouteTables.map((t) => t.id),
      natPublicIps: natIps.map((ip) => ip.publicIp),
      availabilityZones: zones,
    };
  }

  private resolveZones(zones: number | readonly string[], count: number): string[] {
    if (typeof zones !== 'number') return [...zones];
    const available = new DataAwsAvailabilityZones(this, 'zones', {
      state: 'available',
      filter: [{ name: 'opt-in-status', values: ['opt-in-not-required'] }],
    });
    return Array.from({ length: count }, (_, i) => Fn.element(available.names, i));
  }
}
