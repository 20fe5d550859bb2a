import { Route53ZoneAssociation } from '@cdktf/provider-aws/lib/route53-zone-association';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { isThrowAway, secretRecoveryWindowDays } from '../lib/environments/protection';
import { EnvironmentAwsProvider } from '../lib/aws/provider';
import { EMULATOR_TOKEN_ENVIRONMENT } from '../lib/cluster/eks-exec';
import type { ClusterAccess } from '../lib/cluster/helm-access';
import type { EnvironmentConfig } from '../lib/config/schema';
import { EksManagementCluster } from '../lib/eks/cluster';
import { EksCoreAddOns } from '../lib/eks/core-addons';
import { ManagedNodeGroup } from '../lib/eks/node-group';
import { platformSources, RancherIngressAccess } from '../lib/ingress/platform-sources';
import { Network, NetworkOutputs } from '../lib/network/network';
import { securityGroupRule } from '../lib/network/security-group-rules';
import { Rke2ManagementCluster } from '../lib/rke2/cluster';
import { KubeconfigWait } from '../lib/rke2/kubeconfig-wait';
import {
  DeployerPrincipal,
  DownstreamDeployerAccess,
  RoutedVpc,
} from '../lib/deployer/downstream-access';
import { hostCidrs } from '../lib/network/cidr-plan';
import { DataAwsVpc } from '@cdktf/provider-aws/lib/data-aws-vpc';
import type { DownstreamClusterPlan } from '../lib/environments/downstream-plan';
import {
  environmentInstanceTags,
  kubeconfigWaitAccess,
  rke2AirGapSettings,
  rke2NodeSettings,
} from './environment-settings';

/** Seconds the cluster stack waits for an RKE2 seed server's kubeconfig, unless configured. */
export const DEFAULT_KUBECONFIG_WAIT_SECONDS = 900;

export interface DownstreamClusterStackProps {
  readonly config: EnvironmentConfig;
  readonly cluster: DownstreamClusterPlan;
  /**
   * The private hosted zone with Rancher's record: associated with this cluster's own VPC so that
   * the agent resolves Rancher's hostname. Not used with an existing VPC, which may already be
   * associated (the management VPC is): resolving Rancher there is the VPC owner's part.
   * @default - no association (Rancher's hostname is in a public zone)
   */
  readonly rancherPrivateZoneId?: string;
  /**
   * Rancher's load balancer: the cluster's agent reaches Rancher through it from this VPC's NAT
   * addresses (or the VPC, when it is internal), which are allowed to its listeners when
   * `ingress.allowedCidrs` is restricted. Not used with an existing VPC, whose addresses are
   * unknown here: they belong in `ingress.allowedCidrs`.
   * @default - no rules
   */
  readonly rancherIngress?: RancherIngressAccess;
  /** Emulator base URL for the `local` target. */
  readonly emulatorEndpoint?: string;
  /**
   * The management VPC's in-VPC deployer: it gets a route (peering), a firewall opening and
   * access to this cluster's API, so that it can apply the agent stack.
   * @default - none (deployer.enabled is false)
   */
  readonly deployer?: DownstreamDeployerInputs;
}

/** What a downstream cluster stack takes from the management stack for the deployer. */
export interface DownstreamDeployerInputs {
  readonly principal: DeployerPrincipal;
  readonly management: RoutedVpc;
  /** Where the deployer's traffic to a public endpoint comes from. */
  readonly natPublicIps: string[];
}

/** What the agent stack takes from a downstream cluster stack. */
export interface DownstreamClusterOutputs {
  readonly clusterName: string;
  /** How the agent stack's helm provider reaches the cluster. */
  readonly access: ClusterAccess;
  readonly vpcId: string;
}

/**
 * `<env>-<d>-cluster` (aws only): one downstream cluster, EKS or RKE2, in its own VPC or an
 * existing one, built from the same constructs as the management cluster. Its Kubernetes API is
 * private by default (EKS private endpoint; RKE2 behind an internal load balancer).
 */
export class DownstreamClusterStack extends TerraformStack {
  readonly network?: Network;
  /** EKS only. */
  readonly cluster?: EksManagementCluster;
  /** EKS only. */
  readonly nodeGroup?: ManagedNodeGroup;
  /** RKE2 only. */
  readonly rke2?: Rke2ManagementCluster;
  /** Peering and API access for the management VPC's deployer. */
  readonly deployerAccess?: DownstreamDeployerAccess;
  readonly outputs: DownstreamClusterOutputs;
  /** It reads the management stack's outputs (the private zone, the load balancer's group). */
  readonly readsManagementStack: boolean;

