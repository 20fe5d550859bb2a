// Destroys every stack of one environment in reverse order, then checks through the AWS API that
// nothing tagged with the environment is left. Run `npx tsx scripts/env-teardown.ts --help`.
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_EMULATOR_ENDPOINT } from '../lib/aws/provider';
import { ConfigError, loadEnvironmentFile } from '../lib/config/load';
import { EMULATOR_ENDPOINT_VARIABLE } from '../lib/environments/aws-clients';
import { ENVIRONMENTS_DIR, resolveEnvironmentFile } from '../lib/environments/environment-file';
import { EXIT_ERROR, commandArguments } from '../lib/environments/exit-codes';
import { ProtectedEnvironmentError } from '../lib/environments/protection';
import { teardownEnvironment, teardownExitCode } from '../lib/environments/teardown';
import { TAG_KEYS } from '../lib/naming/tags';
import { buildEnvironment } from '../stacks';

const USAGE = `Usage: npm run env:teardown -- <environment name or file> [options]

Destroys every stack of the environment in reverse deployment order (the state bucket's
bootstrap stack last), then checks through the AWS API that nothing tagged
${TAG_KEYS.environment}=<name> is left.

<environment> is a file (environments/pr-12.yaml) or a name (pr-12 -> environments/pr-12.yaml).

Options:
  --environments-dir DIR  where names are looked up (default environments/)
  --outdir DIR            where the stacks are synthesized (default a new temporary directory)
  --verify-only           destroy nothing; only report what is left
  -h, --help              show this text

Target local uses the emulator at $${EMULATOR_ENDPOINT_VARIABLE} (default ${DEFAULT_EMULATOR_ENDPOINT}).

Exit codes: 0 nothing left, 1 error, 2 bad arguments, 3 protected environment, 4 resources left.`;

function parse(argv: readonly string[]) {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      'environments-dir': { type: 'string' },
      outdir: { type: 'string' },
      'verify-only': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help' as const;
  if (positionals.length !== 1) {
    throw new Error(
      'Give exactly one environment name or file, e.g. `npm run env:teardown -- pr-12`.',
    );
  }
  return {
    file: resolveEnvironmentFile(
      positionals[0],
      path.resolve(values['environments-dir'] ?? ENVIRONMENTS_DIR),
    ),
    outdir: values.outdir,
    verifyOnly: values['verify-only'],
  };
}

async function main(): Promise<number> {
  const args = commandArguments(parse, process.argv.slice(2), USAGE);
  if (typeof args === 'number') return args;
  try {
    const config = loadEnvironmentFile(args.file);
    const result = await teardownEnvironment(config, {
      buildEnvironment,
      outdir: args.outdir,
      verifyOnly: args.verifyOnly,
      environmentFile: args.file,
      terraformOutput: (chunk) => process.stdout.write(chunk),
    });
    return teardownExitCode(result);
  } catch (error) {
    if (error instanceof ProtectedEnvironmentError) {
      console.error(error.message);
      return error.exitCode;
    }
    console.error(error instanceof ConfigError ? error.message : (error as Error).message);
    return EXIT_ERROR;
  }
}

void main().then((code) => process.exit(code));
