import type { Rke2Config } from '../config/schema';
import { DataAwsAmi } from '@cdktf/provider-aws/lib/data-aws-ami';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Construct } from 'constructs';
import { ClusterLoadBalancer, ForwardedPort, LoadBalancerScheme } from '../ingress/load-balancer';
import { RKE2_INGRESS_TARGET_PORTS } from '../ingress/ports';
import { resourceName } from '../naming/names';
import { securityGroupRule } from '../network/security-group-rules';
import { GeneratedSecret } from '../secrets/bootstrap-password';
import { DEFAULT_RKE2_VERSION } from '../versions';
import { Bastion } from './bastion';
import { RKE2_TERMINATION_HOOK_NAME, RKE2_TERMINATION_HOOK_TIMEOUT_SECONDS } from './leave';
import { Rke2NodePool, rke2NodePoolGroupName } from './node-pool';
import { rke2NodeStatements } from './policies';
import { EtcdSnapshotBucket } from './snapshot-bucket';
import {
  RKE2_API_PORT,
  RKE2_SUPERVISOR_PORT,
  Rke2Role,
  Rke2UserDataOptions,
  renderRke2UserData,
} from './user-data';

/** Canonical's public SSM parameter for the current Ubuntu 24.04 LTS amd64 image. */
export const UBUNTU_2404_AMI_PARAMETER =
  '/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id';
export const DEFAULT_INSTANCE_TYPE = 'm5.xlarge';
export const DEFAULT_DISK_SIZE_GIB = 100;
/** Secrets Manager keeps a deleted secret this long outside throw-away environments. */
const RECOVERY_WINDOW_DAYS = 7;

export interface Rke2IngressOptions {
  /** @default internet-facing */
  readonly scheme?: LoadBalancerScheme;
  /** Who may reach 80 and 443. */
  readonly allowedCidrs: string[];
  /**
   * ACM certificate: the 443 listener ends TLS and forwards to Traefik's plain HTTP port.
   * @default - TCP passthrough to Traefik's HTTPS port
   */
  readonly certificateArn?: string;
}

export interface Rke2ManagementClusterProps {
  /** Cluster name, prefix of the resource names, e.g. `<env>-management`. */
  readonly clusterName: string;
  /** Prefix of the secret names, `<prefix>/rke2/join-token` and `<prefix>/rke2/kubeconfig`. */
  readonly secretNamePrefix: string;
  /** Prefix of the load balancer and target group names (the environment name). */
  readonly loadBalancerNamePrefix: string;
  readonly region: string;
  readonly vpcId: string;
  readonly vpcCidr: string;
  /** One per zone; the seed goes into the first. */
  readonly privateSubnetIds: string[];
  readonly publicSubnetIds: string[];
  readonly ingress: Rke2IngressOptions;
  /**
   * RKE2 release.
   * @default v1.36.3+rke2r1
   */
  readonly version?: string;
  /**
   * Servers (control plane and etcd): 1, or an odd number >= 3.
   * @default 1
   */
  readonly serverCount?: number;
  /** @default m5.xlarge */
  readonly serverInstanceType?: string;
  /**
   * Agents (workers).
   * @default 0
   */
  readonly workerCount?: number;
  /** @default m5.xlarge */
  readonly workerInstanceType?: string;
  /** @default 100 */
  readonly diskSizeGiB?: number;
  /**
   * Keep workloads off the servers; only applied when agents exist.
   * @default true
   */
  readonly taintServers?: boolean;
  /** @default - RKE2 user data default (every 6 hours) */
  readonly etcdSnapshotSchedule?: string;
  /** @default - RKE2 user data default (28) */
  readonly etcdSnapshotRetention?: number;
  /** @default - Ubuntu 24.04 LTS from Canonical's public SSM parameter */
  readonly amiId?: string;
  /**
   * Extra names on the API server certificate.
   * @default []
   */
  readonly tlsSans?: string[];
  /**
   * A bastion in the first public subnet, SSH from these CIDRs.
   * @default - none; Session Manager is the way in
   */
  readonly bastionAllowedCidrs?: string[];
  /**
   * Throw-away environment: secrets are deleted without a recovery window and the snapshot
   * bucket is deleted with its snapshots.
   * @default false
   */
  readonly throwAway?: boolean;
  /** @default false */
  readonly deletionProtection?: boolean;
  /**
   * Tags of instances, volumes and network interfaces (the provider's default tags stop at the
   * Auto Scaling group).
   * @default {}
   */
  readonly instanceTags?: Readonly<Record<string, string>>;
}

