/**
 * The rancher-backup objects this project creates: the recurring `Backup` of Rancher, the
 * `Restore` of one backup onto a fresh cluster, and the Secret holding the encryption
 * configuration both name. Field names and required fields follow the CRDs of
 * rancher/backup-restore-operator v11.0.1 (charts/rancher-backup-crd/templates); the unit tests
 * validate every object against their openAPIV3Schema. Pure: no cdktf imports.
 */
import { createHash } from 'node:crypto';
import { manifestsChartStringDataPath } from '../k8s/manifests-chart';
import type { KubernetesObject, Secret } from '../k8s/types';

export const BACKUP_API_VERSION = 'resources.cattle.io/v1';
/** The chart namespace; the operator reads encryption Secrets from here only. */
export const BACKUP_NAMESPACE = 'cattle-resources-system';
/** Name of the recurring Backup; its files are `<name>-<kube-system UID>-<time>.tar.gz.enc`. */
export const RECURRING_BACKUP_NAME = 'rancher-recurring';
export const ENCRYPTION_CONFIG_SECRET_NAME = 'rancher-backup-encryption';
/**
 * The data key the operator reads the EncryptionConfiguration from (v11.0.1
 * pkg/util/encryptionconfig/config.go `EncryptionProviderConfigKey`).
 */
export const ENCRYPTION_CONFIG_KEY = 'encryption-provider-config.yaml';
/** Key prefix of the backups in the bucket (`folder` of the S3 location). */
export const BACKUP_FOLDER = 'rancher';

/** The ResourceSets the rancher-backup chart creates: `full` adds Rancher's Secrets. */
export const RESOURCE_SET_NAMES = {
  basic: 'rancher-resource-set-basic',
  full: 'rancher-resource-set-full',
} as const;
export type ResourceSetKind = keyof typeof RESOURCE_SET_NAMES;

/** Where backups are written and read: one folder of one S3 bucket. */
export interface BackupLocation {
  readonly bucketName: string;
  readonly region: string;
  /** @default rancher */
  readonly folder?: string;
}

/** `storageLocation.s3` of a Backup or Restore; the CRD requires `endpoint`. */
export interface S3StorageLocation {
  readonly bucketName: string;
  readonly folder: string;
  readonly region: string;
  readonly endpoint: string;
}

export interface BackupSpec {
  readonly resourceSetName: string;
  readonly encryptionConfigSecretName: string;
  readonly schedule: string;
  readonly retentionCount: number;
  readonly storageLocation: { readonly s3: S3StorageLocation };
}

export interface Backup extends KubernetesObject {
  readonly apiVersion: typeof BACKUP_API_VERSION;
  readonly kind: 'Backup';
  readonly spec: BackupSpec;
}

export interface RestoreSpec {
  readonly backupFilename: string;
  readonly prune: boolean;
  readonly encryptionConfigSecretName: string;
  readonly storageLocation: { readonly s3: S3StorageLocation };
}

export interface Restore extends KubernetesObject {
  readonly apiVersion: typeof BACKUP_API_VERSION;
  readonly kind: 'Restore';
  readonly spec: RestoreSpec;
}

/** The regional S3 endpoint (host only: the operator's client adds https). */
export function s3Endpoint(region: string): string {
  return region.startsWith('cn-') ? `s3.${region}.amazonaws.com.cn` : `s3.${region}.amazonaws.com`;
}

export function s3StorageLocation(location: BackupLocation): S3StorageLocation {
  return {
    bucketName: location.bucketName,
    folder: location.folder ?? BACKUP_FOLDER,
    region: location.region,
    endpoint: s3Endpoint(location.region),
  };
}

export interface RecurringBackupOptions {
  readonly location: BackupLocation;
  readonly schedule: string;
  /** Backups kept; the operator deletes older files of this Backup. */
  readonly retentionCount: number;
  readonly resourceSet: ResourceSetKind;
}

