import { Construct } from 'constructs';
import { PrivateBucket } from '../storage/private-bucket';

/** Days a deleted or overwritten snapshot stays recoverable as a noncurrent version. */
export const DEFAULT_NONCURRENT_SNAPSHOT_DAYS = 30;

export interface EtcdSnapshotBucketProps {
  readonly bucketName: string;
  /**
   * Delete the bucket with every snapshot in it on `destroy` (throw-away environments only).
   * @default false
   */
  readonly forceDestroy?: boolean;
  /**
   * Days a snapshot that RKE2's retention pruned stays recoverable.
   * @default 30
   */
  readonly noncurrentVersionDays?: number;
}

/**
 * Where RKE2 servers upload etcd snapshots (a PrivateBucket). SSE-S3 rather than a customer key:
 * the nodes' roles then need no KMS grant, and a restore works with S3 permissions alone.
 */
export class EtcdSnapshotBucket extends PrivateBucket {
  constructor(scope: Construct, id: string, props: EtcdSnapshotBucketProps) {
    super(scope, id, {
      ...props,
      noncurrentVersionDays: props.noncurrentVersionDays ?? DEFAULT_NONCURRENT_SNAPSHOT_DAYS,
      lifecycleRuleId: 'expire-pruned-snapshots',
    });
  }
}
