import { App } from 'cdktf';
import type { EnvironmentConfig } from '../lib/config/schema';
import { stackName } from '../lib/naming/names';
import { ManagementStack } from './management-stack';
import { RancherStack } from './rancher-stack';
import { buildDownstreamStacks, DownstreamStacks } from './downstream-agent-stack';

export interface EnvironmentStacksOptions {
  /** Base URL of the AWS emulator for the `local` target (the emulator picks a free port). */
  readonly emulatorEndpoint?: string;
}

/** Every stack of one environment, in deployment order. */
export interface EnvironmentStacks {
  readonly management: ManagementStack;
  readonly rancher: RancherStack;
  /** Per `downstream:` entry: `<env>-<d>-cluster` and `<env>-<d>-agent`, after the rancher stack. */
  readonly downstream: DownstreamStacks[];
}

/** Builds the stacks of one validated environment into `app`. */
export function buildEnvironment(
  app: App,
  config: EnvironmentConfig,
  options: EnvironmentStacksOptions = {},
): EnvironmentStacks {
  const management = new ManagementStack(app, stackName(config.name, 'management'), {
    config,
    emulatorEndpoint: options.emulatorEndpoint,
  });
  const outputs = management.outputs;
  const rancher = new RancherStack(app, stackName(config.name, 'rancher'), {
    config,
    emulatorEndpoint: options.emulatorEndpoint,
    inputs: {
      access: {
        kind: 'eks',
        clusterName: outputs.clusterName,
        endpoint: outputs.clusterEndpoint,
        certificateAuthorityData: outputs.clusterCertificateAuthorityData,
      },
      bootstrapPasswordSecretArn: outputs.bootstrapPasswordSecretArn,
      hostedZoneId: outputs.hostedZoneId,
      zoneCount: outputs.zoneCount,
      nodeCount: outputs.nodeCount,
      eks: {
        clusterName: outputs.clusterName,
        vpcId: outputs.vpcId,
        loadBalancerControllerRoleArn: outputs.loadBalancerControllerRoleArn,
        ingressTargets: outputs.ingressTargets,
        certManagerRoleArn: outputs.certManagerRoleArn,
      },
    },
  });
  rancher.addDependency(management);
  const privateRancherZone = !config.dns.hostedZoneId || config.dns.hostedZoneVisibility === 'private';
  const downstream = buildDownstreamStacks(app, config, {
    managementAccess: {
      kind: 'eks',
      clusterName: outputs.clusterName,
      endpoint: outputs.clusterEndpoint,
      certificateAuthorityData: outputs.clusterCertificateAuthorityData,
    },
    management,
    rancherPrivateZoneId: privateRancherZone ? outputs.hostedZoneId : undefined,
    rancher,
    emulatorEndpoint: options.emulatorEndpoint,
  });
  return { management, rancher, downstream };
}
