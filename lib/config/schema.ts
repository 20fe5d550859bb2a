import { z } from 'zod';
import {
  DEFAULT_EKS_KUBERNETES_VERSION,
  DEFAULT_RANCHER_VERSION,
  DEFAULT_RKE2_VERSION,
  EKS_KUBERNETES_VERSIONS,
  RANCHER_CHARTS,
  RKE2_VERSIONS,
  kubernetesMinorOf,
  rancherSupportsKubernetes,
} from '../versions';
import { letsEncryptChallenge } from '../tls/challenge';
import { cidrsOverlap, downstreamVpcCidr, isCidr, planSubnets } from '../network/cidr-plan';

/** Environment names become prefixes of AWS names (NLB and target group names allow 32 chars). */
export const ENVIRONMENT_NAME_PATTERN = /^[a-z][a-z0-9-]{0,18}[a-z0-9]$/;
export const DOWNSTREAM_NAME_PATTERN = /^[a-z][a-z0-9-]{0,10}[a-z0-9]$/;
const HOSTNAME_PATTERN = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const IAM_ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const IAM_USER_ARN = /^arn:aws[a-z-]*:iam::\d{12}:user\/[\w+=,.@/-]+$/;
const AZ_NAME = /^[a-z]{2}(-[a-z]+)+-\d[a-z]$/;
const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
const SECRETS_MANAGER_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

const cidr = z.string().refine(isCidr, { message: 'expected an IPv4 CIDR such as 10.0.0.0/16' });
const tagMap = z.record(
  z.string().min(1).max(128),
  z.string().max(256, { message: 'tag values are limited to 256 characters' }),
);

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

const networkSchema = z
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
const downstreamNetworkSchema = z
  .object({
    vpcCidr: networkFields.vpcCidr.optional(),
    availabilityZones: networkFields.availabilityZones.optional(),
    privateSubnetPrefix: networkFields.privateSubnetPrefix.optional(),
    publicSubnetPrefix: networkFields.publicSubnetPrefix.optional(),
    natGateways: networkFields.natGateways.optional(),
  })
  .strict();

const nodeGroupSchema = z
  .object({
    instanceType: z
      .string()
      .regex(INSTANCE_TYPE, { message: 'expected an EC2 instance type such as m5.xlarge' })
      .default('m5.xlarge'),
    minSize: z.number().int().min(1).max(100).default(3),
    desiredSize: z.number().int().min(1).max(100).default(3),
    maxSize: z.number().int().min(1).max(100).default(6),
    /** Root volume size (encrypted gp3). @default 50 */
    diskSizeGiB: z.number().int().min(20).max(16384).default(50),
  })
  .strict();

const eksSchema = z
  .object({
    /** Where the Kubernetes API endpoint is reachable. @default private (quick start) */
    endpointAccess: z.enum(['private', 'public', 'both']).default('private'),
    /** CIDRs allowed to the public endpoint; required when it is public. */
    publicAccessCidrs: z.array(cidr).default([]),
    /** IAM roles given cluster-admin (quick start AdditionalEKSAdminRoleArn). */
    adminRoleArns: z
      .array(z.string().regex(IAM_ROLE_ARN, { message: 'expected an IAM role ARN' }))
      .default([]),
    /** IAM users given cluster-admin (quick start AdditionalEKSAdminUserArn). */
    adminUserArns: z
      .array(z.string().regex(IAM_USER_ARN, { message: 'expected an IAM user ARN' }))
      .default([]),
    nodeGroup: nodeGroupSchema.default(nodeGroupSchema.parse({})),
  })
  .strict();