export interface Rke2ClusterOutputs {
  /** The secret the seed publishes the admin kubeconfig to (server: the registration address). */
  readonly kubeconfigSecretArn: string;
  readonly tokenSecretArn: string;
  /** The secret the seed publishes the full join token to (`K10<CA hash>::server:<token>`). */
  readonly fullTokenSecretArn: string;
  /** DNS name of the internal load balancer in front of the servers (9345 and 6443). */
  readonly registrationAddress: string;
  readonly ingressDnsName: string;
  readonly ingressZoneId: string;
  readonly snapshotBucketName: string;
  readonly nodeSecurityGroupId: string;
  /** Nodes that take ordinary workloads (Rancher's pods). */
  readonly schedulableNodeCount: number;
}

/** The settings of `Rke2ManagementClusterProps` that come straight from an environment's rke2 block. */
export type Rke2NodeSettings = Pick<
  Rke2ManagementClusterProps,
  | 'version'
  | 'serverCount'
  | 'serverInstanceType'
  | 'workerCount'
  | 'workerInstanceType'
  | 'diskSizeGiB'
  | 'taintServers'
  | 'etcdSnapshotSchedule'
  | 'etcdSnapshotRetention'
  | 'amiId'
  | 'bastionAllowedCidrs'
>;

/** Maps a validated `rke2` block (management or downstream) to construct props. */
export function rke2NodeSettings(rke2: Partial<Rke2Config>): Rke2NodeSettings {
  return {
    version: rke2.version,
    serverCount: rke2.serverCount ?? (rke2.profile === 'ha' ? 3 : 1),
    serverInstanceType: rke2.serverInstanceType,
    workerCount: rke2.workerCount,
    workerInstanceType: rke2.workerInstanceType,
    diskSizeGiB: rke2.diskSizeGiB,
    taintServers: rke2.taintServers,
    etcdSnapshotSchedule: rke2.etcdSnapshotSchedule,
    etcdSnapshotRetention: rke2.etcdSnapshotRetention,
    amiId: rke2.amiId,
    bastionAllowedCidrs: rke2.bastion ? rke2.bastionAllowedCidrs : undefined,
  };
}

/**
 * An RKE2 management cluster on EC2: a seed server group of one, a joiner server group, an
 * optional agent group, behind an internal registration load balancer (9345 supervisor, 6443 API)
 * and an ingress load balancer (80/443 to the bundled Traefik's host ports). The join token is
 * generated by AWS into Secrets Manager; the seed publishes the kubeconfig to a second secret;
 * servers snapshot etcd to a private bucket. Nodes are reached with Session Manager, not SSH.
 */
export class Rke2ManagementCluster extends Construct {
  readonly nodeSecurityGroup: SecurityGroup;
  readonly registration: ClusterLoadBalancer;
  readonly ingress: ClusterLoadBalancer;
  readonly joinToken: GeneratedSecret;
  readonly kubeconfigSecret: SecretsmanagerSecret;
  readonly fullTokenSecret: SecretsmanagerSecret;
  readonly snapshots: EtcdSnapshotBucket;
  readonly pools: Rke2NodePool[] = [];
  readonly bastion?: Bastion;
  readonly outputs: Rke2ClusterOutputs;

