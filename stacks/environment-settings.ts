/**
 * Maps sections of a validated environment to the small typed inputs of lib/ (whose modules
 * never read the environment's schema). Builds no constructs.
 */
import { proxySettings, type ProxySettings } from '../lib/airgap/proxy';
import { DEFAULT_EMULATOR_ENDPOINT } from '../lib/aws/provider';
import { planDownstreamCluster } from '../lib/environments/downstream-plan';
import type { EnvironmentConfig, Rke2Config } from '../lib/config/schema';
import { standardTags } from '../lib/naming/tags';
import type { Rke2ManagementClusterProps } from '../lib/rke2/cluster';
import type { KubeconfigWaitProps } from '../lib/rke2/kubeconfig-wait';
import { planTls, TlsPlan } from '../lib/tls/mode';

/** What the environment's TLS mode means for the stacks. */
export function environmentTlsPlan(config: EnvironmentConfig): TlsPlan {
  return planTls({ tls: config.rancher.tls, dns: config.dns, ingress: config.ingress });
}

/** Tags of instances, volumes and network interfaces, which the provider's default tags miss. */
export function environmentInstanceTags(config: EnvironmentConfig): Record<string, string> {
  return standardTags({
    environment: config.name,
    owner: config.owner,
    expiresAt: config.expiresAt,
    protected: config.protected,
    extra: config.tags,
  });
}

/** How the kubeconfig wait reaches Secrets Manager: the region's, or the emulator's for `local`. */
export function kubeconfigWaitAccess(
  config: EnvironmentConfig,
  emulatorEndpoint: string | undefined,
): Pick<KubeconfigWaitProps, 'region' | 'endpoint' | 'environment'> {
  const local = config.target === 'local';
  return {
    region: config.region,
    endpoint: local ? (emulatorEndpoint ?? DEFAULT_EMULATOR_ENDPOINT) : undefined,
    // The emulator accepts any key pair; these are not secrets.
    environment: local
      ? { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' }
      : undefined,
  };
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
 * The environment's proxy with its full NO_PROXY list: the VPCs of the management cluster and of
 * every downstream cluster bypass it (nodes, load balancers and Rancher reach each other directly).
 * An internal ingress also puts Rancher's hostname on the list: only the VPCs reach it, so agents
 * must not ask the proxy; an internet-facing one is reached through the proxy like any site.
 */
export function environmentProxy(config: EnvironmentConfig): ProxySettings | undefined {
  if (!config.proxy) return undefined;
  const downstreamCidrs = config.downstream.flatMap(
    (_, index) => planDownstreamCluster(config, index).network?.vpcCidr ?? [],
  );
  return proxySettings({
    url: config.proxy.url,
    vpcCidrs: [config.network.vpcCidr, ...downstreamCidrs],
    extraNoProxy: [
      ...(config.ingress.scheme === 'internal' ? [config.dns.hostname] : []),
      ...config.proxy.noProxy,
    ],
  });
}

/** The registry and proxy settings of RKE2 nodes (management and downstream alike). */
export function rke2AirGapSettings(
  config: EnvironmentConfig,
): Pick<
  Rke2ManagementClusterProps,
  'systemDefaultRegistry' | 'registryCredentialsSecretArn' | 'proxy'
> {
  return {
    systemDefaultRegistry: config.registry?.systemDefault,
    registryCredentialsSecretArn: config.registry?.credentialsSecretArn,
    proxy: environmentProxy(config),
  };
}
