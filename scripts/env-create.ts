// Writes the environment file of a throw-away pull-request environment from
// environments/templates/pr.yaml. Run `npx tsx scripts/env-create.ts --help` for usage.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from '../lib/config/load';
import { DEFAULT_TTL_HOURS, renderPrEnvironment } from '../lib/environments/pr-environment';
import { stateBucketName } from '../lib/state/backend';

const ROOT = path.resolve(__dirname, '..');
export const PR_TEMPLATE_FILE = path.join(ROOT, 'environments', 'templates', 'pr.yaml');
const DEFAULT_OUT_DIR = path.join(ROOT, 'environments');

const USAGE = `Usage: npm run env:create -- <pr-number> [options]

Writes environments/pr-<n>.yaml, a throw-away environment that expires after the TTL.

Options:
  --ttl-hours N      hours until the sweep may destroy it (default ${DEFAULT_TTL_HOURS}, at most 720)
  --owner NAME       owner tag (default $GITHUB_ACTOR, else the login name)
  --target aws|local a real account (the template's default) or the local AWS emulator
  --account-id ID    the AWS account (names the default state bucket; default $RANCHER_AWS_ACCOUNT_ID)
  --out-dir DIR      where to write the file (default environments/)
  --template FILE    template to start from (default environments/templates/pr.yaml)
  --force            overwrite an existing file
  -h, --help         show this text

Exit codes: 0 written, 1 invalid environment or the file exists, 2 bad arguments.`;

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

class UsageError extends Error {}

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
  if (rendered.config.state.backend === 's3') stateBucketName(rendered.config);
  const outDir = path.resolve(options.outDir ?? DEFAULT_OUT_DIR);
  const file = path.join(outDir, `${rendered.name}.yaml`);
  if (existsSync(file) && !options.force) {
    throw new Error(`${file} exists already; pass --force to overwrite it.`);
  }
  mkdirSync(outDir, { recursive: true });
  writeFileSync(file, rendered.yaml);
  return file;
}

function parse(argv: readonly string[]): CreateOptions | 'help' {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      'ttl-hours': { type: 'string' },
      owner: { type: 'string' },
      target: { type: 'string' },
      'account-id': { type: 'string' },
      'out-dir': { type: 'string' },
      template: { type: 'string' },
      force: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  if (positionals.length !== 1 || !/^\d+$/.test(positionals[0])) {
    throw new UsageError('Give exactly one pull request number, e.g. `npm run env:create -- 123`.');
  }
  const ttl = values['ttl-hours'];
  if (ttl !== undefined && !/^\d+(\.\d+)?$/.test(ttl)) {
    throw new UsageError(`--ttl-hours must be a number of hours; got "${ttl}".`);
  }
  const target = values.target;
  if (target !== undefined && target !== 'aws' && target !== 'local') {
    throw new UsageError(`--target must be aws or local; got "${target}".`);
  }
  const owner = values.owner ?? process.env.GITHUB_ACTOR ?? userInfo().username;
  return {
    prNumber: Number(positionals[0]),
    owner,
    ttlHours: ttl === undefined ? undefined : Number(ttl),
    target,
    accountId: values['account-id'] ?? process.env.RANCHER_AWS_ACCOUNT_ID,
    outDir: values['out-dir'],
    templateFile: values.template ? path.resolve(values.template) : undefined,
    force: values.force,
  };
}

function main(): void {
  let options: CreateOptions | 'help';
  try {
    options = parse(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (options === 'help') {
    console.log(USAGE);
    return;
  }
  try {
    const file = createPrEnvironment(options);
    console.log(`Wrote ${path.relative(process.cwd(), file) || file}.`);
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : (error as Error).message);
    process.exit(1);
  }
}

if (require.main === module) main();
