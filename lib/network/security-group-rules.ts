import { SecurityGroupRule } from '@cdktf/provider-aws/lib/security-group-rule';
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
  /** ... or CIDRs. */
  readonly cidrs?: string[];
}

/**
 * A standalone rule resource, so that groups can reference each other without a cycle. Uses
 * aws_security_group_rule rather than aws_vpc_security_group_*_rule: the AWS emulator does not
 * return rule descriptions through DescribeSecurityGroupRules, which the newer resources read.
 */
export function securityGroupRule(
  scope: Construct,
  id: string,
  options: SecurityGroupRuleOptions,
): SecurityGroupRule {
  if (!options.peerSecurityGroupId === !options.cidrs) {
    throw new Error(`security group rule ${id} needs exactly one of peerSecurityGroupId or cidrs`);
  }
  const all = options.protocol === 'all';
  return new SecurityGroupRule(scope, id, {
    securityGroupId: options.securityGroupId,
    type: options.direction,
    description: options.description,
    protocol: all ? '-1' : options.protocol,
    fromPort: all ? 0 : (options.fromPort ?? 0),
    toPort: all ? 0 : (options.toPort ?? options.fromPort ?? 0),
    sourceSecurityGroupId: options.peerSecurityGroupId,
    cidrBlocks: options.cidrs,
  });
}
