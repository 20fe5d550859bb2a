// Writes the environment file of a throw-away pull-request environment from
// environments/templates/pr.yaml. Run `npx tsx scripts/env-create.ts --help` for usage.
import { userInfo } from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from '../lib/config/load';
import { DEFAULT_TTL_HOURS } from '../lib/environments/pr-environment';
import {
  CreatePrEnvironmentOptions,
  createPrEnvironment,
} from '../lib/environments/pr-environment-file';

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

class UsageError extends Error {}

function parse(argv: readonly string[]): CreatePrEnvironmentOptions | 'help' {
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
  let options: CreatePrEnvironmentOptions | 'help';
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

main();
