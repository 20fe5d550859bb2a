import { ConfigError, environmentFileFromProcess } from './lib/config/load';
import { synthesizeEnvironmentFile } from './stacks';

/** Environment variable with the emulator's base URL for `target: local`. */
const EMULATOR_ENDPOINT_VARIABLE = 'RANCHER_EMULATOR_ENDPOINT';
/** Set by `npm run env:restore`: the backup file the rancher stack restores before Rancher. */
const RESTORE_BACKUP_VARIABLE = 'RANCHER_RESTORE_BACKUP';

try {
  synthesizeEnvironmentFile(environmentFileFromProcess(), {
    emulatorEndpoint: process.env[EMULATOR_ENDPOINT_VARIABLE],
    restoreBackup: process.env[RESTORE_BACKUP_VARIABLE] || undefined,
  });
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
