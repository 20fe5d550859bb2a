import { ConfigError, environmentFileFromProcess } from './lib/config/load';
import { RESTORE_BACKUP_VARIABLE, RESTORE_TIMEOUT_VARIABLE } from './lib/environments/restore';
import { synthesizeEnvironmentFile } from './stacks';

/** Environment variable with the emulator's base URL for `target: local`. */
const EMULATOR_ENDPOINT_VARIABLE = 'RANCHER_EMULATOR_ENDPOINT';

try {
  synthesizeEnvironmentFile(environmentFileFromProcess(), {
    emulatorEndpoint: process.env[EMULATOR_ENDPOINT_VARIABLE],
    // Set by `npm run env:restore`: restore this backup before Rancher is installed.
    restoreBackup: process.env[RESTORE_BACKUP_VARIABLE] || undefined,
    restoreTimeoutSeconds: process.env[RESTORE_TIMEOUT_VARIABLE]
      ? Number(process.env[RESTORE_TIMEOUT_VARIABLE])
      : undefined,
  });
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