const rke2Schema = z
  .object({
    /** `single`: one server (trial). `ha`: an odd number >= 3 of servers over the zones. */
    profile: z.enum(['single', 'ha']).default('single'),
    /** RKE2 release. @default v1.36.3+rke2r1 */
    version: z.enum(RKE2_VERSIONS).default(DEFAULT_RKE2_VERSION),
    /** Server (control plane + etcd) count. @default 1 for single, 3 for ha */
    serverCount: z.number().int().min(1).max(9).optional(),
    serverInstanceType: z
      .string()
      .regex(INSTANCE_TYPE, { message: 'expected an EC2 instance type such as m5.xlarge' })
      .default('m5.xlarge'),
    /** Agent (worker) nodes. @default 0 */
    workerCount: z.number().int().min(0).max(100).default(0),
    workerInstanceType: z
      .string()
      .regex(INSTANCE_TYPE, { message: 'expected an EC2 instance type such as m5.xlarge' })
      .default('m5.xlarge'),
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

const managementSchema = z
  .object({
    distribution: z.enum(['eks', 'rke2']).default('eks'),
    /** EKS Kubernetes minor. @default 1.36 */
    kubernetesVersion: z.enum(EKS_KUBERNETES_VERSIONS).default(DEFAULT_EKS_KUBERNETES_VERSION),
    eks: eksSchema.default(eksSchema.parse({})),
    rke2: rke2Schema.optional(),
  })
  .strict();

const ingressSchema = z
  .object({
    /** NLB scheme. @default internet-facing */
    scheme: z.enum(['internet-facing', 'internal']).default('internet-facing'),
    /** Client CIDRs allowed to 80/443. @default 0.0.0.0/0 */
    allowedCidrs: z.array(cidr).min(1).default(['0.0.0.0/0']),
  })
  .strict();

const dnsSchema = z
  .object({
    /** Rancher's hostname (lower case). */
    hostname: z.string().regex(HOSTNAME_PATTERN, {
      message: 'expected a lower-case DNS name such as rancher.example.com',
    }),
    /** An existing Route 53 hosted zone. Without it the stack creates a private zone. */
    hostedZoneId: z
      .string()
      .regex(/^Z[A-Z0-9]{1,31}$/, {
        message: 'expected a Route 53 hosted zone id such as Z0123456789ABC',
      })
      .optional(),
    /** Whether the existing zone is public (decides Let's Encrypt HTTP-01). @default public */
    hostedZoneVisibility: z.enum(['public', 'private']).default('public'),
    /** Name of the private zone the stack creates. @default the hostname's parent domain */
    privateZoneName: z
      .string()
      .regex(HOSTNAME_PATTERN, { message: 'expected a lower-case DNS name' })
      .optional(),
  })
  .strict();

const secretTlsSchema = z
  .object({
    certificateFile: z.string().min(1).optional(),
    keyFile: z.string().min(1).optional(),
    caFile: z.string().min(1).optional(),
    /** A Secrets Manager secret holding JSON {certificate, key, ca?}. */
    secretsManagerArn: z
      .string()
      .regex(SECRETS_MANAGER_ARN, { message: 'expected a Secrets Manager secret ARN' })
      .optional(),
    /** A private CA signed the certificate: Rancher gets it as `tls-ca`. @default false */
    privateCA: z.boolean().default(false),
  })
  .strict();

const tlsSchema = z
  .object({
    mode: z.enum(['rancher', 'letsEncrypt', 'secret', 'acm']).default('rancher'),
    letsEncrypt: z
      .object({
        email: z.string().regex(EMAIL, { message: 'expected an e-mail address' }),
        environment: z.enum(['production', 'staging']).default('production'),
        /** @default http01 when the zone is public and the load balancer internet-facing, else dns01 */
        challenge: z.enum(['http01', 'dns01']).optional(),
      })
      .strict()
      .optional(),
    secret: secretTlsSchema.optional(),
  })
  .strict();

const rancherSchema = z
  .object({
    /** Rancher chart and image version. @default 2.15.0 */
    version: z.string().default(DEFAULT_RANCHER_VERSION),
    /** @default min(3, nodes) */
    replicas: z.number().int().min(1).max(10).optional(),
    tls: tlsSchema.default(tlsSchema.parse({})),
    /** Extra Helm values merged last (escape hatch; still checked against the chart). */
    extraValues: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

const downstreamSchema = z
  .object({
    name: z.string().regex(DOWNSTREAM_NAME_PATTERN, {
      message:
        'expected 2-12 characters: lower-case letters, digits and dashes, starting with a letter',
    }),
    distribution: z.enum(['eks', 'rke2']).default('eks'),
    kubernetesVersion: z.enum(EKS_KUBERNETES_VERSIONS).default(DEFAULT_EKS_KUBERNETES_VERSION),
    /** Its own VPC (this CIDR) unless `existingVpc` is given. */
    network: downstreamNetworkSchema.optional(),
    /** Bump to push the current registration token to the agent (write-only Helm value). @default 1 */
    agentTokenRevision: z.number().int().min(1).default(1),
    existingVpc: z
      .object({
        vpcId: z
          .string()
          .regex(/^vpc-[0-9a-f]+$/, { message: 'expected a VPC id such as vpc-0abc' }),
        privateSubnetIds: z
          .array(z.string().regex(/^subnet-[0-9a-f]+$/, { message: 'expected a subnet id' }))
          .min(2),
      })
      .strict()
      .optional(),
    eks: eksSchema.partial().strict().optional(),
    rke2: rke2Schema.partial().strict().optional(),
  })
  .strict();

const stateSchema = z
  .object({
    /** `local` state files, or S3 with native locking. @default local */
    backend: z.enum(['local', 's3']).default('local'),
    /** State bucket (created by the bootstrap stack). @default <env>-tfstate (local target), <env>-tfstate-<accountId> (aws) */
    bucket: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: 'expected a valid S3 bucket name' })
      .optional(),
    /** Key prefix; each stack's key is `<prefix>/<stack>.tfstate`. @default the environment name */
    keyPrefix: z
      .string()
      .regex(/^[A-Za-z0-9_.\-/]+$/)
      .optional(),
    region: z
      .string()
      .regex(REGION, { message: 'expected an AWS region such as us-east-1' })
      .optional(),
  })
  .strict();

const environmentObject = z
  .object({
    /** Environment name: prefix of every resource name and the `environment` tag. */
    name: z.string().regex(ENVIRONMENT_NAME_PATTERN, {
      message:
        'expected 2-20 characters: lower-case letters, digits and dashes, starting with a letter',
    }),
    /** `aws`: a real account (default credential chain). `local`: the AWS emulator on loopback. */
    target: z.enum(['aws', 'local']).default('aws'),
    region: z
      .string()
      .regex(REGION, { message: 'expected an AWS region such as us-east-1' })
      .default('us-east-1'),
    /** AWS account the stacks may touch (guards against the wrong credentials). */
    accountId: z
      .string()
      .regex(/^\d{12}$/, { message: 'expected a 12-digit AWS account id' })
      .optional(),
    owner: z.string().min(1).max(128),
    /** Refuse teardown; enable deletion protection where AWS offers it. @default false */
    protected: z.boolean().default(false),
    /** Throw-away environments: when the sweep may destroy it (ISO 8601). */
    expiresAt: z.iso
      .datetime({
        offset: true,
        message: 'expected an ISO 8601 date-time such as 2026-12-31T00:00:00Z',
      })
      .optional(),
    tags: tagMap.default({}),
    network: networkSchema.default(networkSchema.parse({})),
    management: managementSchema.default(managementSchema.parse({})),
    ingress: ingressSchema.default(ingressSchema.parse({})),
    dns: dnsSchema,
    rancher: rancherSchema.default(rancherSchema.parse({})),
    downstream: z.array(downstreamSchema).max(50).default([]),
    state: stateSchema.default(stateSchema.parse({})),
  })
  .strict();

export const environmentSchema = environmentObject.superRefine(checkCrossFieldRules);

export type EnvironmentInput = z.input<typeof environmentSchema>;
export type EnvironmentConfig = z.output<typeof environmentSchema>;
export type NetworkConfig = z.output<typeof networkSchema>;
export type EksConfig = z.output<typeof eksSchema>;
export type Rke2Config = z.output<typeof rke2Schema>;
export type TlsConfig = z.output<typeof tlsSchema>;
export type DownstreamConfig = z.output<typeof downstreamSchema>;

type Ctx = z.RefinementCtx;
type RawEnv = z.output<typeof environmentObject>;

function issue(ctx: Ctx, path: (string | number)[], message: string, input: unknown): void {
  ctx.addIssue({ code: 'custom', path, message, input });
}

function checkCrossFieldRules(env: RawEnv, ctx: Ctx): void {
  checkNetwork(env.network, ['network'], ctx);
  checkManagement(env, ctx);
  checkDns(env, ctx);
  checkTls(env, ctx);
  checkRancher(env, ctx);
  checkDownstream(env, ctx);
  if (env.state.backend === 's3' && env.target === 'aws' && !env.state.bucket && !env.accountId) {
    issue(
      ctx,
      ['state', 'bucket'],
      'is required for backend s3 on target aws unless accountId is set (the default name is <env>-tfstate-<accountId>)',
      undefined,
    );
  }
  if (env.management.distribution === 'eks' && env.management.rke2) {
    issue(
      ctx,
      ['management', 'rke2'],
      'is only read when management.distribution is rke2; remove it or set distribution: rke2',
      env.management.rke2,
    );
  }
}

function checkNetwork(network: NetworkConfig, path: string[], ctx: Ctx): void {
  const zones = Array.isArray(network.availabilityZones)
    ? network.availabilityZones.length
    : network.availabilityZones;
  if (
    Array.isArray(network.availabilityZones) &&
    new Set(network.availabilityZones).size !== zones
  ) {
    issue(ctx, [...path, 'availabilityZones'], 'must not repeat a zone', network.availabilityZones);
  }
  if (!isCidr(network.vpcCidr)) return;
  const vpcPrefix = Number(network.vpcCidr.split('/')[1]);
  if (vpcPrefix < 16 || vpcPrefix > 24) {
    issue(
      ctx,
      [...path, 'vpcCidr'],
      'must have a prefix between /16 and /24 (AWS VPC limits leave room for subnets)',
      network.vpcCidr,
    );
    return;
  }
  for (const key of ['privateSubnetPrefix', 'publicSubnetPrefix'] as const) {
    if (network[key] <= vpcPrefix) {
      issue(ctx, [...path, key], `must be longer than the VPC prefix /${vpcPrefix}`, network[key]);
    }
  }
  if (network.privateSubnetPrefix > vpcPrefix && network.publicSubnetPrefix > vpcPrefix) {
    try {
      planSubnets(network.vpcCidr, zones, network.privateSubnetPrefix, network.publicSubnetPrefix);
    } catch (error) {
      issue(ctx, [...path, 'vpcCidr'], (error as Error).message, network.vpcCidr);
    }
  }
}

function checkManagement(env: RawEnv, ctx: Ctx): void {
  const { management } = env;
  const eks = management.eks;
  if (management.distribution === 'eks') {
    if (eks.endpointAccess !== 'private' && eks.publicAccessCidrs.length === 0) {
      issue(
        ctx,
        ['management', 'eks', 'publicAccessCidrs'],
        `must list at least one CIDR when endpointAccess is ${eks.endpointAccess} (an open Kubernetes API is never the default)`,
        eks.publicAccessCidrs,
      );
    }
    if (eks.endpointAccess === 'private' && eks.publicAccessCidrs.length > 0) {
      issue(
        ctx,
        ['management', 'eks', 'publicAccessCidrs'],
        'is only used when endpointAccess is public or both',
        eks.publicAccessCidrs,
      );
    }
    checkNodeGroupSizes(eks.nodeGroup, ['management', 'eks', 'nodeGroup'], ctx);
  }
  if (management.distribution === 'rke2') {
    const rke2 = management.rke2 ?? rke2Schema.parse({});
    const servers = rke2.serverCount ?? (rke2.profile === 'ha' ? 3 : 1);
    const path = ['management', 'rke2'];
    if (rke2.profile === 'single' && servers !== 1) {
      issue(
        ctx,
        [...path, 'serverCount'],
        'must be 1 for the single profile (use profile: ha for more servers)',
        servers,
      );
    }
    if (rke2.bastion && rke2.bastionAllowedCidrs.length === 0) {
      issue(
        ctx,
        [...path, 'bastionAllowedCidrs'],
        'must list the CIDRs allowed to SSH to the bastion when bastion is true',
        rke2.bastionAllowedCidrs,
      );
    }
    rke2.bastionAllowedCidrs.forEach((allowed, index) => {
      if (allowed.endsWith('/0')) {
        issue(
          ctx,
          [...path, 'bastionAllowedCidrs', index],
          'must not open SSH to the whole internet; list your own networks',
          allowed,
        );
      }
    });
    if (rke2.profile === 'ha') {
      if (servers < 3 || servers % 2 === 0) {
        issue(
          ctx,
          [...path, 'serverCount'],
          `must be odd and at least 3 for an etcd quorum in the ha profile; got ${servers}`,
          servers,
        );
      }
      const zones = Array.isArray(env.network.availabilityZones)
        ? env.network.availabilityZones.length
        : env.network.availabilityZones;
      if (zones < 3) {
        issue(
          ctx,
          ['network', 'availabilityZones'],
          `must be 3 for the rke2 ha profile (servers spread over 3 zones); got ${zones}`,
          env.network.availabilityZones,
        );
      }
    }
  }
}

function checkNodeGroupSizes(nodeGroup: EksConfig['nodeGroup'], path: string[], ctx: Ctx): void {
  if (nodeGroup.minSize > nodeGroup.desiredSize || nodeGroup.desiredSize > nodeGroup.maxSize) {
    issue(
      ctx,
      [...path, 'desiredSize'],
      `must satisfy minSize <= desiredSize <= maxSize; got ${nodeGroup.minSize} <= ${nodeGroup.desiredSize} <= ${nodeGroup.maxSize}`,
      nodeGroup.desiredSize,
    );
  }
}

function checkDns(env: RawEnv, ctx: Ctx): void {
  const { dns } = env;
  if (dns.hostedZoneId && dns.privateZoneName) {
    issue(
      ctx,
      ['dns', 'privateZoneName'],
      'is only used when the stack creates the zone (no hostedZoneId)',
      dns.privateZoneName,
    );
  }
  const zoneName = dns.privateZoneName ?? parentDomain(dns.hostname);
  if (!dns.hostedZoneId && zoneName && !dns.hostname.endsWith(`.${zoneName}`)) {
    issue(
      ctx,
      ['dns', 'privateZoneName'],
      `must be a parent domain of dns.hostname (${dns.hostname})`,
      zoneName,
    );
  }
  if (!dns.hostedZoneId && !zoneName) {
    issue(
      ctx,
      ['dns', 'hostname'],
      'needs at least three labels (host.domain.tld) when the stack creates the zone',
      dns.hostname,
    );
  }
}

/** `example.com` from `rancher.example.com`; undefined when that would leave a bare TLD. */
export function parentDomain(hostname: string): string | undefined {
  const labels = hostname.split('.');
  return labels.length >= 3 ? labels.slice(1).join('.') : undefined;
}

function checkTls(env: RawEnv, ctx: Ctx): void {
  const tls = env.rancher.tls;
  const path = ['rancher', 'tls'];
  const zoneIsPublic = Boolean(env.dns.hostedZoneId) && env.dns.hostedZoneVisibility === 'public';
  if (tls.mode !== 'letsEncrypt' && tls.letsEncrypt) {
    issue(ctx, [...path, 'letsEncrypt'], 'is only read when mode is letsEncrypt', tls.letsEncrypt);
  }
  if (tls.mode !== 'secret' && tls.secret) {
    issue(ctx, [...path, 'secret'], 'is only read when mode is secret', tls.secret);
  }
  if (tls.mode === 'letsEncrypt') {
    if (!tls.letsEncrypt) {
      issue(
        ctx,
        [...path, 'letsEncrypt'],
        'is required when mode is letsEncrypt (at least email)',
        undefined,
      );
    } else if (tls.letsEncrypt.challenge === 'http01') {
      if (env.ingress.scheme === 'internal') {
        issue(
          ctx,
          [...path, 'letsEncrypt', 'challenge'],
          'http01 needs an internet-facing load balancer (ingress.scheme); use dns01 with an internal one',
          'http01',
        );
      }
      if (!zoneIsPublic) {
        issue(
          ctx,
          [...path, 'letsEncrypt', 'challenge'],
          'http01 needs a public hostname (dns.hostedZoneId of a public zone); use dns01 for a private zone',
          'http01',
        );
      }
    } else if (
      tls.letsEncrypt.challenge === 'dns01' &&
      !env.dns.hostedZoneId &&
      env.target === 'aws'
    ) {
      issue(
        ctx,
        [...path, 'letsEncrypt', 'challenge'],
        "dns01 needs a public hosted zone that Let's Encrypt can query (dns.hostedZoneId)",
        'dns01',
      );
    }
  }
  if (tls.mode === 'letsEncrypt' && tls.letsEncrypt && env.management.distribution === 'rke2') {
    const challenge = letsEncryptChallenge(env);
    if (challenge === 'dns01') {
      issue(
        ctx,
        [...path, 'letsEncrypt', 'challenge'],
        'dns01 is not available with management.distribution rke2 (no IRSA: cert-manager would need Route 53 rights on the node role, which every pod could use); use http01 with a public zone and an internet-facing load balancer, or mode acm or secret',
        challenge,
      );
    }
  }
  if (tls.mode === 'secret') {
    const secret = tls.secret;
    const fromFiles = Boolean(secret?.certificateFile || secret?.keyFile);
    if (!secret || (!fromFiles && !secret.secretsManagerArn)) {
      issue(
        ctx,
        [...path, 'secret'],
        'needs certificateFile and keyFile, or secretsManagerArn, when mode is secret',
        secret,
      );
    } else if (fromFiles && secret.secretsManagerArn) {
      issue(
        ctx,
        [...path, 'secret'],
        'takes either certificateFile/keyFile or secretsManagerArn, not both',
        secret,
      );
    } else if (fromFiles && !(secret.certificateFile && secret.keyFile)) {
      issue(ctx, [...path, 'secret'], 'needs both certificateFile and keyFile', secret);
    } else if (secret.caFile && !secret.privateCA) {
      issue(ctx, [...path, 'secret', 'caFile'], 'is only used with privateCA: true', secret.caFile);
    } else if (fromFiles && secret.privateCA && !secret.caFile) {
      issue(
        ctx,
        [...path, 'secret', 'caFile'],
        'is required when privateCA is true and the certificate comes from files',
        undefined,
      );
    }
  }
  if (tls.mode === 'acm' && !env.dns.hostedZoneId && env.target === 'aws') {
    issue(
      ctx,
      [...path, 'mode'],
      'acm needs dns.hostedZoneId of a public zone for DNS validation of the certificate',
      'acm',
    );
  }
}

function checkRancher(env: RawEnv, ctx: Ctx): void {
  const version = env.rancher.version;
  if (!RANCHER_CHARTS[version]) {
    issue(
      ctx,
      ['rancher', 'version'],
      `must be one of the pinned Rancher charts: ${Object.keys(RANCHER_CHARTS).join(', ')}`,
      version,
    );
    return;
  }
  const k8s =
    env.management.distribution === 'rke2'
      ? kubernetesMinorOf((env.management.rke2 ?? rke2Schema.parse({})).version)
      : env.management.kubernetesVersion;
  if (!rancherSupportsKubernetes(version, k8s)) {
    issue(
      ctx,
      ['management', env.management.distribution === 'rke2' ? 'rke2' : 'kubernetesVersion'],
      `Kubernetes ${k8s} is outside Rancher ${version}'s range (${RANCHER_CHARTS[version].kubeVersion}, from ${RANCHER_CHARTS[version].minKubernetesMinor})`,
      k8s,
    );
  }
}

function checkDownstream(env: RawEnv, ctx: Ctx): void {
  const seen = new Set<string>();
  const vpcs: { path: (string | number)[]; cidr: string }[] = [
    { path: ['network', 'vpcCidr'], cidr: env.network.vpcCidr },
  ];
  env.downstream.forEach((cluster, index) => {
    const path = ['downstream', index];
    if (seen.has(cluster.name))
      issue(ctx, [...path, 'name'], 'must be unique among downstream clusters', cluster.name);
    seen.add(cluster.name);
    if (cluster.existingVpc && cluster.network) {
      issue(ctx, [...path, 'network'], 'cannot be combined with existingVpc', cluster.network);
    }
    if (!cluster.existingVpc) {
      const network = networkSchema.parse({
        vpcCidr: downstreamVpcCidr(index),
        ...cluster.network,
      });
      checkNetwork(network, [...path.map(String), 'network'], ctx);
      if (isCidr(network.vpcCidr)) {
        const clash = vpcs.find(
          (other) => isCidr(other.cidr) && cidrsOverlap(other.cidr, network.vpcCidr),
        );
        if (clash) {
          issue(
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
      issue(ctx, [...path, 'rke2'], 'is only read when distribution is rke2', cluster.rke2);
    }
    if (cluster.distribution === 'rke2' && cluster.eks) {
      issue(ctx, [...path, 'eks'], 'is only read when distribution is eks', cluster.eks);
    }
    if (cluster.distribution === 'eks' && cluster.eks?.nodeGroup) {
      checkNodeGroupSizes(
        nodeGroupSchema.parse(cluster.eks.nodeGroup),
        [...path.map(String), 'eks', 'nodeGroup'],
        ctx,
      );
    }
  });
}
