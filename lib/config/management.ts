/**
 * The `management:` section: the management cluster's distribution, its EKS settings (endpoint
 * access, admins, node group) and its RKE2 settings (profile, servers, workers, bastion, etcd
 * snapshots). The EKS and RKE2 blocks are reused, all fields optional, by downstream clusters.
 *
 * Rules go in `checkManagement` (under the distribution they concern) or, when they also hold
 * for downstream clusters, in a helper like `checkNodeGroupSizes` that downstream.ts calls too.
 */
import { z } from 'zod';
import {
  DEFAULT_EKS_KUBERNETES_VERSION,
  DEFAULT_RKE2_VERSION,
  EKS_KUBERNETES_VERSIONS,
  RKE2_VERSIONS,
} from '../versions';
import { type IamPrincipal, parseIamPrincipalArn, principalKey } from '../iam/principal';
import { cidr, type FieldPath, reportProblem } from './fields';
import { zoneCount } from './network';
import type { EnvironmentConfig } from './schema';

/** EKS limits a cluster's public endpoint to 40 CIDR blocks. */
const EKS_MAX_PUBLIC_ACCESS_CIDRS = 40;

const STS_SESSION_ARN = /^arn:aws[a-z-]*:sts::\d{12}:assumed-role\//;

/** An IAM role or user ARN (a role may carry its path, as SSO roles do). */
function principalArn(kind: IamPrincipal['kind']) {
  const example = `arn:aws:iam::123456789012:${kind}/${kind === 'role' ? 'admins' : 'alice'}`;
  return z.string().superRefine((arn, ctx) => {
    if (parseIamPrincipalArn(arn)?.kind === kind) return;
    const message = STS_SESSION_ARN.test(arn)
      ? `is the ARN of a session; give the role's ARN such as ${example} (with its path for an SSO role: role/aws-reserved/sso.amazonaws.com/...)`
      : `expected an IAM ${kind} ARN such as ${example}`;
    ctx.addIssue({ code: 'custom', message, input: arn });
  });
}

const instanceType = z
  .string()
  .regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, {
    message: 'expected an EC2 instance type such as m5.xlarge',
  })
  .default('m5.xlarge');

export const nodeGroupSchema = z
  .object({
    instanceType,
    minSize: z.number().int().min(1).max(100).default(3),
    desiredSize: z.number().int().min(1).max(100).default(3),
    maxSize: z.number().int().min(1).max(100).default(6),
    /** Root volume size (encrypted gp3). @default 50 */
    diskSizeGiB: z.number().int().min(20).max(16384).default(50),
  })
  .strict();

export const eksSchema = z
  .object({
    /**
     * Where the Kubernetes API endpoint is reachable: `private` (inside the VPC) or `both` (also a
     * public endpoint for publicAccessCidrs). There is no public-only mode: it turns the private
     * endpoint off and the nodes would reach the API only through publicAccessCidrs.
     * @default private (quick start)
     */
    endpointAccess: z
      .enum(['private', 'both'], {
        message:
          'expected private or both (public alone turns the private endpoint off, and the nodes would reach the API only from publicAccessCidrs; use both)',
      })
      .default('private'),
    /** CIDRs allowed to the public endpoint; required with `both`. EKS takes at most 40. */
    publicAccessCidrs: z
      .array(cidr)
      .max(EKS_MAX_PUBLIC_ACCESS_CIDRS, {
        message: `EKS allows at most ${EKS_MAX_PUBLIC_ACCESS_CIDRS} public access CIDRs`,
      })
      .default([]),
    /** IAM roles given cluster-admin (quick start AdditionalEKSAdminRoleArn). */
    adminRoleArns: z.array(principalArn('role')).default([]),
    /** IAM users given cluster-admin (quick start AdditionalEKSAdminUserArn). */
    adminUserArns: z.array(principalArn('user')).default([]),
    nodeGroup: nodeGroupSchema.default(nodeGroupSchema.parse({})),
  })
  .strict();

