import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Construct } from 'constructs';

/** One rule of a security group: a port range from a peer group or from CIDRs. */
export interface SecurityGroupRuleOptions {
  readonly securityGroupId: string;
  readonly direction: 'ingress' | 'egress';
  readonly description: string;
  /** `tcp`, `udp`, or `all`. */
  readonly protocol: 'tcp' | 'udp' | 'all';
  /** Ignored for `all`. */
  readonly fromPort?: number;
  /** @default fromPort */
  readonly toPort?: number;
  /** The other side is a security group ... */
  readonly peerSecurityGroupId?: string;
  /** ... or CIDRs (one rule resource each). */
  readonly cidrs?: string[];
}

/**
 * Standalone rule resources, so that groups can reference each other without a cycle. The
 * per-rule resources (aws_vpc_security_group_*_rule) get their id from the create call itself,
 * so an apply interrupted mid-create still records the rule; the older aws_security_group_rule
 * lost such rules and the next apply failed on a duplicate.
 */
export function securityGroupRule(
  scope: Construct,
  id: string,
  options: SecurityGroupRuleOptions,
): Construct[] {
  if (!options.peerSecurityGroupId === !options.cidrs) {
    throw new Error(`security group rule ${id} needs exactly one of peerSecurityGroupId or cidrs`);
  }
  const all = options.protocol === 'all';
  const common = {
    securityGroupId: options.securityGroupId,
    description: options.description,
    ipProtocol: all ? '-1' : options.protocol,
    fromPort: all ? undefined : options.fromPort,
    toPort: all ? undefined : (options.toPort ?? options.fromPort),
  };
  const Rule =
    options.direction === 'ingress' ? VpcSecurityGroupIngressRule : VpcSecurityGroupEgressRule;
  if (options.peerSecurityGroupId) {
    return [
      new Rule(scope, id, { ...common, referencedSecurityGroupId: options.peerSecurityGroupId }),
    ];
  }
  return (options.cidrs ?? []).map(
    (cidr, index) =>
      new Rule(scope, index === 0 ? id : `${id}-${index}`, { ...common, cidrIpv4: cidr }),
  );
}
