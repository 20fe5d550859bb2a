/**
 * Cloud-init user data that bootstraps an RKE2 node without SSH. Pure: no cdktf imports.
 *
 * Leader safety. The servers are two Auto Scaling groups: a "seed" group of exactly one
 * instance and a "joiner" group with the rest. Exactly one server may initialise the cluster
 * (RKE2 servers always run embedded etcd; a server started without `server:` creates a new
 * etcd cluster), so:
 * - the seed first asks whether the cluster already exists: does the registration address
 *   (`https://<load balancer>:9345/ping`) answer, or does the kubeconfig secret hold a value?
 *   If either is true the seed was replaced, and it joins like any other server; a replaced
 *   seed never forks a second cluster. Only when neither is true does it initialise, then
 *   publish the admin kubeconfig (server rewritten to the load balancer) to the kubeconfig
 *   secret. An unreadable secret is retried, never taken for "no cluster".
 * - joiners and agents wait, in a bounded loop that logs each attempt, until the registration
 *   address answers, then start with `server: https://<load balancer>:9345`.
 * `cluster-init` is not set: RKE2 needs it for nothing (unlike K3s, etcd is always embedded).
 *
 * Credentials. RKE2's certificates last a year and are renewed only when RKE2 starts; the
 * systemd units of lib/rke2/credential-units.ts restart it in time, and the seed (any seed,
 * replaced ones included: the stored kubeconfig may carry a gone instance's certificate)
 * republishes the kubeconfig whenever it changed.
 *
 * The join token is not in the user data (anyone with ec2:DescribeInstanceAttribute reads
 * that): the node reads it at boot from Secrets Manager with its instance role into a 0600
 * `token-file`. Region and anything else from instance metadata go through IMDSv2 tokens.
 * The AWS CLI is the image's own when present, else the `aws-cli` snap AWS publishes (Ubuntu
 * 24.04 has no awscli package; its AMIs ship snapd and the SSM agent snap), else the
 * distribution's package.
 *
 * Values may be unresolved cdktf tokens (`${TfToken[...]}`): they are copied verbatim and only
 * validated when they are plain strings.
 */
import { gzipSync } from 'node:zlib';
import { stringify } from 'yaml';
import type { ProxySettings } from '../airgap/proxy';
import { registryHostProblem } from '../airgap/registry';
import { DEFAULT_RKE2_VERSION } from '../versions';
import { SYSTEMD_UNIT_DIR, rke2CredentialUnits } from './credential-units';
import { Rke2TerminationHook, rke2LeaveFiles } from './leave';
import { readShellTemplate, renderShellTemplate } from './shell-template';

export type Rke2Role = 'seed' | 'server' | 'agent';

/** EC2 limit on user data, before base64 encoding. */
export const EC2_USER_DATA_LIMIT_BYTES = 16 * 1024;
export const RKE2_SUPERVISOR_PORT = 9345;
export const RKE2_API_PORT = 6443;
/** Where the bootstrap script and the RKE2 configuration land on the node. */
export const RKE2_BOOTSTRAP_PATH = '/usr/local/sbin/rke2-bootstrap';
export const RKE2_CONFIG_PATH = '/etc/rancher/rke2/config.yaml';
export const RKE2_TOKEN_FILE_PATH = '/etc/rancher/rke2/join-token';
/** Registry credentials (configs.<host>.auth), written by the bootstrap script from Secrets Manager. */
export const RKE2_REGISTRIES_PATH = '/etc/rancher/rke2/registries.yaml';
/** RKE2 applies every manifest here on its servers (HelmChartConfig for bundled charts). */
export const RKE2_SERVER_MANIFESTS_DIR = '/var/lib/rancher/rke2/server/manifests';
/** Taint that keeps ordinary workloads off servers (RKE2's documented choice for dedicated servers). */
export const RKE2_SERVER_TAINT = 'CriticalAddonsOnly=true:NoExecute';
/** What lets a pod run on servers despite that taint. */
export const RKE2_SERVER_TOLERATION = {
  key: 'CriticalAddonsOnly',
  operator: 'Equal',
  value: 'true',
  effect: 'NoExecute',
} as const;
/** The label RKE2 gives its servers (control-plane role). */
export const RKE2_SERVER_NODE_SELECTOR: Readonly<Record<string, string>> = {
  'node-role.kubernetes.io/control-plane': 'true',
};

