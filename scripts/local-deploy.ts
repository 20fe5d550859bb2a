// Prints the management stack name and region of the environment `npm run local` deploys (RANCHER_ENV_FILE,
// else environments/local.yaml), and refuses an environment that does not target the emulator:
// the emulator endpoint is ignored for `target: aws`, so that deploy would reach a real account.
import { ConfigError, environmentFileFromProcess, loadEnvironmentFile } from '../lib/config/load';
import { localDeployTarget, NotLocalTargetError } from '../lib/environments/local-deploy';

function main(): number {
  const file = environmentFileFromProcess();
  try {
    const { stack, region } = localDeployTarget(loadEnvironmentFile(file), file);
    console.log(`${stack} ${region}`);
    return 0;
  } catch (error) {
    if (error instanceof ConfigError || error instanceof NotLocalTargetError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
}

process.exitCode = main();
