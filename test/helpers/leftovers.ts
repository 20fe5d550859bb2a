import type { EnvironmentConfig } from '../../lib/config/schema';
import { verifyTeardown } from '../../lib/environments/teardown';

/**
 * What of an environment is still in the emulator, as teardown's own verification sees it
 * (tagging API plus each service's list calls). A check that could not run counts as a problem.
 */
export async function leftoversOf(
  config: EnvironmentConfig,
  emulatorEndpoint: string,
): Promise<string[]> {
  const report = await verifyTeardown(config, { emulatorEndpoint });
  return [
    ...report.leftovers.map((r) => `${r.kind} ${r.id} (from ${r.source})`),
    ...report.failedChecks.map((check) => `check failed: ${check}`),
  ];
}
