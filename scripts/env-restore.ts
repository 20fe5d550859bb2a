// Restores a Rancher backup onto a fresh environment in Rancher's documented migration order
// (docs/backup.md). Run `npx tsx scripts/env-restore.ts --help` for usage.
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadEnvironmentFile } from '../lib/config/load';
import { ENVIRONMENTS_DIR, resolveEnvironmentFile } from '../lib/environments/environment-file';
import { EXIT_ERROR, EXIT_REFUSED, commandArguments } from '../lib/environments/exit-codes';
import { restoreEnvironment, RestoreRefusedError } from '../lib/environments/restore';
import { buildEnvironment } from '../stacks';

const USAGE = `Usage: npm run env:restore -- <environment name or file> <backup file name> [options]

Restores <backup file name> (a file in the environment's backup folder, e.g.
rancher-recurring-<uid>-2026-01-31T06-00-00Z.tar.gz.enc) onto a fresh environment: applies the
stacks before the rancher stack, then the rancher stack with the rancher-backup operator and a
Restore (prune false) before Rancher, which is installed once the restore has completed.

Options:
  --timeout SECONDS       longest wait for the Restore to complete (default 1800)
  --force                 restore even when the environment already runs Rancher
  --environments-dir DIR  where names are looked up (default environments/)
  --outdir DIR            where the stacks are synthesized (default a new temporary directory)
  -h, --help              show this text

Exit codes: 0 restored and Rancher installed, 1 failed, 2 bad arguments, 3 refused (nothing changed).`;

function parse(argv: readonly string[]) {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      timeout: { type: 'string' },
      force: { type: 'boolean', default: false },
      'environments-dir': { type: 'string' },
      outdir: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help' as const;
  if (positionals.length !== 2) {
    throw new Error(
      'Give an environment and a backup file name, e.g. `npm run env:restore -- prod rancher-recurring-<uid>-2026-01-31T06-00-00Z.tar.gz.enc`.',
    );
  }
  if (values.timeout !== undefined && !/^\d+$/.test(values.timeout)) {
    throw new Error(`--timeout must be a whole number of seconds; got "${values.timeout}".`);
  }
  return {
    file: resolveEnvironmentFile(
      positionals[0],
      path.resolve(values['environments-dir'] ?? ENVIRONMENTS_DIR),
    ),
    backupFilename: positionals[1],
    timeoutSeconds: values.timeout === undefined ? undefined : Number(values.timeout),
    force: values.force,
    outdir: values.outdir,
  };
}

async function main(): Promise<number> {
  const args = commandArguments(parse, process.argv.slice(2), USAGE);
  if (typeof args === 'number') return args;
  try {
    await restoreEnvironment(loadEnvironmentFile(args.file), {
      buildEnvironment,
      backupFilename: args.backupFilename,
      timeoutSeconds: args.timeoutSeconds,
      force: args.force,
      outdir: args.outdir,
      terraformOutput: (chunk) => process.stdout.write(chunk),
    });
    return 0;
  } catch (error) {
    if (error instanceof RestoreRefusedError) {
      console.error(error.message);
      return EXIT_REFUSED;
    }
    console.error(error instanceof ConfigError ? error.message : (error as Error).message);
    return EXIT_ERROR;
  }
}

if (require.main === module) {
  void main().then((code) => process.exit(code));
}
