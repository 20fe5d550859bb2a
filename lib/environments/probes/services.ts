/**
 * The list calls of the other services an environment uses: EKS, Elastic Load Balancing, KMS,
 * Route 53, CloudWatch Logs, S3, Secrets Manager and Auto Scaling. Each reports every resource of
 * its kind with its tags (and state, where the service has one); findLeftovers keeps the
 * environment's.
 */
import { paginateDescribeAutoScalingGroups } from '@aws-sdk/client-auto-scaling';
import {
  ListTagsForResourceCommand as ListLogTagsCommand,
  paginateDescribeLogGroups,
} from '@aws-sdk/client-cloudwatch-logs';
import { DescribeClusterCommand, paginateListClusters } from '@aws-sdk/client-eks';
import {
  DescribeTagsCommand as DescribeElbTagsCommand,
  paginateDescribeLoadBalancers,
  paginateDescribeTargetGroups,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  DescribeKeyCommand,
  paginateListKeys,
  paginateListResourceTags,
} from '@aws-sdk/client-kms';
import { ListTagsForResourcesCommand, paginateListHostedZones } from '@aws-sdk/client-route-53';
import { GetBucketTaggingCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { paginateListSecrets } from '@aws-sdk/client-secrets-manager';
import type { ObservedResource } from '../leftovers';
import { collect, kindOfArn, mapSequentially, ProbeTable, tagMap } from './probe';

/** Most ARNs one ELB DescribeTags call accepts. */
const ELB_TAGS_BATCH = 20;
/** Most hosted zones one Route 53 ListTagsForResources call accepts. */
const ROUTE53_TAGS_BATCH = 10;

export const SERVICE_PROBES: ProbeTable = {
  'eks:DescribeCluster': async ({ eks }) => {
    const names = await collect(paginateListClusters({ client: eks }, {}), (p) => p.clusters);
    return mapSequentially(names, async (name) => {
      const { cluster } = await eks.send(new DescribeClusterCommand({ name }));
      return {
        kind: 'eks:cluster',
        id: cluster?.arn ?? name,
        tags: cluster?.tags ?? {},
        state: cluster?.status,
        source: 'eks:DescribeCluster',
      };
    });
  },
  'elasticloadbalancing:DescribeTags': async ({ elbv2 }) => {
    const balancers = await collect(
      paginateDescribeLoadBalancers({ client: elbv2 }, {}),
      (p) => p.LoadBalancers,
    );
    const groups = await collect(
      paginateDescribeTargetGroups({ client: elbv2 }, {}),
      (p) => p.TargetGroups,
    );
    const arns = [
      ...balancers.map((b) => b.LoadBalancerArn ?? ''),
      ...groups.map((g) => g.TargetGroupArn ?? ''),
    ].filter(Boolean);
    const found: ObservedResource[] = [];
    for (let i = 0; i < arns.length; i += ELB_TAGS_BATCH) {
      const { TagDescriptions = [] } = await elbv2.send(
        new DescribeElbTagsCommand({ ResourceArns: arns.slice(i, i + ELB_TAGS_BATCH) }),
      );
      for (const d of TagDescriptions) {
        const arn = d.ResourceArn ?? '?';
        found.push({
          kind: kindOfArn(arn),
          id: arn,
          tags: tagMap(d.Tags),
          source: 'elasticloadbalancing:DescribeTags',
        });
      }
    }
    return found;
  },
  'kms:ListResourceTags': async ({ kms }) => {
    const keys = await collect(paginateListKeys({ client: kms }, {}), (p) => p.Keys);
    const found = await mapSequentially(keys, async (key) => {
      const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }));
      // AWS managed keys (aws/s3, aws/secretsmanager, ...) belong to the account, not to us.
      if (KeyMetadata?.KeyManager === 'AWS') return [];
      const tags = await collect(
        paginateListResourceTags({ client: kms }, { KeyId: key.KeyId }),
        (p) => p.Tags,
      );
      return [
        {
          kind: 'kms:key',
          id: key.KeyArn ?? key.KeyId ?? '?',
          tags: Object.fromEntries(tags.map((t) => [t.TagKey ?? '', t.TagValue ?? ''])),
          state: KeyMetadata?.KeyState,
          source: 'kms:ListResourceTags',
        },
      ];
    });
    return found.flat();
  },
  'route53:ListTagsForResources': async ({ route53 }) => {
    const zones = await collect(
      paginateListHostedZones({ client: route53 }, {}),
      (p) => p.HostedZones,
    );
    const ids = zones.map((z) => (z.Id ?? '').replace(/^\/hostedzone\//, '')).filter(Boolean);
    const found: ObservedResource[] = [];
    for (let i = 0; i < ids.length; i += ROUTE53_TAGS_BATCH) {
      const { ResourceTagSets = [] } = await route53.send(
        new ListTagsForResourcesCommand({
          ResourceType: 'hostedzone',
          ResourceIds: ids.slice(i, i + ROUTE53_TAGS_BATCH),
        }),
      );
      for (const set of ResourceTagSets) {
        found.push({
          kind: 'route53:hostedzone',
          id: `arn:aws:route53:::hostedzone/${set.ResourceId}`,
          tags: tagMap(set.Tags),
          source: 'route53:ListTagsForResources',
        });
      }
    }
    return found;
  },
  'logs:ListTagsForResource': async ({ logs }) => {
    const groups = await collect(
      paginateDescribeLogGroups({ client: logs }, {}),
      (p) => p.logGroups,
    );
    // DescribeLogGroups gives the ARN with a trailing `:*`; ListTagsForResource wants it without.
    const arns = groups.map((g) => (g.arn ?? '').replace(/:\*$/, '')).filter(Boolean);
    return mapSequentially(arns, async (arn) => {
      const { tags = {} } = await logs.send(new ListLogTagsCommand({ resourceArn: arn }));
      return { kind: 'logs:log-group', id: arn, tags, source: 'logs:ListTagsForResource' };
    });
  },
  's3:GetBucketTagging': async ({ s3 }) => {
    const { Buckets = [] } = await s3.send(new ListBucketsCommand({}));
    return mapSequentially(Buckets, async (bucket) => {
      let tags: Record<string, string> = {};
      try {
        tags = tagMap((await s3.send(new GetBucketTaggingCommand({ Bucket: bucket.Name }))).TagSet);
      } catch (error) {
        // An untagged bucket is an answer, not a failed check.
        if ((error as { name?: string }).name !== 'NoSuchTagSet') throw error;
      }
      return {
        kind: 's3:bucket',
        id: `arn:aws:s3:::${bucket.Name}`,
        tags,
        source: 's3:GetBucketTagging',
      };
    });
  },
  'secretsmanager:ListSecrets': async ({ secretsManager }) => {
    const secrets = await collect(
      paginateListSecrets({ client: secretsManager }, { IncludePlannedDeletion: true }),
      (p) => p.SecretList,
    );
    return secrets.map((s) => ({
      kind: 'secretsmanager:secret',
      id: s.ARN ?? s.Name ?? '?',
      tags: tagMap(s.Tags),
      state: s.DeletedDate ? 'scheduled-for-deletion' : undefined,
      source: 'secretsmanager:ListSecrets',
    }));
  },
  'autoscaling:DescribeAutoScalingGroups': async ({ autoScaling }) => {
    const groups = await collect(
      paginateDescribeAutoScalingGroups({ client: autoScaling }, {}),
      (p) => p.AutoScalingGroups,
    );
    return groups.map((g) => ({
      kind: 'autoscaling:group',
      id: g.AutoScalingGroupARN ?? g.AutoScalingGroupName ?? '?',
      tags: tagMap(g.Tags),
      state: g.Status,
      source: 'autoscaling:DescribeAutoScalingGroups',
    }));
  },
};
