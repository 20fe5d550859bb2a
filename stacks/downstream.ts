import { App, TerraformStack } from 'cdktf';
import type { ClusterAccess } from '../lib/cluster/helm-access';
import type { EnvironmentConfig } from '../lib/config/schema';
import type { RancherIngressAccess } from '../lib/ingress/platform-sources';
import { planDownstreamCluster } from '../lib/environments/downstream-plan';
import { DownstreamAgentStack } from './downstream-agent-stack';
import { DownstreamClusterStack, DownstreamDeployerInputs } from './downstream-cluster-stack';

/** The two stacks of one downstream cluster. */
export interface DownstreamStacks {
  readonly cluster: DownstreamClusterStack;
  readonly agent: DownstreamAgentStack;
}

export interface DownstreamStacksOptions {
  /** Access to the management cluster (the rancher stack's). */
  readonly managementAccess: ClusterAccess;
  /** The management stack: a cluster stack reads its private zone id. */
  readonly management: TerraformStack;
  /** Private hosted zone holding Rancher's record, when Rancher's hostname is private. */
  readonly rancherPrivateZoneId?: string;
  /** Rancher's load balancer, which each cluster stack lets its agent's addresses in to. */
  readonly rancherIngress: RancherIngressAccess;
  /** The rancher stack: every agent stack deploys after it and is destroyed before it. */
  readonly rancher: TerraformStack;
  /** The management stack's deployer, let into every downstream cluster. @default - none */
  readonly deployer?: DownstreamDeployerInputs;
  readonly emulatorEndpoint?: string;
}

/**
 * `<env>-<d>-cluster` and `<env>-<d>-agent` for every `downstream:` entry, after the rancher
 * stack. The agent stack depends on the rancher stack and on its cluster stack, so `cdktf deploy
 * '*'` and `cdktf destroy '*'` order them.
 */
export function buildDownstreamStacks(
  app: App,
  config: EnvironmentConfig,
  options: DownstreamStacksOptions,
): DownstreamStacks[] {
  return config.downstream.map((_, index) => {
    const plan = planDownstreamCluster(config, index);
    const clusterStack = new DownstreamClusterStack(app, plan.clusterStackName, {
      config,
      cluster: plan,
      rancherPrivateZoneId: options.rancherPrivateZoneId,
      rancherIngress: options.rancherIngress,
      deployer: options.deployer,
      emulatorEndpoint: options.emulatorEndpoint,
    });
    if (clusterStack.readsManagementStack) clusterStack.addDependency(options.management);
    const outputs = clusterStack.outputs;
    const agentStack = new DownstreamAgentStack(app, plan.agentStackName, {
      config,
      cluster: plan,
      emulatorEndpoint: options.emulatorEndpoint,
      reinstallRevision: config.downstream[index].agentTokenRevision,
      inputs: {
        management: options.managementAccess,
        downstream: outputs.access,
      },
    });
    agentStack.addDependency(options.rancher);
    agentStack.addDependency(clusterStack);
    return { cluster: clusterStack, agent: agentStack };
  });
}
