// Prints the management stack name and region of the environment `npm run local` deploys (RANCHER_ENV_FILE,
// else environments/local.yaml), and refuses an environment that does not target the emulator:
// the emulator endpoint is ignored for `target: aws`, so that deploy would reach a real account.
import { ConfigError, environmentFileFromProcess, loadEnvironmentFile } from '../lib/config/load';
import { stackName } from '../lib/naming/names';

function main(): number {
  const file = environmentFileFromProcess();
  try {
    const config = loadEnvironmentFile(file);
    if (config.target !== 'local') {
      console.error(
        `${file}: target is "${config.target}"; npm run local deploys only environments with target: local (the AWS emulator). Use cdktf deploy for a real account.`,
      );
      return 1;
    }
    console.log(`${stackName(config.name, 'management')} ${config.region}`);
    return 0;
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
}

process.exitCode = main();
