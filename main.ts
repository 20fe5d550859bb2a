import { ConfigError, environmentFileFromProcess } from './lib/config/load';
import { synthesizeEnvironmentFile } from './stacks';

/** Environment variable with the emulator's base URL for `target: local`. */
const EMULATOR_ENDPOINT_VARIABLE = 'RANCHER_EMULATOR_ENDPOINT';

try {
  synthesizeEnvironmentFile(environmentFileFromProcess(), {
    emulatorEndpoint: process.env[EMULATOR_ENDPOINT_VARIABLE],
  });
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
