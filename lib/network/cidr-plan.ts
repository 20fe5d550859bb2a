/**
 * Subnet plan of a VPC: private subnets from the start of the lower half, public subnets from
 * the start of the upper half (the quick start's layout: 10.0.0.0/19, 10.0.32.0/19, ... and
 * 10.0.128.0/20, 10.0.144.0/20, ...). The halves leave room to add a zone later without
 * renumbering. Pure: no cdktf imports.
 */

export interface SubnetPlan {
  readonly private: string[];
  readonly public: string[];
}

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

interface Block {
  readonly base: number;
  readonly prefix: number;
}

function parse(cidr: string): Block | undefined {
  const match = CIDR.exec(cidr);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const base = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  return { base, prefix };
}

function size(prefix: number): number {
  return 2 ** (32 - prefix);
}

function format(base: number, prefix: number): string {
  return `${base >>> 24}.${(base >>> 16) & 255}.${(base >>> 8) & 255}.${base & 255}/${prefix}`;
}

/** A well-formed IPv4 CIDR whose address is the network address (10.0.0.0/16, not 10.0.0.1/16). */
export function isCidr(value: string): boolean {
  const block = parse(value);
  return block !== undefined && block.base % size(block.prefix) === 0;
}

function mustParse(cidr: string): Block {
  const block = parse(cidr);
  if (!block || block.base % size(block.prefix) !== 0)
    throw new Error(`not a network CIDR: ${cidr}`);
  return block;
}

export function cidrsOverlap(a: string, b: string): boolean {
  const x = mustParse(a);
  const y = mustParse(b);
  return x.base < y.base + size(y.prefix) && y.base < x.base + size(x.prefix);
}

/** Whether `inner` lies entirely inside `outer`. */
export function cidrContains(outer: string, inner: string): boolean {
  const o = mustParse(outer);
  const i = mustParse(inner);
  return (
    i.prefix >= o.prefix && i.base >= o.base && i.base + size(i.prefix) <= o.base + size(o.prefix)
  );
}

export function planSubnets(
  vpcCidr: string,
  zones: number,
  privatePrefix: number,
  publicPrefix: number,
): SubnetPlan {
  const vpc = mustParse(vpcCidr);
  const halfPrefix = vpc.prefix + 1;
  const half = size(halfPrefix);
  const allocate = (start: number, prefix: number, kind: string): string[] => {
    if (prefix < halfPrefix || zones * size(prefix) > half) {
      throw new Error(
        `${zones} ${kind} /${prefix} subnets do not fit in half of ${vpcCidr} (/${halfPrefix}, ` +
          `${half} addresses; private subnets take the lower half, public the upper)`,
      );
    }
    return Array.from({ length: zones }, (_, i) => format(start + i * size(prefix), prefix));
  };
  return {
    private: allocate(vpc.base, privatePrefix, 'private'),
    public: allocate(vpc.base + half, publicPrefix, 'public'),
  };
}

/** Default VPC CIDR of the n-th downstream cluster (0-based): 10.(101+n).0.0/16, clear of 10.0.0.0/16. */
export function downstreamVpcCidr(index: number): string {
  if (index < 0 || index > 150) throw new Error(`downstream index out of range: ${index}`);
  return `10.${101 + index}.0.0/16`;
}

/** Whether the CIDRs let every IPv4 address in (one of them is a /0). */
export function opensToEveryone(cidrs: readonly string[]): boolean {
  return cidrs.some((cidr) => parse(cidr)?.prefix === 0);
}

/** One /32 per address (addresses may be tokens known at apply time). */
export function hostCidrs(addresses: readonly string[]): string[] {
  return addresses.map((address) => `${address}/32`);
}
