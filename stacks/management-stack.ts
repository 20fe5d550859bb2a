import { TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { EnvironmentAwsProvider } from '../lib/aws/provider';
import { EnvironmentConfig, parentDomain } from '../lib/config/schema';
import { RancherDns } from '../lib/dns/rancher-dns';
import { EksManagementCluster } from '../lib/eks/cluster';
import { LoadBalancerControllerRole } from '../lib/eks/load-balancer-controller-role';
import { ManagedNodeGroup } from '../lib/eks/node-group';
import { ClusterLoadBalancer, ForwardedPort } from '../lib/ingress/load-balancer';
import { EKS_INGRESS_TARGET_PORTS } from '../lib/ingress/ports';
import { resourceName } from '../lib/naming/names';
import { standardTags } from '../lib/naming/tags';
import { Network } from '../lib/network/network';
import { GeneratedSecret } from '../lib/secrets/bootstrap-password';
import { DnsValidatedCertificate } from '../lib/tls/acm-certificate';
import { CertManagerDnsRole } from '../lib/tls/cert-manager-dns-role';
import { planTls } from '../lib/tls/mode';
import { TRAEFIK_SERVICE } from '../lib/addons/traefik-values';

export interface ManagementStackProps {
  readonly config: EnvironmentConfig;
  /** Emulator base URL for the `local` target. */
  readonly emulatorEndpoint?: string;
}

/** A load balancer target group and the Traefik Service port whose pods it should hold. */
export interface IngressTarget {
  readonly name: string;
  readonly targetGroupArn: string;
  readonly servicePort: number;
}

/** What the rancher and downstream stacks take from the management stack. */
export interface ManagementOutputs {
  readonly clusterName: string;
  readonly clusterEndpoint: string;
  readonly clusterCertificateAuthorityData: string;
  readonly vpcId: string;
  readonly ingressTargets: IngressTarget[];
  readonly loadBalancerControllerRoleArn: string;
  /** Only for Let's Encrypt DNS-01. */
  readonly certManagerRoleArn?: string;
  readonly bootstrapPasswordSecretArn: string;
  readonly hostedZoneId: string;
  readonly zoneCount: number;
  readonly nodeCount: number;
}

/** `<env>-management`: network, management cluster, load balancer, DNS, certificates, secrets. */
export class ManagementStack extends TerraformStack {
  readonly network: Network;
  readonly cluster: EksManagementCluster;
  readonly nodeGroup: ManagedNodeGroup;
  readonly ingress: ClusterLoadBalancer;
  readonly dns: RancherDns;
  readonly bootstrapPassword: GeneratedSecret;
  readonly certificate?: DnsValidatedCertificate;
  readonly outputs: ManagementOutputs;

  constructor(scope: Construct, id: string, props: ManagementStackProps) {
    super(scope, id);
    const { config } = props;
    const eks = config.management.eks;
    const tls = planTls(config);
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

    // Private zone (when created) first: ACM validation records go there too.
    const zoneName = config.dns.privateZoneName ?? parentDomain(config.dns.hostname);
    this.dns = new RancherDns(this, 'dns', {
      hostname: config.dns.hostname,
      hostedZoneId: config.dns.hostedZoneId,
      privateZoneName: config.dns.hostedZoneId ? undefined : zoneName,
      vpcId: this.network.outputs.vpcId,
    });

    if (tls.acm) {
      this.certificate = new DnsValidatedCertificate(this, 'certificate', {
        hostname: config.dns.hostname,
        hostedZoneId: this.dns.zoneId,
      });
    }

    // ACM: TLS ends at the listener; both listeners reach Traefik's plain HTTP entrypoint.
    const ingressPorts: (ForwardedPort & { servicePort: number })[] = [
      {
        name: 'http',
        listenerPort: 80,
        targetPort: EKS_INGRESS_TARGET_PORTS.http,
        servicePort: TRAEFIK_SERVICE.ports.web,
        allowedCidrs: config.ingress.allowedCidrs,
      },
      {
        name: 'https',
        listenerPort: 443,
        targetPort: this.certificate ? EKS_INGRESS_TARGET_PORTS.http : EKS_INGRESS_TARGET_PORTS.https,
        servicePort: this.certificate ? TRAEFIK_SERVICE.ports.web : TRAEFIK_SERVICE.ports.websecure,
        allowedCidrs: config.ingress.allowedCidrs,
        certificateArn: this.certificate?.certificateArn,
      },
    ];
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
      ports: ingressPorts,
    });
    this.dns.addAlias(this.ingress.loadBalancer.dnsName, this.ingress.loadBalancer.zoneId);

    const loadBalancerControllerRoleArn = new LoadBalancerControllerRole(this, 'lb-controller', {
      clusterName,
      oidcProviderArn: this.cluster.outputs.oidcProviderArn,
      oidcIssuerUrl: this.cluster.outputs.oidcIssuerUrl,
      targetGroupArns: Object.values(this.ingress.targetGroups).map((tg) => tg.arn),
    }).roleArn;

    const certManagerRoleArn = tls.letsEncryptDns01
      ? new CertManagerDnsRole(this, 'cert-manager-dns', {
          clusterName,
          oidcProviderArn: this.cluster.outputs.oidcProviderArn,
          oidcIssuerUrl: this.cluster.outputs.oidcIssuerUrl,
          hostedZoneId: this.dns.zoneId,
          hostname: config.dns.hostname,
        }).roleArn
      : undefined;

    const throwAway = !config.protected && (config.target === 'local' || config.expiresAt !== undefined);
    this.bootstrapPassword = new GeneratedSecret(this, 'bootstrap-password', {
      name: `${config.name}/rancher/bootstrap-password`,
      description: `Rancher bootstrap admin password of environment ${config.name}`,
      recoveryWindowDays: throwAway ? 0 : 7,
    });

    this.outputs = {
      clusterName: this.cluster.cluster.name,
      clusterEndpoint: this.cluster.outputs.endpoint,
      clusterCertificateAuthorityData: this.cluster.outputs.certificateAuthorityData,
      vpcId: this.network.outputs.vpcId,
      ingressTargets: ingressPorts.map((port) => ({
        name: port.name,
        targetGroupArn: this.ingress.targetGroups[port.name].arn,
        servicePort: port.servicePort,
      })),
      loadBalancerControllerRoleArn,
      certManagerRoleArn,
      bootstrapPasswordSecretArn: this.bootstrapPassword.secret.arn,
      hostedZoneId: this.dns.zoneId,
      zoneCount: this.network.outputs.availabilityZones.length,
      nodeCount: eks.nodeGroup.desiredSize,
    };

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
    new TerraformOutput(this, 'bootstrap_password_command', {
      description: "Prints Rancher's first admin password (the value itself is never an output)",
      value: `aws secretsmanager get-secret-value --region ${config.region} --secret-id ${config.name}/rancher/bootstrap-password --query SecretString --output text`,
    });
  }
}
