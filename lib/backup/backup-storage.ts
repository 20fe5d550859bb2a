import { Construct } from 'constructs';
import { GeneratedSecret } from '../secrets/bootstrap-password';
import { BackupBucket } from './backup-bucket';
import { BACKUP_FOLDER } from './objects';

/**
 * Characters of the generated key. The operator's key is the base64 of these characters, which
 * makes the 32 bytes secretbox needs (about 190 bits of entropy from 62 symbols).
 */
export const BACKUP_KEY_LENGTH = 32;
/**
 * Days Secrets Manager keeps a deleted key of a protected environment: without it no backup can
 * be read. Unprotected environments delete it at once, like their other secrets (its name is
 * fixed; lib/environments/protection.ts secretRecoveryWindowDays).
 */
export const BACKUP_KEY_RECOVERY_DAYS = 30;

export interface RancherBackupStorageProps {
  readonly bucketName: string;
  /** Secret name of the encryption key, e.g. `<env>/rancher/backup-encryption-key`. */
  readonly keySecretName: string;
  /** For descriptions, e.g. the environment name. */
  readonly owner: string;
  /**
   * Throw-away environment: destroy empties the bucket.
   * @default false
   */
  readonly throwAway?: boolean;
  /**
   * Protected environment: Terraform refuses any plan that destroys the bucket, and a deleted key
   * stays recoverable for BACKUP_KEY_RECOVERY_DAYS. Otherwise the key is deleted at once.
   * @default false
   */
  readonly protectedEnvironment?: boolean;
  /** @default 30 */
  readonly noncurrentVersionDays?: number;
}

export interface RancherBackupStorageOutputs {
  readonly bucketName: string;
  readonly bucketArn: string;
  /** Key prefix of the backups. */
  readonly folder: string;
  readonly encryptionKeySecretArn: string;
}

/**
 * The AWS side of Rancher's backups: the bucket, and the encryption key that AWS generates into
 * Secrets Manager (never in Terraform state; the rancher stack reads it at apply time).
 */
export class RancherBackupStorage extends Construct {
  readonly bucket: BackupBucket;
  readonly key: GeneratedSecret;
  readonly outputs: RancherBackupStorageOutputs;

  constructor(scope: Construct, id: string, props: RancherBackupStorageProps) {
    super(scope, id);
    const throwAway = props.throwAway ?? false;
    this.bucket = new BackupBucket(this, 'bucket', {
      bucketName: props.bucketName,
      forceDestroy: throwAway,
      preventDestroy: props.protectedEnvironment,
      noncurrentVersionDays: props.noncurrentVersionDays,
    });
    this.key = new GeneratedSecret(this, 'encryption-key', {
      name: props.keySecretName,
      description: `Encryption key of the Rancher backups of ${props.owner}; without it no backup can be restored`,
      length: BACKUP_KEY_LENGTH,
      recoveryWindowDays: props.protectedEnvironment ? BACKUP_KEY_RECOVERY_DAYS : 0,
    });
    this.outputs = {
      bucketName: this.bucket.bucket.bucket,
      bucketArn: this.bucket.bucket.arn,
      folder: BACKUP_FOLDER,
      encryptionKeySecretArn: this.key.secret.arn,
    };
  }
}
