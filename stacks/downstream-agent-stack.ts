import { TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { CLUSTER_AGENT_NAMESPACE } from '../lib/agent/objects';
import { proxyEnvVars } from '../lib/airgap/proxy';
import { EnvironmentAwsProvider } from '../lib/aws/provider';
import { ClusterAccess, ClusterHelmProvider } from '../lib/cluster/helm-access';
import { ClusterKubernetesProvider } from '../lib/cluster/kubernetes-access';
import type { EnvironmentConfig } from '../lib/config/schema';
import { AGENT_RELEASE_NAME, downstreamAgent } from '../lib/downstream/agent';
import { RancherRegistration } from '../lib/downstream/rancher-registration';
import { rancherClusterUrl } from '../lib/downstream/registration';
import { ChartRelease } from '../lib/helm/chart-release';
import { MANIFESTS_CHART_PATH, manifestsChartValues } from '../lib/k8s/manifests-chart';
import type { DownstreamClusterPlan } from '../lib/environments/downstream-plan';
import { environmentProxy, environmentTlsPlan } from './environment-settings';

/** Revision of the agent release's installation; bump it to reinstall with the current token. */
export const DEFAULT_AGENT_REINSTALL_REVISION = 1;

export interface DownstreamAgentStackInputs {
  /** Rancher's management cluster: the registration goes to Rancher's API there. */
  readonly management: ClusterAccess;
  /** The downstream cluster: the agent is installed there. */
  readonly downstream: ClusterAccess;
}

export interface DownstreamAgentStackProps {
  readonly config: EnvironmentConfig;
  readonly cluster: DownstreamClusterPlan;
  readonly inputs: DownstreamAgentStackInputs;
  /**
   * The agent release is installed once (Rancher owns the agent from its first connection on);
   * changing this number uninstalls it and installs it again with the token Rancher holds now.
   * @default 1
   */
  readonly reinstallRevision?: number;
  /** Emulator base URL for the `local` target (an RKE2 kubeconfig is read through the AWS provider). */
  readonly emulatorEndpoint?: string;
}

/**
 * `<env>-<d>-agent`: registers the downstream cluster in Rancher (kubernetes provider on the
 * management cluster) and installs Rancher's cluster agent into it with Helm. On destroy Terraform
 * removes the release first, then the registration (the release depends on it).
 */
export class DownstreamAgentStack extends TerraformStack {
  readonly registration: RancherRegistration;
  readonly agent: ChartRelease;

  constructor(scope: Construct, id: string, props: DownstreamAgentStackProps) {
    super(scope, id);
    const { config, cluster, inputs } = props;
    const tls = environmentTlsPlan(config);
    const strict = tls.agentTlsMode === 'strict';
    const proxy = environmentProxy(config);
    new EnvironmentAwsProvider(this, 'aws', { config, emulatorEndpoint: props.emulatorEndpoint });
    const management = new ClusterKubernetesProvider(this, 'management', {
      access: inputs.management,
    });
    const downstream = new ClusterHelmProvider(this, 'downstream', {
      access: inputs.downstream,
    }).provider;

    this.registration = new RancherRegistration(this, 'registration', {
      provider: management.provider,
      credentials: management.credentials,
      name: cluster.clusterName,
      environment: config.name,
      description: `Downstream cluster ${cluster.name} of environment ${config.name}`,
      versionPinnedOutsideRancher: cluster.distribution === 'rke2',
      readCaChecksum: strict,
      agentEnvVars: proxy ? proxyEnvVars(proxy) : [],
    });

    const agent = downstreamAgent({
      environment: config.name,
      clusterName: cluster.name,
      hostname: config.dns.hostname,
      rancherVersion: config.rancher.version,
      caChecksum: this.registration.caChecksum,
      strictVerify: strict,
      systemDefaultRegistry: config.registry?.systemDefault,
      proxy,
    });
    // The local manifests chart (a Terraform asset). Installed once: Rancher's cluster-deploy
    // controller replaces the agent with its own manifest once the cluster connects, and an
    // upgrade from here would send an empty token (docs/downstream.md, "Who owns the agent").
    this.agent = new ChartRelease(this, 'agent', {
      provider: downstream,
      releaseName: AGENT_RELEASE_NAME,
      namespace: CLUSTER_AGENT_NAMESPACE,
      createNamespace: true,
      source: { localPath: MANIFESTS_CHART_PATH },
      values: { ...manifestsChartValues(agent.objects) },
      writeOnlyValues: [{ name: agent.tokenValuePath, value: this.registration.token }],
      installOnce: {
        reinstallRevision: props.reinstallRevision ?? DEFAULT_AGENT_REINSTALL_REVISION,
      },
      dependsOn: [this.registration.manifest],
    });

    new TerraformOutput(this, 'rancher_cluster_id', {
      description: "The cluster's id in Rancher",
      value: this.registration.clusterId,
    });
    new TerraformOutput(this, 'rancher_cluster_url', {
      description: "The cluster's page in Rancher (kubectl and the API go through Rancher's proxy)",
      value: rancherClusterUrl(config.dns.hostname, this.registration.clusterId),
    });
  }
}
