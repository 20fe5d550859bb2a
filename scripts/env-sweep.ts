// Finds throw-away environments whose expires-at tag has passed and tears each one down.
// Run `npx tsx scripts/env-sweep.ts --help` for usage.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { loadEnvironmentFile } from '../lib/config/load';
import { findExpiredEnvironments, SweepFindings } from '../lib/environments/protection';
import { TAG_KEYS } from '../lib/naming/tags';
import {
  EXIT_ERROR,
  EXIT_LEFTOVERS,
  EXIT_USAGE,
  teardownClients,
  teardownEnvironment,
  TeardownOptions,
} from './env-teardown';
import { paginateGetResources } from '@aws-sdk/client-resource-groups-tagging-api';

const ROOT = path.resolve(__dirname, '..');

const USAGE = `Usage: npm run env:sweep [-- options]

Finds environments whose ${TAG_KEYS.expiresAt} tag lies in the past (through the tagging API)
and tears down each one that is not protected, from environments/<name>.yaml.

Options:
  --dry-run               only list what would be torn down
  --target aws|local      a real account, or the emulator at $RANCHER_EMULATOR_ENDPOINT
                          (default local when that variable is set, else aws)
  --region REGION         region to search (default $AWS_REGION, else us-east-1)
  --environments-dir DIR  where environment files are (default environments/)
  -h, --help              show this text

Exit codes: 0 all expired environments are gone, 1 an error or a skipped environment,
2 bad arguments, 4 resources left after a teardown.`;

export interface SweepOptions extends Pick<
  TeardownOptions,
  'emulatorEndpoint' | 'log' | 'terraformOutput' | 'localStateDir'
> {
  readonly target: 'aws' | 'local';
  readonly region: string;
  readonly environmentsDir: string;
  /** @default false */
  readonly dryRun?: boolean;
  /** @default new Date() */
  readonly now?: Date;
}

export interface SweepOutcome {
  readonly name: string;
  readonly action:
    | 'torn-down'
    | 'leftovers'
    | 'skipped-protected'
    | 'skipped-no-file'
    | 'failed'
    | 'would-tear-down';
  readonly detail?: string;
}

/** Lists the tagged resources of expired environments and tears each allowed one down. */
export async function sweep(
  options: SweepOptions,
): Promise<{ findings: SweepFindings; outcomes: SweepOutcome[] }> {
  const log = options.log ?? ((line: string) => console.log(line));
  const clients = teardownClients({ target: options.target, region: options.region }, options);
  let findings: SweepFindings;
  try {
    const resources = [];
    for await (const page of paginateGetResources(
      { client: clients.tagging },
      { TagFilters: [{ Key: TAG_KEYS.expiresAt }] },
    )) {
      for (const m of page.ResourceTagMappingList ?? []) {
        resources.push({
          id: m.ResourceARN ?? '?',
          tags: Object.fromEntries((m.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
        });
      }
    }
    findings = findExpiredEnvironments(resources, options.now ?? new Date());
  } finally {
    clients.destroy();
  }
  for (const live of findings.live) log(`${live.name}: expires ${live.expiresAt}; kept`);
  for (const bad of findings.unreadable) {
    log(`${bad.name}: ${TAG_KEYS.expiresAt}="${bad.expiresAt}" is not a date-time; kept`);
  }
  const outcomes: SweepOutcome[] = [];
  for (const env of findings.expired) {
    const prefix = `${env.name}: expired ${env.expiresAt}`;
    if (env.protected) {
      log(`${prefix}; protected, kept`);
      outcomes.push({ name: env.name, action: 'skipped-protected' });
      continue;
    }
    const file = path.join(options.environmentsDir, `${env.name}.yaml`);
    if (!existsSync(file)) {
      log(`${prefix}; no ${file}, cannot destroy it through Terraform: skipped`);
      outcomes.push({ name: env.name, action: 'skipped-no-file', detail: file });
      continue;
    }
    if (options.dryRun) {
      log(`${prefix}; would tear down (dry run)`);
      outcomes.push({ name: env.name, action: 'would-tear-down' });
      continue;
    }
    log(`${prefix}; tearing down`);
    try {
      const config = loadEnvironmentFile(file);
      const result = await teardownEnvironment(config, options);
      const left = result.report.leftovers.length + result.failedChecks.length > 0;
      outcomes.push({ name: env.name, action: left ? 'leftovers' : 'torn-down' });
    } catch (error) {
      log(`${env.name}: teardown failed: ${(error as Error).message}`);
      outcomes.push({ name: env.name, action: 'failed', detail: (error as Error).message });
    }
  }
  if (findings.expired.length === 0) log('No expired environments.');
  return { findings, outcomes };
}

async function main(): Promise<number> {
  let options: SweepOptions;
  try {
    const { values } = parseArgs({
      args: process.argv.slice(2),
      allowPositionals: false,
      options: {
        'dry-run': { type: 'boolean', default: false },
        target: {
          type: 'string',
          default: process.env.RANCHER_EMULATOR_ENDPOINT ? 'local' : 'aws',
        },
        region: { type: 'string' },
        'environments-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    if (values.target !== 'aws' && values.target !== 'local') {
      throw new Error(`--target must be aws or local; got "${values.target}".`);
    }
    options = {
      target: values.target,
      region: values.region ?? process.env.AWS_REGION ?? 'us-east-1',
      environmentsDir: path.resolve(values['environments-dir'] ?? path.join(ROOT, 'environments')),
      dryRun: values['dry-run'],
      terraformOutput: (chunk) => process.stdout.write(chunk),
    };
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  try {
    const { outcomes } = await sweep(options);
    if (outcomes.some((o) => o.action === 'failed' || o.action === 'skipped-no-file'))
      return EXIT_ERROR;
    if (outcomes.some((o) => o.action === 'leftovers')) return EXIT_LEFTOVERS;
    return 0;
  } catch (error) {
    console.error(`The sweep failed: ${(error as Error).message}`);
    return EXIT_ERROR;
  }
}

if (require.main === module) {
  void main().then((code) => process.exit(code));
}
