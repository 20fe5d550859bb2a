import { Route53ZoneAssociation } from '@cdktf/provider-aws/lib/route53-zone-association';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { EnvironmentAwsProvider } from '../lib/aws/provider';
import type { EnvironmentConfig } from '../lib/config/schema';
import type { DownstreamClusterPlan } from '../lib/downstream/cluster-plan';
import { EksManagementCluster } from '../lib/eks/cluster';
import { ManagedNodeGroup } from '../lib/eks/node-group';
import { standardTags } from '../lib/naming/tags';
import { Network } from '../lib/network/network';

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
  /** Emulator base URL for the `local` target. */
  readonly emulatorEndpoint?: string;
}

/** What the agent stack takes from a downstream cluster stack. */
export interface DownstreamClusterOutputs {
  readonly clusterName: string;
  readonly clusterEndpoint: string;
  readonly clusterCertificateAuthorityData: string;
  readonly vpcId: string;
}

/**
 * `<env>-<d>-cluster` (aws only): one downstream EKS cluster in its own VPC or an existing one,
 * built from the same constructs as the management cluster; private API endpoint by default.
 */
export class DownstreamClusterStack extends TerraformStack {
  readonly network?: Network;
  readonly cluster: EksManagementCluster;
  readonly nodeGroup: ManagedNodeGroup;
  readonly outputs: DownstreamClusterOutputs;

  constructor(scope: Construct, id: string, props: DownstreamClusterStackProps) {
    super(scope, id);
    const { config, cluster: plan } = props;
    const eks = plan.eks;
    if (plan.distribution !== 'eks' || !eks) {
      throw new Error(
        `downstream[${plan.index}] "${plan.name}": distribution ${plan.distribution} is not supported by the downstream cluster stack yet; use eks.`,
      );
    }
    new EnvironmentAwsProvider(this, 'aws', { config, emulatorEndpoint: props.emulatorEndpoint });

    let vpcId: string;
    let subnetIds: string[];
    if (plan.network) {
      this.network = new Network(this, 'network', {
        namePrefix: plan.clusterName,
        ...plan.network,
        clusterNames: [plan.clusterName],
      });
      vpcId = this.network.outputs.vpcId;
      subnetIds = this.network.outputs.privateSubnetIds;
    } else if (plan.existingVpc) {
      vpcId = plan.existingVpc.vpcId;
      subnetIds = [...plan.existingVpc.privateSubnetIds];
    } else {
      throw new Error(`downstream[${plan.index}] "${plan.name}" has neither a network nor an existingVpc.`);
    }

    this.cluster = new EksManagementCluster(this, 'eks', {
      clusterName: plan.clusterName,
      kubernetesVersion: plan.kubernetesVersion,
      vpcId,
      subnetIds,
      endpointAccess: eks.endpointAccess,
      publicAccessCidrs: eks.publicAccessCidrs,
      adminPrincipalArns: [...eks.adminRoleArns, ...eks.adminUserArns],
    });

    this.nodeGroup = new ManagedNodeGroup(this, 'nodes', {
      clusterName: this.cluster.cluster.name,
      subnetIds,
      securityGroupIds: [this.cluster.nodeSecurityGroup.id],
      instanceType: eks.nodeGroup.instanceType,
      minSize: eks.nodeGroup.minSize,
      desiredSize: eks.nodeGroup.desiredSize,
      maxSize: eks.nodeGroup.maxSize,
      diskSizeGiB: eks.nodeGroup.diskSizeGiB,
      instanceTags: standardTags({
        environment: config.name,
        owner: config.owner,
        expiresAt: config.expiresAt,
        protected: config.protected,
        extra: config.tags,
      }),
    });

    if (props.rancherPrivateZoneId && this.network) {
      new Route53ZoneAssociation(this, 'rancher-zone', {
        zoneId: props.rancherPrivateZoneId,
        vpcId,
      });
    }

    this.outputs = {
      clusterName: this.cluster.cluster.name,
      clusterEndpoint: this.cluster.outputs.endpoint,
      clusterCertificateAuthorityData: this.cluster.outputs.certificateAuthorityData,
      vpcId,
    };

    new TerraformOutput(this, 'cluster_name', { value: this.cluster.cluster.name });
    new TerraformOutput(this, 'cluster_endpoint', { value: this.cluster.cluster.endpoint });
    new TerraformOutput(this, 'vpc_id', { value: vpcId });
    new TerraformOutput(this, 'kubeconfig_command', {
      description: 'Writes a kubeconfig entry for direct access (needs the AWS CLI, an admin principal and a route to the endpoint)',
      value: `aws eks update-kubeconfig --region ${config.region} --name ${plan.clusterName} --alias ${plan.clusterName}`,
    });
  }
}
