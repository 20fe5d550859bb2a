// Destroys every stack of one environment in reverse order, then checks through the AWS API that
// nothing tagged with the environment is left. Run `npx tsx scripts/env-teardown.ts --help`.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { AutoScalingClient, paginateDescribeAutoScalingGroups } from '@aws-sdk/client-auto-scaling';
import {
  CloudWatchLogsClient,
  ListTagsForResourceCommand as ListLogTagsCommand,
  paginateDescribeLogGroups,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeAddressesCommand,
  EC2Client,
  Filter,
  paginateDescribeInstances,
  paginateDescribeInternetGateways,
  paginateDescribeLaunchTemplates,
  paginateDescribeNatGateways,
  paginateDescribeRouteTables,
  paginateDescribeSecurityGroups,
  paginateDescribeSubnets,
  paginateDescribeVolumes,
  paginateDescribeVpcs,
  Tag as Ec2Tag,
} from '@aws-sdk/client-ec2';
import { DescribeClusterCommand, EKSClient, paginateListClusters } from '@aws-sdk/client-eks';
import {
  DescribeTagsCommand as DescribeElbTagsCommand,
  ElasticLoadBalancingV2Client,
  paginateDescribeLoadBalancers,
  paginateDescribeTargetGroups,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  IAMClient,
  ListOpenIDConnectProvidersCommand,
  paginateListInstanceProfiles,
  paginateListOpenIDConnectProviderTags,
  paginateListPolicies,
  paginateListPolicyTags,
  paginateListRoles,
  paginateListRoleTags,
} from '@aws-sdk/client-iam';
import {
  DescribeKeyCommand,
  KMSClient,
  paginateListKeys,
  paginateListResourceTags,
} from '@aws-sdk/client-kms';
import {
  paginateGetResources,
  ResourceGroupsTaggingAPIClient,
} from '@aws-sdk/client-resource-groups-tagging-api';
import {
  ListTagsForResourcesCommand,
  paginateListHostedZones,
  Route53Client,
} from '@aws-sdk/client-route-53';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  GetBucketTaggingCommand,
  ListBucketsCommand,
  ListObjectVersionsCommand,
  ListObjectVersionsCommandOutput,
  S3Client,
} from '@aws-sdk/client-s3';
import { paginateListSecrets, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { App } from 'cdktf';
import { DEFAULT_EMULATOR_ENDPOINT } from '../lib/aws/provider';
import { ConfigError, loadEnvironmentFile } from '../lib/config/load';
import type { EnvironmentConfig } from '../lib/config/schema';
import {
  findLeftovers,
  formatLeftoverReport,
  LeftoverReport,
  ObservedResource,
} from '../lib/environments/leftovers';
import { assertTeardownAllowed, ProtectedEnvironmentError } from '../lib/environments/protection';
import { destroyOrder, StackManifest } from '../lib/environments/stack-order';
import { TAG_KEYS } from '../lib/naming/tags';
import { bootstrapStackName, stateBucketName, stateKeyPrefix } from '../lib/state/backend';
import { buildEnvironment } from '../stacks';

const ROOT = path.resolve(__dirname, '..');
/** Environment variable with the emulator's base URL for `target: local`. */
export const EMULATOR_ENDPOINT_VARIABLE = 'RANCHER_EMULATOR_ENDPOINT';
export const EXIT_ERROR = 1;
export const EXIT_USAGE = 2;
export const EXIT_LEFTOVERS = 4;

const USAGE = `Usage: npm run env:teardown -- <environment name or file> [options]

Destroys every stack of the environment in reverse deployment order (the state bucket's
bootstrap stack last), then checks through the AWS API that nothing tagged
${TAG_KEYS.environment}=<name> is left.

<environment> is a file (environments/pr-12.yaml) or a name (pr-12 -> environments/pr-12.yaml).

Options:
  --environments-dir DIR  where names are looked up (default environments/)
  --outdir DIR            where the stacks are synthesized (default a new temporary directory)
  --verify-only           destroy nothing; only report what is left
  -h, --help              show this text

Target local uses the emulator at $${EMULATOR_ENDPOINT_VARIABLE} (default ${DEFAULT_EMULATOR_ENDPOINT}).

Exit codes: 0 nothing left, 1 error, 2 bad arguments, 3 protected environment, 4 resources left.`;

export interface TeardownOptions {
  /**
   * The emulator's base URL for `target: local`.
   * @default $RANCHER_EMULATOR_ENDPOINT, else http://127.0.0.1:5000
   */
  readonly emulatorEndpoint?: string;
  /**
   * Where the stacks are synthesized.
   * @default - a new temporary directory
   */
  readonly outdir?: string;
  /**
   * Directory of local state files (local backend, bootstrap stack).
   * @default process.cwd()
   */
  readonly localStateDir?: string;
  /**
   * Progress lines.
   * @default console.log
   */
  readonly log?: (line: string) => void;
  /**
   * Terraform's own output as it arrives.
   * @default - not shown (kept for the error message when a command fails)
   */
  readonly terraformOutput?: (chunk: string) => void;
  /**
   * Skip the destroy; only check what is left.
   * @default false
   */
  readonly verifyOnly?: boolean;
}

export interface TeardownResult {
  /** Stacks destroyed, in the order they were destroyed. */
  readonly destroyed: readonly string[];
  readonly report: LeftoverReport;
}

export interface SynthesizedStacks {
  readonly outdir: string;
  readonly manifest: StackManifest;
}

/** A Terraform command that failed, with its output. */
export class TerraformCommandError extends Error {
  constructor(
    message: string,
    readonly output: string,
  ) {
    super(message);
    this.name = 'TerraformCommandError';
  }
}

/** The emulator URL for a `local` environment, from the options or the environment. */
export function emulatorEndpointFor(options: Pick<TeardownOptions, 'emulatorEndpoint'>): string {
  return (
    options.emulatorEndpoint ?? process.env[EMULATOR_ENDPOINT_VARIABLE] ?? DEFAULT_EMULATOR_ENDPOINT
  );
}

/** `environments/<name>.yaml` for a bare name, else the path as given. */
export function resolveEnvironmentFile(argument: string, environmentsDir: string): string {
  const isName = /^[a-z][a-z0-9-]*$/.test(argument) && !existsSync(argument);
  return path.resolve(isName ? path.join(environmentsDir, `${argument}.yaml`) : argument);
}

/**
 * Synthesizes the environment's stacks as `cdktf synth` would, with local state files in
 * `localStateDir`.
 */
export function synthEnvironmentStacks(
  config: EnvironmentConfig,
  options: Pick<TeardownOptions, 'emulatorEndpoint' | 'outdir' | 'localStateDir'> = {},
): SynthesizedStacks {
  const outdir = path.resolve(
    options.outdir ?? mkdtempSync(path.join(tmpdir(), `rancher-teardown-${config.name}-`)),
  );
  const emulatorEndpoint = config.target === 'local' ? emulatorEndpointFor(options) : undefined;
  const app = new App({ outdir });
  // buildEnvironment adds the bootstrap stack (S3 state) and every stack's backend.
  buildEnvironment(app, config, { emulatorEndpoint, localStateDir: options.localStateDir });
  app.synth();
  const manifest = JSON.parse(
    readFileSync(path.join(outdir, 'manifest.json'), 'utf8'),
  ) as StackManifest;
  return { outdir, manifest };
}

/** Environment of every Terraform command: the provider mirror, and fake keys for the emulator. */
export function terraformProcessEnv(
  config: Pick<EnvironmentConfig, 'target' | 'region'>,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CHECKPOINT_DISABLE: '1',
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
  };
  const cliConfig = execFileSync('bash', [path.join(ROOT, 'scripts', 'terraform-cli-config.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }).trim();
  if (cliConfig) env.TF_CLI_CONFIG_FILE = cliConfig;
  else delete env.TF_CLI_CONFIG_FILE;
  if (config.target === 'local') {
    for (const name of ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_ROLE_ARN']) delete env[name];
    Object.assign(env, {
      // The emulator accepts any key pair; these are not secrets.
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_REGION: config.region,
      AWS_EC2_METADATA_DISABLED: 'true',
    });
  }
  return env;
}

/** Runs one Terraform command in `dir`; resolves with its output, rejects when it fails. */
export function runTerraform(
  dir: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  onOutput?: (chunk: string) => void,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('terraform', [...args], {
      cwd: dir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      output += text;
      onOutput?.(text);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('error', (error) =>
      reject(new TerraformCommandError(`terraform could not be started: ${error.message}`, output)),
    );
    child.once('close', (code) => {
      if (code === 0) resolve(output);
      else {
        const command = ['terraform', ...args].join(' ');
        reject(
          new TerraformCommandError(
            `${command} in ${dir} failed with exit code ${code}:\n${output.trim().slice(-8000)}`,
            output,
          ),
        );
      }
    });
  });
}

/** The AWS API clients teardown verifies with, pointed at the emulator for `target: local`. */
export interface TeardownClients {
  readonly autoScaling: AutoScalingClient;
  readonly ec2: EC2Client;
  readonly eks: EKSClient;
  readonly elbv2: ElasticLoadBalancingV2Client;
  readonly iam: IAMClient;
  readonly kms: KMSClient;
  readonly logs: CloudWatchLogsClient;
  readonly route53: Route53Client;
  readonly s3: S3Client;
  readonly secretsManager: SecretsManagerClient;
  readonly sts: STSClient;
  readonly tagging: ResourceGroupsTaggingAPIClient;
  destroy(): void;
}

export function teardownClients(
  config: Pick<EnvironmentConfig, 'target' | 'region'>,
  options: Pick<TeardownOptions, 'emulatorEndpoint'> = {},
): TeardownClients {
  const base =
    config.target === 'local'
      ? {
          region: config.region,
          endpoint: emulatorEndpointFor(options),
          // The emulator accepts any key pair; these are not secrets.
          credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
        }
      : { region: config.region };
  const clients = {
    autoScaling: new AutoScalingClient(base),
    ec2: new EC2Client(base),
    eks: new EKSClient(base),
    elbv2: new ElasticLoadBalancingV2Client(base),
    iam: new IAMClient(base),
    kms: new KMSClient(base),
    logs: new CloudWatchLogsClient(base),
    route53: new Route53Client(base),
    s3: new S3Client({
      ...base,
      forcePathStyle: config.target === 'local',
      followRegionRedirects: true,
    }),
    secretsManager: new SecretsManagerClient(base),
    sts: new STSClient(base),
    tagging: new ResourceGroupsTaggingAPIClient(base),
  };
  return { ...clients, destroy: () => Object.values(clients).forEach((c) => c.destroy()) };
}

type TagList = readonly { readonly Key?: string; readonly Value?: string }[] | undefined;

function tagMap(tags: TagList): Record<string, string> {
  return Object.fromEntries((tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
}

function kindOfArn(arn: string): string {
  const [, , service = 'unknown', , , resource = ''] = arn.split(':');
  const type = resource.split('/')[0] || resource;
  return `${service}:${type}`;
}

/** Every call that lists resources of one kind with their tags. */
type Probe = (clients: TeardownClients, environment: string) => Promise<ObservedResource[]>;

async function collect<P, T>(pages: AsyncIterable<P>, items: (page: P) => T[] | undefined) {
  const all: T[] = [];
  for await (const page of pages) all.push(...(items(page) ?? []));
  return all;
}

function ec2Probe<T>(
  kind: string,
  source: string,
  list: (ec2: EC2Client, filters: Filter[]) => Promise<T[]>,
  describe: (item: T) => { id?: string; tags?: Ec2Tag[]; state?: string },
): Probe {
  return async ({ ec2 }, environment) => {
    const items = await list(ec2, [{ Name: `tag:${TAG_KEYS.environment}`, Values: [environment] }]);
    return items.map((item) => {
      const { id, tags, state } = describe(item);
      return { kind, id: id ?? '?', tags: tagMap(tags), state, source };
    });
  };
}

const PROBES: Readonly<Record<string, Probe>> = {
  'tagging:GetResources': async ({ tagging }, environment) => {
    const pages = paginateGetResources(
      { client: tagging },
      { TagFilters: [{ Key: TAG_KEYS.environment, Values: [environment] }] },
    );
    const mappings = await collect(pages, (p) => p.ResourceTagMappingList);
    return mappings.map((m) => ({
      kind: kindOfArn(m.ResourceARN ?? ''),
      id: m.ResourceARN ?? '?',
      tags: tagMap(m.Tags),
      source: 'tagging:GetResources',
    }));
  },
  'ec2:DescribeVpcs': ec2Probe(
    'ec2:vpc',
    'ec2:DescribeVpcs',
    (ec2, Filters) => collect(paginateDescribeVpcs({ client: ec2 }, { Filters }), (p) => p.Vpcs),
    (v) => ({ id: v.VpcId, tags: v.Tags }),
  ),
  'ec2:DescribeSubnets': ec2Probe(
    'ec2:subnet',
    'ec2:DescribeSubnets',
    (ec2, Filters) =>
      collect(paginateDescribeSubnets({ client: ec2 }, { Filters }), (p) => p.Subnets),
    (s) => ({ id: s.SubnetId, tags: s.Tags }),
  ),
  'ec2:DescribeSecurityGroups': ec2Probe(
    'ec2:security-group',
    'ec2:DescribeSecurityGroups',
    (ec2, Filters) =>
      collect(
        paginateDescribeSecurityGroups({ client: ec2 }, { Filters }),
        (p) => p.SecurityGroups,
      ),
    (g) => ({ id: g.GroupId, tags: g.Tags }),
  ),
  'ec2:DescribeInternetGateways': ec2Probe(
    'ec2:internet-gateway',
    'ec2:DescribeInternetGateways',
    (ec2, Filters) =>
      collect(
        paginateDescribeInternetGateways({ client: ec2 }, { Filters }),
        (p) => p.InternetGateways,
      ),
    (g) => ({ id: g.InternetGatewayId, tags: g.Tags }),
  ),
  'ec2:DescribeNatGateways': ec2Probe(
    'ec2:natgateway',
    'ec2:DescribeNatGateways',
    (ec2, Filter) =>
      collect(paginateDescribeNatGateways({ client: ec2 }, { Filter }), (p) => p.NatGateways),
    (n) => ({ id: n.NatGatewayId, tags: n.Tags, state: n.State }),
  ),
  'ec2:DescribeAddresses': ec2Probe(
    'ec2:elastic-ip',
    'ec2:DescribeAddresses',
    async (ec2, Filters) =>
      (await ec2.send(new DescribeAddressesCommand({ Filters }))).Addresses ?? [],
    (a) => ({ id: a.AllocationId, tags: a.Tags }),
  ),
  'ec2:DescribeRouteTables': ec2Probe(
    'ec2:route-table',
    'ec2:DescribeRouteTables',
    (ec2, Filters) =>
      collect(paginateDescribeRouteTables({ client: ec2 }, { Filters }), (p) => p.RouteTables),
    (t) => ({ id: t.RouteTableId, tags: t.Tags }),
  ),
  'ec2:DescribeLaunchTemplates': ec2Probe(
    'ec2:launch-template',
    'ec2:DescribeLaunchTemplates',
    (ec2, Filters) =>
      collect(
        paginateDescribeLaunchTemplates({ client: ec2 }, { Filters }),
        (p) => p.LaunchTemplates,
      ),
    (t) => ({ id: t.LaunchTemplateId, tags: t.Tags }),
  ),
  'ec2:DescribeInstances': ec2Probe(
    'ec2:instance',
    'ec2:DescribeInstances',
    (ec2, Filters) =>
      collect(paginateDescribeInstances({ client: ec2 }, { Filters }), (p) =>
        (p.Reservations ?? []).flatMap((r) => r.Instances ?? []),
      ),
    (i) => ({ id: i.InstanceId, tags: i.Tags, state: i.State?.Name }),
  ),
  'ec2:DescribeVolumes': ec2Probe(
    'ec2:volume',
    'ec2:DescribeVolumes',
    (ec2, Filters) =>
      collect(paginateDescribeVolumes({ client: ec2 }, { Filters }), (p) => p.Volumes),
    (v) => ({ id: v.VolumeId, tags: v.Tags, state: v.State }),
  ),
  'eks:DescribeCluster': async ({ eks }) => {
    const names = await collect(paginateListClusters({ client: eks }, {}), (p) => p.clusters);
    const found: ObservedResource[] = [];
    for (const name of names) {
      const { cluster } = await eks.send(new DescribeClusterCommand({ name }));
      found.push({
        kind: 'eks:cluster',
        id: cluster?.arn ?? name,
        tags: cluster?.tags ?? {},
        state: cluster?.status,
        source: 'eks:DescribeCluster',
      });
    }
    return found;
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
    for (let i = 0; i < arns.length; i += 20) {
      const { TagDescriptions = [] } = await elbv2.send(
        new DescribeElbTagsCommand({ ResourceArns: arns.slice(i, i + 20) }),
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
  'iam:ListRoleTags': async ({ iam }) => {
    const roles = await collect(paginateListRoles({ client: iam }, {}), (p) => p.Roles);
    const found: ObservedResource[] = [];
    // Service-linked roles belong to AWS services, never to an environment.
    for (const role of roles.filter((r) => !r.Path?.startsWith('/aws-service-role/'))) {
      const tags = await collect(
        paginateListRoleTags({ client: iam }, { RoleName: role.RoleName }),
        (p) => p.Tags,
      );
      found.push({
        kind: 'iam:role',
        id: role.Arn ?? '?',
        tags: tagMap(tags),
        source: 'iam:ListRoleTags',
      });
    }
    return found;
  },
  'iam:ListPolicyTags': async ({ iam }) => {
    const policies = await collect(
      paginateListPolicies({ client: iam }, { Scope: 'Local' }),
      (p) => p.Policies,
    );
    const found: ObservedResource[] = [];
    for (const policy of policies) {
      const tags = await collect(
        paginateListPolicyTags({ client: iam }, { PolicyArn: policy.Arn }),
        (p) => p.Tags,
      );
      found.push({
        kind: 'iam:policy',
        id: policy.Arn ?? '?',
        tags: tagMap(tags),
        source: 'iam:ListPolicyTags',
      });
    }
    return found;
  },
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
  'iam:ListOpenIDConnectProviderTags': async ({ iam }) => {
    const { OpenIDConnectProviderList = [] } = await iam.send(
      new ListOpenIDConnectProvidersCommand({}),
    );
    const found: ObservedResource[] = [];
    for (const provider of OpenIDConnectProviderList) {
      const tags = await collect(
        paginateListOpenIDConnectProviderTags(
          { client: iam },
          { OpenIDConnectProviderArn: provider.Arn },
        ),
        (p) => p.Tags,
      );
      found.push({
        kind: 'iam:oidc-provider',
        id: provider.Arn ?? '?',
        tags: tagMap(tags),
        source: 'iam:ListOpenIDConnectProviderTags',
      });
    }
    return found;
  },
  'kms:ListResourceTags': async ({ kms }) => {
    const keys = await collect(paginateListKeys({ client: kms }, {}), (p) => p.Keys);
    const found: ObservedResource[] = [];
    for (const key of keys) {
      const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }));
      if (KeyMetadata?.KeyManager === 'AWS') continue;
      const tags = await collect(
        paginateListResourceTags({ client: kms }, { KeyId: key.KeyId }),
        (p) => p.Tags,
      );
      found.push({
        kind: 'kms:key',
        id: key.KeyArn ?? key.KeyId ?? '?',
        tags: Object.fromEntries(tags.map((t) => [t.TagKey ?? '', t.TagValue ?? ''])),
        state: KeyMetadata?.KeyState,
        source: 'kms:ListResourceTags',
      });
    }
    return found;
  },
  'route53:ListTagsForResources': async ({ route53 }) => {
    const zones = await collect(
      paginateListHostedZones({ client: route53 }, {}),
      (p) => p.HostedZones,
    );
    const ids = zones.map((z) => (z.Id ?? '').replace(/^\/hostedzone\//, '')).filter(Boolean);
    const found: ObservedResource[] = [];
    for (let i = 0; i < ids.length; i += 10) {
      const { ResourceTagSets = [] } = await route53.send(
        new ListTagsForResourcesCommand({
          ResourceType: 'hostedzone',
          ResourceIds: ids.slice(i, i + 10),
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
    const found: ObservedResource[] = [];
    for (const group of groups) {
      const arn = (group.arn ?? '').replace(/:\*$/, '');
      if (!arn) continue;
      const { tags = {} } = await logs.send(new ListLogTagsCommand({ resourceArn: arn }));
      found.push({ kind: 'logs:log-group', id: arn, tags, source: 'logs:ListTagsForResource' });
    }
    return found;
  },
  's3:GetBucketTagging': async ({ s3 }) => {
    const { Buckets = [] } = await s3.send(new ListBucketsCommand({}));
    const found: ObservedResource[] = [];
    for (const bucket of Buckets) {
      let tags: Record<string, string> = {};
      try {
        tags = tagMap((await s3.send(new GetBucketTaggingCommand({ Bucket: bucket.Name }))).TagSet);
      } catch (error) {
        if ((error as { name?: string }).name !== 'NoSuchTagSet') throw error;
      }
      found.push({
        kind: 's3:bucket',
        id: `arn:aws:s3:::${bucket.Name}`,
        tags,
        source: 's3:GetBucketTagging',
      });
    }
    return found;
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

export interface ObservedEnvironment {
  readonly resources: readonly ObservedResource[];
  /** Calls that failed, with the reason; what they cover is unverified. */
  readonly failedChecks: readonly string[];
}

/**
 * Asks the tagging API, and each service the tagging API may miss, for the environment's
 * resources. A failing call does not stop the others; it is reported in `failedChecks`.
 */
export async function observeEnvironment(
  clients: TeardownClients,
  environment: string,
): Promise<ObservedEnvironment> {
  const results = await Promise.allSettled(
    Object.entries(PROBES).map(async ([name, probe]) => ({
      name,
      found: await probe(clients, environment),
    })),
  );
  const resources: ObservedResource[] = [];
  const failedChecks: string[] = [];
  results.forEach((result, index) => {
    if (result.status === 'fulfilled') resources.push(...result.value.found);
    else {
      const reason = result.reason as Error;
      failedChecks.push(`${Object.keys(PROBES)[index]}: ${reason.name}: ${reason.message}`);
    }
  });
  return { resources, failedChecks };
}

/** Deletes every version and delete marker of the objects under `prefix/` in `bucket`. */
export async function deleteStateObjects(
  s3: S3Client,
  bucket: string,
  prefix: string,
): Promise<number> {
  let deleted = 0;
  let keyMarker: string | undefined;
  let versionMarker: string | undefined;
  for (;;) {
    let page: ListObjectVersionsCommandOutput;
    try {
      page = await s3.send(
        new ListObjectVersionsCommand({
          Bucket: bucket,
          Prefix: `${prefix}/`,
          KeyMarker: keyMarker,
          VersionIdMarker: versionMarker,
        }),
      );
    } catch (error) {
      // Never bootstrapped, or already gone: there is no state to remove.
      if ((error as { name?: string }).name === 'NoSuchBucket') return deleted;
      throw error;
    }
    const objects = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map((v) => ({
      Key: v.Key,
      VersionId: v.VersionId,
    }));
    for (let i = 0; i < objects.length; i += 1000) {
      await s3.send(
        new DeleteObjectsCommand({
          Bucket: bucket,
          Delete: { Objects: objects.slice(i, i + 1000), Quiet: true },
        }),
      );
    }
    deleted += objects.length;
    if (!page.IsTruncated) return deleted;
    keyMarker = page.NextKeyMarker;
    versionMarker = page.NextVersionIdMarker;
  }
}

/**
 * Whether the stack's state (as its synthesized backend block names it) holds any resource.
 * A stack that was never deployed is skipped: its providers may not even be installable here.
 * When the state cannot be read for another reason, the answer is yes and Terraform decides.
 */
export async function stackHasState(stackDir: string, s3: S3Client): Promise<boolean> {
  const synthesized = JSON.parse(readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) as {
    terraform?: { backend?: { local?: { path?: string }; s3?: { bucket: string; key: string } } };
  };
  const backend = synthesized.terraform?.backend;
  let text: string | undefined;
  try {
    if (backend?.s3) {
      const object = await s3.send(
        new GetObjectCommand({ Bucket: backend.s3.bucket, Key: backend.s3.key }),
      );
      text = await object.Body?.transformToString();
    } else {
      const file = path.resolve(stackDir, backend?.local?.path ?? 'terraform.tfstate');
      if (!existsSync(file)) return false;
      text = readFileSync(file, 'utf8');
    }
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'NoSuchKey' || name === 'NoSuchBucket') return false;
    return true;
  }
  if (!text) return false;
  const state = JSON.parse(text) as { resources?: unknown[] };
  return (state.resources ?? []).length > 0;
}

/** Checks the credentials reach the environment's account before anything is destroyed. */
async function assertAccount(config: EnvironmentConfig, clients: TeardownClients): Promise<void> {
  if (config.target !== 'aws' || !config.accountId) return;
  const { Account } = await clients.sts.send(new GetCallerIdentityCommand({}));
  if (Account !== config.accountId) {
    throw new Error(
      `The AWS credentials belong to account ${Account}, but environment "${config.name}" lives ` +
        `in account ${config.accountId} (accountId); nothing was destroyed.`,
    );
  }
}

/** Checks what is left of the environment through the AWS API. */
export async function verifyTeardown(
  config: EnvironmentConfig,
  options: Pick<TeardownOptions, 'emulatorEndpoint'> = {},
): Promise<LeftoverReport & { readonly failedChecks: readonly string[] }> {
  const clients = teardownClients(config, options);
  try {
    const observed = await observeEnvironment(clients, config.name);
    return {
      ...findLeftovers(config.name, observed.resources),
      failedChecks: observed.failedChecks,
    };
  } finally {
    clients.destroy();
  }
}

/**
 * Destroys every stack of `config` in reverse deployment order, the state bucket last, then
 * verifies through the AWS API. Throws ProtectedEnvironmentError for protected environments before
 * anything else happens, and TerraformCommandError when a destroy fails.
 */
export async function teardownEnvironment(
  config: EnvironmentConfig,
  options: TeardownOptions = {},
): Promise<TeardownResult & { readonly failedChecks: readonly string[] }> {
  assertTeardownAllowed(config);
  const log = options.log ?? ((line: string) => console.log(line));
  const destroyed: string[] = [];
  if (!options.verifyOnly) {
    const clients = teardownClients(config, options);
    try {
      await assertAccount(config, clients);
      const synthesized = synthEnvironmentStacks(config, options);
      const bootstrap = bootstrapStackName(config);
      const order = destroyOrder(synthesized.manifest, { last: bootstrap });
      log(`Destroying ${config.name}: ${order.join(' -> ')}`);
      const env = terraformProcessEnv(config);
      for (const name of order) {
        const dir = path.join(
          synthesized.outdir,
          synthesized.manifest.stacks[name].workingDirectory,
        );
        if (name === bootstrap && config.state.backend === 's3') {
          // The other stacks' state (all versions) goes first, or the bucket cannot be deleted.
          const bucket = stateBucketName(config);
          // followRegionRedirects finds the bucket when it lives in state.region.
          const removed = await deleteStateObjects(clients.s3, bucket, stateKeyPrefix(config));
          log(
            `  removed ${removed} state object version(s) from s3://${bucket}/${stateKeyPrefix(config)}/`,
          );
        }
        if (!(await stackHasState(dir, clients.s3))) {
          log(
            `  ${name}: no resources in its state (never deployed or already destroyed); skipped`,
          );
          continue;
        }
        const started = Date.now();
        await runTerraform(
          dir,
          ['init', '-input=false', '-no-color', '-reconfigure'],
          env,
          options.terraformOutput,
        );
        await runTerraform(
          dir,
          ['destroy', '-auto-approve', '-input=false', '-no-color'],
          env,
          options.terraformOutput,
        );
        destroyed.push(name);
        log(`  destroyed ${name} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
      }
    } finally {
      clients.destroy();
    }
  }
  const report = await verifyTeardown(config, options);
  log(formatLeftoverReport(config.name, report));
  for (const failed of report.failedChecks) log(`  could not check ${failed}`);
  return { destroyed, report, failedChecks: report.failedChecks };
}

function parse(argv: readonly string[]) {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      'environments-dir': { type: 'string' },
      outdir: { type: 'string' },
      'verify-only': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help' as const;
  if (positionals.length !== 1) {
    throw new Error(
      'Give exactly one environment name or file, e.g. `npm run env:teardown -- pr-12`.',
    );
  }
  return {
    file: resolveEnvironmentFile(
      positionals[0],
      path.resolve(values['environments-dir'] ?? path.join(ROOT, 'environments')),
    ),
    outdir: values.outdir,
    verifyOnly: values['verify-only'],
  };
}

async function main(): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  if (args === 'help') {
    console.log(USAGE);
    return 0;
  }
  try {
    const config = loadEnvironmentFile(args.file);
    const result = await teardownEnvironment(config, {
      outdir: args.outdir,
      verifyOnly: args.verifyOnly,
      terraformOutput: (chunk) => process.stdout.write(chunk),
    });
    return result.report.leftovers.length > 0 || result.failedChecks.length > 0
      ? EXIT_LEFTOVERS
      : 0;
  } catch (error) {
    if (error instanceof ProtectedEnvironmentError) {
      console.error(error.message);
      return error.exitCode;
    }
    console.error(error instanceof ConfigError ? error.message : (error as Error).message);
    return EXIT_ERROR;
  }
}

if (require.main === module) {
  void main().then((code) => process.exit(code));
}