/** The recurring, encrypted Backup of Rancher to the environment's bucket. */
export function recurringBackup(options: RecurringBackupOptions): Backup {
  if (!Number.isInteger(options.retentionCount) || options.retentionCount < 1) {
    throw new Error(
      `retentionCount must be a whole number of at least 1; got ${options.retentionCount}.`,
    );
  }
  return {
    apiVersion: BACKUP_API_VERSION,
    kind: 'Backup',
    metadata: { name: RECURRING_BACKUP_NAME },
    spec: {
      resourceSetName: RESOURCE_SET_NAMES[options.resourceSet],
      encryptionConfigSecretName: ENCRYPTION_CONFIG_SECRET_NAME,
      schedule: options.schedule,
      retentionCount: options.retentionCount,
      storageLocation: { s3: s3StorageLocation(options.location) },
    },
  };
}

/**
 * Backup file names as the operator writes them: `<backup>-<uid>-<UTC time with "-" for ":">`,
 * `.tar.gz`, and `.enc` when encrypted (v11.0.1 pkg/controllers/backup/controller.go).
 */
const BACKUP_FILE_PATTERN = /^[A-Za-z0-9][-A-Za-z0-9._#]*\.tar\.gz(\.enc)?$/;

/** Checks a backup file name (no folder) and says what is expected when it is not one. */
export function checkBackupFilename(filename: string): void {
  if (!BACKUP_FILE_PATTERN.test(filename)) {
    throw new Error(
      `The backup must be a file name such as rancher-recurring-<uid>-2026-01-31T06-00-00Z.tar.gz.enc (no folder, no s3:// prefix); got "${filename}".`,
    );
  }
}

/** The Restore's name: one per backup file, so that restoring another file is a new object. */
export function restoreName(backupFilename: string): string {
  return `restore-${createHash('sha256').update(backupFilename).digest('hex').slice(0, 10)}`;
}

export interface RestoreOptions {
  readonly location: BackupLocation;
  /** File name in the location's folder. */
  readonly backupFilename: string;
}

/**
 * The Restore of one backup for a migration onto a fresh cluster: `prune: false`, which Rancher's
 * "Migrating Rancher to a New Cluster" (v2.15) requires, and the same encryption Secret as the
 * Backup (an encrypted backup is only readable with the configuration that wrote it).
 */
export function migrationRestore(options: RestoreOptions): Restore {
  checkBackupFilename(options.backupFilename);
  return {
    apiVersion: BACKUP_API_VERSION,
    kind: 'Restore',
    metadata: { name: restoreName(options.backupFilename) },
    spec: {
      backupFilename: options.backupFilename,
      prune: false,
      encryptionConfigSecretName: ENCRYPTION_CONFIG_SECRET_NAME,
      storageLocation: { s3: s3StorageLocation(options.location) },
    },
  };
}

/**
 * The Secret with the encryption configuration, without its value: the configuration carries the
 * key and is passed as a write-only Helm value at `valuePath` (never in a plan or state).
 */
export function encryptionConfigSecret(): { secret: Secret; valuePath: string } {
  const secret: Secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: ENCRYPTION_CONFIG_SECRET_NAME, namespace: BACKUP_NAMESPACE },
    type: 'Opaque',
    stringData: {},
  };
  return { secret, valuePath: manifestsChartStringDataPath(secret, ENCRYPTION_CONFIG_KEY) };
}

/** Name of the one key in the configuration; a rotation adds a new key before it. */
export const ENCRYPTION_KEY_NAME = 'key1';

/**
 * The EncryptionConfiguration (apiserver.config.k8s.io/v1) the operator loads with the API
 * server's own loader: every resource (`*.*`) through `secretbox` (XSalsa20-Poly1305; Kubernetes'
 * encryption-at-rest documentation no longer recommends `aescbc`) with one 32-byte key.
 *
 * `keyBase64` is the base64 text of the key; it may be a Terraform expression that renders it.
 */
export function encryptionProviderConfig(keyBase64: string): string {
  return [
    'apiVersion: apiserver.config.k8s.io/v1',
    'kind: EncryptionConfiguration',
    'resources:',
    '  - resources:',
    "      - '*.*'",
    '    providers:',
    '      - secretbox:',
    '          keys:',
    `            - name: ${ENCRYPTION_KEY_NAME}`,
    `              secret: ${keyBase64}`,
    '',
  ].join('\n');
}
