import { Construct } from 'constructs';
import { PrivateBucket } from '../storage/private-bucket';

/** Days a backup the operator pruned (or anyone deleted) stays recoverable as a version. */
export const DEFAULT_NONCURRENT_BACKUP_DAYS = 30;

export interface BackupBucketProps {
  readonly bucketName: string;
  /**
   * Delete the bucket with every backup in it on `destroy` (throw-away environments only).
   * @default false
   */
  readonly forceDestroy?: boolean;
  /**
   * Terraform refuses any plan that would destroy the bucket (protected environments).
   * @default false
   */
  readonly preventDestroy?: boolean;
  /** @default 30 */
  readonly noncurrentVersionDays?: number;
}

/**
 * Where rancher-backup writes Rancher's backups (a PrivateBucket: SSE-S3, versioned, private,
 * TLS only). SSE-S3 rather than a customer key: the backups are already encrypted by the operator
 * with the environment's backup key, and the operator's role then needs no KMS grant.
 */
export class BackupBucket extends PrivateBucket {
  constructor(scope: Construct, id: string, props: BackupBucketProps) {
    super(scope, id, {
      bucketName: props.bucketName,
      forceDestroy: props.forceDestroy,
      preventDestroy: props.preventDestroy,
      noncurrentVersionDays: props.noncurrentVersionDays ?? DEFAULT_NONCURRENT_BACKUP_DAYS,
      lifecycleRuleId: 'expire-pruned-backups',
    });
  }
}
