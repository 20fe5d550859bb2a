/**
 * What of an environment exists, as the AWS APIs report it: the tagging API plus each service's
 * own list calls, which see what the tagging API misses and give states it does not.
 */
import type { EnvironmentClients } from './aws-clients';
import type { ObservedResource } from './leftovers';
import { EC2_PROBES } from './probes/ec2';
import { IAM_PROBES } from './probes/iam';
import type { ProbeTable } from './probes/probe';
import { SERVICE_PROBES } from './probes/services';
import { TAGGING_PROBES } from './probes/tagging';

/** Every probe, by the call it makes. */
export const PROBES: ProbeTable = {
  ...TAGGING_PROBES,
  ...EC2_PROBES,
  ...IAM_PROBES,
  ...SERVICE_PROBES,
};

export interface ObservedEnvironment {
  readonly resources: readonly ObservedResource[];
  /** Calls that failed, with the reason; what they cover is unverified. */
  readonly failedChecks: readonly string[];
}

/**
 * Runs every probe of `probes` for `environment`. A failing call does not stop the others; it is
 * reported in `failedChecks` as `<probe>: <error name>: <message>`.
 */
export async function observeEnvironment(
  clients: EnvironmentClients,
  environment: string,
  probes: ProbeTable = PROBES,
): Promise<ObservedEnvironment> {
  const entries = Object.entries(probes);
  const results = await Promise.allSettled(entries.map(([, probe]) => probe(clients, environment)));
  const resources: ObservedResource[] = [];
  const failedChecks: string[] = [];
  results.forEach((result, index) => {
    if (result.status === 'fulfilled') resources.push(...result.value);
    else {
      const reason = result.reason as Error;
      failedChecks.push(`${entries[index][0]}: ${reason.name}: ${reason.message}`);
    }
  });
  return { resources, failedChecks };
}
