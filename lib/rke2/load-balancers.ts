import { Construct } from 'constructs';
import { TLS_OFFLOAD_ENTRYPOINT } from '../addons/traefik-values';
import { ClusterLoadBalancer, ForwardedPort, LoadBalancerScheme } from '../ingress/load-balancer';
import { RKE2_INGRESS_TARGET_PORTS } from '../ingress/ports';
import { resourceName } from '../naming/names';
import { RKE2_API_PORT, RKE2_SUPERVISOR_PORT } from './user-data';

export interface Rke2IngressOptions {
  /** @default internet-facing */
  readonly scheme?: LoadBalancerScheme;
  /** Who may reach 80 and 443. */
  readonly allowedCidrs: string[];
  /**
   * ACM certificate: the 443 listener ends TLS and forwards plain HTTP to the bundled Traefik's
   * `tls-offload` entrypoint (host port 8001), which the servers add through a HelmChartConfig.
   * @default - TCP passthrough to Traefik's HTTPS port
   */
  readonly certificateArn?: string;
}

export interface Rke2LoadBalancersProps {
  /** Prefix of the load balancer and target group names (the environment name). */
  readonly namePrefix: string;
  readonly vpcId: string;
  /** The only clients of the registration load balancer. */
  readonly vpcCidr: string;
  /** The registration load balancer's subnets, and the ingress one's when it is internal. */
  readonly privateSubnetIds: string[];
  /** The ingress load balancer's subnets when it is internet-facing. */
  readonly publicSubnetIds: string[];
  readonly ingress: Rke2IngressOptions;
  /** Security group of the nodes, the targets of both load balancers. */
  readonly nodeSecurityGroupId: string;
  /** @default false */
  readonly deletionProtection?: boolean;
}

/** The two load balancers in front of the RKE2 nodes. */
export interface Rke2LoadBalancers {
  /** Internal: 9345 (supervisor, nodes join through it) and 6443 (API) to the servers. */
  readonly registration: ClusterLoadBalancer;
  /** 80 and 443 to the bundled Traefik's host ports. */
  readonly ingress: ClusterLoadBalancer;
}

/**
 * Adds the registration and ingress load balancers to `scope` (the cluster), as `registration`
 * and `ingress`. A function, not a construct: their construct paths are their Terraform
 * addresses, and a construct around them would replace both load balancers of a live cluster.
 */
export function addRke2LoadBalancers(
  scope: Construct,
  props: Rke2LoadBalancersProps,
): Rke2LoadBalancers {
  const nodeSg = props.nodeSecurityGroupId;
  // Nodes join and reach the API through it; the API stays inside the VPC.
  const vpcOnly = [props.vpcCidr];
  const registration = new ClusterLoadBalancer(scope, 'registration', {
    name: resourceName(props.namePrefix, 'rke2', 'loadBalancer'),
    targetGroupPrefix: `${props.namePrefix}-rke2`,
    vpcId: props.vpcId,
    subnetIds: props.privateSubnetIds,
    scheme: 'internal',
    targetType: 'instance',
    targetSecurityGroupId: nodeSg,
    deletionProtection: props.deletionProtection,
    preserveClientIp: false,
    ports: [
      {
        name: 'join',
        listenerPort: RKE2_SUPERVISOR_PORT,
        targetPort: RKE2_SUPERVISOR_PORT,
        allowedCidrs: vpcOnly,
      },
      {
        name: 'api',
        listenerPort: RKE2_API_PORT,
        targetPort: RKE2_API_PORT,
        allowedCidrs: vpcOnly,
      },
    ],
  });

  const tls = props.ingress.certificateArn;
  const ingressPorts: ForwardedPort[] = [
    {
      name: 'http',
      listenerPort: 80,
      targetPort: RKE2_INGRESS_TARGET_PORTS.http,
      allowedCidrs: props.ingress.allowedCidrs,
    },
    {
      name: 'https',
      listenerPort: 443,
      targetPort: tls ? RKE2_INGRESS_TARGET_PORTS.tlsOffload : RKE2_INGRESS_TARGET_PORTS.https,
      targetGroupSuffix: tls ? TLS_OFFLOAD_ENTRYPOINT : undefined,
      allowedCidrs: props.ingress.allowedCidrs,
      certificateArn: tls,
    },
  ];
  const internal = props.ingress.scheme === 'internal';
  const ingress = new ClusterLoadBalancer(scope, 'ingress', {
    name: resourceName(props.namePrefix, 'ingress', 'loadBalancer'),
    targetGroupPrefix: props.namePrefix,
    vpcId: props.vpcId,
    subnetIds: internal ? props.privateSubnetIds : props.publicSubnetIds,
    scheme: props.ingress.scheme,
    targetType: 'instance',
    targetSecurityGroupId: nodeSg,
    deletionProtection: props.deletionProtection,
    // Pods on the nodes reach Rancher's hostname through this load balancer too.
    preserveClientIp: false,
    ports: ingressPorts,
  });
  return { registration, ingress };
}
