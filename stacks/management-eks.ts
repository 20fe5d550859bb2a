import { TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import type { RancherBackupStorage } from '../lib/backup/backup-storage';
import { BackupOperatorRole } from '../lib/backup/operator-role';
import { TLS_OFFLOAD_ENTRYPOINT, TRAEFIK_SERVICE } from '../lib/addons/traefik-values';
import type { EnvironmentConfig } from '../lib/config/schema';
import { RancherDns } from '../lib/dns/rancher-dns';
import { EksManagementCluster } from '../lib/eks/cluster';
import { EksCoreAddOns } from '../lib/eks/core-addons';
import { LoadBalancerControllerRole } from '../lib/eks/load-balancer-controller-role';
import { ManagedNodeGroup } from '../lib/eks/node-group';
import { ClusterLoadBalancer, ForwardedPort } from '../lib/ingress/load-balancer';
import { EKS_INGRESS_TARGET_PORTS } from '../lib/ingress/ports';
import { resourceName } from '../lib/naming/names';
import { Network } from '../lib/network/network';
import { DnsValidatedCertificate } from '../lib/tls/acm-certificate';
import { CertManagerDnsRole } from '../lib/tls/cert-manager-dns-role';
import { environmentInstanceTags, environmentTlsPlan } from './environment-settings';

/** A load balancer target group and the Traefik Service port whose pods it should hold. */
export interface IngressTarget {
  readonly name: string;
  readonly targetGroupArn: string;
  readonly servicePort: number;
}

/** EKS-only outputs: the ingress controller and its load balancer registration. */
export interface EksManagementOutputs {
  readonly clusterName: string;
  readonly clusterEndpoint: string;
  readonly clusterCertificateAuthorityData: string;
  readonly ingressTargets: IngressTarget[];
  readonly loadBalancerControllerRoleArn: string;
  /** Only for Let's Encrypt DNS-01. */
  readonly certManagerRoleArn?: string;
}

/** What the EKS part of the management stack stands on: built before it in the same stack. */
export interface EksManagementInputs {
  readonly config: EnvironmentConfig;
  readonly clusterName: string;
  readonly network: Network;
  readonly dns: RancherDns;
  /** ACM mode: the 443 listener ends TLS with it. */
  readonly certificate?: DnsValidatedCertificate;
  /** Who may reach the load balancer's listeners: the allow-list and the platform's own clients. */
  readonly ingressSources: string[];
  /** The backup bucket, when backup.enabled: the operator gets an IRSA role for it. */
  readonly backup?: RancherBackupStorage;
}

export interface EksManagement {
  readonly cluster: EksManagementCluster;
  readonly nodeGroup: ManagedNodeGroup;
  readonly ingress: ClusterLoadBalancer;
  readonly outputs: EksManagementOutputs;
  /** The rancher-backup operator's IRSA role, when backup.enabled. */
  readonly backupRoleArn?: string;
}

/**
 * The EKS cluster, its node group, the ingress load balancer and the add-ons' IRSA roles, added to
 * the management stack `scope` under the ids (and so the Terraform addresses) they always had.
 */
export function buildEksManagement(scope: Construct, inputs: EksManagementInputs): EksManagement {
  const { config, clusterName, network, dns, certificate, ingressSources, backup } = inputs;
  const eks = config.management.eks;
  const tls = environmentTlsPlan(config);
  const cluster = new EksManagementCluster(scope, 'eks', {
    clusterName,
    kubernetesVersion: config.management.kubernetesVersion,
    vpcId: network.outputs.vpcId,
    subnetIds: network.outputs.privateSubnetIds,
    endpointAccess: eks.endpointAccess,
    publicAccessCidrs: eks.publicAccessCidrs,
    adminPrincipalArns: [...eks.adminRoleArns, ...eks.adminUserArns],
  });

  const addOns = new EksCoreAddOns(scope, 'addons', { cluster });
  const nodeGroup = new ManagedNodeGroup(scope, 'nodes', {
    clusterName: cluster.cluster.name,
    kubernetesVersion: cluster.cluster.version,
    subnetIds: network.outputs.privateSubnetIds,
    securityGroupIds: [cluster.nodeSecurityGroup.id],
    instanceType: eks.nodeGroup.instanceType,
    minSize: eks.nodeGroup.minSize,
    desiredSize: eks.nodeGroup.desiredSize,
    maxSize: eks.nodeGroup.maxSize,
    diskSizeGiB: eks.nodeGroup.diskSizeGiB,
    instanceTags: environmentInstanceTags(config),
    dependsOn: addOns.beforeNodes,
  });
  addOns.afterNodes(nodeGroup.nodeGroup);

  // ACM: TLS ends at the listener, which forwards plain HTTP to Traefik's tls-offload entrypoint.
  const acm = certificate !== undefined;
  const ingressPorts: (ForwardedPort & { servicePort: number })[] = [
    {
      name: 'http',
      listenerPort: 80,
      targetPort: EKS_INGRESS_TARGET_PORTS.http,
      servicePort: TRAEFIK_SERVICE.ports.web,
      allowedCidrs: ingressSources,
    },
    {
      name: 'https',
      listenerPort: 443,
      targetPort: acm ? EKS_INGRESS_TARGET_PORTS.tlsOffload : EKS_INGRESS_TARGET_PORTS.https,
      targetGroupSuffix: acm ? TLS_OFFLOAD_ENTRYPOINT : undefined,
      servicePort: acm
        ? TRAEFIK_SERVICE.ports[TLS_OFFLOAD_ENTRYPOINT]
        : TRAEFIK_SERVICE.ports.websecure,
      allowedCidrs: ingressSources,
      certificateArn: certificate?.certificateArn,
    },
  ];
  const internal = config.ingress.scheme === 'internal';
  const ingress = new ClusterLoadBalancer(scope, 'ingress', {
    name: resourceName(config.name, 'ingress', 'loadBalancer'),
    targetGroupPrefix: config.name,
    vpcId: network.outputs.vpcId,
    subnetIds: internal ? network.outputs.privateSubnetIds : network.outputs.publicSubnetIds,
    scheme: config.ingress.scheme,
    targetType: 'ip',
    targetSecurityGroupId: cluster.nodeSecurityGroup.id,
    deletionProtection: config.protected,
    ports: ingressPorts,
  });

  const loadBalancerControllerRoleArn = new LoadBalancerControllerRole(scope, 'lb-controller', {
    clusterName,
    oidcProviderArn: cluster.outputs.oidcProviderArn,
    oidcIssuerUrl: cluster.outputs.oidcIssuerUrl,
    targetGroupArns: Object.values(ingress.targetGroups).map((tg) => tg.arn),
  }).roleArn;

  const certManagerRoleArn = tls.letsEncryptDns01
    ? new CertManagerDnsRole(scope, 'cert-manager-dns', {
        clusterName,
        oidcProviderArn: cluster.outputs.oidcProviderArn,
        oidcIssuerUrl: cluster.outputs.oidcIssuerUrl,
        hostedZoneId: dns.zoneId,
        hostname: config.dns.hostname,
      }).roleArn
    : undefined;

  const backupRoleArn = backup
    ? new BackupOperatorRole(scope, 'rancher-backup-role', {
        clusterName,
        oidcProviderArn: cluster.outputs.oidcProviderArn,
        oidcIssuerUrl: cluster.outputs.oidcIssuerUrl,
        bucketArn: backup.outputs.bucketArn,
        folder: backup.outputs.folder,
      }).roleArn
    : undefined;

  const outputs: EksManagementOutputs = {
    clusterName: cluster.cluster.name,
    clusterEndpoint: cluster.outputs.endpoint,
    clusterCertificateAuthorityData: cluster.outputs.certificateAuthorityData,
    ingressTargets: ingressPorts.map((port) => ({
      // A TargetGroupBinding's targetGroupARN is immutable: a new group gets a binding of its own.
      name: port.targetGroupSuffix ?? port.name,
      targetGroupArn: ingress.targetGroups[port.name].arn,
      servicePort: port.servicePort,
    })),
    loadBalancerControllerRoleArn,
    certManagerRoleArn,
  };
  new TerraformOutput(scope, 'cluster_endpoint', { value: cluster.cluster.endpoint });
  new TerraformOutput(scope, 'kubeconfig_command', {
    description:
      'Writes a kubeconfig entry for the management cluster (needs the AWS CLI and an admin principal)',
    value: `aws eks update-kubeconfig --region ${config.region} --name ${clusterName} --alias ${clusterName}`,
  });
  return { cluster, nodeGroup, ingress, outputs, backupRoleArn };
}
