import { Construct } from 'constructs';
import { PrivateBucket } from '../storage/private-bucket';

export { denyInsecureTransportPolicy, PolicyDocument } from '../storage/private-bucket';

/** Days an overwritten state version is kept: long enough to roll back after a bad apply. */
const DEFAULT_NONCURRENT_VERSION_DAYS = 90;

export interface StateBucketProps {
  readonly bucketName: string;
  /**
   * Delete the bucket with every state version in it on `destroy` (throw-away environments only).
   * @default false
   */
  readonly forceDestroy?: boolean;
  /**
   * Terraform refuses any plan that would destroy the bucket (protected environments).
   * @default false
   */
  readonly preventDestroy?: boolean;
  /**
   * Days after which an overwritten (noncurrent) state version expires.
   * @default 90
   */
  readonly noncurrentVersionDays?: number;
}

/**
 * The S3 bucket that holds an environment's Terraform state (a PrivateBucket).
 *
 * SSE-S3 rather than SSE-KMS: the S3 backend's `encrypt` asks for AES256 on every object it
 * writes, and a customer key would outlive a throw-away environment for its 7-30 day deletion
 * window; access to the state is governed by IAM and this bucket's policy either way.
 */
export class StateBucket extends PrivateBucket {
  constructor(scope: Construct, id: string, props: StateBucketProps) {
    super(scope, id, {
      ...props,
      noncurrentVersionDays: props.noncurrentVersionDays ?? DEFAULT_NONCURRENT_VERSION_DAYS,
      lifecycleRuleId: 'expire-old-state-versions',
    });
  }
}
