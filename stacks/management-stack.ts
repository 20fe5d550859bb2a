import { TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { TRAEFIK_SERVICE } from '../lib/addons/traefik-values';
import { DEFAULT_EMULATOR_ENDPOINT, EnvironmentAwsProvider } from '../lib/aws/provider';
import { EMULATOR_TOKEN_ENVIRONMENT } from '../lib/cluster/eks-exec';
import type { ClusterAccess } from '../lib/cluster/helm-access';
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
import { Rke2ManagementCluster } from '../lib/rke2/cluster';
import { KubeconfigWait } from '../lib/rke2/kubeconfig-wait';
import { GeneratedSecret } from '../lib/secrets/bootstrap-password';
import { DnsValidatedCertificate } from '../lib/tls/acm-certificate';
import { CertManagerDnsRole } from '../lib/tls/cert-manager-dns-role';
import { isThrowAway } from '../lib/environments/protection';
import { environmentTlsPlan, rke2NodeSettings } from './environment-settings';

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

/** RKE2-only outputs. */
export interface Rke2ManagementOutputs {
  /** The secret the seed server publishes the admin kubeconfig to. */
  readonly kubeconfigSecretArn: string;
  /** DNS name of the internal load balancer in front of the servers (9345 and 6443). */
  readonly registrationAddress: string;
}

/** What the rancher and downstream stacks take from the management stack. */
export interface ManagementOutputs {
  readonly clusterName: string;
  /** How the Helm and Kubernetes providers of later stacks reach the management cluster. */
  readonly access: ClusterAccess;
  readonly vpcId: string;
  readonly bootstrapPasswordSecretArn: string;
  readonly hostedZoneId: string;
  readonly zoneCount: number;
  /** Nodes that take Rancher's pods (the default replica count is min(3, nodeCount)). */
  readonly nodeCount: number;
  /** Set when management.distribution is eks. */
  readonly eks?: EksManagementOutputs;
  /** Set when management.distribution is rke2. */
  readonly rke2?: Rke2ManagementOutputs;
}

/** `<env>-management`: network, management cluster, load balancer, DNS, certificates, secrets. */
export class ManagementStack extends TerraformStack {
  readonly network: Network;
  /** EKS only. */
  readonly cluster?: EksManagementCluster;
  /** EKS only. */
  readonly nodeGroup?: ManagedNodeGroup;
  /** RKE2 only. */
  readonly rke2?: Rke2ManagementCluster;
  /** RKE2 only: the apply ends once the seed server has published the kubeconfig. */
  readonly kubeconfigWait?: KubeconfigWait;
  readonly ingress: ClusterLoadBalancer;
  readonly dns: RancherDns;
  readonly bootstrapPassword: GeneratedSecret;
  readonly certificate?: DnsValidatedCertificate;
  readonly outputs: ManagementOutputs;

  constructor(scope: Construct, id: string, props: ManagementStackProps) {
    super(scope, id);
    const { config } = props;
    const isRke2 = config.management.distribution === 'rke2';
    const clusterName = resourceName(config.name, 'management', 'eksCluster');
    new EnvironmentAwsProvider(this, 'aws', { config, emulatorEndpoint: props.emulatorEndpoint });

    this.network = new Network(this, 'network', {
      namePrefix: config.name,
      ...config.network,
      clusterNames: isRke2 ? [] : [clusterName],
    });

    // Private zone (when created) first: ACM validation records go there too.
    const zoneName = config.dns.privateZoneName ?? parentDomain(config.dns.hostname);
    this.dns = new RancherDns(this, 'dns', {
      hostname: config.dns.hostname,
      hostedZoneId: config.dns.hostedZoneId,
      privateZoneName: config.dns.hostedZoneId ? undefined : zoneName,
      vpcId: this.network.outputs.vpcId,
    });

    if (environmentTlsPlan(config).acm) {
      this.certificate = new DnsValidatedCertificate(this, 'certificate', {
        hostname: config.dns.hostname,
        hostedZoneId: this.dns.zoneId,
      });
    }

    const throwAway = isThrowAway(config);
    this.bootstrapPassword = new GeneratedSecret(this, 'bootstrap-password', {
      name: `${config.name}/rancher/bootstrap-password`,
      description: `Rancher bootstrap admin password of environment ${config.name}`,
      recoveryWindowDays: throwAway ? 0 : 7,
    });

    const common = {
      vpcId: this.network.outputs.vpcId,
      bootstrapPasswordSecretArn: this.bootstrapPassword.secret.arn,
      hostedZoneId: this.dns.zoneId,
      zoneCount: this.network.outputs.availabilityZones.length,
    };
    if (isRke2) {
      const built = this.buildRke2(config, clusterName, throwAway, props.emulatorEndpoint);
      this.rke2 = built.cluster;
      this.kubeconfigWait = built.wait;
      this.ingress = built.cluster.ingress;
      const kubeconfigSecretArn = built.cluster.outputs.kubeconfigSecretArn;
      this.outputs = {
        ...common,
        clusterName,
        access: { kind: 'kubeconfigSecret', secretArn: kubeconfigSecretArn },
        nodeCount: built.cluster.outputs.schedulableNodeCount,
        rke2: {
          kubeconfigSecretArn,
          registrationAddress: built.cluster.outputs.registrationAddress,
        },
      };
    } else {
      const built = this.buildEks(config, clusterName);
      this.cluster = built.cluster;
      this.nodeGroup = built.nodeGroup;
      this.ingress = built.ingress;
      this.outputs = {
        ...common,
        clusterName: built.cluster.cluster.name,
        access: {
          kind: 'eks',
          clusterName: built.cluster.cluster.name,
          region: config.region,
          endpoint: built.cluster.outputs.endpoint,
          certificateAuthorityData: built.cluster.outputs.certificateAuthorityData,
          tokenEnvironment: config.target === 'local' ? EMULATOR_TOKEN_ENVIRONMENT : undefined,
        },
        nodeCount: config.management.eks.nodeGroup.desiredSize,
        eks: built.outputs,
      };
    }
    this.dns.addAlias(this.ingress.loadBalancer.dnsName, this.ingress.loadBalancer.zoneId);

    new TerraformOutput(this, 'rancher_url', {
      description: 'Where Rancher answers once the rancher stack is deployed',
      value: `https://${config.dns.hostname}`,
    });
    new TerraformOutput(this, 'cluster_name', { value: this.outputs.clusterName });
    new TerraformOutput(this, 'load_balancer_dns_name', {
      value: this.ingress.loadBalancer.dnsName,
    });
    new TerraformOutput(this, 'vpc_id', { value: this.network.vpc.id });
    new TerraformOutput(this, 'bootstrap_password_command', {
      description: "Prints Rancher's first admin password (the value itself is never an output)",
      value: `aws secretsmanager get-secret-value --region ${config.region} --secret-id ${config.name}/rancher/bootstrap-password --query SecretString --output text`,
    });
  }

  /** The EKS cluster, its node group, the ingress load balancer and the add-ons' IRSA roles. */
  private buildEks(config: EnvironmentConfig, clusterName: string) {
    const eks = config.management.eks;
    const tls = environmentTlsPlan(config);
    const cluster = new EksManagementCluster(this, 'eks', {
      clusterName,
      kubernetesVersion: config.management.kubernetesVersion,
      vpcId: this.network.outputs.vpcId,
      subnetIds: this.network.outputs.privateSubnetIds,
      endpointAccess: eks.endpointAccess,
      publicAccessCidrs: eks.publicAccessCidrs,
      adminPrincipalArns: [...eks.adminRoleArns, ...eks.adminUserArns],
    });

    const nodeGroup = new ManagedNodeGroup(this, 'nodes', {
      clusterName: cluster.cluster.name,
      subnetIds: this.network.outputs.privateSubnetIds,
      securityGroupIds: [cluster.nodeSecurityGroup.id],
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
        targetPort: this.certificate
          ? EKS_INGRESS_TARGET_PORTS.http
          : EKS_INGRESS_TARGET_PORTS.https,
        servicePort: this.certificate ? TRAEFIK_SERVICE.ports.web : TRAEFIK_SERVICE.ports.websecure,
        allowedCidrs: config.ingress.allowedCidrs,
        certificateArn: this.certificate?.certificateArn,
      },
    ];
    const internal = config.ingress.scheme === 'internal';
    const ingress = new ClusterLoadBalancer(this, 'ingress', {
      name: resourceName(config.name, 'ingress', 'loadBalancer'),
      targetGroupPrefix: config.name,
      vpcId: this.network.outputs.vpcId,
      subnetIds: internal
        ? this.network.outputs.privateSubnetIds
        : this.network.outputs.publicSubnetIds,
      scheme: config.ingress.scheme,
      targetType: 'ip',
      targetSecurityGroupId: cluster.nodeSecurityGroup.id,
      deletionProtection: config.protected,
      ports: ingressPorts,
    });

    const loadBalancerControllerRoleArn = new LoadBalancerControllerRole(this, 'lb-controller', {
      clusterName,
      oidcProviderArn: cluster.outputs.oidcProviderArn,
      oidcIssuerUrl: cluster.outputs.oidcIssuerUrl,
      targetGroupArns: Object.values(ingress.targetGroups).map((tg) => tg.arn),
    }).roleArn;

    const certManagerRoleArn = tls.letsEncryptDns01
      ? new CertManagerDnsRole(this, 'cert-manager-dns', {
          clusterName,
          oidcProviderArn: cluster.outputs.oidcProviderArn,
          oidcIssuerUrl: cluster.outputs.oidcIssuerUrl,
          hostedZoneId: this.dns.zoneId,
          hostname: config.dns.hostname,
        }).roleArn
      : undefined;

    const outputs: EksManagementOutputs = {
      clusterName: cluster.cluster.name,
      clusterEndpoint: cluster.outputs.endpoint,
      clusterCertificateAuthorityData: cluster.outputs.certificateAuthorityData,
      ingressTargets: ingressPorts.map((port) => ({
        name: port.name,
        targetGroupArn: ingress.targetGroups[port.name].arn,
        servicePort: port.servicePort,
      })),
      loadBalancerControllerRoleArn,
      certManagerRoleArn,
    };
    new TerraformOutput(this, 'cluster_endpoint', { value: cluster.cluster.endpoint });
    new TerraformOutput(this, 'kubeconfig_command', {
      description:
        'Writes a kubeconfig entry for the management cluster (needs the AWS CLI and an admin principal)',
      value: `aws eks update-kubeconfig --region ${config.region} --name ${clusterName} --alias ${clusterName}`,
    });
    return { cluster, nodeGroup, ingress, outputs };
  }

  /**
   * The RKE2 cluster (servers, agents, registration and ingress load balancers, join token,
   * kubeconfig secret, snapshot bucket, bastion when asked) and the bounded wait for the
   * kubeconfig the seed server publishes, which depends on every node group.
   */
  private buildRke2(
    config: EnvironmentConfig,
    clusterName: string,
    throwAway: boolean,
    emulatorEndpoint: string | undefined,
  ) {
    const rke2 = config.management.rke2;
    if (!rke2) {
      throw new Error(
        `management.rke2 of environment ${config.name} is missing; the config loader fills it in when distribution is rke2.`,
      );
    }
    if (environmentTlsPlan(config).letsEncryptDns01) {
      throw new Error(
        "rancher.tls.letsEncrypt.challenge dns01 is not supported with management.distribution rke2: there is no IRSA, and cert-manager would need the nodes' role; use http01 with a public zone, acm, or secret.",
      );
    }
    const cluster = new Rke2ManagementCluster(this, 'rke2', {
      clusterName,
      secretNamePrefix: config.name,
      loadBalancerNamePrefix: config.name,
      region: config.region,
      vpcId: this.network.outputs.vpcId,
      vpcCidr: this.network.outputs.vpcCidr,
      privateSubnetIds: this.network.outputs.privateSubnetIds,
      publicSubnetIds: this.network.outputs.publicSubnetIds,
      ingress: {
        scheme: config.ingress.scheme,
        allowedCidrs: config.ingress.allowedCidrs,
        certificateArn: this.certificate?.certificateArn,
      },
      ...rke2NodeSettings(rke2),
      tlsSans: [config.dns.hostname],
      throwAway,
      deletionProtection: config.protected,
      instanceTags: standardTags({
        environment: config.name,
        owner: config.owner,
        expiresAt: config.expiresAt,
        protected: config.protected,
        extra: config.tags,
      }),
    });
    const local = config.target === 'local';
    const wait = new KubeconfigWait(this, 'kubeconfig-wait', {
      secretArn: cluster.outputs.kubeconfigSecretArn,
      region: config.region,
      timeoutSeconds: rke2.kubeconfigWaitSeconds,
      endpoint: local ? (emulatorEndpoint ?? DEFAULT_EMULATOR_ENDPOINT) : undefined,
      // The emulator accepts any key pair; these are not secrets.
      environment: local
        ? { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' }
        : undefined,
      dependsOn: cluster.autoScalingGroups,
    });

    const region = config.region;
    new TerraformOutput(this, 'registration_address', {
      description: 'Internal load balancer in front of the RKE2 servers (9345 join, 6443 API)',
      value: cluster.outputs.registrationAddress,
    });
    new TerraformOutput(this, 'etcd_snapshot_bucket', {
      value: cluster.outputs.snapshotBucketName,
    });
    new TerraformOutput(this, 'kubeconfig_command', {
      description:
        'Writes the admin kubeconfig the first server published (its API answers inside the VPC only)',
      value: `aws secretsmanager get-secret-value --region ${region} --secret-id ${config.name}/rke2/kubeconfig --query SecretString --output text > kubeconfig && chmod 600 kubeconfig`,
    });
    new TerraformOutput(this, 'ssm_session_command', {
      description: 'Opens a shell on the seed server through Session Manager (no SSH)',
      value: `aws ssm start-session --region ${region} --target $(aws autoscaling describe-auto-scaling-groups --region ${region} --auto-scaling-group-names ${clusterName}-seed --query 'AutoScalingGroups[0].Instances[0].InstanceId' --output text)`,
    });
    if (cluster.bastion) {
      new TerraformOutput(this, 'bastion_public_ip', { value: cluster.bastion.publicIp.publicIp });
    }
    return { cluster, wait };
  }
}
