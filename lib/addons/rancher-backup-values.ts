/**
 * Helm values of the rancher-backup chart (operator v11.0.1, pinned in lib/versions.ts). The
 * operator writes to the environment's bucket with the credentials of its pod: on EKS an IRSA role
 * on its service account, on RKE2 the servers' instance role (the operator is pinned to servers).
 * No static keys: without `credentialSecretName` the operator's S3 client takes the AWS default
 * chain (v11.0.1 pkg/objectstore/s3minio.go, minio-go `credentials.NewIAM`: web identity token
 * first, then instance metadata). Pure: no cdktf imports.
 */
import { BackupLocation, BACKUP_NAMESPACE, s3StorageLocation } from '../backup/objects';
import type { Toleration } from '../k8s/types';
import { deepMerge } from '../util/deep-merge';
import { RANCHER_BACKUP_CHARTS } from '../versions';
import { IRSA_ROLE_ANNOTATION } from './cert-manager-values';
import type { ProxySettings } from '../airgap/proxy';
import { rancherBackupRegistryValues } from '../airgap/registry';

export { RANCHER_BACKUP_CHARTS };
export const RANCHER_BACKUP_NAMESPACE = BACKUP_NAMESPACE;
export const RANCHER_BACKUP_RELEASE_NAME = 'rancher-backup';
export const RANCHER_BACKUP_CRD_RELEASE_NAME = 'rancher-backup-crd';
/**
 * The operator's service account: the chart names it after the chart (`backupRestore.fullname`,
 * charts/rancher-backup/templates/_helpers.tpl), so the IRSA trust names it too.
 */
export const RANCHER_BACKUP_SERVICE_ACCOUNT = 'rancher-backup';

/** Requests sized for backing up a management cluster's Rancher objects; memory is capped. */
const RESOURCES = { requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '1Gi' } };

export interface RancherBackupValuesOptions {
  /** The bucket and folder backups go to (also the default location for one-off backups). */
  readonly location: BackupLocation;
  /**
   * EKS: the IAM role the operator assumes through IRSA.
   * @default - none: the operator uses the instance role of its node (RKE2)
   */
  readonly irsaRoleArn?: string;
  /**
   * Nodes the operator must run on (RKE2: servers, the nodes whose role reaches the bucket).
   * @default - any node
   */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /** Taints the operator tolerates (RKE2: the servers' taint). @default - none */
  readonly tolerations?: readonly Toleration[];
  /**
   * Registry host the chart's images come from (the environment's registry.systemDefault).
   * @default - the chart's own registry
   */
  readonly systemDefaultRegistry?: string;
  /**
   * HTTP proxy the operator reaches S3 through (`proxy`, `noProxy`).
   * @default - none
   */
  readonly proxy?: ProxySettings;
  /**
   * Values merged last (deep merge: maps merge, lists and scalars replace).
   * @default - none
   */
  readonly extraValues?: Record<string, unknown>;
}

export function rancherBackupChartValues(
  options: RancherBackupValuesOptions,
): Record<string, unknown> {
  if (options.location.bucketName.trim() === '') {
    throw new Error('location.bucketName must not be empty; expected e.g. dev-rancher-backups.');
  }
  const s3 = s3StorageLocation(options.location);
  const values: Record<string, unknown> = {
    // The default location of Backups and Restores that name none (one-off backups from the UI);
    // the recurring Backup names the same location itself.
    s3: {
      enabled: true,
      bucketName: s3.bucketName,
      folder: s3.folder,
      region: s3.region,
      endpoint: s3.endpoint,
    },
    persistence: { enabled: false },
    resources: RESOURCES,
    ...(options.irsaRoleArn
      ? { serviceAccount: { annotations: { [IRSA_ROLE_ANNOTATION]: options.irsaRoleArn } } }
      : {}),
    ...(options.nodeSelector ? { nodeSelector: { ...options.nodeSelector } } : {}),
    ...(options.tolerations ? { tolerations: [...options.tolerations] } : {}),
    // The chart passes these to the operator as HTTP(S)_PROXY and NO_PROXY, as Rancher's does.
    ...(options.proxy
      ? { proxy: options.proxy.url, noProxy: options.proxy.noProxy.join(',') }
      : {}),
  };
  const registry = options.systemDefaultRegistry
    ? rancherBackupRegistryValues(options.systemDefaultRegistry)
    : {};
  return deepMerge(values, registry, options.extraValues ?? {});
}
