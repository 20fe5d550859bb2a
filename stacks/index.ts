import { App, TerraformStack } from 'cdktf';
import { loadEnvironmentFile } from '../lib/config/load';
import type { EnvironmentConfig } from '../lib/config/schema';
import { stackName } from '../lib/naming/names';
import { configureStateBackend } from '../lib/state/backend';
import { requireTerraformVersion } from '../lib/terraform/required-version';
import { BootstrapStack, buildBootstrapStack } from './bootstrap-stack';
import { ManagementStack } from './management-stack';
import { RancherStack } from './rancher-stack';
import { buildDownstreamStacks, DownstreamStacks } from './downstream';
import { InVpcGuard } from '../lib/deployer/guard';
import { environmentStackRoles, outsideVpcMessage } from '../lib/environments/reach';

export interface EnvironmentStacksOptions {
  /** Base URL of the AWS emulator for the `local` target (the emulator picks a free port). */
  readonly emulatorEndpoint?: string;
  /**
   * Directory of local state files (`terraform.<stack>.tfstate`).
   * @default - the current directory, as cdktf does
   */
  readonly localStateDir?: string;
  /**
   * A backup file to restore before Rancher is installed (`npm run env:restore`).
   * @default - none
   */
  readonly restoreBackup?: string;
  /** Longest wait for that restore. @default 1800 */
  readonly restoreTimeoutSeconds?: number;
}

/** Every stack of one environment, in deployment order. */
export interface EnvironmentStacks {
  /** The state bucket's stack, when `state.backend` is s3. */
  readonly bootstrap?: BootstrapStack;
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
  const bootstrap = buildBootstrapStack(app, config, options);
  const management = new ManagementStack(app, stackName(config.name, 'management'), {
    config,
    emulatorEndpoint: options.emulatorEndpoint,
  });
  const outputs = management.outputs;
  const rancher = new RancherStack(app, stackName(config.name, 'rancher'), {
    config,
    emulatorEndpoint: options.emulatorEndpoint,
    restoreBackup: options.restoreBackup,
    restoreTimeoutSeconds: options.restoreTimeoutSeconds,
    inputs: {
      // EKS: endpoint + token; RKE2: the kubeconfig the seed server published.
      access: outputs.access,
      bootstrapPasswordSecretArn: outputs.bootstrapPasswordSecretArn,
      hostedZoneId: outputs.hostedZoneId,
      zoneCount: outputs.zoneCount,
      nodeCount: outputs.nodeCount,
      // RKE2 bundles Traefik and registers nodes through its Auto Scaling groups: no eks inputs.
      eks: outputs.eks && {
        clusterName: outputs.eks.clusterName,
        vpcId: outputs.vpcId,
        loadBalancerControllerRoleArn: outputs.eks.loadBalancerControllerRoleArn,
        ingressTargets: outputs.eks.ingressTargets,
        certManagerRoleArn: outputs.eks.certManagerRoleArn,
      },
      backup: outputs.backup,
    },
  });
  rancher.addDependency(management);
  const privateRancherZone =
    !config.dns.hostedZoneId || config.dns.hostedZoneVisibility === 'private';
  const downstream = buildDownstreamStacks(app, config, {
    managementAccess: outputs.access,
    management,
    rancherPrivateZoneId: privateRancherZone ? outputs.hostedZoneId : undefined,
    rancherIngress: outputs.ingress,
    rancher,
    deployer: outputs.deployer && {
      principal: outputs.deployer,
      management: outputs.routedVpc,
      natPublicIps: outputs.natPublicIps,
    },
    emulatorEndpoint: options.emulatorEndpoint,
  });
  // An in-cluster stack whose cluster APIs are private fails at plan outside the deployer.
  for (const stack of environmentStackRoles(config).inCluster) {
    if (stack.privateApis.length === 0) continue;
    const scope = app.node.findChild(stack.name);
    new InVpcGuard(scope, 'in-vpc-guard', { message: outsideVpcMessage(config, stack) });
  }
  // Every stack but the bootstrap one keeps its state where the environment says, after the bucket exists.
  for (const stack of app.node.children) {
    if (!(stack instanceof TerraformStack)) continue;
    requireTerraformVersion(stack);
    if (stack === bootstrap) continue;
    configureStateBackend(stack, config, options);
    if (bootstrap) stack.addDependency(bootstrap);
  }
  return { bootstrap, management, rancher, downstream };
}

export interface SynthesizeOptions extends EnvironmentStacksOptions {
  /** @default - cdktf's default (`cdktf.out`, or what the cdktf CLI passes) */
  readonly outdir?: string;
}

/**
 * What `main.ts` does: validate the environment file, then build and synthesize its stacks.
 * Validation comes first and throws ConfigError with every problem, before an App exists, so an
 * invalid file never writes anything.
 */
export function synthesizeEnvironmentFile(
  file: string,
  options: SynthesizeOptions = {},
): EnvironmentStacks {
  const config = loadEnvironmentFile(file);
  const app = new App(options.outdir ? { outdir: options.outdir } : {});
  const stacks = buildEnvironment(app, config, options);
  app.synth();
  return stacks;
}
