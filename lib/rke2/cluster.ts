import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Construct } from 'constructs';
import { ClusterLoadBalancer } from '../ingress/load-balancer';
import { resourceName } from '../naming/names';
import { securityGroupRule } from '../network/security-group-rules';
import { GeneratedSecret } from '../secrets/bootstrap-password';
import { Bastion } from './bastion';
import { addRke2LoadBalancers, Rke2IngressOptions } from './load-balancers';
import { rke2NodeImage } from './node-image';
import { Rke2NodePool } from './node-pool';
import { addRke2NodePools, rke2NodeCounts } from './node-pools';
import { addRke2Secrets } from './secrets';
import { addEtcdSnapshotBucket, EtcdSnapshotBucket } from './snapshot-bucket';
import type { ProxySettings } from '../airgap/proxy';

export interface Rke2ManagementClusterProps extends Rke2NodeOptions {
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
  /** @default - Ubuntu 24.04 LTS from Canonical's public SSM parameter */
  readonly amiId?: string;
  /**
   * A bastion in the first public subnet, SSH from these CIDRs.
   * @default - none; Session Manager is the way in
   */
  readonly bastionAllowedCidrs?: string[];
  /**
   * Throw-away environment: the snapshot bucket is deleted with its snapshots.
   * @default false
   */
  readonly throwAway?: boolean;
  /**
   * Days Secrets Manager keeps the join token and kubeconfig secrets after destroy; 0 deletes them
   * at once, so the cluster can be recreated under the same names.
   * @default 7
   */
  readonly secretRecoveryWindowDays?: number;
  /** @default false */
  readonly deletionProtection?: boolean;
}

/** How many nodes of which size, and what RKE2 runs on them: the node pools' part of the props. */
export interface Rke2NodeOptions {
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
  /**
   * Extra names on the API server certificate.
   * @default []
   */
  readonly tlsSans?: string[];
  /**
   * The rancher-backup bucket and folder the servers' role may use. The operator runs on servers
   * and takes their role from instance metadata, so servers get an IMDSv2 hop limit of 2 (a pod
   * is one hop further than the host): every pod on a server can then use the server role.
   * @default - no backups: servers keep a hop limit of 1
   */
  readonly backupAccess?: { readonly bucketArn: string; readonly folder: string };
  /**
   * Tags of instances, volumes and network interfaces (the provider's default tags stop at the
   * Auto Scaling group).
   * @default {}
   */
  readonly instanceTags?: Readonly<Record<string, string>>;
  /**
   * Registry host RKE2's system images come from (`system-default-registry`).
   * @default - RKE2's own (Docker Hub)
   */
  readonly systemDefaultRegistry?: string;
  /**
   * Secrets Manager secret with that registry's credentials (JSON username, password); every node
   * may read it and writes it into registries.yaml at boot.
   * @default - the registry needs no credentials
   */
  readonly registryCredentialsSecretArn?: string;
  /** HTTP proxy of the nodes (bootstrap, snapd, RKE2). @default - none */
  readonly proxy?: ProxySettings;
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
  readonly pools: Rke2NodePool[];
  readonly bastion?: Bastion;
  readonly outputs: Rke2ClusterOutputs;

  constructor(scope: Construct, id: string, props: Rke2ManagementClusterProps) {
    super(scope, id);
    const counts = rke2NodeCounts(props, props.privateSubnetIds.length);
    const name = props.clusterName;
    const throwAway = props.throwAway ?? false;
    const partition = new DataAwsPartition(this, 'partition').partition;
    const image = rke2NodeImage(this, props.amiId);

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

    const loadBalancers = addRke2LoadBalancers(this, {
      namePrefix: props.loadBalancerNamePrefix,
      vpcId: props.vpcId,
      vpcCidr: props.vpcCidr,
      privateSubnetIds: props.privateSubnetIds,
      publicSubnetIds: props.publicSubnetIds,
      ingress: props.ingress,
      nodeSecurityGroupId: nodeSg,
      deletionProtection: props.deletionProtection,
    });
    this.registration = loadBalancers.registration;
    this.ingress = loadBalancers.ingress;

    const secrets = addRke2Secrets(this, {
      clusterName: name,
      secretNamePrefix: props.secretNamePrefix,
      recoveryWindowDays: props.secretRecoveryWindowDays,
    });
    this.joinToken = secrets.joinToken;
    this.kubeconfigSecret = secrets.kubeconfigSecret;
    this.fullTokenSecret = secrets.fullTokenSecret;
    const account = new DataAwsCallerIdentity(this, 'account').accountId;
    this.snapshots = addEtcdSnapshotBucket(this, name, account, throwAway);

    this.pools = addRke2NodePools(this, {
      ...props,
      nodeSecurityGroupId: nodeSg,
      image,
      partition,
      registrationLoadBalancer: this.registration,
      ingressLoadBalancer: this.ingress,
      tokenSecretArn: this.joinToken.secret.arn,
      kubeconfigSecretArn: this.kubeconfigSecret.arn,
      fullTokenSecretArn: this.fullTokenSecret.arn,
      snapshots: this.snapshots,
      account,
      tlsOffload: props.ingress.certificateArn !== undefined,
    });

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
      kubeconfigSecretArn: this.kubeconfigSecret.arn,
      tokenSecretArn: this.joinToken.secret.arn,
      fullTokenSecretArn: this.fullTokenSecret.arn,
      registrationAddress: this.registration.loadBalancer.dnsName,
      ingressDnsName: this.ingress.loadBalancer.dnsName,
      ingressZoneId: this.ingress.loadBalancer.zoneId,
      snapshotBucketName: this.snapshots.bucket.bucket,
      nodeSecurityGroupId: nodeSg,
      schedulableNodeCount: counts.schedulable,
    };
  }

  /** Auto Scaling groups of every pool, for resources that must wait for the nodes. */
  get autoScalingGroups(): AutoscalingGroup[] {
    return this.pools.map((p) => p.autoScalingGroup);
  }
}
