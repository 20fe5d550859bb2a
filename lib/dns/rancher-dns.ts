import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { Route53Zone } from '@cdktf/provider-aws/lib/route53-zone';
import { Construct } from 'constructs';

export interface RancherDnsProps {
  /** Rancher's hostname. */
  readonly hostname: string;
  /** An existing hosted zone. @default - a private zone created here */
  readonly hostedZoneId?: string;
  /** Name of the private zone to create when no zone id is given. */
  readonly privateZoneName?: string;
  /** VPC the private zone is attached to. */
  readonly vpcId: string;
}

/**
 * The Rancher hostname as an alias of the load balancer, in an existing zone or in a private zone
 * created for the VPC (quick start parity). The created zone is force-destroyed so that records
 * added outside Terraform (e.g. DNS-01 challenges) never block a teardown.
 */
export class RancherDns extends Construct {
  readonly zoneId: string;
  readonly privateZone?: Route53Zone;
  private readonly hostname: string;
  private aliasRecord?: Route53Record;

  constructor(scope: Construct, id: string, props: RancherDnsProps) {
    super(scope, id);
    this.hostname = props.hostname;
    if (props.hostedZoneId) {
      this.zoneId = props.hostedZoneId;
    } else {
      if (!props.privateZoneName) {
        throw new Error('privateZoneName is required when no hostedZoneId is given');
      }
      this.privateZone = new Route53Zone(this, 'private-zone', {
        name: props.privateZoneName,
        comment: `Rancher ${props.hostname}`,
        vpc: [{ vpcId: props.vpcId }],
        forceDestroy: true,
        // Downstream cluster stacks associate their VPCs with this zone
        // (aws_route53_zone_association); the provider requires the zone to ignore them.
        lifecycle: { ignoreChanges: ['vpc'] },
      });
      this.zoneId = this.privateZone.zoneId;
    }
  }

  /** Points the hostname at a load balancer (an alias A record). Once only. */
  addAlias(dnsName: string, zoneId: string): Route53Record {
    if (this.aliasRecord) throw new Error(`${this.hostname} already has an alias record`);
    this.aliasRecord = new Route53Record(this, 'rancher', {
      zoneId: this.zoneId,
      name: this.hostname,
      type: 'A',
      alias: { name: dnsName, zoneId, evaluateTargetHealth: true },
    });
    return this.aliasRecord;
  }
}
