import { Construct } from 'constructs';
import { resourceName } from '../naming/names';
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

/**
 * Adds the snapshot bucket of cluster `clusterName` to `scope` (the cluster), as `etcd-snapshots`,
 * named `<cluster>-etcd-snapshots-<account id>` as bucket names are global. A function, so that
 * the bucket's Terraform address stays the cluster's.
 */
export function addEtcdSnapshotBucket(
  scope: Construct,
  clusterName: string,
  account: string,
  throwAway: boolean,
): EtcdSnapshotBucket {
  const bucketSuffix = 'etcd-snapshots';
  // The account id is a token: check the length with a 12-digit stand-in.
  resourceName(clusterName, `${bucketSuffix}-${'0'.repeat(12)}`, 's3Bucket');
  return new EtcdSnapshotBucket(scope, 'etcd-snapshots', {
    bucketName: `${clusterName}-${bucketSuffix}-${account}`,
    forceDestroy: throwAway,
  });
}
