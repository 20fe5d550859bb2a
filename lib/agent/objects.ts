/**
 * The Rancher cluster agent of an imported cluster as typed Kubernetes objects, mirroring the
 * import manifest of the pinned Rancher version (v2.15.0). Pure: no cdktf imports. The objects go
 * to the local `manifests` chart (lib/k8s/manifests-chart.ts), so Helm owns them downstream.
 */
import type {
  Affinity,
  ClusterRole,
  ClusterRoleBinding,
  Deployment,
  EnvVar,
  Namespace,
  Secret,
  Service,
  ServiceAccount,
  Toleration,
} from '../k8s/types';
import { proxyEnvVars, type ProxySettings } from '../airgap/proxy';

export const CLUSTER_AGENT_NAMESPACE = 'cattle-system';
export const CLUSTER_AGENT_NAME = 'cattle-cluster-agent';
export const CLUSTER_AGENT_SERVICE_ACCOUNT = 'cattle';
export const CLUSTER_AGENT_IMAGE_REPOSITORY = 'rancher/rancher-agent';
/** Where the agent reads `url`, `token` and `namespace` from its credentials Secret. */
export const CLUSTER_AGENT_CREDENTIALS_PATH = '/cattle-credentials';

const AGENT_LABELS = { app: CLUSTER_AGENT_NAME } as const;
const NORMAN_LABELS = { 'cattle.io/creator': 'norman' } as const;
const RBAC_API_GROUP = 'rbac.authorization.k8s.io';
// 0500 as in Rancher's manifest: only the owner may read the credentials files.
const CREDENTIALS_FILE_MODE = 0o500;
const CONTROL_PLANE_LABELS = [
  'node-role.kubernetes.io/controlplane',
  'node-role.kubernetes.io/control-plane',
] as const;

export interface ClusterAgentOptions {
  /**
   * Rancher's URL as its `server-url` setting holds it: `https://<hostname>[:port]`, no path and no
   * trailing slash. Must be known at synth time (it comes from the environment file).
   */
  readonly serverUrl: string;
  /**
   * The cluster registration token. May be a Terraform reference, or an empty placeholder that
   * the Helm release fills with `set_sensitive` (see `manifestsChartValuePath`); never checked here.
   */
  readonly token: string;
  /**
   * Name of the credentials Secret, also passed to the agent as `CATTLE_CREDENTIAL_NAME`. Use
   * `credentialSecretName()` when the token is known; with a token known only at apply time pick a
   * stable name, so that a token rotation updates the Secret without renaming it (a new name would
   * roll the Deployment).
   */
  readonly credentialSecretName: string;
  /**
   * `CATTLE_CA_CHECKSUM`: `caChecksum()` of Rancher's `cacerts` setting, or empty for a public CA.
   * May be a Terraform reference; never checked here.
   */
  readonly caChecksum: string;
  /** Rancher release without the leading `v`, e.g. `2.15.0`; it tags the agent image. */
  readonly rancherVersion: string;
  /** Rancher's `agentTLSMode`: true for `strict`, false for `system-store`. */
  readonly strictVerify: boolean;
  /**
   * Registry host (`registry.example.com[:port]`) that prefixes the agent image and is passed to
   * the agent as `CATTLE_SYSTEM_DEFAULT_REGISTRY`.
   * @default - none: images come from Docker Hub and the variable is not set
   */
  readonly systemDefaultRegistry?: string;
  /**
   * HTTP proxy the agent reaches Rancher through (HTTP_PROXY, HTTPS_PROXY, NO_PROXY).
   * @default - none
   */
  readonly proxy?: ProxySettings;
  /**
   * Full agent image reference, replacing the derived one.
   * @default - `[<systemDefaultRegistry>/]rancher/rancher-agent:v<rancherVersion>`
   */
  readonly image?: string;
  /**
   * Include the `cattle-system` Namespace among the objects. Off by default: the namespace may
   * already exist downstream (a former import, another tool), and a chart object that already
   * exists makes `helm install` fail; let the release create it (`create_namespace = true`), which
   * tolerates an existing namespace and keeps it when the release is uninstalled.
   * @default false
   */
  readonly includeNamespace?: boolean;
  /**
   * The credentials Secret's `namespace` value.
   * @default '' (the import path leaves it empty)
   */
  readonly credentialNamespace?: string;
}

export type ClusterAgentObject =
  ClusterRole | ClusterRoleBinding | Namespace | ServiceAccount | Secret | Deployment | Service;

/**
 * The objects of Rancher's import manifest for one downstream cluster: API-server proxy RBAC,
 * (optionally) the namespace, the `cattle` service account with cluster-admin-like RBAC, the
 * credentials Secret, and the `cattle-cluster-agent` Deployment and Service.
 */
