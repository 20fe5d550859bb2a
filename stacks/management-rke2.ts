import { TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import type { RancherBackupStorage } from '../lib/backup/backup-storage';
import type { EnvironmentConfig } from '../lib/config/schema';
import { secretRecoveryWindowDays } from '../lib/environments/protection';
import { Network } from '../lib/network/network';
import { Rke2ManagementCluster } from '../lib/rke2/cluster';
import { KubeconfigWait } from '../lib/rke2/kubeconfig-wait';
import { DnsValidatedCertificate } from '../lib/tls/acm-certificate';
import {
  environmentInstanceTags,
  environmentTlsPlan,
  kubeconfigWaitAccess,
  rke2AirGapSettings,
  rke2NodeSettings,
} from './environment-settings';

/** What the RKE2 part of the management stack stands on: built before it in the same stack. */
export interface Rke2ManagementInputs {
  readonly config: EnvironmentConfig;
  readonly clusterName: string;
  readonly network: Network;
  /** ACM mode: the 443 listener ends TLS with it. */
  readonly certificate?: DnsValidatedCertificate;
  /** Who may reach the load balancer's listeners: the allow-list and the platform's own clients. */
  readonly ingressSources: string[];
  readonly throwAway: boolean;
  readonly emulatorEndpoint?: string;
  /** The backup bucket, when backup.enabled: the servers' role gets its folder. */
  readonly backup?: RancherBackupStorage;
}

export interface Rke2Management {
  readonly cluster: Rke2ManagementCluster;
  /** The apply ends once the seed server has published the kubeconfig. */
  readonly wait: KubeconfigWait;
}

/**
 * The RKE2 cluster (servers, agents, registration and ingress load balancers, join token,
 * kubeconfig secret, snapshot bucket, bastion when asked) and the bounded wait for the
 * kubeconfig the seed server publishes, which depends on every node group; added to the
 * management stack `scope` under the ids (and so the Terraform addresses) they always had.
 */
export function buildRke2Management(
  scope: Construct,
  inputs: Rke2ManagementInputs,
): Rke2Management {
  const {
    config,
    clusterName,
    network,
    certificate,
    ingressSources,
    throwAway,
    emulatorEndpoint,
    backup,
  } = inputs;
  const rke2 = config.management.rke2;
  if (!rke2) {
    throw new Error(
      `management.rke2 of environment ${config.name} is missing; the config loader fills it in when distribution is rke2.`,
    );
  }
  if (environmentTlsPlan(config).letsEncryptDns01) {
    throw new Error(
      "rancher.tls.letsEncrypt.challenge dns01 is not supported with management.distribution rke2: there is no IRSA, and cert-manager would need the nodes' role; use http01 with a public zone, acm, or secret.",
    );
  }
  const cluster = new Rke2ManagementCluster(scope, 'rke2', {
    clusterName,
    secretNamePrefix: config.name,
    loadBalancerNamePrefix: config.name,
    region: config.region,
    vpcId: network.outputs.vpcId,
    vpcCidr: network.outputs.vpcCidr,
    privateSubnetIds: network.outputs.privateSubnetIds,
    publicSubnetIds: network.outputs.publicSubnetIds,
    ingress: {
      scheme: config.ingress.scheme,
      allowedCidrs: ingressSources,
      certificateArn: certificate?.certificateArn,
    },
    ...rke2NodeSettings(rke2),
    ...rke2AirGapSettings(config),
    tlsSans: [config.dns.hostname],
    throwAway,
    secretRecoveryWindowDays: secretRecoveryWindowDays(config),
    deletionProtection: config.protected,
    backupAccess: backup && { bucketArn: backup.outputs.bucketArn, folder: backup.outputs.folder },
    instanceTags: environmentInstanceTags(config),
  });
  const wait = new KubeconfigWait(scope, 'kubeconfig-wait', {
    ...kubeconfigWaitAccess(config, emulatorEndpoint),
    secretArn: cluster.outputs.kubeconfigSecretArn,
    timeoutSeconds: rke2.kubeconfigWaitSeconds,
    dependsOn: cluster.autoScalingGroups,
  });

  const region = config.region;
  new TerraformOutput(scope, 'registration_address', {
    description: 'Internal load balancer in front of the RKE2 servers (9345 join, 6443 API)',
    value: cluster.outputs.registrationAddress,
  });
  new TerraformOutput(scope, 'etcd_snapshot_bucket', {
    value: cluster.outputs.snapshotBucketName,
  });
  new TerraformOutput(scope, 'kubeconfig_command', {
    description:
      'Writes the admin kubeconfig the first server published (its API answers inside the VPC only)',
    value: `aws secretsmanager get-secret-value --region ${region} --secret-id ${config.name}/rke2/kubeconfig --query SecretString --output text > kubeconfig && chmod 600 kubeconfig`,
  });
  new TerraformOutput(scope, 'ssm_session_command', {
    description: 'Opens a shell on the seed server through Session Manager (no SSH)',
    value: `aws ssm start-session --region ${region} --target $(aws autoscaling describe-auto-scaling-groups --region ${region} --auto-scaling-group-names ${clusterName}-seed --query 'AutoScalingGroups[0].Instances[0].InstanceId' --output text)`,
  });
  if (cluster.bastion) {
    new TerraformOutput(scope, 'bastion_public_ip', { value: cluster.bastion.publicIp.publicIp });
  }
  return { cluster, wait };
}