  constructor(scope: Construct, id: string, props: Rke2ManagementClusterProps) {
    super(scope, id);
    const serverCount = props.serverCount ?? 1;
    const workerCount = props.workerCount ?? 0;
    validateCounts(serverCount, workerCount, props.privateSubnetIds.length);
    const name = props.clusterName;
    const throwAway = props.throwAway ?? false;
    const recoveryWindowDays = throwAway ? 0 : RECOVERY_WINDOW_DAYS;
    const partition = new DataAwsPartition(this, 'partition').partition;
    const image = this.nodeImage(props.amiId);

    this.nodeSecurityGroup = new SecurityGroup(this, 'node-sg', {
      name: resourceName(name, 'nodes', 'securityGroup'),
      description: `RKE2 nodes of ${name}`,
      vpcId: props.vpcId,
      tags: { Name: `${name}-nodes` },
    });
    const nodeSg = this.nodeSecurityGroup.id;
    // RKE2 nodes talk on many ports (supervisor, API, kubelet, etcd, CNI overlay); all of them
    // stay inside this group.
    securityGroupRule(this, 'nodes-from-nodes', {
      securityGroupId: nodeSg,
      direction: 'ingress',
      description: 'RKE2 node to node',
      protocol: 'all',
      peerSecurityGroupId: nodeSg,
    });
    securityGroupRule(this, 'nodes-egress', {
      securityGroupId: nodeSg,
      direction: 'egress',
      description: 'RKE2 install, images, AWS APIs, other nodes',
      protocol: 'all',
      cidrs: ['0.0.0.0/0'],
    });

    // Nodes join and reach the API through it; the API stays inside the VPC.
    const vpcOnly = [props.vpcCidr];
    this.registration = new ClusterLoadBalancer(this, 'registration', {
      name: resourceName(props.loadBalancerNamePrefix, 'rke2', 'loadBalancer'),
      targetGroupPrefix: `${props.loadBalancerNamePrefix}-rke2`,
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
        targetPort: tls ? RKE2_INGRESS_TARGET_PORTS.http : RKE2_INGRESS_TARGET_PORTS.https,
        allowedCidrs: props.ingress.allowedCidrs,
        certificateArn: tls,
      },
    ];
    const internal = props.ingress.scheme === 'internal';
    this.ingress = new ClusterLoadBalancer(this, 'ingress', {
      name: resourceName(props.loadBalancerNamePrefix, 'ingress', 'loadBalancer'),
      targetGroupPrefix: props.loadBalancerNamePrefix,
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

    this.joinToken = new GeneratedSecret(this, 'join-token', {
      name: `${props.secretNamePrefix}/rke2/join-token`,
      description: `RKE2 join token of ${name}`,
      length: 64,
      recoveryWindowDays,
    });
    // No Terraform-managed value: the seed writes it, Terraform never sees it.
    this.kubeconfigSecret = new SecretsmanagerSecret(this, 'kubeconfig', {
      name: `${props.secretNamePrefix}/rke2/kubeconfig`,
      description: `Admin kubeconfig of ${name}, published by its first server`,
      recoveryWindowInDays: recoveryWindowDays,
    });
    // Also no Terraform value: RKE2 writes the full token on the seed, which publishes it.
    this.fullTokenSecret = new SecretsmanagerSecret(this, 'full-join-token', {
      name: `${props.secretNamePrefix}/rke2/full-join-token`,
      description: `Full join token (CA hash and token) of ${name}, published by its first server`,
      recoveryWindowInDays: recoveryWindowDays,
    });

    const account = new DataAwsCallerIdentity(this, 'account').accountId;
    const bucketSuffix = 'etcd-snapshots';
    // The account id is a token: check the length with a 12-digit stand-in.
    resourceName(name, `${bucketSuffix}-${'0'.repeat(12)}`, 's3Bucket');
    this.snapshots = new EtcdSnapshotBucket(this, 'etcd-snapshots', {
      bucketName: `${name}-${bucketSuffix}-${account}`,
      forceDestroy: throwAway,
    });

    const registrationAddress = this.registration.loadBalancer.dnsName;
    const tokenSecretArn = this.joinToken.secret.arn;
    const kubeconfigSecretArn = this.kubeconfigSecret.arn;
    const fullTokenSecretArn = this.fullTokenSecret.arn;
    const snapshotFolder = name;
    const taintServers = (props.taintServers ?? true) && workerCount > 0;
    const targets = (group: Record<string, { arn: string }>) =>
      Object.values(group).map((tg) => tg.arn);
    const serverTargets = [
      ...targets(this.registration.targetGroups),
      ...(workerCount === 0 ? targets(this.ingress.targetGroups) : []),
    ];
    const common: Omit<Rke2UserDataOptions, 'role'> = {
      clusterName: name,
      registrationAddress,
      tokenSecretArn,
      fullTokenSecretArn,
      rke2Version: props.version ?? DEFAULT_RKE2_VERSION,
    };
    const serverOptions = {
      ...common,
      tlsSans: props.tlsSans,
      etcdSnapshots: {
        bucket: this.snapshots.bucket.bucket,
        region: props.region,
        folder: snapshotFolder,
        schedule: props.etcdSnapshotSchedule,
        retention: props.etcdSnapshotRetention,
      },
      taintServers,
    };
    const pool = (
      id: string,
      role: Rke2Role,
      size: number,
      subnetIds: string[],
      targetGroupArns: string[],
      userData: Rke2UserDataOptions,
    ) => {
      const isServer = role !== 'agent';
      const groupName = rke2NodePoolGroupName(name, id);
      const created = new Rke2NodePool(this, id, {
        namePrefix: name,
        name: id,
        role,
        size,
        subnetIds,
        securityGroupIds: [nodeSg],
        instanceType: isServer
          ? (props.serverInstanceType ?? DEFAULT_INSTANCE_TYPE)
          : (props.workerInstanceType ?? DEFAULT_INSTANCE_TYPE),
        imageId: image.id,
        rootDeviceName: image.rootDeviceName,
        diskSizeGiB: props.diskSizeGiB ?? DEFAULT_DISK_SIZE_GIB,
        userData: renderRke2UserData(
          isServer
            ? { ...userData, terminationHook: { autoScalingGroupName: groupName } }
            : userData,
        ),
        policyStatements: rke2NodeStatements({
          role,
          tokenSecretArn,
          fullTokenSecretArn,
          kubeconfigSecretArn: role === 'seed' ? kubeconfigSecretArn : undefined,
          snapshotBucketArn: isServer ? this.snapshots.bucket.arn : undefined,
          snapshotFolder: isServer ? snapshotFolder : undefined,
          // The group's ARN carries an id unknown before it exists; its name pins it.
          autoScalingGroupArn: isServer
            ? `arn:${partition}:autoscaling:${props.region}:${account}:autoScalingGroup:*:autoScalingGroupName/${groupName}`
            : undefined,
        }),
        terminationHook: isServer
          ? {
              name: RKE2_TERMINATION_HOOK_NAME,
              heartbeatTimeoutSeconds: RKE2_TERMINATION_HOOK_TIMEOUT_SECONDS,
            }
          : undefined,
        partition,
        targetGroupArns,
        tags: props.instanceTags,
      });
      this.pools.push(created);
      return created;
    };

    pool('seed', 'seed', 1, [props.privateSubnetIds[0]], serverTargets, {
      ...serverOptions,
      role: 'seed',
      kubeconfigSecretArn,
    });
    if (serverCount > 1) {
      // The seed holds the first zone: joiners go to the others, so 3 servers span 3 zones.
      const joinerSubnets =
        props.privateSubnetIds.length > 1
          ? props.privateSubnetIds.slice(1)
          : props.privateSubnetIds;
      pool('servers', 'server', serverCount - 1, joinerSubnets, serverTargets, {
        ...serverOptions,
        role: 'server',
      });
    }
    if (workerCount > 0) {
      pool(
        'agents',
        'agent',
        workerCount,
        props.privateSubnetIds,
        targets(this.ingress.targetGroups),
        {
          ...common,
          role: 'agent',
        },
      );
    }

    if (props.bastionAllowedCidrs) {
      this.bastion = new Bastion(this, 'bastion', {
        namePrefix: name,
        vpcId: props.vpcId,
        subnetId: props.publicSubnetIds[0],
        imageId: image.id,
        rootDeviceName: image.rootDeviceName,
        allowedCidrs: props.bastionAllowedCidrs,
        partition,
      });
      securityGroupRule(this, 'nodes-ssh-from-bastion', {
        securityGroupId: nodeSg,
        direction: 'ingress',
        description: 'SSH from the bastion',
        protocol: 'tcp',
        fromPort: 22,
        peerSecurityGroupId: this.bastion.securityGroup.id,
      });
    }

    this.outputs = {
      kubeconfigSecretArn,
      tokenSecretArn,
      fullTokenSecretArn,
      registrationAddress,
      ingressDnsName: this.ingress.loadBalancer.dnsName,
      ingressZoneId: this.ingress.loadBalancer.zoneId,
      snapshotBucketName: this.snapshots.bucket.bucket,
      nodeSecurityGroupId: nodeSg,
      schedulableNodeCount: taintServers ? workerCount : serverCount + workerCount,
    };
  }

  /** Auto Scaling groups of every pool, for resources that must wait for the nodes. */
  get autoScalingGroups(): AutoscalingGroup[] {
    return this.pools.map((p) => p.autoScalingGroup);
  }

  /** The image and its root device name (the encrypted volume must replace that device). */
  private nodeImage(amiId: string | undefined): { id: string; rootDeviceName: string } {
    const id =
      amiId ??
      new DataAwsSsmParameter(this, 'ubuntu-ami', { name: UBUNTU_2404_AMI_PARAMETER })
        .insecureValue;
    const ami = new DataAwsAmi(this, 'node-ami', {
      filter: [{ name: 'image-id', values: [id] }],
      mostRecent: true,
    });
    return { id: ami.id, rootDeviceName: ami.rootDeviceName };
  }
}

function validateCounts(servers: number, workers: number, zones: number): void {
  if (!Number.isInteger(servers) || servers < 1 || (servers > 1 && servers % 2 === 0)) {
    throw new Error(
      `serverCount must be 1 or an odd number >= 3 for an etcd quorum; got ${servers}.`,
    );
  }
  if (!Number.isInteger(workers) || workers < 0) {
    throw new Error(`workerCount must be a whole number >= 0; got ${workers}.`);
  }
  if (zones < 1) {
    throw new Error(
      'privateSubnetIds must list at least one subnet (the seed goes into the first).',
    );
  }
}
