/**
 * Where each stack of an environment can be applied from, decided from the environment file alone
 * (never by probing the network): the AWS-only stacks from anywhere with AWS credentials; the
 * in-cluster stacks (helm and kubernetes providers) only from a network that reaches every
 * cluster API they use. Pure: no cdktf imports.
 */
import type { EnvironmentConfig } from '../config/schema';
import { planDownstreamCluster } from './downstream-plan';
import { bootstrapStackName } from '../state/backend';
import { stackName } from '../naming/names';

/** What applying one in-cluster stack needs to reach. */
export interface InClusterStack {
  readonly name: string;
  /**
   * Each setting that keeps a cluster API this stack uses unreachable from outside the VPCs, as a
   * sentence naming the field. Empty: the stack can be applied from a machine whose address the
   * clusters' publicAccessCidrs list.
   */
  readonly privateApis: readonly string[];
  /** Whether making the EKS endpoints public could ever lift the restriction (never with RKE2). */
  readonly rke2: boolean;
}

/** The stacks of one environment by what they need, each list in deployment order. */
export interface EnvironmentStackRoles {
  /** `<env>-bootstrap` (S3 state only): deployed once by hand, never by env:deploy or CI. */
  readonly bootstrap?: string;
  /** aws provider only: `<env>-management`, then each `<env>-<d>-cluster`. */
  readonly awsOnly: readonly string[];
  /** helm and kubernetes providers: `<env>-rancher`, then each `<env>-<d>-agent`. */
  readonly inCluster: readonly InClusterStack[];
}

function managementPrivateApis(config: EnvironmentConfig): string[] {
  if (config.management.distribution === 'rke2') {
    return [
      'management.distribution is rke2: the management kubeconfig points at the internal load balancer in front of the RKE2 servers',
    ];
  }
  if (config.management.eks.endpointAccess === 'private') {
    return [
      'management.eks.endpointAccess is private: the management cluster API answers only inside its VPC',
    ];
  }
  return [];
}

function downstreamPrivateApis(config: EnvironmentConfig, index: number): string[] {
  const plan = planDownstreamCluster(config, index);
  if (plan.distribution === 'rke2') {
    return [
      `downstream[${index}] (${plan.name}) is rke2: its kubeconfig points at an internal load balancer`,
    ];
  }
  if (plan.eks?.endpointAccess === 'private') {
    return [
      `downstream[${index}].eks.endpointAccess is private: the API of cluster ${plan.clusterName} answers only inside its VPC`,
    ];
  }
  return [];
}

/** The environment's stacks by role. */
export function environmentStackRoles(config: EnvironmentConfig): EnvironmentStackRoles {
  const management = managementPrivateApis(config);
  const managementRke2 = config.management.distribution === 'rke2';
  const downstream = config.downstream.map((_, index) => planDownstreamCluster(config, index));
  return {
    bootstrap: config.state.backend === 's3' ? bootstrapStackName(config) : undefined,
    awsOnly: [stackName(config.name, 'management'), ...downstream.map((d) => d.clusterStackName)],
    inCluster: [
      { name: stackName(config.name, 'rancher'), privateApis: management, rke2: managementRke2 },
      ...downstream.map((plan) => ({
        name: plan.agentStackName,
        privateApis: [...management, ...downstreamPrivateApis(config, plan.index)],
        rke2: managementRke2 || plan.distribution === 'rke2',
      })),
    ],
  };
}

/** The command that applies the in-cluster stacks through the in-VPC deployer. */
export function inVpcCommand(environment: string): string {
  return `npm run env:deploy -- ${environment}`;
}

/**
 * The error a guarded in-cluster stack gives when it is planned outside the deployer: what keeps
 * it from being applied here, and the commands that apply it.
 */
export function outsideVpcMessage(
  config: Pick<EnvironmentConfig, 'name' | 'deployer'>,
  stack: InClusterStack,
): string {
  const command = inVpcCommand(config.name);
  const inVpc = config.deployer.enabled
    ? `Run \`${command}\`: it applies this stack from the in-VPC deployer.`
    : `Enable the in-VPC deployer (deployer.enabled: true) and run \`${command}\`, or apply it ` +
      `from a machine inside the network with TF_VAR_deploy_context=in-vpc.`;
  const direct = stack.rke2
    ? ''
    : ` Or set the endpointAccess of every EKS cluster it uses to public or both with your ` +
      `network in publicAccessCidrs, and run \`${command} --direct\`.`;
  return `Stack ${stack.name} cannot be applied from here: ${stack.privateApis.join('; ')}. ${inVpc}${direct}`;
}

/**
 * Why the direct path (every stack applied from where the command runs) cannot reach the
 * environment's clusters; empty when every in-cluster stack's APIs are public.
 */
export function directPathProblems(config: EnvironmentConfig): string[] {
  const problems = environmentStackRoles(config).inCluster.flatMap((s) => s.privateApis);
  return [...new Set(problems)];
}

/** What keeps the in-VPC path from running for this environment; empty when it can. */
export function inVpcPathProblems(config: EnvironmentConfig): string[] {
  const problems: string[] = [];
  if (!config.deployer.enabled) {
    problems.push(
      'deployer.enabled is false: the environment has no in-VPC deployer; set it to true (the default) and deploy again',
    );
  }
  if (config.state.backend !== 's3') {
    problems.push(
      `state.backend is ${config.state.backend}: the deployer runs in CodeBuild and cannot use state files on this machine; set state.backend: s3 and deploy ${bootstrapStackName(config)} once`,
    );
  }
  const secret = config.rancher.tls.mode === 'secret' ? config.rancher.tls.secret : undefined;
  if (secret?.certificateFile || secret?.keyFile) {
    problems.push(
      'rancher.tls.secret.certificateFile/keyFile name files on this machine, which never travel to the deployer (the key must not leave it); store the certificate in Secrets Manager and set rancher.tls.secret.secretsManagerArn instead',
    );
  }
  return problems;
}

/**
 * Downstream clusters in an existing VPC without `existingVpc.routeTableIds`: the cluster stack
 * cannot peer them, so the deployer reaches their private APIs only over routes the VPC owner
 * made. Not an error (a transit gateway may route them), but worth saying before a long build.
 */
export function unroutedDownstreams(config: EnvironmentConfig): string[] {
  return config.downstream.flatMap((entry, index) =>
    entry.existingVpc &&
    !entry.existingVpc.routeTableIds &&
    downstreamPrivateApis(config, index).length > 0
      ? [
          `downstream[${index}] (${entry.name}) is in existing VPC ${entry.existingVpc.vpcId} without existingVpc.routeTableIds: the deployer reaches its API only if you routed that VPC and ${config.network.vpcCidr} to each other`,
        ]
      : [],
  );
}
