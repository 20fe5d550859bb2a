import { TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { EnvironmentAwsProvider } from '../lib/aws/provider';
import { EnvironmentConfig, parentDomain } from '../lib/config/schema';
import { RancherDns } from '../lib/dns/rancher-dns';
import { EksManagementCluster } from '../lib/eks/cluster';
import { LoadBalancerControllerRole } from '../lib/eks/load-balancer-controller-role';
import { ManagedNodeGroup } from '../lib/eks/node-group';
import { ClusterLoadBalancer } from '../lib/ingress/load-balancer';
import { EKS_INGRESS_TARGET_PORTS } from '../lib/ingress/ports';
import { resourceName } from '../lib/naming/names';
import { standardTags } from '../lib/naming/tags';
import { Network } from '../lib/network/network';

export interface ManagementStackProps {
  readonly config: EnvironmentConfig;
  /** Emulator base URL for the `local` target. */
  readonly emulatorEndpoint?: string;
}

/** `<env>-management`: network, management cluster, load balancer, DNS, certificates, secrets. */
export class ManagementStack extends TerraformStack {
  readonly network: Network;
  readonly cluster: EksManagementCluster;
  readonly nodeGroup: ManagedNodeGroup;
  readonly ingress: ClusterLoadBalancer;
  readonly dns: RancherDns;
  readonly loadBalancerControllerRoleArn: string;

  constructor(scope: Construct, id: string, props: ManagementStackProps) {
    super(scope, id);
    const { config } = props;
    const eks = config.management.eks;
    const clusterName = resourceName(config.name, 'management', 'eksCluster');
    new EnvironmentAwsProvider(this, 'aws', { config, emulatorEndpoint: props.emulatorEndpoint });

    this.network = new Network(this, 'network', {
      namePrefix: config.name,
      ...config.network,
      clusterNames: [clusterName],
    });

    this.cluster = new EksManagementCluster(this, 'eks', {
      clusterName,
      kubernetesVersion: config.management.kubernetesVersion,
      vpcId: this.network.outputs.vpcId,
      subnetIds: this.network.outputs.privateSubnetIds,
      endpointAccess: eks.endpointAccess,
      publicAccessCidrs: eks.publicAccessCidrs,
      adminPrincipalArns: [...eks.adminRoleArns, ...eks.adminUserArns],
    });

    this.nodeGroup = new ManagedNodeGroup(this, 'nodes', {
      clusterName: this.cluster.cluster.name,
      subnetIds: this.network.outputs.privateSubnetIds,
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

    const internal = config.ingress.scheme === 'internal';
    this.ingress = new ClusterLoadBalancer(this, 'ingress', {
      name: resourceName(config.name, 'ingress', 'loadBalancer'),
      targetGroupPrefix: config.name,
      vpcId: this.network.outputs.vpcId,
      subnetIds: internal ? this.network.outputs.privateSubnetIds : this.network.outputs.publicSubnetIds,
      scheme: config.ingress.scheme,
      targetType: 'ip',
      targetSecurityGroupId: this.cluster.nodeSecurityGroup.id,
      deletionProtection: config.protected,
      ports: [
        { name: 'http', listenerPort: 80, targetPort: EKS_INGRESS_TARGET_PORTS.http, allowedCidrs: config.ingress.allowedCidrs },
        { name: 'https', listenerPort: 443, targetPort: EKS_INGRESS_TARGET_PORTS.https, allowedCidrs: config.ingress.allowedCidrs },
      ],
    });

    this.loadBalancerControllerRoleArn = new LoadBalancerControllerRole(this, 'lb-controller', {
      clusterName,
      oidcProviderArn: this.cluster.outputs.oidcProviderArn,
      oidcIssuerUrl: this.cluster.outputs.oidcIssuerUrl,
      targetGroupArns: Object.values(this.ingress.targetGroups).map((tg) => tg.arn),
    }).roleArn;

    this.dns = new RancherDns(this, 'dns', {
      hostname: config.dns.hostname,
      hostedZoneId: config.dns.hostedZoneId,
      privateZoneName: config.dns.hostedZoneId ? undefined : (config.dns.privateZoneName ?? parentDomain(config.dns.hostname)),
      vpcId: this.network.outputs.vpcId,
      aliasDnsName: this.ingress.loadBalancer.dnsName,
      aliasZoneId: this.ingress.loadBalancer.zoneId,
    });

    new TerraformOutput(this, 'rancher_url', {
      description: 'Where Rancher answers once the rancher stack is deployed',
      value: `https://${config.dns.hostname}`,
    });
    new TerraformOutput(this, 'cluster_name', { value: this.cluster.cluster.name });
    new TerraformOutput(this, 'cluster_endpoint', { value: this.cluster.cluster.endpoint });
    new TerraformOutput(this, 'load_balancer_dns_name', { value: this.ingress.loadBalancer.dnsName });
    new TerraformOutput(this, 'vpc_id', { value: this.network.vpc.id });
    new TerraformOutput(this, 'kubeconfig_command', {
      description: 'Writes a kubeconfig entry for the management cluster (needs the AWS CLI and an admin principal)',
      value: `aws eks update-kubeconfig --region ${config.region} --name ${clusterName} --alias ${clusterName}`,
    });
  }
}
