/**
 * IAM's own list calls. IAM is global and its list calls take no tag filter, so each probe lists
 * every role, policy, instance profile or OIDC provider with its tags; findLeftovers keeps the
 * environment's.
 */
import {
  IAMClient,
  ListOpenIDConnectProvidersCommand,
  paginateListInstanceProfiles,
  paginateListOpenIDConnectProviderTags,
  paginateListPolicies,
  paginateListPolicyTags,
  paginateListRoles,
  paginateListRoleTags,
  Tag,
} from '@aws-sdk/client-iam';
import { collect, mapSequentially, Probe, ProbeTable, tagMap } from './probe';

/** One IAM list call, then one tag call per item: those list calls return no tags. */
function iamProbe<T extends { readonly Arn?: string }>(
  kind: string,
  source: string,
  list: (iam: IAMClient) => Promise<T[]>,
  listTags: (iam: IAMClient, item: T) => AsyncIterable<{ Tags?: Tag[] }>,
): Probe {
  return async ({ iam }) =>
    mapSequentially(await list(iam), async (item) => ({
      kind,
      id: item.Arn ?? '?',
      tags: tagMap(await collect(listTags(iam, item), (p) => p.Tags)),
      source,
    }));
}

export const IAM_PROBES: ProbeTable = {
  'iam:ListRoleTags': iamProbe(
    'iam:role',
    'iam:ListRoleTags',
    async (iam) => {
      const roles = await collect(paginateListRoles({ client: iam }, {}), (p) => p.Roles);
      // Service-linked roles belong to AWS services, never to an environment.
      return roles.filter((r) => !r.Path?.startsWith('/aws-service-role/'));
    },
    (iam, role) => paginateListRoleTags({ client: iam }, { RoleName: role.RoleName }),
  ),
  'iam:ListPolicyTags': iamProbe(
    'iam:policy',
    'iam:ListPolicyTags',
    // Customer managed policies only: the AWS managed ones are never an environment's.
    (iam) => collect(paginateListPolicies({ client: iam }, { Scope: 'Local' }), (p) => p.Policies),
    (iam, policy) => paginateListPolicyTags({ client: iam }, { PolicyArn: policy.Arn }),
  ),
  'iam:ListInstanceProfiles': async ({ iam }) => {
    const profiles = await collect(
      paginateListInstanceProfiles({ client: iam }, {}),
      (p) => p.InstanceProfiles,
    );
    return profiles.map((p) => ({
      kind: 'iam:instance-profile',
      id: p.Arn ?? '?',
      tags: tagMap(p.Tags),
      source: 'iam:ListInstanceProfiles',
    }));
  },
  'iam:ListOpenIDConnectProviderTags': iamProbe(
    'iam:oidc-provider',
    'iam:ListOpenIDConnectProviderTags',
    // Not paginated: one call returns every provider.
    async (iam) =>
      (await iam.send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList ?? [],
    (iam, provider) =>
      paginateListOpenIDConnectProviderTags(
        { client: iam },
        { OpenIDConnectProviderArn: provider.Arn },
      ),
  ),
};
