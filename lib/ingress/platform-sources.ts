/**
 * Where the platform's own clients reach Rancher's load balancer from. Pure: no cdktf imports.
 *
 * Rancher's hostname resolves to the load balancer for everything: cert-manager's HTTP-01 self
 * check, Rancher's agent on the management cluster, and the cluster agents of downstream clusters.
 * Through an internet-facing load balancer they arrive from their VPC's NAT gateway addresses;
 * through an internal one from their VPC. A restricted `ingress.allowedCidrs` would shut them out,
 * so these sources are allowed beside it.
 */
import { cidrContains, hostCidrs, opensToEveryone } from '../network/cidr-plan';

export interface PlatformSourcesOptions {
  readonly scheme: 'internet-facing' | 'internal';
  /** `ingress.allowedCidrs` (literal CIDRs). */
  readonly allowedCidrs: readonly string[];
  /** Public addresses of the VPC's NAT gateways (may be values known at apply time). */
  readonly natPublicIps: readonly string[];
  /** The VPC's CIDR (literal). */
  readonly vpcCidr: string;
}

/**
 * The CIDRs to allow beside `allowedCidrs` for clients in one VPC; none when `allowedCidrs` lets
 * everyone in, or (internal) already covers the VPC.
 */
export function platformSources(options: PlatformSourcesOptions): string[] {
  if (opensToEveryone(options.allowedCidrs)) return [];
  if (options.scheme === 'internet-facing') return hostCidrs(options.natPublicIps);
  const covered = options.allowedCidrs.some((allowed) => cidrContains(allowed, options.vpcCidr));
  return covered ? [] : [options.vpcCidr];
}

/** Where another stack allows more clients to Rancher's load balancer. */
export interface RancherIngressAccess {
  /** The load balancer's security group. */
  readonly securityGroupId: string;
  /** Its listener ports. */
  readonly listenerPorts: readonly number[];
}