export function clusterAgentObjects(options: ClusterAgentOptions): ClusterAgentObject[] {
  validateOptions(options);
  const objects: ClusterAgentObject[] = [
    ...proxyRbac(),
    ...(options.includeNamespace ? [namespaceObject()] : []),
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: CLUSTER_AGENT_SERVICE_ACCOUNT, namespace: CLUSTER_AGENT_NAMESPACE },
    },
    ...adminRbac(),
    credentialsSecret(options),
    agentDeployment(options),
    agentService(),
  ];
  return objects;
}

/** The agent image for the options, as the Deployment uses it. */
export function clusterAgentImage(
  options: Pick<ClusterAgentOptions, 'rancherVersion' | 'systemDefaultRegistry' | 'image'>,
): string {
  if (options.image) return options.image;
  const reference = `${CLUSTER_AGENT_IMAGE_REPOSITORY}:v${options.rancherVersion}`;
  return options.systemDefaultRegistry
    ? `${options.systemDefaultRegistry}/${reference}`
    : reference;
}

function validateOptions(options: ClusterAgentOptions): void {
  if (!/^https:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/.test(options.serverUrl)) {
    throw new Error(
      `serverUrl must be https://<hostname>[:port] with no path or trailing slash, as Rancher's server-url setting holds it; got "${options.serverUrl}".`,
    );
  }
  if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(options.rancherVersion)) {
    throw new Error(
      `rancherVersion must be a Rancher release without the leading "v", like 2.15.0; got "${options.rancherVersion}".`,
    );
  }
  if (!isDnsSubdomain(options.credentialSecretName)) {
    throw new Error(
      `credentialSecretName must be a known Kubernetes name (lowercase letters, digits, "-" and ".", at most 253 characters), like the result of credentialSecretName(); got "${options.credentialSecretName}".`,
    );
  }
  const registry = options.systemDefaultRegistry;
  if (registry !== undefined && !/^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(registry)) {
    throw new Error(
      `systemDefaultRegistry must be a registry host like registry.example.com or registry.example.com:5000, without scheme or path; got "${registry}".`,
    );
  }
  if (options.image !== undefined && !hasTagOrDigest(options.image)) {
    throw new Error(
      `image must be a full image reference with a tag or digest, like registry.example.com/rancher/rancher-agent:v2.15.0; got "${options.image}".`,
    );
  }
}

/** `repo:tag` or `repo@sha256:...`; a `:` before the last `/` is a registry port, not a tag. */
function hasTagOrDigest(image: string): boolean {
  if (/\s/.test(image)) return false;
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  return /^[^:@]+(:[^:@]+(@[^@]+)?|@[^@]+)$/.test(lastSegment);
}

function isDnsSubdomain(name: string): boolean {
  return (
    name.length <= 253 &&
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(name)
  );
}

function namespaceObject(): Namespace {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name: CLUSTER_AGENT_NAMESPACE } };
}

/** Lets the API server (user `kube-apiserver`) reach kubelet endpoints through the agent's proxy. */
function proxyRbac(): [ClusterRole, ClusterRoleBinding] {
  const roleName = 'proxy-clusterrole-kubeapiserver';
  return [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: roleName },
      rules: [
        {
          apiGroups: [''],
          resources: ['nodes/metrics', 'nodes/proxy', 'nodes/stats', 'nodes/log', 'nodes/spec'],
          verbs: ['get', 'list', 'watch', 'create'],
        },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'proxy-role-binding-kubernetes-master' },
      roleRef: { apiGroup: RBAC_API_GROUP, kind: 'ClusterRole', name: roleName },
      subjects: [{ apiGroup: RBAC_API_GROUP, kind: 'User', name: 'kube-apiserver' }],
    },
  ];
}

/** The agent acts for Rancher users downstream, so its service account may do everything. */
function adminRbac(): [ClusterRoleBinding, ClusterRole] {
  const roleName = 'cattle-admin';
  return [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'cattle-admin-binding', labels: NORMAN_LABELS },
      roleRef: { apiGroup: RBAC_API_GROUP, kind: 'ClusterRole', name: roleName },
      subjects: [
        {
          kind: 'ServiceAccount',
          name: CLUSTER_AGENT_SERVICE_ACCOUNT,
          namespace: CLUSTER_AGENT_NAMESPACE,
        },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: roleName, labels: NORMAN_LABELS },
      rules: [
        { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
        { nonResourceURLs: ['*'], verbs: ['*'] },
      ],
    },
  ];
}

/**
 * `stringData`, not base64 `data`: the token is usually a Terraform reference or a value set by
 * Helm at apply time, which this function cannot encode; the API server encodes `stringData`
 * into `data` on write, and Helm renders either form the same way.
 */
