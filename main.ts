import { App } from 'cdktf';
import { ConfigError, environmentFileFromProcess, loadEnvironmentFile } from './lib/config/load';
import { buildEnvironment } from './stacks';

/** Environment variable with the emulator's base URL for `target: local`. */
const EMULATOR_ENDPOINT_VARIABLE = 'RANCHER_EMULATOR_ENDPOINT';

function main(): void {
  const file = environmentFileFromProcess();
  let config;
  try {
    config = loadEnvironmentFile(file);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const app = new App();
  buildEnvironment(app, config, { emulatorEndpoint: process.env[EMULATOR_ENDPOINT_VARIABLE] });
  app.synth();
}

main();
