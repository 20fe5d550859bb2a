/**
 * How a downstream cluster is registered with Rancher through Rancher's own Kubernetes API on the
 * management cluster, and where Rancher leaves the agent's registration token. Pure: no cdktf
 * imports. Facts for the pinned Rancher version (2.15.0), see VERSIONS.md.
 */
import type { UntypedKubernetesObject } from '../k8s/types';
import { rancherServerUrl } from '../rancher/values';

/** Namespace of imported (and provisioned) clusters' `provisioning.cattle.io` objects. */
export const RANCHER_CLUSTERS_NAMESPACE = 'fleet-default';
export const PROVISIONING_CLUSTER_API_VERSION = 'provisioning.cattle.io/v1';
/** Field Rancher fills with the management cluster id (`c-m-xxxxxxxx`) once it exists. */
export const CLUSTER_ID_FIELD = 'status.clusterName';
/** The id Rancher gives a cluster: `c-m-` plus 8 lower-case letters or digits. */
export const CLUSTER_ID_PATTERN = '^c-m-[a-z0-9]+$';
/**
 * Since Rancher 2.15.0 the registration token lives in this Secret (key `token`) in the namespace
 * named by the cluster id, no longer in the ClusterRegistrationToken's status.
 */
export const REGISTRATION_TOKEN_SECRET = 'crt-token-default-token';
export const REGISTRATION_TOKEN_KEY = 'token';
/** Rancher's global setting with the CA that signed its certificate (empty for a public CA). */
export const CACERTS_SETTING = {
  apiVersion: 'management.cattle.io/v3',
  kind: 'Setting',
  name: 'cacerts',
} as const;
/**
 * Fields Rancher or its webhook change after the object is applied; the kubernetes provider must
 * take the server's value for them, or every later plan would try to undo Rancher's additions.
 */
export const REGISTRATION_COMPUTED_FIELDS = [
  'metadata.annotations',
  'metadata.labels',
  'metadata.finalizers',
] as const;
/** Label on the registration object naming the environment that manages it. */
export const ENVIRONMENT_LABEL = 'rancher-on-aws/environment';
/**
 * Present on a cluster: Rancher makes no owner binding for the creator (Rancher 2.15.0
 * pkg/controllers/management/auth/project_cluster), who is Terraform's Kubernetes identity, not a
 * Rancher user; it passes to the cluster's default projects too.
 */
export const NO_CREATOR_RBAC_ANNOTATION = 'field.cattle.io/no-creator-rbac';
/**
 * "false": Rancher does not upgrade this imported RKE2/K3s cluster's Kubernetes (Rancher 2.15.0
 * pkg/controllers/management/importedclusterversionmanagement; ignored on other clusters).
 */
export const VERSION_MANAGEMENT_ANNOTATION = 'rancher.io/imported-cluster-version-management';

export interface ImportedClusterOptions {
  /** Rancher cluster name (the object's name), e.g. `prod-analytics`. */
  readonly name: string;
  /** Environment that owns the registration (a label, to find what an environment created). */
  readonly environment: string;
  /**
   * Shown in Rancher's cluster list.
   * @default - none
   */
  readonly description?: string;
  /**
   * The cluster is RKE2 whose version its launch templates pin: Rancher must not upgrade it.
   * @default false
   */
  readonly versionPinnedOutsideRancher?: boolean;
  /**
   * Environment variables of the agent Rancher deploys once the cluster connects (the proxy);
   * without them Rancher's own agent would lose what the installed one had.
   * @default []
   */
  readonly agentEnvVars?: readonly { readonly name: string; readonly value: string }[];
}

/**
 * The `provisioning.cattle.io/v1` `Cluster` of an imported cluster: no `rkeConfig`, so Rancher
 * provisions nothing and waits for an agent to connect. Rancher copies the annotations to the
 * management cluster it creates, once: they must be there on creation.
 */
export function importedClusterObject(options: ImportedClusterOptions): UntypedKubernetesObject {
  if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(options.name)) {
    throw new Error(
      `The Rancher cluster name must be a DNS label of at most 63 lower-case letters, digits and inner dashes; got "${options.name}".`,
    );
  }
  return {
    apiVersion: PROVISIONING_CLUSTER_API_VERSION,
    kind: 'Cluster',
    metadata: {
      name: options.name,
      namespace: RANCHER_CLUSTERS_NAMESPACE,
      labels: { [ENVIRONMENT_LABEL]: options.environment },
      annotations: {
        ...(options.description ? { 'field.cattle.io/description': options.description } : {}),
        [NO_CREATOR_RBAC_ANNOTATION]: 'true',
        ...(options.versionPinnedOutsideRancher
          ? { [VERSION_MANAGEMENT_ANNOTATION]: 'false' }
          : {}),
      },
    },
    spec: options.agentEnvVars?.length ? { agentEnvVars: [...options.agentEnvVars] } : {},
  };
}

export { rancherServerUrl };

/** The cluster's page in Rancher's dashboard. `clusterId` may be a Terraform reference. */
export function rancherClusterUrl(hostname: string, clusterId: string): string {
  return `${rancherServerUrl(hostname)}/dashboard/c/${clusterId}/explorer`;
}

/**
 * Terraform expression (without `${}`) of `CATTLE_CA_CHECKSUM` for a `cacerts` Setting object:
 * the setting's effective text (`value`, else `default`), and the hex sha256 of that text with one
 * trailing newline added when missing; empty when the text is empty. Mirrors `caChecksum()` in
 * lib/agent/credentials.ts, which cannot run on a value known only at apply time.
 */
export function caChecksumExpression(settingObject: string): string {
  const value = `try(${settingObject}.value, "")`;
  const fallback = `try(${settingObject}["default"], "")`;
  const pem = `(${value} != "" ? ${value} : ${fallback})`;
  return `${pem} == "" ? "" : sha256(endswith(${pem}, "\\n") ? ${pem} : format("%s\\n", ${pem}))`;
}