export const rke2Schema = z
  .object({
    /** `single`: one server (trial). `ha`: an odd number >= 3 of servers over the zones. */
    profile: z.enum(['single', 'ha']).default('single'),
    /** RKE2 release. @default v1.36.3+rke2r1 */
    version: z.enum(RKE2_VERSIONS).default(DEFAULT_RKE2_VERSION),
    /** Server (control plane + etcd) count. @default 1 for single, 3 for ha */
    serverCount: z.number().int().min(1).max(9).optional(),
    serverInstanceType: instanceType,
    /** Agent (worker) nodes. @default 0 */
    workerCount: z.number().int().min(0).max(100).default(0),
    workerInstanceType: instanceType,
    /** Root volume size of every node (encrypted gp3). @default 100 */
    diskSizeGiB: z.number().int().min(30).max(16384).default(100),
    /** Keep workloads off servers when workers exist. @default true */
    taintServers: z.boolean().default(true),
    /** Cron schedule of etcd snapshots to S3. @default every 6 hours */
    etcdSnapshotSchedule: z.string().min(9).default('0 */6 * * *'),
    /** Snapshots kept. @default 28 (a week at the default schedule) */
    etcdSnapshotRetention: z.number().int().min(1).max(1000).default(28),
    /** A bastion host in a public subnet (quick start parity); SSM is the default access. @default false */
    bastion: z.boolean().default(false),
    /** Who may SSH to the bastion; required with bastion, never 0.0.0.0/0. */
    bastionAllowedCidrs: z.array(cidr).default([]),
    /** Node image. @default - Ubuntu 24.04 LTS from Canonical's public SSM parameter */
    amiId: z
      .string()
      .regex(/^ami-[0-9a-f]{8,17}$/, { message: 'expected an AMI id such as ami-0abc1234' })
      .optional(),
    /** Seconds the Rancher stack waits for the kubeconfig the first server publishes. @default 900 */
    kubeconfigWaitSeconds: z.number().int().min(10).max(7200).default(900),
  })
  .strict();

const namespaceName = z
  .string()
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, {
    message:
      'expected a Kubernetes namespace name: lower-case letters, digits and "-", starting and ending with a letter or digit',
  });

export const managementSchema = z
  .object({
    distribution: z.enum(['eks', 'rke2']).default('eks'),
    /** EKS Kubernetes minor. @default 1.36 */
    kubernetesVersion: z.enum(EKS_KUBERNETES_VERSIONS).default(DEFAULT_EKS_KUBERNETES_VERSION),
    eks: eksSchema.default(eksSchema.parse({})),
    rke2: rke2Schema.optional(),
    /**
     * Namespaces where Services of type LoadBalancer are allowed; everywhere else an admission
     * policy refuses them. @default - none (Terraform owns every load balancer)
     */
    allowLoadBalancerServicesIn: z.array(namespaceName).max(20).default([]),
  })
  .strict();

export type EksConfig = z.output<typeof eksSchema>;
export type Rke2Config = z.output<typeof rke2Schema>;
export type ManagementConfig = z.output<typeof managementSchema>;

/** The management cluster's RKE2 settings, defaults filled when the block is absent. */
export function managementRke2(management: ManagementConfig): Rke2Config {
  return management.rke2 ?? rke2Schema.parse({});
}

/** Rules of the management cluster of the distribution it uses. */
export function checkManagement(env: EnvironmentConfig, ctx: z.RefinementCtx): void {
  const { management } = env;
  if (management.distribution === 'eks') {
    const path = ['management', 'eks'];
    checkEndpointAccess(management.eks, path, ctx);
    checkAdminPrincipals(management.eks, path, ctx);
    checkNodeGroupSizes(management.eks.nodeGroup, [...path, 'nodeGroup'], ctx);
  }
  if (management.distribution === 'rke2') {
    const rke2 = managementRke2(management);
    const servers = rke2.serverCount ?? (rke2.profile === 'ha' ? 3 : 1);
    const path = ['management', 'rke2'];
    if (rke2.profile === 'single' && servers !== 1) {
      reportProblem(
        ctx,
        [...path, 'serverCount'],
        'must be 1 for the single profile (use profile: ha for more servers)',
        servers,
      );
    }
    if (rke2.bastion && rke2.bastionAllowedCidrs.length === 0) {
      reportProblem(
        ctx,
        [...path, 'bastionAllowedCidrs'],
        'must list the CIDRs allowed to SSH to the bastion when bastion is true',
        rke2.bastionAllowedCidrs,
      );
    }
    rke2.bastionAllowedCidrs.forEach((allowed, index) => {
      if (allowed.endsWith('/0')) {
        reportProblem(
          ctx,
          [...path, 'bastionAllowedCidrs', index],
          'must not open SSH to the whole internet; list your own networks',
          allowed,
        );
      }
    });
    if (rke2.profile === 'ha') {
      if (servers < 3 || servers % 2 === 0) {
        reportProblem(
          ctx,
          [...path, 'serverCount'],
          `must be odd and at least 3 for an etcd quorum in the ha profile; got ${servers}`,
          servers,
        );
      }
      const zones = zoneCount(env.network);
      if (zones < 3) {
        reportProblem(
          ctx,
          ['network', 'availabilityZones'],
          `must be 3 for the rke2 ha profile (servers spread over 3 zones); got ${zones}`,
          env.network.availabilityZones,
        );
      }
    }
  }
}

