import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { Construct } from 'constructs';
import { denyInsecureTransportPolicy } from '../state/state-bucket';

/** Days a deleted or overwritten snapshot stays recoverable as a noncurrent version. */
export const DEFAULT_NONCURRENT_SNAPSHOT_DAYS = 30;
const INCOMPLETE_UPLOAD_DAYS = 7;

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
 * Where RKE2 servers upload etcd snapshots: SSE-S3 encrypted, versioned (a pruned or overwritten
 * snapshot stays recoverable for a while), all four public access blocks, bucket owner enforced,
 * TLS only. SSE-S3 rather than a customer key: the nodes' roles then need no KMS grant, and a
 * restore works with S3 permissions alone.
 */
export class EtcdSnapshotBucket extends Construct {
  readonly bucket: S3Bucket;

  constructor(scope: Construct, id: string, props: EtcdSnapshotBucketProps) {
    super(scope, id);
    const noncurrentDays = props.noncurrentVersionDays ?? DEFAULT_NONCURRENT_SNAPSHOT_DAYS;
    if (!Number.isInteger(noncurrentDays) || noncurrentDays < 1) {
      throw new Error(
        `noncurrentVersionDays must be a whole number of days >= 1; got ${noncurrentDays}.`,
      );
    }
    this.bucket = new S3Bucket(this, 'bucket', {
      bucket: props.bucketName,
      forceDestroy: props.forceDestroy ?? false,
    });
    const bucket = this.bucket.id;
    new S3BucketOwnershipControls(this, 'ownership', {
      bucket,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
    });
    const publicAccess = new S3BucketPublicAccessBlock(this, 'public-access', {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketVersioningA(this, 'versioning', {
      bucket,
      versioningConfiguration: { status: 'Enabled' },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
    });
    new S3BucketPolicy(this, 'policy', {
      bucket,
      policy: JSON.stringify(denyInsecureTransportPolicy(this.bucket.arn)),
      // S3 rejects policies while the public access block is being changed.
      dependsOn: [publicAccess],
    });
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket,
      rule: [
        {
          id: 'expire-pruned-snapshots',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          noncurrentVersionExpiration: [{ noncurrentDays }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: INCOMPLETE_UPLOAD_DAYS }],
        },
      ],
    });
  }
}
