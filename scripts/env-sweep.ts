// Finds throw-away environments whose expires-at tag has passed and tears each one down.
// Run `npx tsx scripts/env-sweep.ts --help` for usage.
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { EMULATOR_ENDPOINT_VARIABLE } from '../lib/environments/aws-clients';
import { ENVIRONMENTS_DIR } from '../lib/environments/environment-file';
import { EXIT_ERROR, EXIT_LEFTOVERS, EXIT_USAGE } from '../lib/environments/exit-codes';
import { sweep, SweepOptions } from '../lib/environments/sweep';
import { TAG_KEYS } from '../lib/naming/tags';
import { buildEnvironment } from '../stacks';

const USAGE = `Usage: npm run env:sweep [-- options]

Finds environments whose ${TAG_KEYS.expiresAt} tag lies in the past (through the tagging API)
and tears down each one that is not protected, from environments/<name>.yaml.

Options:
  --dry-run               only list what would be torn down
  --target aws|local      a real account, or the emulator at $${EMULATOR_ENDPOINT_VARIABLE}
                          (default local when that variable is set, else aws)
  --region REGION         region to search (default $AWS_REGION, else us-east-1)
  --environments-dir DIR  where environment files are (default environments/)
  -h, --help              show this text

Exit codes: 0 all expired environments are gone, 1 an error or a skipped environment,
2 bad arguments, 4 resources left after a teardown.`;

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
          default: process.env[EMULATOR_ENDPOINT_VARIABLE] ? 'local' : 'aws',
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
      buildEnvironment,
      target: values.target,
      region: values.region ?? process.env.AWS_REGION ?? 'us-east-1',
      environmentsDir: path.resolve(values['environments-dir'] ?? ENVIRONMENTS_DIR),
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

void main().then((code) => process.exit(code));