/** An `rke2:` block under an EKS management cluster would be silently ignored. */
export function checkUnusedRke2Block(env: EnvironmentConfig, ctx: z.RefinementCtx): void {
  if (env.management.distribution === 'eks' && env.management.rke2) {
    reportProblem(
      ctx,
      ['management', 'rke2'],
      'is only read when management.distribution is rke2; remove it or set distribution: rke2',
      env.management.rke2,
    );
  }
}

/**
 * A public endpoint needs the CIDRs allowed to it, and CIDRs need a public endpoint; for the
 * management and every downstream EKS cluster.
 */
export function checkEndpointAccess(
  eks: Pick<EksConfig, 'endpointAccess' | 'publicAccessCidrs'>,
  path: FieldPath,
  ctx: z.RefinementCtx,
): void {
  if (eks.endpointAccess === 'both' && eks.publicAccessCidrs.length === 0) {
    reportProblem(
      ctx,
      [...path, 'publicAccessCidrs'],
      'must list at least one CIDR when endpointAccess is both (an open Kubernetes API is never the default)',
      eks.publicAccessCidrs,
    );
  }
  if (eks.endpointAccess === 'private' && eks.publicAccessCidrs.length > 0) {
    reportProblem(
      ctx,
      [...path, 'publicAccessCidrs'],
      'is only used when endpointAccess is both',
      eks.publicAccessCidrs,
    );
  }
}

/**
 * EKS takes one access entry per principal, and IAM names ignore case and path: an ARN listed twice
 * (in any spelling) would fail the apply with a conflict.
 */
export function checkAdminPrincipals(
  eks: Partial<Pick<EksConfig, 'adminRoleArns' | 'adminUserArns'>>,
  path: FieldPath,
  ctx: z.RefinementCtx,
): void {
  const seen = new Map<string, string>();
  for (const field of ['adminRoleArns', 'adminUserArns'] as const) {
    (eks[field] ?? []).forEach((arn, index) => {
      const principal = parseIamPrincipalArn(arn);
      if (!principal) return;
      const key = principalKey(principal);
      const first = seen.get(key);
      if (first) {
        reportProblem(
          ctx,
          [...path, field, index],
          `names the same ${principal.kind} as ${first} (IAM names ignore case and path; EKS allows one access entry per principal)`,
          arn,
        );
      } else {
        seen.set(key, [...path, field, index].join('.'));
      }
    });
  }
}

/** minSize <= desiredSize <= maxSize, for the management and every downstream node group. */
export function checkNodeGroupSizes(
  nodeGroup: EksConfig['nodeGroup'],
  path: FieldPath,
  ctx: z.RefinementCtx,
): void {
  if (nodeGroup.minSize > nodeGroup.desiredSize || nodeGroup.desiredSize > nodeGroup.maxSize) {
    reportProblem(
      ctx,
      [...path, 'desiredSize'],
      `must satisfy minSize <= desiredSize <= maxSize; got ${nodeGroup.minSize} <= ${nodeGroup.desiredSize} <= ${nodeGroup.maxSize}`,
      nodeGroup.desiredSize,
    );
  }
}
