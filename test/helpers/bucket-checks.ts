/** Checks, through the S3 API, what lib/storage/private-bucket.ts promises of a bucket. */
import assert from 'node:assert/strict';
import {
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
import type { AwsClients } from './aws-clients';

/**
 * Versioned, SSE-S3, no public access, owner-enforced, TLS only; with `noncurrentDays`, a lifecycle
 * rule that expires noncurrent versions after that many days.
 */
export async function assertPrivateBucket(
  aws: AwsClients,
  Bucket: string,
  options: { readonly noncurrentDays?: number } = {},
): Promise<void> {
  const versioning = await aws.s3.send(new GetBucketVersioningCommand({ Bucket }));
  assert.equal(versioning.Status, 'Enabled', Bucket);
  const encryption = await aws.s3.send(new GetBucketEncryptionCommand({ Bucket }));
  assert.equal(
    encryption.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault
      ?.SSEAlgorithm,
    'AES256',
    Bucket,
  );
  const block = await aws.s3.send(new GetPublicAccessBlockCommand({ Bucket }));
  assert.deepEqual(block.PublicAccessBlockConfiguration, {
    BlockPublicAcls: true,
    IgnorePublicAcls: true,
    BlockPublicPolicy: true,
    RestrictPublicBuckets: true,
  });
  const ownership = await aws.s3.send(new GetBucketOwnershipControlsCommand({ Bucket }));
  assert.equal(ownership.OwnershipControls?.Rules?.[0]?.ObjectOwnership, 'BucketOwnerEnforced');
  const policy = await aws.s3.send(new GetBucketPolicyCommand({ Bucket }));
  assert.match(String(policy.Policy), /"aws:SecureTransport":"false"/);
  if (options.noncurrentDays !== undefined) {
    const lifecycle = await aws.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket }));
    const rule = lifecycle.Rules?.find((r) => r.NoncurrentVersionExpiration);
    assert.equal(rule?.Status, 'Enabled', Bucket);
    assert.equal(rule?.NoncurrentVersionExpiration?.NoncurrentDays, options.noncurrentDays);
  }
}
