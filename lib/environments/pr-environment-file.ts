/**
 * Writing a pull-request environment's file: the template read, rendered by pr-environment.ts and
 * written beside the other environment files.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { stateBucketName } from '../state/backend';
import { ENVIRONMENTS_DIR } from './environment-file';
import { renderPrEnvironment } from './pr-environment';

const ROOT = path.resolve(__dirname, '..', '..');
export const PR_TEMPLATE_FILE = path.join(ENVIRONMENTS_DIR, 'templates', 'pr.yaml');

export interface CreatePrEnvironmentOptions {
  /** The pull request number; the environment is `pr-<n>`. */
  readonly prNumber: number;
  /** Who answers for the environment (`owner` and the owner tag). */
  readonly owner: string;
  /**
   * Hours until the sweep may destroy the environment.
   * @default 72
   */
  readonly ttlHours?: number;
  /**
   * Where the environment runs.
   * @default - the template's target
   */
  readonly target?: 'aws' | 'local';
  /**
   * AWS account of an `aws` environment.
   * @default - the template's accountId
   */
  readonly accountId?: string;
  /**
   * Where the file is written.
   * @default environments/
   */
  readonly outDir?: string;
  /**
   * The template to start from.
   * @default environments/templates/pr.yaml
   */
  readonly templateFile?: string;
  /**
   * Overwrite an existing file.
   * @default false
   */
  readonly force?: boolean;
  /**
   * The current time; `expiresAt` is this plus the TTL.
   * @default new Date()
   */
  readonly now?: Date;
}

/**
 * Writes `<outDir>/pr-<n>.yaml` and returns its path; throws ConfigError for an invalid result and
 * Error when the file exists (without `force`) or the state bucket cannot be named.
 */
export function createPrEnvironment(options: CreatePrEnvironmentOptions): string {
  const templateFile = options.templateFile ?? PR_TEMPLATE_FILE;
  const rendered = renderPrEnvironment(readFileSync(templateFile, 'utf8'), {
    prNumber: options.prNumber,
    owner: options.owner,
    ttlHours: options.ttlHours,
    target: options.target,
    accountId: options.accountId,
    now: options.now ?? new Date(),
    templateSource: path.relative(ROOT, templateFile) || templateFile,
  });
  // Throws when the environment cannot name its state bucket (an aws target without accountId).
  if (rendered.config.state.backend === 's3') stateBucketName(rendered.config);
  const outDir = path.resolve(options.outDir ?? ENVIRONMENTS_DIR);
  const file = path.join(outDir, `${rendered.name}.yaml`);
  if (existsSync(file) && !options.force) {
    throw new Error(`${file} exists already; pass --force to overwrite it.`);
  }
  mkdirSync(outDir, { recursive: true });
  writeFileSync(file, rendered.yaml);
  return file;
}
