/**
 * What one `downstream:` entry of the environment file means for its stacks: names, network and
 * cluster settings with the defaults applied. Pure: no cdktf imports.
 */
import type {
  DownstreamConfig,
  EksConfig,
  EnvironmentConfig,
  NetworkConfig,
  Rke2Config,
} from '../config/schema';
import { downstreamVpcCidr } from '../network/cidr-plan';
import { RESERVED_DOWNSTREAM_NAMES } from '../naming/environment-names';
import { resourceName, stackName } from '../naming/names';

const DEFAULT_EKS: EksConfig = {
  endpointAccess: 'private',
  publicAccessCidrs: [],
  adminRoleArns: [],
  adminUserArns: [],
  nodeGroup: { instanceType: 'm5.xlarge', minSize: 3, desiredSize: 3, maxSize: 6, diskSizeGiB: 50 },
};
const DEFAULT_NETWORK: Omit<NetworkConfig, 'vpcCidr'> = {
  availabilityZones: 3,
  privateSubnetPrefix: 19,
  publicSubnetPrefix: 20,
  natGateways: 'perAz',
};

export interface DownstreamClusterPlan {
  /** The entry's `name`. */
  readonly name: string;
  /** Its position in `downstream:` (seeds the default VPC CIDR). */
  readonly index: number;
  /** `<env>-<name>`: EKS cluster name, AWS name prefix, and the cluster's name in Rancher. */
  readonly clusterName: string;
  readonly clusterStackName: string;
  readonly agentStackName: string;
  readonly distribution: DownstreamConfig['distribution'];
  readonly kubernetesVersion: string;
  /** Its own VPC; undefined when it joins an existing one. */
  readonly network?: NetworkConfig;
  readonly existingVpc?: NonNullable<DownstreamConfig['existingVpc']>;
  /** EKS settings with the defaults applied (distribution eks only). */
  readonly eks?: EksConfig;
  /** RKE2 settings as given (distribution rke2 only); the RKE2 constructs apply the defaults. */
  readonly rke2?: Partial<Rke2Config>;
}

/** Resolves `config.downstream[index]`; throws with the field path on a reserved name. */
export function planDownstreamCluster(
  config: EnvironmentConfig,
  index: number,
): DownstreamClusterPlan {
  const entry = config.downstream[index];
  if (!entry) {
    throw new Error(
      `downstream[${index}] does not exist; the environment lists ${config.downstream.length} downstream clusters.`,
    );
  }
  if ((RESERVED_DOWNSTREAM_NAMES as readonly string[]).includes(entry.name)) {
    throw new Error(
      `downstream[${index}].name "${entry.name}" is reserved: its AWS names would be the management cluster's; choose another name.`,
    );
  }
  // The names made from it are checked by the config (lib/naming/environment-names.ts).
  const clusterName = resourceName(config.name, entry.name, 'eksCluster');
  const eks: EksConfig | undefined =
    entry.distribution === 'eks'
      ? {
          ...DEFAULT_EKS,
          ...definedOnly(entry.eks ?? {}),
          nodeGroup: entry.eks?.nodeGroup ?? DEFAULT_EKS.nodeGroup,
        }
      : undefined;
  if (eks && eks.endpointAccess !== 'private' && eks.publicAccessCidrs.length === 0) {
    throw new Error(
      `downstream[${index}].eks.publicAccessCidrs must list at least one CIDR when endpointAccess is ${eks.endpointAccess} (an open Kubernetes API is never the default).`,
    );
  }
  const network: NetworkConfig | undefined = entry.existingVpc
    ? undefined
    : {
        ...DEFAULT_NETWORK,
        vpcCidr: downstreamVpcCidr(index),
        ...definedOnly(entry.network ?? {}),
      };
  return {
    name: entry.name,
    index,
    clusterName,
    clusterStackName: stackName(config.name, entry.name, 'cluster'),
    agentStackName: stackName(config.name, entry.name, 'agent'),
    distribution: entry.distribution,
    kubernetesVersion: entry.kubernetesVersion,
    network,
    existingVpc: entry.existingVpc,
    eks,
    rke2: entry.distribution === 'rke2' ? definedOnly(entry.rke2 ?? {}) : undefined,
  };
}

/** The fields that are set: a partial settings object must not erase defaults with `undefined`. */
function definedOnly<T extends object>(settings: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(settings).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}
