import { Construct } from 'constructs';
import { ClusterLoadBalancer } from '../ingress/load-balancer';
import { DEFAULT_RKE2_VERSION } from '../versions';
import type { Rke2NodeOptions } from './cluster';
import { NodeImage } from './node-image';
import { RKE2_TERMINATION_HOOK_NAME, RKE2_TERMINATION_HOOK_TIMEOUT_SECONDS } from './leave';
import { Rke2NodePool, rke2NodePoolGroupName } from './node-pool';
import { rke2NodeStatements } from './policies';
import { EtcdSnapshotBucket } from './snapshot-bucket';
import { rke2TraefikManifests } from './traefik-config';
import { Rke2Role, Rke2UserDataOptions, renderRke2UserData } from './user-data';

/** Node counts with the defaults applied. */
export interface Rke2NodeCounts {
  readonly servers: number;
  readonly workers: number;
  /** Whether the servers are tainted: asked for, and there are agents to take the workloads. */
  readonly taintServers: boolean;
  /** Nodes that take ordinary workloads (Rancher's pods). */
  readonly schedulable: number;
}

/** Applies the count defaults and checks them against etcd's quorum rule and the zones given. */
export function rke2NodeCounts(options: Rke2NodeOptions, zones: number): Rke2NodeCounts {
  const servers = options.serverCount ?? 1;
  const workers = options.workerCount ?? 0;
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
  const taintServers = (options.taintServers ?? true) && workers > 0;
  return {
    servers,
    workers,
    taintServers,
    schedulable: taintServers ? workers : servers + workers,
  };
}

/** What the pools join: the cluster's network, load balancers, secrets and snapshot bucket. */
export interface Rke2NodePoolsProps extends Rke2NodeOptions {
  /** Prefix of the pools' resource names, e.g. `<env>-management`. */
  readonly clusterName: string;
  readonly region: string;
  /** One per zone; the seed goes into the first. */
  readonly privateSubnetIds: string[];
  readonly nodeSecurityGroupId: string;
  readonly image: NodeImage;
  /** The AWS partition (`aws`, `aws-cn`, ...) for managed policy ARNs. */
  readonly partition: string;
  /** Servers join through it and register in its target groups. */
  readonly registrationLoadBalancer: ClusterLoadBalancer;
  /** The nodes that take workloads register in its target groups. */
  readonly ingressLoadBalancer: ClusterLoadBalancer;
  readonly tokenSecretArn: string;
  /** Only the seed may write it. */
  readonly kubeconfigSecretArn: string;
  /** Only the seed may write it: the full `K10…` join token that pins the cluster CA. */
  readonly fullTokenSecretArn: string;
  readonly snapshots: EtcdSnapshotBucket;
  /**
   * The ingress load balancer's 443 listener ends TLS (ACM): the servers add the bundled
   * Traefik's `tls-offload` entrypoint (host port 8001) through a HelmChartConfig.
   */
  readonly tlsOffload: boolean;
  /** The account id, in the server groups' ARNs (their termination hooks). */
  readonly account: string;
}

export const DEFAULT_INSTANCE_TYPE = 'm5.xlarge';
export const DEFAULT_DISK_SIZE_GIB = 100;

/**
 * Adds the node pools to `scope` (the cluster), as `seed`, `servers` (when serverCount > 1) and
 * `agents` (when workerCount > 0): a function, so that their Terraform addresses stay the
 * cluster's. Servers register in the registration load balancer's target groups, and in the
 * ingress ones when there are no agents.
 */
