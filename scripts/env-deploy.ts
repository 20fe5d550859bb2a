// Deploys every stack of one environment: the AWS-only stacks from here, the in-cluster stacks
// through the in-VPC deployer (or from here with --direct). Run `npm run env:deploy -- --help`.
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_EMULATOR_ENDPOINT } from '../lib/aws/provider';
import { ConfigError, loadEnvironmentFile } from '../lib/config/load';
import { commandArguments } from '../lib/environments/exit-codes';
import { deployEnvironment, DeployRefusedError } from '../lib/environments/deploy';
import { environmentStackRoles } from '../lib/environments/reach';
import { EMULATOR_ENDPOINT_VARIABLE, environmentClients } from '../lib/environments/aws-clients';
import { resolveEnvironmentFile } from '../lib/environments/environment-file';
import { stackDirectory, synthEnvironmentStacks } from '../lib/environments/synth';
import { runTerraform, terraformProcessEnv } from '../lib/environments/terraform-cli';
import { buildEnvironment } from '../stacks';

const ROOT = path.resolve(__dirname, '..');
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
export const EXIT_REFUSED = 3;
export const EXIT_INTERRUPTED = 130;

const USAGE = `Usage: npm run env:deploy -- <environment name or file> [options]

Deploys every stack of the environment in dependency order. The AWS-only stacks
(<env>-management, each <env>-<d>-cluster) are applied from here. The in-cluster stacks
(<env>-rancher, each <env>-<d>-agent) are applied by the in-VPC deployer, a CodeBuild project in
the management VPC: this command uploads the repository's tracked files and the environment file,
starts the build, prints its log and exits with its result. The bootstrap stack (state bucket)
is never deployed here: deploy it once by hand first.

<environment> is a file (environments/prod.yaml) or a name (prod -> environments/prod.yaml).

Options:
  --direct                apply the in-cluster stacks from here as well; only for environments
                          whose every cluster API is public (EKS endpointAccess public or both)
                          with this machine's network in publicAccessCidrs
  --dry-run               check everything, print what would run, change nothing
  --list-stacks           print "<role> <stack>" per stack (roles: bootstrap, aws, in-cluster)
  --environments-dir DIR  where names are looked up (default environments/)
  --outdir DIR            where the stacks are synthesized (default a new temporary directory)
  -h, --help              show this text

Target local uses the emulator at $${EMULATOR_ENDPOINT_VARIABLE} (default ${DEFAULT_EMULATOR_ENDPOINT}).

Exit codes: 0 deployed, 1 a stack or the build failed, 2 bad arguments, 3 refused before any
change (invalid environment, unreachable cluster APIs, missing state bucket, wrong account),
130 interrupted (a running build is stopped).`;

interface Arguments {
  readonly file: string;
  readonly direct: boolean;
  readonly dryRun: boolean;
  readonly listStacks: boolean;
  readonly outdir?: string;
}

function parse(argv: readonly string[]): Arguments | 'help' {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      direct: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      'list-stacks': { type: 'boolean', default: false },
      'environments-dir': { type: 'string' },
      outdir: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  if (positionals.length !== 1) {
    throw new Error(
      'Give exactly one environment name or file, e.g. `npm run env:deploy -- prod`.',
    );
  }
  return {
    file: resolveEnvironmentFile(
      positionals[0],
      path.resolve(values['environments-dir'] ?? path.join(ROOT, 'environments')),
    ),
    direct: values.direct,
    dryRun: values['dry-run'],
    listStacks: values['list-stacks'],
    outdir: values.outdir,
  };
}

async function main(): Promise<number> {
  const args = commandArguments(parse, process.argv.slice(2), USAGE);
  if (typeof args === 'number') return args;
  const interrupt = new AbortController();
  process.once('SIGINT', () => {
    console.error('Interrupted: no further stack starts; a running build is being stopped.');
    interrupt.abort();
  });
  try {
    const config = loadEnvironmentFile(args.file);
    if (args.listStacks) {
      const roles = environmentStackRoles(config);
      if (roles.bootstrap) console.log(`bootstrap ${roles.bootstrap}`);
      for (const name of roles.awsOnly) console.log(`aws ${name}`);
      for (const stack of roles.inCluster) console.log(`in-cluster ${stack.name}`);
      return 0;
    }
    const env = terraformProcessEnv(config);
    const sdk = environmentClients(config);
    try {
      const result = await deployEnvironment({
        config,
        environmentFile: args.file,
        repositoryRoot: ROOT,
        direct: args.direct,
        dryRun: args.dryRun,
        ci: process.env.CI === 'true',
        clients: sdk,
        synthesize: () => {
          const synthesized = synthEnvironmentStacks(config, {
            buildEnvironment,
            outdir: args.outdir,
          });
          return {
            manifest: synthesized.manifest,
            dirOf: (name) => stackDirectory(synthesized, name),
          };
        },
        applyStack: async (_name, dir) => {
          const print = (chunk: string) => process.stdout.write(chunk);
          await runTerraform(dir, ['init', '-input=false', '-no-color'], env, print);
          await runTerraform(
            dir,
            ['apply', '-auto-approve', '-input=false', '-no-color'],
            env,
            print,
          );
        },
        log: (line) => console.log(line),
        signal: interrupt.signal,
      });
      if (interrupt.signal.aborted) return EXIT_INTERRUPTED;
      return result.succeeded ? 0 : EXIT_FAILED;
    } finally {
      sdk.destroy();
    }
  } catch (error) {
    if (error instanceof ConfigError || error instanceof DeployRefusedError) {
      console.error(error.message);
      return EXIT_REFUSED;
    }
    console.error((error as Error).message);
    return interrupt.signal.aborted ? EXIT_INTERRUPTED : EXIT_FAILED;
  }
}

if (require.main === module) {
  void main().then((code) => process.exit(code));
}