  constructor(scope: Construct, id: string, props: DownstreamClusterStackProps) {
    super(scope, id);
    const { config, cluster: plan } = props;
    new EnvironmentAwsProvider(this, 'aws', { config, emulatorEndpoint: props.emulatorEndpoint });

    const instanceTags = environmentInstanceTags(config);
    let vpcId: string;
    let vpcCidr: string | undefined;
    let subnetIds: string[];
    let publicSubnetIds: string[] = [];
    if (plan.network) {
      this.network = new Network(this, 'network', {
        namePrefix: plan.clusterName,
        ...plan.network,
      });
      vpcId = this.network.outputs.vpcId;
      vpcCidr = this.network.outputs.vpcCidr;
      subnetIds = this.network.outputs.privateSubnetIds;
      publicSubnetIds = this.network.outputs.publicSubnetIds;
    } else if (plan.existingVpc) {
      vpcId = plan.existingVpc.vpcId;
      subnetIds = [...plan.existingVpc.privateSubnetIds];
    } else {
      throw new Error(
        `downstream[${plan.index}] "${plan.name}" has neither a network nor an existingVpc.`,
      );
    }

    let access: ClusterAccess;
    if (plan.distribution === 'rke2') {
      const rke2 = plan.rke2 ?? {};
      if (!vpcCidr) {
        throw new Error(
          `downstream[${plan.index}] "${plan.name}": an rke2 cluster needs its own VPC (network), not existingVpc: its security groups are scoped to the VPC CIDR.`,
        );
      }
      this.rke2 = new Rke2ManagementCluster(this, 'rke2', {
        clusterName: plan.clusterName,
        secretNamePrefix: `${config.name}/${plan.name}`,
        loadBalancerNamePrefix: plan.clusterName,
        region: config.region,
        vpcId,
        vpcCidr,
        privateSubnetIds: subnetIds,
        publicSubnetIds,
        // Workloads' ingress stays inside the VPC; nothing of a downstream cluster faces the internet.
        ingress: { scheme: 'internal', allowedCidrs: [vpcCidr] },
        ...rke2NodeSettings(rke2),
        ...rke2AirGapSettings(config),
        throwAway: isThrowAway(config),
        secretRecoveryWindowDays: secretRecoveryWindowDays(config),
        deletionProtection: config.protected,
        instanceTags,
      });
      // The agent stack reads the kubeconfig while planning: the apply ends once it exists.
      new KubeconfigWait(this, 'kubeconfig-wait', {
        ...kubeconfigWaitAccess(config, props.emulatorEndpoint),
        secretArn: this.rke2.outputs.kubeconfigSecretArn,
        timeoutSeconds: rke2.kubeconfigWaitSeconds ?? DEFAULT_KUBECONFIG_WAIT_SECONDS,
        dependsOn: this.rke2.autoScalingGroups,
      });
      access = { kind: 'kubeconfigSecret', secretArn: this.rke2.outputs.kubeconfigSecretArn };
      new TerraformOutput(this, 'kubeconfig_command', {
        description:
          'Writes the admin kubeconfig the first server published (its API answers inside the VPC only)',
        value: `aws secretsmanager get-secret-value --region ${config.region} --secret-id ${config.name}/${plan.name}/rke2/kubeconfig --query SecretString --output text > kubeconfig && chmod 600 kubeconfig`,
      });
    } else {
      const eks = plan.eks;
      if (!eks) throw new Error(`downstream[${plan.index}] "${plan.name}" has no EKS settings.`);
      this.cluster = new EksManagementCluster(this, 'eks', {
        clusterName: plan.clusterName,
        kubernetesVersion: plan.kubernetesVersion,
        vpcId,
        subnetIds,
        endpointAccess: eks.endpointAccess,
        // From a peered VPC a public endpoint resolves to its public addresses (EKS), so the
        // deployer arrives from the management VPC's NAT gateways.
        publicAccessCidrs:
          eks.endpointAccess !== 'private' && props.deployer
            ? [...eks.publicAccessCidrs, ...hostCidrs(props.deployer.natPublicIps)]
            : eks.publicAccessCidrs,
        adminPrincipalArns: [...eks.adminRoleArns, ...eks.adminUserArns],
      });
      const addOns = new EksCoreAddOns(this, 'addons', { cluster: this.cluster });
      this.nodeGroup = new ManagedNodeGroup(this, 'nodes', {
        clusterName: this.cluster.cluster.name,
        kubernetesVersion: this.cluster.cluster.version,
        subnetIds,
        securityGroupIds: [this.cluster.nodeSecurityGroup.id],
        instanceType: eks.nodeGroup.instanceType,
        minSize: eks.nodeGroup.minSize,
        desiredSize: eks.nodeGroup.desiredSize,
        maxSize: eks.nodeGroup.maxSize,
        diskSizeGiB: eks.nodeGroup.diskSizeGiB,
        instanceTags,
        dependsOn: addOns.beforeNodes,
      });
      addOns.afterNodes(this.nodeGroup.nodeGroup);
      access = {
        kind: 'eks',
        clusterName: this.cluster.cluster.name,
        region: config.region,
        endpoint: this.cluster.outputs.endpoint,
        certificateAuthorityData: this.cluster.outputs.certificateAuthorityData,
        tokenEnvironment: config.target === 'local' ? EMULATOR_TOKEN_ENVIRONMENT : undefined,
      };
      new TerraformOutput(this, 'cluster_endpoint', { value: this.cluster.cluster.endpoint });
      new TerraformOutput(this, 'kubeconfig_command', {
        description:
          'Writes a kubeconfig entry for direct access (needs the AWS CLI, an admin principal and a route to the endpoint)',
        value: `aws eks update-kubeconfig --region ${config.region} --name ${plan.clusterName} --alias ${plan.clusterName}`,
      });
    }

    if (props.deployer) {
      this.deployerAccess = new DownstreamDeployerAccess(this, 'deployer-access', {
        clusterName: plan.clusterName,
        deployer: props.deployer.principal,
        management: props.deployer.management,
        peer: this.peerVpc(plan),
        eks: this.cluster && {
          clusterName: this.cluster.cluster.name,
          controlPlaneSecurityGroupId: this.cluster.controlPlaneSecurityGroup.id,
        },
        rke2: this.rke2 && {
          kubeconfigSecretArn: this.rke2.outputs.kubeconfigSecretArn,
          apiSecurityGroupId: this.rke2.registration.securityGroup.id,
        },
      });
    }

    this.outputs = { clusterName: plan.clusterName, access, vpcId };
    const allowed =
      props.rancherIngress && this.network
        ? this.allowToRancher(config, props.rancherIngress, this.network.outputs)
        : false;
    const associated = Boolean(props.rancherPrivateZoneId && this.network);
    this.readsManagementStack = allowed || associated || props.deployer !== undefined;

    if (props.rancherPrivateZoneId && this.network) {
      new Route53ZoneAssociation(this, 'rancher-zone', {
        zoneId: props.rancherPrivateZoneId,
        vpcId,
      });
    }

    new TerraformOutput(this, 'cluster_name', { value: plan.clusterName });
    new TerraformOutput(this, 'vpc_id', { value: vpcId });
  }

