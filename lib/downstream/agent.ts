/**
 * The cluster agent objects of one downstream cluster as the agent stack installs them: Rancher's
 * import manifest (lib/agent/objects.ts) with a credentials Secret whose name is fixed at synth
 * time and whose token is filled in by Helm from a write-only value. Pure: no cdktf imports.
 */
import type { ProxySettings } from '../airgap/proxy';
import { credentialSecretName } from '../agent/credentials';
import { clusterAgentObjects, type ClusterAgentObject } from '../agent/objects';
import { manifestsChartValuePath } from '../k8s/manifests-chart';
import type { Secret } from '../k8s/types';
import { rancherServerUrl } from './registration';

/** Helm release of the agent on the downstream cluster. */
export const AGENT_RELEASE_NAME = 'rancher-cluster-agent';

export interface DownstreamAgentOptions {
  /** Environment name; with `clusterName` it seeds the credentials Secret's name. */
  readonly environment: string;
  /** Downstream cluster name from the environment file. */
  readonly clusterName: string;
  /** Rancher's hostname (the agent's server URL is `https://<hostname>`). */
  readonly hostname: string;
  /** Rancher release without the leading `v`; it tags the agent image. */
  readonly rancherVersion: string;
  /** `CATTLE_CA_CHECKSUM`: a Terraform reference under strict agent TLS, else ''. */
  readonly caChecksum: string;
  /** Rancher's `agentTLSMode` is `strict`. */
  readonly strictVerify: boolean;
  /** Registry host of the agent image (Rancher's systemDefaultRegistry). @default - Docker Hub */
  readonly systemDefaultRegistry?: string;
  /** HTTP proxy the agent reaches Rancher through. @default - none */
  readonly proxy?: ProxySettings;
}

export interface DownstreamAgent {
  readonly objects: ClusterAgentObject[];
  /** Name of the credentials Secret (also the agent's `CATTLE_CREDENTIAL_NAME`). */
  readonly credentialSecretName: string;
  /** Helm value path of the Secret's token, for a write-only (`set_wo`) value. */
  readonly tokenValuePath: string;
}

/**
 * The agent's objects with an empty token: the release sets the token through `set_wo`, so it
 * never reaches the plain values, the plan, or the release's state, and a rotated token changes
 * nothing Terraform compares. The Secret's name follows Rancher's `cattle-credentials-<10 hex>`
 * scheme but hashes `URL.<environment>/<cluster>.` instead of the token, so it stays the same
 * whatever the token is and a rotation never renames the Secret or rolls the Deployment.
 */
export function downstreamAgent(options: DownstreamAgentOptions): DownstreamAgent {
  const serverUrl = rancherServerUrl(options.hostname);
  const secretName = credentialSecretName(
    serverUrl,
    `${options.environment}/${options.clusterName}`,
  );
  const objects = clusterAgentObjects({
    serverUrl,
    token: '',
    credentialSecretName: secretName,
    caChecksum: options.caChecksum,
    rancherVersion: options.rancherVersion,
    strictVerify: options.strictVerify,
    systemDefaultRegistry: options.systemDefaultRegistry,
    proxy: options.proxy,
  });
  const secret = objects.find((object): object is Secret => object.kind === 'Secret');
  if (!secret) throw new Error('clusterAgentObjects returned no credentials Secret.');
  return {
    objects,
    credentialSecretName: secretName,
    tokenValuePath: manifestsChartValuePath(secret, 'stringData.token'),
  };
}