const DEFAULT_SNAPSHOT_SCHEDULE = '0 */6 * * *';
const DEFAULT_SNAPSHOT_RETENTION = 28;
const DEFAULT_WAIT_TIMEOUT_SECONDS = 1800;
const DEFAULT_WAIT_INTERVAL_SECONDS = 10;

const TEMPLATE = readShellTemplate('bootstrap.sh');

/** Where and how often servers upload etcd snapshots (credentials: the instance role). */
export interface Rke2EtcdSnapshotOptions {
  readonly bucket: string;
  readonly region: string;
  /**
   * Key prefix inside the bucket.
   * @default - the cluster name
   */
  readonly folder?: string;
  /**
   * Cron schedule of snapshots.
   * @default '0 *\/6 * * *' (every 6 hours)
   */
  readonly schedule?: string;
  /**
   * Snapshots kept.
   * @default 28 (a week at the default schedule)
   */
  readonly retention?: number;
}

export interface Rke2UserDataOptions {
  /** `seed` initialises the cluster (or joins when it exists), `server` joins, `agent` is a worker. */
  readonly role: Rke2Role;
  readonly clusterName: string;
  /** DNS name of the load balancer in front of the servers (9345 and 6443). */
  readonly registrationAddress: string;
  /** ARN of the Secrets Manager secret that holds the join token as a plain string. */
  readonly tokenSecretArn: string;
  /**
   * ARN of the secret the seed publishes the full token to (`K10<CA hash>::server:<token>`);
   * joiners and agents join with it, so they check the cluster CA.
   */
  readonly fullTokenSecretArn: string;
  /**
   * RKE2 release to install.
   * @default DEFAULT_RKE2_VERSION (v1.36.3+rke2r1)
   */
  readonly rke2Version?: string;
  /**
   * Extra names on the servers' certificate, e.g. the Rancher hostname. The registration
   * address is always included. Servers only.
   * @default []
   */
  readonly tlsSans?: readonly string[];
  /**
   * ARN of the secret the seed publishes the kubeconfig to. Required for, and only read by, the seed.
   * @default - none (server and agent roles)
   */
  readonly kubeconfigSecretArn?: string;
  /**
   * etcd snapshots to S3. Servers only.
   * @default - snapshots stay on each server's disk (RKE2's own schedule)
   */
  readonly etcdSnapshots?: Rke2EtcdSnapshotOptions;
  /**
   * Taint servers with `CriticalAddonsOnly=true:NoExecute` so workloads run on agents; set it
   * only when agents exist. Servers only.
   * @default false
   */
  readonly taintServers?: boolean;
  /**
   * The server group's termination lifecycle hook: the node deletes its own Node (RKE2 then
   * removes its etcd member) and completes the hook. Servers only.
   * @default - no leave-on-termination unit
   */
  readonly terminationHook?: Rke2TerminationHook;
  /**
   * Manifests (file name -> YAML) written into RKE2's manifests folder before RKE2 starts, e.g. a
   * HelmChartConfig for a bundled chart. Servers only; give every server the same files.
   * @default {}
   */
  readonly serverManifests?: Readonly<Record<string, string>>;
  /**
   * Kubernetes labels for the node.
   * @default {}
   */
  readonly nodeLabels?: Readonly<Record<string, string>>;
  /**
   * Registry host RKE2's system images come from (`system-default-registry`).
   * @default - RKE2's own (Docker Hub)
   */
  readonly systemDefaultRegistry?: string;
  /**
   * Secrets Manager secret with JSON {"username", "password"} for `systemDefaultRegistry`; the node
   * reads it at boot into a 0600 registries.yaml. Needs `systemDefaultRegistry`.
   * @default - the registry needs no credentials
   */
  readonly registryCredentialsSecretArn?: string;
  /**
   * HTTP proxy for the bootstrap's own downloads, snapd and RKE2 (containerd and kubelet). The
   * registration address is added to its NO_PROXY on the node.
   * @default - no proxy
   */
  readonly proxy?: ProxySettings;
  /**
   * Bound of each wait on the node (registration address, service start, API, secret reads).
   * @default 1800
   */
  readonly waitTimeoutSeconds?: number;
  /**
   * Pause between two attempts of a wait.
   * @default 10
   */
  readonly waitIntervalSeconds?: number;
}

