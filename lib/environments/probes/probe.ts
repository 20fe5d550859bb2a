/**
 * What a probe is (one AWS list call that reports resources with their tags) and the helpers the
 * probes share. Pure apart from draining the SDK's paginators.
 */
import type { EnvironmentClients } from '../aws-clients';
import type { ObservedResource } from '../leftovers';

/** Lists the resources of one kind with their tags, as one service reports them. */
export type Probe = (
  clients: EnvironmentClients,
  environment: string,
) => Promise<ObservedResource[]>;

/** Probes by the call they make, e.g. `ec2:DescribeVpcs`; the name is the resources' `source`. */
export type ProbeTable = Readonly<Record<string, Probe>>;

/** Tags as most services list them (`Key`/`Value` pairs). */
export type TagList = readonly { readonly Key?: string; readonly Value?: string }[] | undefined;

export function tagMap(tags: TagList): Record<string, string> {
  return Object.fromEntries((tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
}

/** `service:type` of an ARN: `arn:aws:ec2:us-east-1:1:vpc/vpc-1` -> `ec2:vpc`. */
export function kindOfArn(arn: string): string {
  const [, , service = 'unknown', , , resource = ''] = arn.split(':');
  const type = resource.split('/')[0] || resource;
  return `${service}:${type}`;
}

/**
 * `describe` of each item, one after the other: probes that make one call per resource keep to
 * one call at a time, so that a large account does not throttle them.
 */
export async function mapSequentially<T, R>(
  items: readonly T[],
  describe: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = [];
  for (const item of items) results.push(await describe(item));
  return results;
}

/** Every item of every page. */
export async function collect<P, T>(
  pages: AsyncIterable<P>,
  items: (page: P) => T[] | undefined,
): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...(items(page) ?? []));
  return all;
}
