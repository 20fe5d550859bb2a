/**
 * What an environment pays for, counted from its synthesized stacks (`cdk.tf.json` of each):
 * EKS clusters, NAT gateways, network load balancers, public IPv4 addresses, instances by type,
 * gp3 volume size, hosted zones, secrets, KMS keys and log groups.
 *
 * Pure: reads the stacks' JSON, never the file system. Counts what the code declares at its
 * configured size (node groups at desiredSize, Auto Scaling groups at desired_capacity).
 */

/** One synthesized stack: its `resource` block. */
export interface SynthesizedStackJson {
  readonly resource?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

export interface CostInventory {
  readonly eksClusters: number;
  readonly natGateways: number;
  readonly networkLoadBalancers: number;
  /** Elastic IPs plus one address per subnet of each internet-facing load balancer. */
  readonly publicIpv4Addresses: number;
  /** Running instances by instance type. */
  readonly instances: Readonly<Record<string, number>>;
  /** Root volumes of those instances, GiB in all. */
  readonly volumeGiB: number;
  readonly hostedZones: number;
  readonly secrets: number;
  readonly kmsKeys: number;
  readonly logGroups: number;
}

type Json = Record<string, unknown>;

function resources(stack: SynthesizedStackJson, type: string): Json[] {
  return Object.values(stack.resource?.[type] ?? {}) as Json[];
}

function first(value: unknown): Json {
  const item: unknown = Array.isArray(value) ? value[0] : value;
  return (item ?? {}) as Json;
}

/** `${aws_launch_template.name.id}` -> `name`. */
function launchTemplateKey(reference: unknown): string | undefined {
  return /^\$\{aws_launch_template\.([^.]+)\.id\}$/.exec(String(reference))?.[1];
}

function rootVolumeGiB(blockDeviceMappings: unknown): number {
  const mappings = Array.isArray(blockDeviceMappings) ? (blockDeviceMappings as Json[]) : [];
  return mappings.reduce((sum, m) => sum + Number(first(m.ebs).volume_size ?? 0), 0);
}

export function costInventory(stacks: readonly SynthesizedStackJson[]): CostInventory {
  const instances: Record<string, number> = {};
  let volumeGiB = 0;
  let publicIpv4Addresses = 0;
  const count = (type: string) => stacks.reduce((n, s) => n + resources(s, type).length, 0);
  const launch = (stack: SynthesizedStackJson, reference: unknown, size: number, where: string) => {
    const key = launchTemplateKey(reference);
    const template = key
      ? (stack.resource?.aws_launch_template?.[key] as Json | undefined)
      : undefined;
    if (!template)
      throw new Error(
        `${where}: its launch template ${String(reference)} is not in the same stack.`,
      );
    const type = String(template.instance_type);
    instances[type] = (instances[type] ?? 0) + size;
    volumeGiB += size * rootVolumeGiB(template.block_device_mappings);
  };
  for (const stack of stacks) {
    for (const group of resources(stack, 'aws_eks_node_group')) {
      const size = Number(first(group.scaling_config).desired_size);
      launch(
        stack,
        first(group.launch_template).id,
        size,
        `node group ${String(group.node_group_name)}`,
      );
    }
    for (const group of resources(stack, 'aws_autoscaling_group')) {
      launch(
        stack,
        first(group.launch_template).id,
        Number(group.desired_capacity),
        `group ${String(group.name)}`,
      );
    }
    for (const instance of resources(stack, 'aws_instance')) {
      const type = String(instance.instance_type);
      instances[type] = (instances[type] ?? 0) + 1;
      volumeGiB += Number(first(instance.root_block_device).volume_size ?? 8);
      if (instance.associate_public_ip_address === true) publicIpv4Addresses += 1;
    }
    for (const lb of resources(stack, 'aws_lb')) {
      if (lb.internal === false && Array.isArray(lb.subnets))
        publicIpv4Addresses += lb.subnets.length;
    }
  }
  publicIpv4Addresses += count('aws_eip');
  return {
    eksClusters: count('aws_eks_cluster'),
    natGateways: count('aws_nat_gateway'),
    networkLoadBalancers: stacks.reduce(
      (n, s) =>
        n + resources(s, 'aws_lb').filter((lb) => lb.load_balancer_type === 'network').length,
      0,
    ),
    publicIpv4Addresses,
    instances,
    volumeGiB,
    hostedZones: count('aws_route53_zone'),
    secrets: count('aws_secretsmanager_secret'),
    kmsKeys: count('aws_kms_key'),
    logGroups: count('aws_cloudwatch_log_group'),
  };
}
