/**
 * What a teardown left behind: resources still tagged with the environment, as the tagging API
 * and the services' own list calls report them. Pure: the AWS calls are in observe.ts.
 */
import { TAG_KEYS } from '../naming/tags';

/** One resource as an AWS API reported it. */
export interface ObservedResource {
  /** Service and type, e.g. `ec2:vpc`, `iam:role`, `kms:key`. */
  readonly kind: string;
  /** An ARN, or the service's id where it gives no ARN (EC2). */
  readonly id: string;
  readonly tags: Readonly<Record<string, string>>;
  /** The service's state word, when it has one (`PendingDeletion`, `deleted`, ...). */
  readonly state?: string;
  /** Which call reported it, e.g. `tagging:GetResources` or `ec2:DescribeVpcs`. */
  readonly source: string;
}

export interface LeftoverReport {
  /** Resources of the environment that still exist. */
  readonly leftovers: readonly ObservedResource[];
  /** Resources AWS deletes later by itself (KMS keys, secrets in their recovery window). */
  readonly scheduledForDeletion: readonly ObservedResource[];
}

/** States of resources that are gone although the API still lists them for a while. */
const GONE_STATES = new Set(['deleted', 'terminated', 'deleting-complete']);
/** States of resources that AWS deletes on its own after a waiting period. */
const SCHEDULED_STATES = new Set([
  'pendingdeletion',
  'pendingreplicadeletion',
  'scheduled-for-deletion',
]);

/**
 * The key that makes one resource reported by two calls count once: EC2 ARNs end in the id the
 * EC2 calls report; log group ARNs with and without the trailing `:*` are the same group.
 */
export function resourceKey(id: string): string {
  const trimmed = id.replace(/:\*$/, '');
  const ec2 = /^arn:aws[a-z-]*:ec2:[^:]*:[^:]*:[a-z-]+\/(.+)$/.exec(trimmed);
  return ec2 ? ec2[1] : trimmed;
}

/**
 * Sorts the observed resources of `environment` into leftovers and those scheduled for deletion.
 * Resources of other environments, untagged ones and ones already gone are dropped. One resource
 * seen by several calls is listed once; a report with a state wins over one without (the tagging
 * API gives no state, so a deleted NAT gateway or a key pending deletion would look alive).
 */
export function findLeftovers(
  environment: string,
  observed: readonly ObservedResource[],
): LeftoverReport {
  const byKey = new Map<string, ObservedResource>();
  for (const resource of observed) {
    if (resource.tags[TAG_KEYS.environment] !== environment) continue;
    const key = resourceKey(resource.id);
    const known = byKey.get(key);
    if (!known || (!known.state && resource.state)) byKey.set(key, resource);
  }
  const leftovers: ObservedResource[] = [];
  const scheduledForDeletion: ObservedResource[] = [];
  for (const resource of byKey.values()) {
    const state = resource.state?.toLowerCase();
    if (state && GONE_STATES.has(state)) continue;
    (state && SCHEDULED_STATES.has(state) ? scheduledForDeletion : leftovers).push(resource);
  }
  const byKindThenId = (a: ObservedResource, b: ObservedResource) =>
    a.kind.localeCompare(b.kind) || a.id.localeCompare(b.id);
  return {
    leftovers: leftovers.sort(byKindThenId),
    scheduledForDeletion: scheduledForDeletion.sort(byKindThenId),
  };
}

/** Lines for the terminal: what is left, what is scheduled, or that nothing is. */
export function formatLeftoverReport(environment: string, report: LeftoverReport): string {
  const lines: string[] = [];
  if (report.leftovers.length === 0) {
    lines.push(`Nothing tagged ${TAG_KEYS.environment}=${environment} is left.`);
  } else {
    lines.push(
      `${report.leftovers.length} resource${report.leftovers.length === 1 ? '' : 's'} tagged ` +
        `${TAG_KEYS.environment}=${environment} ${report.leftovers.length === 1 ? 'is' : 'are'} left:`,
    );
    for (const r of report.leftovers) {
      lines.push(`  - ${r.kind} ${r.id}${r.state ? ` (${r.state})` : ''} [${r.source}]`);
    }
  }
  for (const r of report.scheduledForDeletion) {
    lines.push(`  scheduled for deletion: ${r.kind} ${r.id} [${r.source}]`);
  }
  return lines.join('\n');
}
