import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Construct } from 'constructs';
import { resourceName } from '../naming/names';
import { securityGroupRule } from '../network/security-group-rules';

export type LoadBalancerScheme = 'internet-facing' | 'internal';

/** A port the load balancer forwards to the cluster. */
export interface ForwardedPort {
  /** Short name (e.g. `http`): keys the listener, target group and rules. */
  readonly name: string;
  /**
   * Suffix of the target group's name, `<prefix>-<suffix>`. Give a different one whenever the
   * target port changes: the group is replaced before the old one goes (a listener keeps using
   * the old one until then, and AWS refuses to delete a group in use or to reuse its name).
   * @default name
   */
  readonly targetGroupSuffix?: string;
  /** Listener port on the load balancer. */
  readonly listenerPort: number;
  /** Port on the targets (pod or node). */
  readonly targetPort: number;
  /** Who may reach the listener. */
  readonly allowedCidrs: string[];
  /**
   * ACM certificate: the listener ends TLS and forwards plain TCP.
   * @default - TCP passthrough
   */
  readonly certificateArn?: string;
  /** Health check port on the target. @default traffic-port */
  readonly healthCheckPort?: number;
}

export interface ClusterLoadBalancerProps {
  /** Load balancer name, e.g. `<env>-ingress` (32 characters at most). */
  readonly name: string;
  /**
   * Prefix of the target group names, `<prefix>-<port name or suffix>` (32 characters at most;
   * target group names are unique per account and region).
   */
  readonly targetGroupPrefix: string;
  readonly vpcId: string;
  /** Subnets of the load balancer's nodes: public for internet-facing, private for internal. */
  readonly subnetIds: string[];
  /** @default internet-facing */
  readonly scheme?: LoadBalancerScheme;
  /**
   * `ip`: pod IPs registered by a TargetGroupBinding (EKS); `instance`: nodes registered by their
   * Auto Scaling group (RKE2).
   */
  readonly targetType: 'ip' | 'instance';
  readonly ports: ForwardedPort[];
  /** Security group of the targets: gets ingress on every target port from the load balancer. */
  readonly targetSecurityGroupId: string;
  /** @default false */
  readonly deletionProtection?: boolean;
  /**
   * Whether targets see the client's address. Turn it off for instance targets that are also
   * clients of the same load balancer (RKE2 nodes joining through it): with it on, a connection
   * routed back to the instance that opened it is dropped.
   * @default - the target group's AWS default (on for instance targets, off for ip targets)
   */
  readonly preserveClientIp?: boolean;
}

/**
 * A network load balancer owned by Terraform, with one TCP (or TLS) listener and target group per
 * forwarded port, and security groups that let clients reach the listeners and the load balancer
 * reach the targets. The cluster only registers targets; it never creates load balancers.
 */
export class ClusterLoadBalancer extends Construct {
  readonly loadBalancer: Lb;
  readonly securityGroup: SecurityGroup;
  readonly targetGroups: Record<string, LbTargetGroup> = {};
  readonly listeners: Record<string, LbListener> = {};
  /** The ports clients connect to (what another stack opens to more clients). */
  readonly listenerPorts: number[];

  constructor(scope: Construct, id: string, props: ClusterLoadBalancerProps) {
    super(scope, id);
    this.listenerPorts = [...new Set(props.ports.map((port) => port.listenerPort))];
    const lbName = resourceName(props.name, '', 'loadBalancer');
    this.securityGroup = new SecurityGroup(this, 'sg', {
      name: resourceName(props.name, 'lb', 'securityGroup'),
      description: `Load balancer ${lbName}`,
      vpcId: props.vpcId,
      tags: { Name: `${props.name}-lb` },
    });
    this.loadBalancer = new Lb(this, 'lb', {
      name: lbName,
      loadBalancerType: 'network',
      internal: (props.scheme ?? 'internet-facing') === 'internal',
      subnets: props.subnetIds,
      securityGroups: [this.securityGroup.id],
      enableCrossZoneLoadBalancing: true,
      enableDeletionProtection: props.deletionProtection ?? false,
    });

    const openedTargetPorts = new Set<number>();
    for (const port of props.ports) {
      securityGroupRule(this, `${port.name}-from-clients`, {
        securityGroupId: this.securityGroup.id,
        direction: 'ingress',
        description: `${port.name} clients`,
        protocol: 'tcp',
        fromPort: port.listenerPort,
        cidrs: port.allowedCidrs,
      });
      // Several listeners may share a target port; AWS rejects a duplicate rule, so the path to
      // each target port is opened once.
      if (!openedTargetPorts.has(port.targetPort)) {
        openedTargetPorts.add(port.targetPort);
        securityGroupRule(this, `${port.name}-to-targets`, {
          securityGroupId: this.securityGroup.id,
          direction: 'egress',
          description: `${port.name} to the targets`,
          protocol: 'tcp',
          fromPort: port.targetPort,
          peerSecurityGroupId: props.targetSecurityGroupId,
        });
        securityGroupRule(this, `${port.name}-targets-from-lb`, {
          securityGroupId: props.targetSecurityGroupId,
          direction: 'ingress',
          description: `${port.name} from load balancer ${lbName}`,
          protocol: 'tcp',
          fromPort: port.targetPort,
          peerSecurityGroupId: this.securityGroup.id,
        });
      }
      const targetGroup = new LbTargetGroup(this, `${port.name}-targets`, {
        name: resourceName(
          props.targetGroupPrefix,
          port.targetGroupSuffix ?? port.name,
          'targetGroup',
        ),
        port: port.targetPort,
        protocol: 'TCP',
        targetType: props.targetType,
        vpcId: props.vpcId,
        deregistrationDelay: '30',
        preserveClientIp:
          props.preserveClientIp === undefined ? undefined : String(props.preserveClientIp),
        healthCheck: {
          protocol: 'TCP',
          port: port.healthCheckPort ? String(port.healthCheckPort) : 'traffic-port',
          healthyThreshold: 3,
          unhealthyThreshold: 3,
          interval: 10,
        },
        lifecycle: { createBeforeDestroy: true },
      });
      this.targetGroups[port.name] = targetGroup;
      this.listeners[port.name] = new LbListener(this, `${port.name}-listener`, {
        loadBalancerArn: this.loadBalancer.arn,
        port: port.listenerPort,
        protocol: port.certificateArn ? 'TLS' : 'TCP',
        certificateArn: port.certificateArn,
        sslPolicy: port.certificateArn ? 'ELBSecurityPolicy-TLS13-1-2-2021-06' : undefined,
        defaultAction: [{ type: 'forward', targetGroupArn: targetGroup.arn }],
      });
    }
  }
}
