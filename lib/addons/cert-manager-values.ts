/**
 * Helm values of the cert-manager chart (pinned v1.21.1). Pure: no cdktf imports.
 */
import { CERT_MANAGER_CHART } from '../versions';
import { deepMerge } from '../util/deep-merge';
import { certManagerRegistryValues } from '../airgap/registry';

export { CERT_MANAGER_CHART };
export const CERT_MANAGER_RELEASE_NAME = 'cert-manager';
export const CERT_MANAGER_NAMESPACE = 'cert-manager';
/** Service account the controller runs as (chart default name = release name). */
export const CERT_MANAGER_SERVICE_ACCOUNT = 'cert-manager';
/** Annotation EKS reads to give a service account's pods an IAM role (IRSA). */
export const IRSA_ROLE_ANNOTATION = 'eks.amazonaws.com/role-arn';

export const DEFAULT_CERT_MANAGER_REPLICAS = 2;

export interface CertManagerValuesOptions {
  /**
   * IAM role the controller assumes through IRSA, for Route 53 DNS-01. Use it from a
   * ClusterIssuer: cert-manager lets only cluster-scoped issuers use ambient credentials unless
   * `ambientCredentialsForIssuers` is set.
   * @default - no IAM role (HTTP-01 or no ACME at all)
   */
  readonly irsaRoleArn?: string;
  /**
   * Let namespaced Issuers use the controller's ambient (IRSA) credentials too. Anyone who may
   * create an Issuer could then change the hosted zone's records, so it stays off by default.
   * @default false
   */
  readonly ambientCredentialsForIssuers?: boolean;
  /**
   * Replicas of the controller, webhook and CA injector. Above 1 each gets a PodDisruptionBudget;
   * the webhook must answer for any certificate object to be admitted.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Registry host the chart's images come from (the environment's registry.systemDefault).
   * @default - the chart's own registry
   */
  readonly systemDefaultRegistry?: string;
  /**
   * Values merged last (deep merge: maps merge, lists and scalars replace).
   * @default - none
   */
  readonly extraValues?: Record<string, unknown>;
}

/** Requests sized from cert-manager's usage on small management clusters; memory is capped. */
const RESOURCES = {
  controller: { requests: { cpu: '25m', memory: '96Mi' }, limits: { memory: '512Mi' } },
  webhook: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '128Mi' } },
  cainjector: { requests: { cpu: '10m', memory: '96Mi' }, limits: { memory: '512Mi' } },
} as const;

export function certManagerChartValues(
  options: CertManagerValuesOptions = {},
): Record<string, unknown> {
  const replicas = options.replicas ?? DEFAULT_CERT_MANAGER_REPLICAS;
  if (!Number.isInteger(replicas) || replicas < 1) {
    throw new Error(`replicas must be a whole number of at least 1; got ${replicas}.`);
  }
  if (options.irsaRoleArn !== undefined && !isRoleArnOrToken(options.irsaRoleArn)) {
    throw new Error(
      `irsaRoleArn must be an IAM role ARN such as arn:aws:iam::123456789012:role/name; got "${options.irsaRoleArn}".`,
    );
  }
  if (options.ambientCredentialsForIssuers && options.irsaRoleArn === undefined) {
    throw new Error(
      'ambientCredentialsForIssuers needs irsaRoleArn: there are no credentials to share.',
    );
  }
  const pdb = { enabled: replicas > 1 };
  const values: Record<string, unknown> = {
    crds: { enabled: true },
    replicaCount: replicas,
    podDisruptionBudget: pdb,
    resources: RESOURCES.controller,
    serviceAccount: {
      create: true,
      name: CERT_MANAGER_SERVICE_ACCOUNT,
      ...(options.irsaRoleArn
        ? { annotations: { [IRSA_ROLE_ANNOTATION]: options.irsaRoleArn } }
        : {}),
    },
    ...(options.ambientCredentialsForIssuers
      ? { extraArgs: ['--issuer-ambient-credentials'] }
      : {}),
    webhook: { replicaCount: replicas, podDisruptionBudget: pdb, resources: RESOURCES.webhook },
    cainjector: {
      replicaCount: replicas,
      podDisruptionBudget: pdb,
      resources: RESOURCES.cainjector,
    },
  };
  const registry = options.systemDefaultRegistry
    ? certManagerRegistryValues(options.systemDefaultRegistry)
    : {};
  return deepMerge(values, registry, options.extraValues ?? {});
}

function isRoleArnOrToken(value: string): boolean {
  return value.includes('${') || /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(value);
}
