/**
 * The Resource Groups Tagging API: one call across services, the sweep's search and teardown's
 * first check. It misses resources some services do not report to it, hence the other probes.
 */
import {
  paginateGetResources,
  ResourceGroupsTaggingAPIClient,
  TagFilter,
} from '@aws-sdk/client-resource-groups-tagging-api';
import { TAG_KEYS } from '../../naming/tags';
import type { ObservedResource } from '../leftovers';
import { collect, kindOfArn, ProbeTable, tagMap } from './probe';

/** A resource as the tagging API returns it: its ARN and tags. */
export interface TaggedArn {
  readonly id: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** Every resource the tagging API holds with tags matching `filters` (all pages). */
export async function taggedResources(
  tagging: ResourceGroupsTaggingAPIClient,
  filters: TagFilter[],
): Promise<TaggedArn[]> {
  const mappings = await collect(
    paginateGetResources({ client: tagging }, { TagFilters: filters }),
    (p) => p.ResourceTagMappingList,
  );
  return mappings.map((m) => ({ id: m.ResourceARN ?? '?', tags: tagMap(m.Tags) }));
}

export const TAGGING_PROBES: ProbeTable = {
  'tagging:GetResources': async ({ tagging }, environment) => {
    const found = await taggedResources(tagging, [
      { Key: TAG_KEYS.environment, Values: [environment] },
    ]);
    return found.map((r): ObservedResource => ({
      ...r,
      kind: kindOfArn(r.id),
      source: 'tagging:GetResources',
    }));
  },
};