function credentialsSecret(options: ClusterAgentOptions): Secret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: options.credentialSecretName, namespace: CLUSTER_AGENT_NAMESPACE },
    type: 'Opaque',
    stringData: {
      url: options.serverUrl,
      token: options.token,
      namespace: options.credentialNamespace ?? '',
    },
  };
}

function agentEnv(options: ClusterAgentOptions): EnvVar[] {
  return [
    { name: 'CATTLE_SERVER', value: options.serverUrl },
    { name: 'CATTLE_CA_CHECKSUM', value: options.caChecksum },
    { name: 'CATTLE_CLUSTER', value: 'true' },
    { name: 'CATTLE_K8S_MANAGED', value: 'true' },
    ...(options.systemDefaultRegistry
      ? [{ name: 'CATTLE_SYSTEM_DEFAULT_REGISTRY', value: options.systemDefaultRegistry }]
      : []),
    { name: 'CATTLE_CREDENTIAL_NAME', value: options.credentialSecretName },
    { name: 'CATTLE_SERVER_VERSION', value: `v${options.rancherVersion}` },
    { name: 'STRICT_VERIFY', value: options.strictVerify ? 'true' : 'false' },
    ...(options.proxy ? proxyEnvVars(options.proxy) : []),
  ];
}

/** Rancher's default cluster-agent tolerations: run on control-plane nodes of RKE-style clusters. */
function agentTolerations(): Toleration[] {
  return [
    { key: CONTROL_PLANE_LABELS[0], operator: 'Equal', value: 'true', effect: 'NoSchedule' },
    { key: CONTROL_PLANE_LABELS[1], operator: 'Exists', effect: 'NoSchedule' },
  ];
}

/** Rancher's default cluster-agent affinity: Linux only, control-plane preferred, spread by node. */
function agentAffinity(): Affinity {
  const preferNodesLabelled = (key: string, weight: number) => ({
    weight,
    preference: { matchExpressions: [{ key, operator: 'In' as const, values: ['true'] }] },
  });
  return {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [
          {
            matchExpressions: [{ key: 'kubernetes.io/os', operator: 'NotIn', values: ['windows'] }],
          },
        ],
      },
      preferredDuringSchedulingIgnoredDuringExecution: [
        preferNodesLabelled(CONTROL_PLANE_LABELS[0], 100),
        preferNodesLabelled(CONTROL_PLANE_LABELS[1], 100),
        preferNodesLabelled('cattle.io/cluster-agent', 1),
      ],
    },
    podAntiAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [
        {
          weight: 100,
          podAffinityTerm: {
            labelSelector: {
              matchExpressions: [{ key: 'app', operator: 'In', values: [CLUSTER_AGENT_NAME] }],
            },
            topologyKey: 'kubernetes.io/hostname',
          },
        },
      ],
    },
  };
}

function agentDeployment(options: ClusterAgentOptions): Deployment {
  const volumeName = 'cattle-credentials';
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: CLUSTER_AGENT_NAME,
      namespace: CLUSTER_AGENT_NAMESPACE,
      // Lets Rancher scale the agent to two replicas; `replicas` is left unset so that a Helm
      // upgrade does not scale it back.
      annotations: { 'management.cattle.io/scale-available': '2' },
    },
    spec: {
      selector: { matchLabels: AGENT_LABELS },
      // Never fewer agents than wanted: the tunnel to Rancher is the only way in.
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: { labels: AGENT_LABELS },
        spec: {
          serviceAccountName: CLUSTER_AGENT_SERVICE_ACCOUNT,
          affinity: agentAffinity(),
          tolerations: agentTolerations(),
          containers: [
            {
              name: 'cluster-register',
              image: clusterAgentImage(options),
              imagePullPolicy: 'IfNotPresent',
              env: agentEnv(options),
              volumeMounts: [
                { name: volumeName, mountPath: CLUSTER_AGENT_CREDENTIALS_PATH, readOnly: true },
              ],
            },
          ],
          volumes: [
            {
              name: volumeName,
              secret: {
                secretName: options.credentialSecretName,
                defaultMode: CREDENTIALS_FILE_MODE,
              },
            },
          ],
        },
      },
    },
  };
}

function agentService(): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: CLUSTER_AGENT_NAME, namespace: CLUSTER_AGENT_NAMESPACE },
    spec: {
      selector: AGENT_LABELS,
      ports: [
        { name: 'http', port: 80, targetPort: 80, protocol: 'TCP' },
        { name: 'https-internal', port: 443, targetPort: 444, protocol: 'TCP' },
      ],
    },
  };
}
