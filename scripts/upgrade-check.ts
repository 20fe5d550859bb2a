// Checks the Kubernetes versions of an environment file against the clusters AWS runs now: one
// minor at a time, never back. Run `npm run upgrade:check -- --help` for usage and exit codes.
import { parseArgs } from 'node:util';
import { ConfigError, loadEnvironmentFile } from '../lib/config/load';
import { clusterVersionTargets } from '../lib/environments/upgrade-targets';
import { AwsVersionReader } from '../lib/upgrades/aws-reader';
import { checkUpgrade, describeStep } from '../lib/upgrades/version-step';

const USAGE = `Usage: npm run upgrade:check -- <environment-file> [--endpoint URL]

Reads the version every cluster of the environment runs (EKS DescribeCluster; RKE2: the release
tag of the seed launch template) with the usual AWS credentials, and checks the file's versions:
one Kubernetes minor at a time, no downgrades. Run it before deploying a version change.

Options:
  --endpoint URL  base URL of the AWS APIs (default: RANCHER_EMULATOR_ENDPOINT for target
                  local, else AWS)
  -h, --help      show this text

Exit codes:
  0  every cluster is new, unchanged or one step ahead
  2  at least one version is refused (each reason is printed)
  1  bad arguments, an invalid environment file or an AWS error
`;

const EXIT_REFUSED = 2;
const EXIT_ERROR = 1;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { endpoint: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    console.error(`Expected one environment file; got ${positionals.length}.\n\n${USAGE}`);
    return EXIT_ERROR;
  }
  const config = loadEnvironmentFile(positionals[0]);
  const endpoint =
    values.endpoint ??
    (config.target === 'local' ? process.env.RANCHER_EMULATOR_ENDPOINT : undefined);
  if (config.target === 'local' && !endpoint) {
    console.error('target local needs --endpoint or RANCHER_EMULATOR_ENDPOINT (the emulator).');
    return EXIT_ERROR;
  }
  const reader = new AwsVersionReader({ region: config.region, endpoint });
  try {
    const results = await checkUpgrade(clusterVersionTargets(config), reader);
    for (const result of results) console.log(describeStep(result));
    return results.some((r) => r.verdict === 'refused') ? EXIT_REFUSED : 0;
  } finally {
    reader.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : String(error));
    process.exit(EXIT_ERROR);
  },
);