/** The RKE2 configuration file (`/etc/rancher/rke2/config.yaml`) as written at first boot. */
export interface Rke2Config {
  /** Joiners and agents; a replaced seed appends it at boot. */
  readonly server?: string;
  readonly 'token-file': string;
  readonly 'write-kubeconfig-mode'?: string;
  readonly 'tls-san'?: readonly string[];
  readonly 'ingress-controller'?: string;
  readonly 'node-taint'?: readonly string[];
  readonly 'node-label'?: readonly string[];
  readonly 'etcd-s3'?: boolean;
  readonly 'etcd-s3-bucket'?: string;
  readonly 'etcd-s3-region'?: string;
  readonly 'etcd-s3-folder'?: string;
  readonly 'etcd-snapshot-schedule-cron'?: string;
  readonly 'etcd-snapshot-retention'?: number;
  readonly 'etcd-s3-retention'?: number;
  readonly 'system-default-registry'?: string;
}

function isUnresolved(value: string): boolean {
  return value.includes('${TfToken[');
}

const DNS_NAME =
  /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const IPV4 = /^(\d{1,3}\.){3}\d{1,3}$/;
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/;
const RKE2_VERSION = /^v\d+\.\d+\.\d+\+rke2r\d+$/;
const CLUSTER_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const CRON = /^\S+( \S+){4}$/;
const MANIFEST_FILE = /^[a-z0-9][a-z0-9.-]*\.yaml$/;
const LABEL_NAME =
  /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\/)?[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?)?$/;

function check(field: string, value: string, pattern: RegExp, accepted: string): void {
  if (isUnresolved(value)) return;
  if (!pattern.test(value)) {
    throw new Error(`${field} must be ${accepted}; got ${JSON.stringify(value)}.`);
  }
}

function checkSeconds(field: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(
      `${field} must be a whole number of seconds from ${min} to ${max}; got ${value}.`,
    );
  }
}

