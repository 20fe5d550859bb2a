/**
 * The `network:` section (the management VPC) and the `network:` block of a downstream cluster:
 * VPC CIDR, availability zones, subnet prefixes, NAT gateways.
 *
 * Rules about one VPC go in `checkVpcNetwork`, which runs for the management VPC and for every
 * downstream VPC; rules between VPCs (overlaps) are in downstream.ts.
 */
import { z } from 'zod';
import { isCidr, planSubnets } from '../network/cidr-plan';
import { cidr, type FieldPath, reportProblem } from './fields';
import type { EnvironmentConfig } from './schema';

const AZ_NAME = /^[a-z]{2}(-[a-z]+)+-\d[a-z]$/;

/** Network fields without defaults: the management VPC and downstream VPCs default differently. */
const networkFields = {
  vpcCidr: cidr,
  availabilityZones: z.union([
    z.number().int().min(2).max(3),
    z
      .array(z.string().regex(AZ_NAME, { message: 'expected a zone name such as us-east-1a' }))
      .min(2)
      .max(3),
  ]),
  privateSubnetPrefix: z.number().int().min(16).max(28),
  publicSubnetPrefix: z.number().int().min(16).max(28),
  natGateways: z.enum(['perAz', 'single']),
};

export const networkSchema = z
  .object({
    /** VPC CIDR. @default 10.0.0.0/16 (quick start) */
    vpcCidr: networkFields.vpcCidr.default('10.0.0.0/16'),
    /** A count (2 or 3, resolved with the region's available zones) or explicit zone names. @default 3 */
    availabilityZones: networkFields.availabilityZones.default(3),
    /** Prefix length of each private subnet. @default 19 */
    privateSubnetPrefix: networkFields.privateSubnetPrefix.default(19),
    /** Prefix length of each public subnet. @default 20 */
    publicSubnetPrefix: networkFields.publicSubnetPrefix.default(20),
    /** One NAT gateway per zone (resilient) or one for all (cheaper). @default perAz */
    natGateways: networkFields.natGateways.default('perAz'),
  })
  .strict();

/** A downstream VPC: every field optional, defaults filled per cluster (VPC 10.(101+i).0.0/16). */
export const downstreamNetworkSchema = z
  .object({
    vpcCidr: networkFields.vpcCidr.optional(),
    availabilityZones: networkFields.availabilityZones.optional(),
    privateSubnetPrefix: networkFields.privateSubnetPrefix.optional(),
    publicSubnetPrefix: networkFields.publicSubnetPrefix.optional(),
    natGateways: networkFields.natGateways.optional(),
  })
  .strict();

export type NetworkConfig = z.output<typeof networkSchema>;

/** How many zones a VPC spans: the count, or the number of zone names. */
export function zoneCount(network: Pick<NetworkConfig, 'availabilityZones'>): number {
  return Array.isArray(network.availabilityZones)
    ? network.availabilityZones.length
    : network.availabilityZones;
}

/** Rules of the management VPC (`network:`). */
export function checkNetwork(env: EnvironmentConfig, ctx: z.RefinementCtx): void {
  checkVpcNetwork(env.network, ['network'], ctx);
}

/** Rules of one VPC with its defaults applied; `path` is where its block is in the file. */
export function checkVpcNetwork(
  network: NetworkConfig,
  path: FieldPath,
  ctx: z.RefinementCtx,
): void {
  const zones = zoneCount(network);
  if (
    Array.isArray(network.availabilityZones) &&
    new Set(network.availabilityZones).size !== zones
  ) {
    reportProblem(
      ctx,
      [...path, 'availabilityZones'],
      'must not repeat a zone',
      network.availabilityZones,
    );
  }
  if (!isCidr(network.vpcCidr)) return;
  const vpcPrefix = Number(network.vpcCidr.split('/')[1]);
  if (vpcPrefix < 16 || vpcPrefix > 24) {
    reportProblem(
      ctx,
      [...path, 'vpcCidr'],
      'must have a prefix between /16 and /24 (AWS VPC limits leave room for subnets)',
      network.vpcCidr,
    );
    return;
  }
  for (const key of ['privateSubnetPrefix', 'publicSubnetPrefix'] as const) {
    if (network[key] <= vpcPrefix) {
      reportProblem(
        ctx,
        [...path, key],
        `must be longer than the VPC prefix /${vpcPrefix}`,
        network[key],
      );
    }
  }
  if (network.privateSubnetPrefix > vpcPrefix && network.publicSubnetPrefix > vpcPrefix) {
    try {
      planSubnets(network.vpcCidr, zones, network.privateSubnetPrefix, network.publicSubnetPrefix);
    } catch (error) {
      reportProblem(ctx, [...path, 'vpcCidr'], (error as Error).message, network.vpcCidr);
    }
  }
}
