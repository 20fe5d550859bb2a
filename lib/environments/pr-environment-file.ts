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

export interface CreateOptions {
  readonly prNumber: number;
  readonly owner: string;
  readonly ttlHours?: number;
  readonly target?: 'aws' | 'local';
  readonly accountId?: string;
  /** @default environments/ */
  readonly outDir?: string;
  /** @default environments/templates/pr.yaml */
  readonly templateFile?: string;
  /** @default false */
  readonly force?: boolean;
  /** @default new Date() */
  readonly now?: Date;
}

/** Writes the file and returns its path; throws ConfigError or Error with the reason. */
export function createPrEnvironment(options: CreateOptions): string {
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
