/**
 * Terraform state of an environment's stacks: whether a stack's state holds anything, and
 * removing the state objects from the S3 state bucket before the bucket itself is destroyed.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectVersionsCommand,
  ListObjectVersionsCommandOutput,
  S3Client,
} from '@aws-sdk/client-s3';

/** Most keys one S3 DeleteObjects call accepts. */
const DELETE_OBJECTS_BATCH = 1000;

function errorName(error: unknown): string | undefined {
  return (error as { name?: string }).name;
}

/** Deletes every version and delete marker of the objects under `prefix/` in `bucket`. */
export async function deleteStateObjects(
  s3: S3Client,
  bucket: string,
  prefix: string,
): Promise<number> {
  let deleted = 0;
  let keyMarker: string | undefined;
  let versionMarker: string | undefined;
  for (;;) {
    let page: ListObjectVersionsCommandOutput;
    try {
      page = await s3.send(
        new ListObjectVersionsCommand({
          Bucket: bucket,
          Prefix: `${prefix}/`,
          KeyMarker: keyMarker,
          VersionIdMarker: versionMarker,
        }),
      );
    } catch (error) {
      // Never bootstrapped, or already gone: there is no state to remove.
      if (errorName(error) === 'NoSuchBucket') return deleted;
      throw error;
    }
    const objects = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map((v) => ({
      Key: v.Key,
      VersionId: v.VersionId,
    }));
    for (let i = 0; i < objects.length; i += DELETE_OBJECTS_BATCH) {
      await s3.send(
        new DeleteObjectsCommand({
          Bucket: bucket,
          Delete: { Objects: objects.slice(i, i + DELETE_OBJECTS_BATCH), Quiet: true },
        }),
      );
    }
    deleted += objects.length;
    if (!page.IsTruncated) return deleted;
    keyMarker = page.NextKeyMarker;
    versionMarker = page.NextVersionIdMarker;
  }
}

/**
 * The stack's state (as its synthesized backend block names it): undefined when there is none
 * (never deployed), 'unreadable' when it cannot be read for another reason.
 */
export async function readStackState(
  stackDir: string,
  s3: S3Client,
): Promise<{ resources?: unknown[] } | undefined | 'unreadable'> {
  const synthesized = JSON.parse(readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) as {
    terraform?: { backend?: { local?: { path?: string }; s3?: { bucket: string; key: string } } };
  };
  const backend = synthesized.terraform?.backend;
  let text: string | undefined;
  try {
    if (backend?.s3) {
      const object = await s3.send(
        new GetObjectCommand({ Bucket: backend.s3.bucket, Key: backend.s3.key }),
      );
      text = await object.Body?.transformToString();
    } else {
      const file = path.resolve(stackDir, backend?.local?.path ?? 'terraform.tfstate');
      if (!existsSync(file)) return undefined;
      text = readFileSync(file, 'utf8');
    }
  } catch (error) {
    const name = errorName(error);
    if (name === 'NoSuchKey' || name === 'NoSuchBucket') return undefined;
    return 'unreadable';
  }
  if (!text) return undefined;
  return JSON.parse(text) as { resources?: unknown[] };
}

/**
 * Whether the stack's state holds any resource. A stack that was never deployed is skipped: its
 * providers may not even be installable here. When the state cannot be read for another reason,
 * the answer is yes and Terraform decides.
 */
export async function stackHasState(stackDir: string, s3: S3Client): Promise<boolean> {
  const state = await readStackState(stackDir, s3);
  if (state === 'unreadable') return true;
  return (state?.resources ?? []).length > 0;
}
