/**
 * The `downstream:` section: clusters Rancher manages, each with a name, a distribution, its own
 * VPC (`network:`, checked like the management VPC) or an existing one, and optional EKS or RKE2
 * settings (management.ts's blocks, every field optional).
 *
 * Rules go in `checkDownstream`, inside the loop over clusters: names unique, VPCs that do not
 * overlap each other or the management VPC, and only the block of the cluster's distribution.
 */
import { z } from 'zod';
import { DEFAULT_EKS_KUBERNETES_VERSION, EKS_KUBERNETES_VERSIONS } from '../versions';
import { cidrsOverlap, downstreamVpcCidr, isCidr } from '../network/cidr-plan';
import {
  derivedNamesProblem,
  downstreamNames,
  managementNames,
  RESERVED_DOWNSTREAM_NAMES,
} from '../naming/environment-names';
import { checkDerivedNames, type FieldPath, reportProblem } from './fields';
import {
  checkAdminPrincipals,
  checkEndpointAccess,
  checkNodeGroupSizes,
  eksSchema,
  nodeGroupSchema,
  rke2Schema,
} from './management';
import { checkVpcNetwork, downstreamNetworkSchema, networkSchema } from './network';
import type { EnvironmentConfig } from './schema';

export const DOWNSTREAM_NAME_PATTERN = /^[a-z][a-z0-9-]{0,10}[a-z0-9]$/;

export const downstreamSchema = z
  .object({
    name: z.string().regex(DOWNSTREAM_NAME_PATTERN, {
      message:
        'expected 2-12 characters: lower-case letters, digits and dashes, starting with a letter',
    }),
    distribution: z.enum(['eks', 'rke2']).default('eks'),
    kubernetesVersion: z.enum(EKS_KUBERNETES_VERSIONS).default(DEFAULT_EKS_KUBERNETES_VERSION),
    /** Its own VPC (this CIDR) unless `existingVpc` is given. */
    network: downstreamNetworkSchema.optional(),
    /** Bump to reinstall the agent release with the current registration token (docs/downstream.md). @default 1 */
    agentTokenRevision: z.number().int().min(1).default(1),
    existingVpc: z
      .object({
        vpcId: z
          .string()
          .regex(/^vpc-[0-9a-f]+$/, { message: 'expected a VPC id such as vpc-0abc' }),
        privateSubnetIds: z
          .array(z.string().regex(/^subnet-[0-9a-f]+$/, { message: 'expected a subnet id' }))
          .min(2),
        /**
         * Route tables of those subnets: with them (and the deployer enabled) the cluster stack
         * peers the VPC with the management VPC and routes both ways; without them the routing
         * between the two VPCs is the VPC owner's part (docs/deploying.md).
         */
        routeTableIds: z
          .array(
            z.string().regex(/^rtb-[0-9a-f]+$/, {
              message: 'expected a route table id such as rtb-0abc',
            }),
          )
          .min(1)
          .optional(),
      })
      .strict()
      .optional(),
    eks: eksSchema.partial().strict().optional(),
    rke2: rke2Schema.partial().strict().optional(),
  })
  .strict();

export type DownstreamConfig = z.output<typeof downstreamSchema>;

/** Rules of each downstream cluster, and between clusters and the management VPC. */
export function checkDownstream(env: EnvironmentConfig, ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  // A bad environment name breaks every downstream name too; it is reported once, at `name`.
  const checkNames = derivedNamesProblem(managementNames(env)) === undefined;
  const vpcs: { path: FieldPath; cidr: string }[] = [
    { path: ['network', 'vpcCidr'], cidr: env.network.vpcCidr },
  ];
  env.downstream.forEach((cluster, index) => {
    const path = ['downstream', index];
    if (seen.has(cluster.name)) {
      reportProblem(
        ctx,
        [...path, 'name'],
        'must be unique among downstream clusters',
        cluster.name,
      );
    }
    seen.add(cluster.name);
    if ((RESERVED_DOWNSTREAM_NAMES as readonly string[]).includes(cluster.name)) {
      reportProblem(
        ctx,
        [...path, 'name'],
        "is reserved: the cluster's AWS names would be the management cluster's",
        cluster.name,
      );
    } else if (checkNames) {
      checkDerivedNames(ctx, [...path, 'name'], downstreamNames(env.name, cluster), cluster.name);
    }
    if (cluster.existingVpc && cluster.network) {
      reportProblem(
        ctx,
        [...path, 'network'],
        'cannot be combined with existingVpc',
        cluster.network,
      );
    }
    if (!cluster.existingVpc) {
      const network = networkSchema.parse({
        vpcCidr: downstreamVpcCidr(index),
        ...cluster.network,
      });
      checkVpcNetwork(network, [...path, 'network'], ctx);
      if (isCidr(network.vpcCidr)) {
        const clash = vpcs.find(
          (other) => isCidr(other.cidr) && cidrsOverlap(other.cidr, network.vpcCidr),
        );
        if (clash) {
          reportProblem(
            ctx,
            [...path, 'network', 'vpcCidr'],
            `must not overlap ${clash.path.join('.')} (${clash.cidr})`,
            network.vpcCidr,
          );
        }
        vpcs.push({ path: [...path, 'network', 'vpcCidr'], cidr: network.vpcCidr });
      }
    }
    if (cluster.distribution === 'eks' && cluster.rke2) {
      reportProblem(ctx, [...path, 'rke2'], 'is only read when distribution is rke2', cluster.rke2);
    }
    if (cluster.distribution === 'rke2' && cluster.eks) {
      reportProblem(ctx, [...path, 'eks'], 'is only read when distribution is eks', cluster.eks);
    }
    if (cluster.distribution === 'eks' && cluster.eks) {
      checkEndpointAccess(
        {
          endpointAccess: cluster.eks.endpointAccess ?? 'private',
          publicAccessCidrs: cluster.eks.publicAccessCidrs ?? [],
        },
        [...path, 'eks'],
        ctx,
      );
      checkAdminPrincipals(cluster.eks, [...path, 'eks'], ctx);
    }
    if (cluster.distribution === 'eks' && cluster.eks?.nodeGroup) {
      checkNodeGroupSizes(
        nodeGroupSchema.parse(cluster.eks.nodeGroup),
        [...path, 'eks', 'nodeGroup'],
        ctx,
      );
    }
  });
}
