/**
 * Maps sections of a validated environment to the small typed inputs of lib/ (whose modules
 * never read the environment's schema). Pure: no cdktf imports.
 */
import type { EnvironmentConfig, Rke2Config } from '../lib/config/schema';
import type { Rke2ManagementClusterProps } from '../lib/rke2/cluster';
import { planTls, TlsPlan } from '../lib/tls/mode';

/** What the environment's TLS mode means for the stacks. */
export function environmentTlsPlan(config: EnvironmentConfig): TlsPlan {
  return planTls({ tls: config.rancher.tls, dns: config.dns, ingress: config.ingress });
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
