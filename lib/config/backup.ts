/**
 * The `backup:` section: recurring rancher-backup backups of Rancher to an S3 bucket the
 * management stack owns, encrypted with a key kept in Secrets Manager (docs/backup.md).
 *
 * Rules go in `checkBackup`: the schedule must be one the operator parses, and settings of a
 * disabled backup are refused rather than silently ignored.
 */
import { z } from 'zod';
import { backupScheduleProblem } from '../backup/schedule';
import { reportProblem } from './fields';
import type { EnvironmentConfig } from './schema';

/** Every 6 hours, as the RKE2 etcd snapshots. */
export const DEFAULT_BACKUP_SCHEDULE = '0 */6 * * *';
/** A week of backups at the default schedule. */
export const DEFAULT_BACKUP_RETENTION_COUNT = 28;
/** Days a backup the operator pruned (or anyone deleted) stays recoverable as an S3 version. */
export const DEFAULT_BACKUP_NONCURRENT_DAYS = 30;
export const BACKUP_RESOURCE_SETS = ['basic', 'full'] as const;
export type BackupResourceSet = (typeof BACKUP_RESOURCE_SETS)[number];

export const backupSchema = z
  .object({
    /** Recurring backups of Rancher (bucket, key, operator, schedule). @default true */
    enabled: z.boolean().default(true),
    /** Cron schedule (5 fields) or descriptor such as `@daily`. @default every 6 hours */
    schedule: z.string().optional(),
    /** Backups the operator keeps; older ones are deleted. @default 28 */
    retentionCount: z.number().int().min(1).max(1000).optional(),
    /** `full` includes Rancher's Secrets (encrypted); `basic` leaves them out. @default full */
    resourceSet: z.enum(BACKUP_RESOURCE_SETS).optional(),
    /** Days a deleted or pruned backup stays recoverable in the bucket. @default 30 */
    noncurrentVersionDays: z.number().int().min(1).max(3650).optional(),
  })
  .strict();

export type BackupConfig = z.output<typeof backupSchema>;

/** The settings of an enabled backup, defaults filled in. */
export interface BackupSettings {
  readonly schedule: string;
  readonly retentionCount: number;
  readonly resourceSet: BackupResourceSet;
  readonly noncurrentVersionDays: number;
}

/** The backup settings, or undefined when backups are off. */
export function backupSettings(backup: BackupConfig): BackupSettings | undefined {
  if (!backup.enabled) return undefined;
  return {
    schedule: backup.schedule ?? DEFAULT_BACKUP_SCHEDULE,
    retentionCount: backup.retentionCount ?? DEFAULT_BACKUP_RETENTION_COUNT,
    resourceSet: backup.resourceSet ?? 'full',
    noncurrentVersionDays: backup.noncurrentVersionDays ?? DEFAULT_BACKUP_NONCURRENT_DAYS,
  };
}

/** Rules of the backup section. */
export function checkBackup(env: EnvironmentConfig, ctx: z.RefinementCtx): void {
  const { backup } = env;
  if (!backup.enabled) {
    for (const field of [
      'schedule',
      'retentionCount',
      'resourceSet',
      'noncurrentVersionDays',
    ] as const) {
      if (backup[field] !== undefined) {
        reportProblem(
          ctx,
          ['backup', field],
          'is only read when backup.enabled is true; remove it or enable backups',
          backup[field],
        );
      }
    }
    return;
  }
  if (backup.schedule !== undefined) {
    const problem = backupScheduleProblem(backup.schedule);
    if (problem) reportProblem(ctx, ['backup', 'schedule'], problem, backup.schedule);
  }
}
