/**
 * The `deployer` section of an environment file: the CodeBuild project in the management VPC that
 * applies the in-cluster stacks (`<env>-rancher`, `<env>-<d>-agent`). See docs/deploying.md.
 */
import { z } from 'zod';

/** CodeBuild compute types for Linux containers the deployer may use (memory / vCPUs). */
export const DEPLOYER_COMPUTE_TYPES = [
  'BUILD_GENERAL1_SMALL', // 3 GB, 2 vCPUs
  'BUILD_GENERAL1_MEDIUM', // 7 GB, 4 vCPUs
  'BUILD_GENERAL1_LARGE', // 15 GB, 8 vCPUs
] as const;

/** Retention periods CloudWatch Logs accepts (PutRetentionPolicy), in days. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
] as const;

/** CodeBuild's own limits on a build's timeout are 5 to 2160 minutes; a deploy needs far less. */
export const MIN_BUILD_TIMEOUT_MINUTES = 5;
export const MAX_BUILD_TIMEOUT_MINUTES = 480;
const TIMEOUT_RANGE = `expected ${MIN_BUILD_TIMEOUT_MINUTES} to ${MAX_BUILD_TIMEOUT_MINUTES} minutes`;

export const deployerSchema = z
  .object({
    /**
     * Create the deployer (owned by the management stack). Without it the in-cluster stacks can
     * only be applied from a machine that reaches every cluster API (`env:deploy --direct`).
     * @default true
     */
    enabled: z.boolean().default(true),
    /** @default BUILD_GENERAL1_MEDIUM (7 GB: synth plus one Terraform with three providers) */
    computeType: z.enum(DEPLOYER_COMPUTE_TYPES).default('BUILD_GENERAL1_MEDIUM'),
    /** The build stops after this long. @default 60 */
    buildTimeoutMinutes: z
      .number()
      .int({ message: 'expected a whole number of minutes' })
      .min(MIN_BUILD_TIMEOUT_MINUTES, { message: TIMEOUT_RANGE })
      .max(MAX_BUILD_TIMEOUT_MINUTES, { message: TIMEOUT_RANGE })
      .default(60),
    /** Days the build logs are kept. @default 30 */
    logRetentionDays: z
      .number()
      .refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), {
        message: `expected one of the retention periods CloudWatch Logs accepts: ${LOG_RETENTION_DAYS.join(', ')}`,
      })
      .default(30),
  })
  .strict();

export type DeployerConfig = z.output<typeof deployerSchema>;
