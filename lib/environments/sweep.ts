/**
 * The sweep: finds throw-away environments whose expires-at tag has passed (through the tagging
 * API) and tears down each one that is not protected and has an environment file.
 */
import { existsSync } from 'node:fs';
import { loadEnvironmentFile } from '../config/load';
import { TAG_KEYS } from '../naming/tags';
import { EnvironmentClients, environmentClients } from './aws-clients';
import { environmentFileOf } from './environment-file';
import { taggedResources } from './probes/tagging';
import { findExpiredEnvironments, SweepFindings } from './protection';
import { teardownEnvironment, TeardownOptions } from './teardown';

export interface SweepOptions extends Pick<
  TeardownOptions,
  'buildEnvironment' | 'emulatorEndpoint' | 'log' | 'terraformOutput' | 'localStateDir'
> {
  /**
   * The clients the search calls (each teardown makes its own, for its environment's region); the
   * caller closes them.
   * @default - new clients for `target` and `region`, closed after the search
   */
  readonly searchClients?: EnvironmentClients;
  readonly target: 'aws' | 'local';
  readonly region: string;
  readonly environmentsDir: string;
  /** @default false */
  readonly dryRun?: boolean;
  /** @default new Date() */
  readonly now?: Date;
}

export interface SweepOutcome {
  readonly name: string;
  readonly action:
    | 'torn-down'
    | 'leftovers'
    | 'skipped-protected'
    | 'skipped-no-file'
    | 'failed'
    | 'would-tear-down';
  readonly detail?: string;
}

export interface SweepResult {
  readonly findings: SweepFindings;
  readonly outcomes: SweepOutcome[];
}

/** What the tagging API says about every environment with an expiry. */
async function findEnvironments(options: SweepOptions): Promise<SweepFindings> {
  const region = { target: options.target, region: options.region };
  const clients = options.searchClients ?? environmentClients(region, options);
  try {
    const resources = await taggedResources(clients.tagging, [{ Key: TAG_KEYS.expiresAt }]);
    return findExpiredEnvironments(resources, options.now ?? new Date());
  } finally {
    if (!options.searchClients) clients.destroy();
  }
}

/** Lists the tagged resources of expired environments and tears each allowed one down. */
export async function sweep(options: SweepOptions): Promise<SweepResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const findings = await findEnvironments(options);
  for (const live of findings.live) log(`${live.name}: expires ${live.expiresAt}; kept`);
  for (const bad of findings.unreadable) {
    log(`${bad.name}: ${TAG_KEYS.expiresAt}="${bad.expiresAt}" is not a date-time; kept`);
  }
  const outcomes: SweepOutcome[] = [];
  for (const env of findings.expired) {
    const prefix = `${env.name}: expired ${env.expiresAt}`;
    if (env.protected) {
      log(`${prefix}; protected, kept`);
      outcomes.push({ name: env.name, action: 'skipped-protected' });
      continue;
    }
    const file = environmentFileOf(options.environmentsDir, env.name);
    if (!existsSync(file)) {
      log(`${prefix}; no ${file}, cannot destroy it through Terraform: skipped`);
      outcomes.push({ name: env.name, action: 'skipped-no-file', detail: file });
      continue;
    }
    if (options.dryRun) {
      log(`${prefix}; would tear down (dry run)`);
      outcomes.push({ name: env.name, action: 'would-tear-down' });
      continue;
    }
    log(`${prefix}; tearing down`);
    try {
      const config = loadEnvironmentFile(file);
      const result = await teardownEnvironment(config, { ...options, environmentFile: file });
      const left = result.report.leftovers.length + result.failedChecks.length > 0;
      outcomes.push({ name: env.name, action: left ? 'leftovers' : 'torn-down' });
    } catch (error) {
      log(`${env.name}: teardown failed: ${(error as Error).message}`);
      outcomes.push({ name: env.name, action: 'failed', detail: (error as Error).message });
    }
  }
  if (findings.expired.length === 0) log('No expired environments.');
  return { findings, outcomes };
}