export function addRke2NodePools(scope: Construct, props: Rke2NodePoolsProps): Rke2NodePool[] {
  const counts = rke2NodeCounts(props, props.privateSubnetIds.length);
  const name = props.clusterName;
  const { tokenSecretArn, kubeconfigSecretArn, fullTokenSecretArn, image } = props;
  const snapshotFolder = name;
  const targets = (group: Record<string, { arn: string }>) =>
    Object.values(group).map((tg) => tg.arn);
  const serverTargets = [
    ...targets(props.registrationLoadBalancer.targetGroups),
    ...(counts.workers === 0 ? targets(props.ingressLoadBalancer.targetGroups) : []),
  ];
  const common: Omit<Rke2UserDataOptions, 'role'> = {
    clusterName: name,
    registrationAddress: props.registrationLoadBalancer.loadBalancer.dnsName,
    tokenSecretArn,
    fullTokenSecretArn,
    rke2Version: props.version ?? DEFAULT_RKE2_VERSION,
    systemDefaultRegistry: props.systemDefaultRegistry,
    registryCredentialsSecretArn: props.registryCredentialsSecretArn,
    proxy: props.proxy,
  };
  const serverOptions = {
    ...common,
    tlsSans: props.tlsSans,
    etcdSnapshots: {
      bucket: props.snapshots.bucket.bucket,
      region: props.region,
      folder: snapshotFolder,
      schedule: props.etcdSnapshotSchedule,
      retention: props.etcdSnapshotRetention,
    },
    taintServers: counts.taintServers,
    serverManifests: rke2TraefikManifests({ tlsOffload: props.tlsOffload }),
  };
  const pools: Rke2NodePool[] = [];
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
    const created = new Rke2NodePool(scope, id, {
      namePrefix: name,
      name: id,
      role,
      size,
      subnetIds,
      securityGroupIds: [props.nodeSecurityGroupId],
      instanceType: isServer
        ? (props.serverInstanceType ?? DEFAULT_INSTANCE_TYPE)
        : (props.workerInstanceType ?? DEFAULT_INSTANCE_TYPE),
      imageId: image.id,
      rootDeviceName: image.rootDeviceName,
      diskSizeGiB: props.diskSizeGiB ?? DEFAULT_DISK_SIZE_GIB,
      rke2Version: common.rke2Version ?? DEFAULT_RKE2_VERSION,
      userData: renderRke2UserData(
        isServer ? { ...userData, terminationHook: { autoScalingGroupName: groupName } } : userData,
      ),
      policyStatements: rke2NodeStatements({
        role,
        tokenSecretArn,
        fullTokenSecretArn,
        kubeconfigSecretArn: role === 'seed' ? kubeconfigSecretArn : undefined,
        registryCredentialsSecretArn: props.registryCredentialsSecretArn,
        snapshotBucketArn: isServer ? props.snapshots.bucket.arn : undefined,
        snapshotFolder: isServer ? snapshotFolder : undefined,
        backupBucketArn: isServer ? props.backupAccess?.bucketArn : undefined,
        backupFolder: isServer ? props.backupAccess?.folder : undefined,
        // The group's ARN carries an id unknown before it exists; its name pins it.
        autoScalingGroupArn: isServer
          ? `arn:${props.partition}:autoscaling:${props.region}:${props.account}:autoScalingGroup:*:autoScalingGroupName/${groupName}`
          : undefined,
      }),
      terminationHook: isServer
        ? {
            name: RKE2_TERMINATION_HOOK_NAME,
            heartbeatTimeoutSeconds: RKE2_TERMINATION_HOOK_TIMEOUT_SECONDS,
          }
        : undefined,
      partition: props.partition,
      targetGroupArns,
      tags: props.instanceTags,
      metadataHopLimit: isServer && props.backupAccess ? 2 : undefined,
    });
    pools.push(created);
  };

  pool('seed', 'seed', 1, [props.privateSubnetIds[0]], serverTargets, {
    ...serverOptions,
    role: 'seed',
    kubeconfigSecretArn,
  });
  if (counts.servers > 1) {
    // The seed holds the first zone: joiners go to the others, so 3 servers span 3 zones.
    const joinerSubnets =
      props.privateSubnetIds.length > 1 ? props.privateSubnetIds.slice(1) : props.privateSubnetIds;
    pool('servers', 'server', counts.servers - 1, joinerSubnets, serverTargets, {
      ...serverOptions,
      role: 'server',
    });
  }
  if (counts.workers > 0) {
    pool(
      'agents',
      'agent',
      counts.workers,
      props.privateSubnetIds,
      targets(props.ingressLoadBalancer.targetGroups),
      { ...common, role: 'agent' },
    );
  }
  return pools;
}
