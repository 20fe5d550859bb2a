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
  /** Alias target: the load balancer's DNS name and zone. */
  readonly aliasDnsName: string;
  readonly aliasZoneId: string;
}

/**
 * The Rancher hostname as an alias of the load balancer, in an existing zone or in a private zone
 * created for the VPC (quick start parity). The created zone is force-destroyed so that records
 * added outside Terraform (e.g. DNS-01 challenges) never block a teardown.
 */
export class RancherDns extends Construct {
  readonly zoneId: string;
  readonly record: Route53Record;
  readonly privateZone?: Route53Zone;

  constructor(scope: Construct, id: string, props: RancherDnsProps) {
    super(scope, id);
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
      });
      this.zoneId = this.privateZone.zoneId;
    }
    this.record = new Route53Record(this, 'rancher', {
      zoneId: this.zoneId,
      name: props.hostname,
      type: 'A',
      alias: {
        name: props.aliasDnsName,
        zoneId: props.aliasZoneId,
        evaluateTargetHealth: true,
      },
    });
  }
}