  /**
   * Rules on Rancher's load balancer for this cluster's agent, owned by this stack: they go when
   * the cluster goes. Returns whether there are any.
   */
  private allowToRancher(
    config: EnvironmentConfig,
    ingress: RancherIngressAccess,
    network: NetworkOutputs,
  ): boolean {
    const sources = platformSources({
      scheme: config.ingress.scheme,
      allowedCidrs: config.ingress.allowedCidrs,
      natPublicIps: network.natPublicIps,
      vpcCidr: network.vpcCidr,
    });
    if (sources.length === 0) return false;
    for (const port of ingress.listenerPorts) {
      securityGroupRule(this, `rancher-${port}-from-agent`, {
        securityGroupId: ingress.securityGroupId,
        direction: 'ingress',
        description: `Rancher ${port} from downstream cluster ${this.outputs.clusterName}`,
        protocol: 'tcp',
        fromPort: port,
        cidrs: sources,
      });
    }
    return true;
  }

  /** The VPC to peer with the management VPC: its own, or an existing one whose route tables are given. */
  private peerVpc(plan: DownstreamClusterPlan): RoutedVpc | undefined {
    if (this.network) {
      return {
        vpcId: this.network.outputs.vpcId,
        vpcCidr: this.network.outputs.vpcCidr,
        routeTableIds: this.network.outputs.privateRouteTableIds,
      };
    }
    const existing = plan.existingVpc;
    if (!existing?.routeTableIds) return undefined;
    const vpc = new DataAwsVpc(this, 'existing-vpc', { id: existing.vpcId });
    return { vpcId: existing.vpcId, vpcCidr: vpc.cidrBlock, routeTableIds: existing.routeTableIds };
  }
}
