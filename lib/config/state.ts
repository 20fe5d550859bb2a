/**
 * The `state:` section: where Terraform keeps the stacks' state (local files, or S3 with native
 * locking), the bucket, its key prefix and region.
 *
 * Rules about the backend go in `checkState`.
 */
import { z } from 'zod';
import { awsNameProblem } from '../naming/names';
import { awsRegion, reportProblem } from './fields';
import type { EnvironmentConfig } from './schema';

export const stateSchema = z
  .object({
    /** `local` state files, or S3 with native locking. @default local */
    backend: z.enum(['local', 's3']).default('local'),
    /** State bucket (created by the bootstrap stack). @default <env>-tfstate (local target), <env>-tfstate-<accountId> (aws) */
    bucket: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: 'expected a valid S3 bucket name' })
      .optional(),
    /** Key prefix; each stack's key is `<prefix>/<stack>.tfstate`. @default the environment name */
    keyPrefix: z
      .string()
      .regex(/^[A-Za-z0-9_.\-/]+$/)
      .optional(),
    region: awsRegion.optional(),
  })
  .strict();

/** Rules of the state backend. */
export function checkState(env: EnvironmentConfig, ctx: z.RefinementCtx): void {
  const bucket = env.state.bucket;
  const bucketProblem = bucket === undefined ? undefined : awsNameProblem('s3Bucket', bucket);
  if (bucketProblem) {
    reportProblem(
      ctx,
      ['state', 'bucket'],
      `is not a name AWS accepts: it ${bucketProblem}`,
      bucket,
    );
  }
  if (env.state.backend === 's3' && env.target === 'aws' && !env.state.bucket && !env.accountId) {
    reportProblem(
      ctx,
      ['state', 'bucket'],
      'is required for backend s3 on target aws unless accountId is set (the default name is <env>-tfstate-<accountId>)',
      undefined,
    );
  }
}