function validate(options: Rke2UserDataOptions): void {
  const { role } = options;
  if (!['seed', 'server', 'agent'].includes(role)) {
    throw new Error(`role must be seed, server or agent; got ${JSON.stringify(role)}.`);
  }
  const isServer = role !== 'agent';
  check(
    'clusterName',
    options.clusterName,
    CLUSTER_NAME,
    'lowercase letters, digits and hyphens (at most 63)',
  );
  check(
    'rke2Version',
    options.rke2Version ?? DEFAULT_RKE2_VERSION,
    RKE2_VERSION,
    'an RKE2 release such as v1.36.3+rke2r1',
  );
  check(
    'registrationAddress',
    options.registrationAddress,
    DNS_NAME,
    'the DNS name of the load balancer, without scheme or port',
  );
  check('tokenSecretArn', options.tokenSecretArn, SECRET_ARN, 'a Secrets Manager secret ARN');
  check(
    'fullTokenSecretArn',
    options.fullTokenSecretArn,
    SECRET_ARN,
    'a Secrets Manager secret ARN',
  );
  if (role === 'seed') {
    if (options.kubeconfigSecretArn === undefined) {
      throw new Error(
        'kubeconfigSecretArn is required for the seed role: the seed publishes the kubeconfig there and reads it to tell whether the cluster already exists.',
      );
    }
    check(
      'kubeconfigSecretArn',
      options.kubeconfigSecretArn,
      SECRET_ARN,
      'a Secrets Manager secret ARN',
    );
  } else if (options.kubeconfigSecretArn !== undefined) {
    throw new Error(
      `kubeconfigSecretArn is only read by the seed role; remove it for role ${role}.`,
    );
  }
  if (!isServer) {
    for (const field of [
      'tlsSans',
      'etcdSnapshots',
      'taintServers',
      'terminationHook',
      'serverManifests',
    ] as const) {
      if (options[field] !== undefined) {
        throw new Error(
          `${field} applies to servers only (roles seed and server); remove it for role agent.`,
        );
      }
    }
  }
  for (const name of Object.keys(options.serverManifests ?? {})) {
    check(
      'serverManifests file name',
      name,
      MANIFEST_FILE,
      'a file name of lower-case letters, digits, "." and "-" ending in .yaml',
    );
  }
  for (const [i, san] of (options.tlsSans ?? []).entries()) {
    if (isUnresolved(san) || IPV4.test(san)) continue;
    check(`tlsSans[${i}]`, san, DNS_NAME, 'a DNS name or an IPv4 address');
  }
  const snapshots = options.etcdSnapshots;
  if (snapshots) {
    check('etcdSnapshots.bucket', snapshots.bucket, BUCKET, 'an S3 bucket name');
    check('etcdSnapshots.region', snapshots.region, REGION, 'an AWS region such as eu-west-1');
    if (snapshots.folder !== undefined) {
      check(
        'etcdSnapshots.folder',
        snapshots.folder,
        /^[A-Za-z0-9!_.*'()/-]+$/,
        "an S3 key prefix (letters, digits and !_.*'()/-)",
      );
    }
    if (snapshots.schedule !== undefined) {
      check(
        'etcdSnapshots.schedule',
        snapshots.schedule,
        CRON,
        'a five-field cron expression such as "0 */6 * * *"',
      );
    }
    const retention = snapshots.retention;
    if (retention !== undefined && (!Number.isInteger(retention) || retention < 1)) {
      throw new Error(
        `etcdSnapshots.retention must be a whole number of snapshots >= 1; got ${retention}.`,
      );
    }
  }
  const registry = options.systemDefaultRegistry;
  if (registry !== undefined && !isUnresolved(registry)) {
    const problem = registryHostProblem(registry);
    if (problem) throw new Error(`systemDefaultRegistry ${problem}; got "${registry}".`);
  }
  if (options.registryCredentialsSecretArn !== undefined) {
    if (registry === undefined) {
      throw new Error(
        'registryCredentialsSecretArn needs systemDefaultRegistry: the credentials are for that registry.',
      );
    }
    check(
      'registryCredentialsSecretArn',
      options.registryCredentialsSecretArn,
      SECRET_ARN,
      'a Secrets Manager secret ARN',
    );
  }
  for (const [name, value] of Object.entries(options.nodeLabels ?? {})) {
    check(
      `nodeLabels key`,
      name,
      LABEL_NAME,
      'a Kubernetes label name (optional DNS prefix and "/", then up to 63 characters)',
    );
    check(
      `nodeLabels["${name}"]`,
      value,
      LABEL_VALUE,
      'a Kubernetes label value (up to 63 letters, digits, "-", "_" or ".")',
    );
  }
  checkSeconds(
    'waitTimeoutSeconds',
    options.waitTimeoutSeconds ?? DEFAULT_WAIT_TIMEOUT_SECONDS,
    60,
    86400,
  );
  checkSeconds(
    'waitIntervalSeconds',
    options.waitIntervalSeconds ?? DEFAULT_WAIT_INTERVAL_SECONDS,
    1,
    600,
  );
}

/** `https://<registration address>:9345`, the address joiners and agents register with. */
export function rke2JoinUrl(registrationAddress: string): string {
  return `https://${registrationAddress}:${RKE2_SUPERVISOR_PORT}`;
}

/**
 * The RKE2 configuration the node starts with. For the seed this is the initialising
 * configuration; a replaced seed that joins appends `server: rke2JoinUrl(...)` at boot.
 */
export function renderRke2Config(options: Rke2UserDataOptions): Rke2Config {
  validate(options);
  const isServer = options.role !== 'agent';
  const labels = Object.entries(options.nodeLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  const config: { -readonly [K in keyof Rke2Config]: Rke2Config[K] } = {
    ...(options.role === 'seed' ? {} : { server: rke2JoinUrl(options.registrationAddress) }),
    'token-file': RKE2_TOKEN_FILE_PATH,
  };
  if (isServer) {
    config['write-kubeconfig-mode'] = '0600';
    config['tls-san'] = [...new Set([options.registrationAddress, ...(options.tlsSans ?? [])])];
    // Explicit so that a pinned RKE2 older than 1.36 (ingress-nginx by default) runs Traefik too.
    config['ingress-controller'] = 'traefik';
    if (options.taintServers) config['node-taint'] = [RKE2_SERVER_TAINT];
  }
  if (labels.length > 0) config['node-label'] = labels;
  if (options.systemDefaultRegistry) {
    config['system-default-registry'] = options.systemDefaultRegistry;
  }
  const snapshots = options.etcdSnapshots;
  if (isServer && snapshots) {
    // No etcd-s3-access-key/secret-key: RKE2 falls back to the instance role's credentials.
    config['etcd-s3'] = true;
    config['etcd-s3-bucket'] = snapshots.bucket;
    config['etcd-s3-region'] = snapshots.region;
    config['etcd-s3-folder'] = snapshots.folder ?? options.clusterName;
    config['etcd-snapshot-schedule-cron'] = snapshots.schedule ?? DEFAULT_SNAPSHOT_SCHEDULE;
    // Two counts since RKE2 1.34: local files and S3 objects; S3 keeps 5 unless told otherwise.
    const retention = snapshots.retention ?? DEFAULT_SNAPSHOT_RETENTION;
    config['etcd-snapshot-retention'] = retention;
    config['etcd-s3-retention'] = retention;
  }
  return config;
}

/** The node's credential units (lib/rke2/credential-units.ts), run through the bootstrap script. */
function credentialUnits(role: Rke2Role) {
  return rke2CredentialUnits(role, RKE2_BOOTSTRAP_PATH);
}

/** The bootstrap script (bash) with this node's parameters filled in. */
export function renderRke2BootstrapScript(options: Rke2UserDataOptions): string {
  validate(options);
  const parameters: ReadonlyArray<readonly [string, string]> = [
    ['RKE2_ROLE', options.role],
    ['RKE2_VERSION', options.rke2Version ?? DEFAULT_RKE2_VERSION],
    ['CLUSTER_NAME', options.clusterName],
    ['REGISTRATION_ADDRESS', options.registrationAddress],
    ['TOKEN_SECRET_ARN', options.tokenSecretArn],
    ['FULL_TOKEN_SECRET_ARN', options.fullTokenSecretArn],
    ['KUBECONFIG_SECRET_ARN', options.kubeconfigSecretArn ?? ''],
    ['REGISTRY_HOST', options.systemDefaultRegistry ?? ''],
    ['REGISTRY_CREDENTIALS_SECRET_ARN', options.registryCredentialsSecretArn ?? ''],
    ['PROXY_URL', options.proxy?.url ?? ''],
    ['NO_PROXY_LIST', options.proxy?.noProxy.join(',') ?? ''],
    ['WAIT_TIMEOUT_SECONDS', String(options.waitTimeoutSeconds ?? DEFAULT_WAIT_TIMEOUT_SECONDS)],
    ['WAIT_INTERVAL_SECONDS', String(options.waitIntervalSeconds ?? DEFAULT_WAIT_INTERVAL_SECONDS)],
    [
      'CREDENTIAL_UNITS',
      credentialUnits(options.role)
        .filter((u) => u.enable)
        .map((u) => u.name)
        .join(' '),
    ],
  ];
  return renderShellTemplate('bootstrap.sh', TEMPLATE, parameters);
}

/**
 * `#cloud-config` user data for one RKE2 node: the RKE2 configuration, the bootstrap script,
 * the credential units and (servers) the leave-on-termination unit as files, and one `runcmd`
 * that runs the script. A launch template carries it gzip-compressed (`base64gzip`; cloud-init
 * decompresses gzip user data), which is what EC2's limit applies to.
 */
export function renderRke2UserData(options: Rke2UserDataOptions): string {
  const config = renderRke2Config(options);
  const script = renderRke2BootstrapScript(options);
  const document = {
    write_files: [
      {
        path: RKE2_CONFIG_PATH,
        owner: 'root:root',
        permissions: '0600',
        content: stringify(config, { lineWidth: 0 }),
      },
      { path: RKE2_BOOTSTRAP_PATH, owner: 'root:root', permissions: '0700', content: script },
      ...credentialUnits(options.role).map((unit) => ({
        path: `${SYSTEMD_UNIT_DIR}/${unit.name}`,
        owner: 'root:root',
        permissions: '0644',
        content: unit.content,
      })),
      ...(options.terminationHook ? rke2LeaveFiles(options.terminationHook) : []),
      ...Object.entries(options.serverManifests ?? {}).map(([name, content]) => ({
        path: `${RKE2_SERVER_MANIFESTS_DIR}/${name}`,
        owner: 'root:root',
        permissions: '0600',
        content,
      })),
    ],
    runcmd: [[RKE2_BOOTSTRAP_PATH]],
  };
  const userData = `#cloud-config\n${stringify(document, { lineWidth: 0, blockQuote: 'literal', indentSeq: false })}`;
  const size = compressedUserDataBytes(userData);
  if (size > EC2_USER_DATA_LIMIT_BYTES) {
    throw new Error(
      `The RKE2 user data for role ${options.role} is ${size} bytes gzip-compressed; EC2 accepts at most ${EC2_USER_DATA_LIMIT_BYTES}.`,
    );
  }
  return userData;
}

/** Size of user data as the launch template carries it (Terraform's base64gzip, before base64). */
export function compressedUserDataBytes(userData: string): number {
  return gzipSync(Buffer.from(userData, 'utf8')).byteLength;
}
