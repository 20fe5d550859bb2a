/**
 * The AWS names the stacks derive from the names in an environment file: the environment name
 * (`name`) and each downstream cluster's (`downstream[i].name`). The config check runs them
 * through AWS_NAME_RULES, so a name AWS would refuse is a config error naming the field instead of
 * a failed apply. Pure: no cdktf imports.
 *
 * A unit test synthesizes environments and requires every name in them to be listed here: a
 * construct that adds a name adds it here too.
 */
import { AWS_NAME_RULES, awsNameProblem, type NameKind } from './names';

/** Downstream names that would give a cluster the management cluster's AWS names. */
export const RESERVED_DOWNSTREAM_NAMES = ['management'] as const;

/** One AWS name and its kind. */
export interface DerivedName {
  readonly kind: NameKind;
  readonly name: string;
}

type Distribution = 'eks' | 'rke2';

/** What the names depend on (an EnvironmentConfig fits). */
export interface NamedEnvironment {
  readonly name: string;
  readonly target: 'aws' | 'local';
  readonly accountId?: string;
  readonly management: { readonly distribution: Distribution };
  readonly state: { readonly backend: 'local' | 's3'; readonly bucket?: string };
  /** The in-VPC deployer (CodeBuild project, role, security group, source bucket). */
  readonly deployer: { readonly enabled: boolean };
  /** The backup bucket, key and (EKS) operator role. @default - no backup names */
  readonly backup?: { readonly enabled: boolean };
}

/** An AWS account id is 12 digits; bucket names that end in one are checked with this stand-in. */
const ACCOUNT_ID = '0'.repeat(12);

/** Names of an EKS cluster `<cluster>` and what the EKS constructs add to it. */
function eksNames(cluster: string): DerivedName[] {
  return [
    { kind: 'eksCluster', name: cluster },
    { kind: 'iamRole', name: `${cluster}-cluster` },
    { kind: 'iamRole', name: `${cluster}-nodes` },
    { kind: 'kmsAlias', name: `${cluster}-eks-secrets` },
    { kind: 'securityGroup', name: `${cluster}-control-plane` },
    { kind: 'securityGroup', name: `${cluster}-nodes` },
    { kind: 'launchTemplate', name: `${cluster}-nodes` },
    { kind: 'eksNodeGroup', name: `${cluster}-nodes` },
    { kind: 'iamRole', name: `${cluster}-vpc-cni` },
  ];
}

/** Names of an RKE2 cluster `<cluster>` whose load balancers are named after `<lbPrefix>`. */
function rke2Names(cluster: string, lbPrefix: string, secretPrefix: string): DerivedName[] {
  const pools = ['seed', 'servers', 'agents'].flatMap((pool): DerivedName[] => [
    { kind: 'iamRole', name: `${cluster}-${pool}` },
    { kind: 'launchTemplate', name: `${cluster}-${pool}` },
    { kind: 'autoScalingGroup', name: `${cluster}-${pool}` },
  ]);
  return [
    ...loadBalancerNames(`${lbPrefix}-rke2`, `${lbPrefix}-rke2`, ['join', 'api']),
    ...loadBalancerNames(`${lbPrefix}-ingress`, lbPrefix, ['http', 'https']),
    { kind: 'securityGroup', name: `${cluster}-nodes` },
    { kind: 'securityGroup', name: `${cluster}-bastion` },
    { kind: 'iamRole', name: `${cluster}-bastion` },
    ...pools,
    { kind: 's3Bucket', name: `${cluster}-etcd-snapshots-${ACCOUNT_ID}` },
    { kind: 'secret', name: `${secretPrefix}/rke2/join-token` },
    { kind: 'secret', name: `${secretPrefix}/rke2/kubeconfig` },
    { kind: 'secret', name: `${secretPrefix}/rke2/full-join-token` },
  ];
}

/** A load balancer, its security group and its target groups `<targetGroupPrefix>-<port>`. */
function loadBalancerNames(
  name: string,
  targetGroupPrefix: string,
  ports: readonly string[],
): DerivedName[] {
  return [
    { kind: 'loadBalancer', name },
    { kind: 'securityGroup', name: `${name}-lb` },
    ...ports.map((port): DerivedName => ({
      kind: 'targetGroup',
      name: `${targetGroupPrefix}-${port}`,
    })),
  ];
}

/** The names derived from the environment name: management stack and state bucket. */
export function managementNames(env: NamedEnvironment): DerivedName[] {
  const cluster = `${env.name}-management`;
  const names: DerivedName[] = [{ kind: 'secret', name: `${env.name}/rancher/bootstrap-password` }];
  if (env.management.distribution === 'rke2') {
    names.push(...rke2Names(cluster, env.name, env.name));
  } else {
    names.push(
      ...eksNames(cluster),
      ...loadBalancerNames(`${env.name}-ingress`, env.name, ['http', 'https']),
      { kind: 'iamRole', name: `${cluster}-lb-controller` },
      { kind: 'iamRole', name: `${cluster}-cert-manager` },
    );
  }
  if (env.state.backend === 's3' && !env.state.bucket) {
    const account = env.target === 'local' ? '' : `-${env.accountId ?? ACCOUNT_ID}`;
    names.push({ kind: 's3Bucket', name: `${env.name}-tfstate${account}` });
  }
  if (env.deployer.enabled) {
    names.push(
      { kind: 'iamRole', name: `${env.name}-deployer` },
      { kind: 'securityGroup', name: `${env.name}-deployer` },
      // The deployer's bucket takes the caller's account id, known only at apply.
      { kind: 's3Bucket', name: `${env.name}-deployer-${ACCOUNT_ID}` },
    );
  }
  if (env.backup?.enabled) {
    names.push(
      { kind: 's3Bucket', name: `${env.name}-rancher-backups-${ACCOUNT_ID}` },
      { kind: 'secret', name: `${env.name}/rancher/backup-encryption-key` },
    );
    // RKE2: the operator uses the servers' role.
    if (env.management.distribution === 'eks') {
      names.push({ kind: 'iamRole', name: `${cluster}-rancher-backup` });
    }
  }
  return names;
}

/** The names derived from a downstream cluster's name (`<env>-<name>` and what hangs off it). */
export function downstreamNames(
  environmentName: string,
  cluster: { readonly name: string; readonly distribution: Distribution },
): DerivedName[] {
  const clusterName = `${environmentName}-${cluster.name}`;
  return cluster.distribution === 'rke2'
    ? rke2Names(clusterName, clusterName, `${environmentName}/${cluster.name}`)
    : eksNames(clusterName);
}

/**
 * The problem to report for names derived from one field, as the rest of a sentence: the first
 * name AWS reserves or refuses for its characters, else the one furthest over its length limit
 * (shortening by that much fixes all). Undefined when AWS accepts them all.
 */
export function derivedNamesProblem(names: readonly DerivedName[]): string | undefined {
  let worst: { readonly name: DerivedName; readonly excess: number } | undefined;
  for (const name of names) {
    const excess = name.name.length - AWS_NAME_RULES[name.kind].maxLength;
    if (excess > 0) {
      if (!worst || excess > worst.excess) worst = { name, excess };
      continue;
    }
    const problem = awsNameProblem(name.kind, name.name);
    if (problem) return describe(name, problem);
  }
  if (!worst) return undefined;
  const problem = awsNameProblem(worst.name.kind, worst.name.name) ?? '';
  return `${describe(worst.name, problem)}; shorten it by ${worst.excess}`;
}

function describe(name: DerivedName, problem: string): string {
  return `makes the ${AWS_NAME_RULES[name.kind].label} name "${name.name}", which ${problem}`;
}
