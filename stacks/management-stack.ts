import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { EnvironmentAwsProvider } from '../lib/aws/provider';
import { RancherBackupStorage } from '../lib/backup/backup-storage';
import { EMULATOR_TOKEN_ENVIRONMENT } from '../lib/cluster/eks-exec';
import type { ClusterAccess } from '../lib/cluster/helm-access';
import { backupSettings, createdZoneName, EnvironmentConfig } from '../lib/config/schema';
import { RancherDns } from '../lib/dns/rancher-dns';
import { EksManagementCluster } from '../lib/eks/cluster';
import { ManagedNodeGroup } from '../lib/eks/node-group';
import { ClusterLoadBalancer } from '../lib/ingress/load-balancer';
import { platformSources, RancherIngressAccess } from '../lib/ingress/platform-sources';
import { resourceName } from '../lib/naming/names';
import { Network } from '../lib/network/network';
import { Rke2ManagementCluster } from '../lib/rke2/cluster';
import { KubeconfigWait } from '../lib/rke2/kubeconfig-wait';
import { GeneratedSecret } from '../lib/secrets/bootstrap-password';
import { DnsValidatedCertificate } from '../lib/tls/acm-certificate';
import { isThrowAway, secretRecoveryWindowDays } from '../lib/environments/protection';
import { environmentProxy, environmentTlsPlan } from './environment-settings';
import { buildEksManagement, EksManagementOutputs } from './management-eks';
import { buildRke2Management } from './management-rke2';
import { InVpcDeployer, InVpcDeployerOutputs } from '../lib/deployer/deployer';
import type { RoutedVpc } from '../lib/deployer/downstream-access';
import { environmentStackRoles } from '../lib/environments/reach';
import { stateBucketName, stateKeyPrefix } from '../lib/state/backend';

export interface ManagementStackProps {
  readonly config: EnvironmentConfig;
  /** Emulator base URL for the `local` target. */
  readonly emulatorEndpoint?: string;
}

/** RKE2-only outputs. */
export interface Rke2ManagementOutputs {
  /** The secret the seed server publishes the admin kubeconfig to. */
  readonly kubeconfigSecretArn: string;
  /** DNS name of the internal load balancer in front of the servers (9345 and 6443). */
  readonly registrationAddress: string;
}

/** Where Rancher's backups go and what reaches them (when `backup.enabled`). */
export interface BackupOutputs {
  readonly bucketName: string;
  readonly folder: string;
  readonly region: string;
  readonly encryptionKeySecretArn: string;
  /** EKS: the operator's IRSA role. RKE2: none (the servers' role). */
  readonly operatorRoleArn?: string;
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
  /** Rancher's load balancer: downstream cluster stacks allow their NAT addresses to it. */
  readonly ingress: RancherIngressAccess;
  /** The management VPC with its private route tables (downstream VPCs peer with it). */
  readonly routedVpc: RoutedVpc;
  /** The management VPC's NAT addresses: where the deployer reaches public cluster endpoints from. */
  readonly natPublicIps: string[];
  /** Set when deployer.enabled. */
  readonly deployer?: InVpcDeployerOutputs;
  /** Set when backup.enabled. */
  readonly backup?: BackupOutputs;
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
  /** The in-VPC deployer of the in-cluster stacks (deployer.enabled). */
  readonly deployer?: InVpcDeployer;
  /** The backup bucket and encryption key, when backup.enabled. */
  readonly backup?: RancherBackupStorage;
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
    });

    // Private zone (when created) first: ACM validation records go there too.
    this.dns = new RancherDns(this, 'dns', {
      hostname: config.dns.hostname,
      hostedZoneId: config.dns.hostedZoneId,
      privateZoneName: config.dns.hostedZoneId ? undefined : createdZoneName(config.dns),
      vpcId: this.network.outputs.vpcId,
    });

    if (environmentTlsPlan(config).acm) {
      this.certificate = new DnsValidatedCertificate(this, 'certificate', {
        hostname: config.dns.hostname,
        hostedZoneId: this.dns.zoneId,
      });
    }

    // The platform's own clients (cert-manager's self check, Rancher's agent) reach Rancher
    // through its load balancer too: they are allowed beside a restricted allow-list.
    const ingressSources = [
      ...config.ingress.allowedCidrs,
      ...platformSources({
        scheme: config.ingress.scheme,
        allowedCidrs: config.ingress.allowedCidrs,
        natPublicIps: this.network.outputs.natPublicIps,
        vpcCidr: this.network.outputs.vpcCidr,
      }),
    ];
    const throwAway = isThrowAway(config);
    this.bootstrapPassword = new GeneratedSecret(this, 'bootstrap-password', {
      name: `${config.name}/rancher/bootstrap-password`,
      description: `Rancher bootstrap admin password of environment ${config.name}`,
      recoveryWindowDays: secretRecoveryWindowDays(config),
    });

    const backup = backupSettings(config.backup);
    if (backup) {
      const suffix = 'rancher-backups';
      // The account id is a token: check the length with a 12-digit stand-in.
      resourceName(config.name, `${suffix}-${'0'.repeat(12)}`, 's3Bucket');
      const account = new DataAwsCallerIdentity(this, 'account').accountId;
      this.backup = new RancherBackupStorage(this, 'rancher-backup', {
        bucketName: `${config.name}-${suffix}-${account}`,
        keySecretName: `${config.name}/rancher/backup-encryption-key`,
        owner: `environment ${config.name}`,
        throwAway,
        protectedEnvironment: config.protected,
        noncurrentVersionDays: backup.noncurrentVersionDays,
      });
    }

    const network = this.network.outputs;
    const common = {
      vpcId: network.vpcId,
      bootstrapPasswordSecretArn: this.bootstrapPassword.secret.arn,
      hostedZoneId: this.dns.zoneId,
      zoneCount: network.availabilityZones.length,
      routedVpc: {
        vpcId: network.vpcId,
        vpcCidr: network.vpcCidr,
        routeTableIds: network.privateRouteTableIds,
      },
      natPublicIps: network.natPublicIps,
    };
    if (isRke2) {
      const built = buildRke2Management(this, {
        config,
        clusterName,
        network: this.network,
        certificate: this.certificate,
        ingressSources,
        throwAway,
        emulatorEndpoint: props.emulatorEndpoint,
        backup: this.backup,
      });
      this.rke2 = built.cluster;
      this.kubeconfigWait = built.wait;
      this.ingress = built.cluster.ingress;
      const kubeconfigSecretArn = built.cluster.outputs.kubeconfigSecretArn;
      this.outputs = {
        ...common,
        clusterName,
        ingress: ingressAccess(built.cluster.ingress),
        access: { kind: 'kubeconfigSecret', secretArn: kubeconfigSecretArn },
        nodeCount: built.cluster.outputs.schedulableNodeCount,
        rke2: {
          kubeconfigSecretArn,
          registrationAddress: built.cluster.outputs.registrationAddress,
        },
        backup: this.backupOutputs(config, undefined),
      };
    } else {
      const built = buildEksManagement(this, {
        config,
        clusterName,
        network: this.network,
        dns: this.dns,
        certificate: this.certificate,
        ingressSources,
        backup: this.backup,
      });
      this.cluster = built.cluster;
      this.nodeGroup = built.nodeGroup;
      this.ingress = built.ingress;
      this.outputs = {
        ...common,
        clusterName: built.cluster.cluster.name,
        ingress: ingressAccess(built.ingress),
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
        backup: this.backupOutputs(config, built.backupRoleArn),
      };
    }
    this.dns.addAlias(this.ingress.loadBalancer.dnsName, this.ingress.loadBalancer.zoneId);

    if (config.deployer.enabled) {
      this.deployer = this.buildDeployer(config);
      this.outputs = { ...this.outputs, deployer: this.deployer.outputs };
      new TerraformOutput(this, 'deployer_project', {
        description: 'CodeBuild project that applies the in-cluster stacks (npm run env:deploy)',
        value: this.deployer.outputs.projectName,
      });
    }

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
    if (this.backup) {
      new TerraformOutput(this, 'backup_bucket', {
        description: "Where rancher-backup writes Rancher's backups (folder rancher/)",
        value: this.backup.outputs.bucketName,
      });
      new TerraformOutput(this, 'backup_encryption_key_command', {
        description:
          'Prints the backup encryption key (keep a copy outside the environment: no backup is readable without it)',
        value: `aws secretsmanager get-secret-value --region ${config.region} --secret-id ${config.name}/rancher/backup-encryption-key --query SecretString --output text`,
      });
    }
  }

  private backupOutputs(
    config: EnvironmentConfig,
    operatorRoleArn: string | undefined,
  ): BackupOutputs | undefined {
    if (!this.backup) return undefined;
    return {
      bucketName: this.backup.outputs.bucketName,
      folder: this.backup.outputs.folder,
      region: config.region,
      encryptionKeySecretArn: this.backup.outputs.encryptionKeySecretArn,
      operatorRoleArn,
    };
  }

  /**
   * The CodeBuild deployer in the private subnets, allowed to apply exactly the in-cluster stacks
   * and to read the secrets they read; on EKS also an access entry and 443 to the private endpoint.
   */
  private buildDeployer(config: EnvironmentConfig): InVpcDeployer {
    const secrets = [this.bootstrapPassword.secret.arn];
    if (this.rke2) secrets.push(this.rke2.outputs.kubeconfigSecretArn);
    const ownCertificate = environmentTlsPlan(config).bringYourOwn?.secretsManagerArn;
    if (ownCertificate) secrets.push(ownCertificate);
    // The rancher stack reads the backup encryption key at apply time.
    if (this.backup) secrets.push(this.backup.outputs.encryptionKeySecretArn);
    const s3State = config.state.backend === 's3';
    return new InVpcDeployer(this, 'deployer', {
      environment: config.name,
      region: config.region,
      vpcId: this.network.outputs.vpcId,
      subnetIds: this.network.outputs.privateSubnetIds,
      // Local state cannot be shared with CodeBuild: without a bucket the role gets no state
      // access and env:deploy refuses the in-VPC path.
      state: s3State
        ? { bucket: stateBucketName(config), keyPrefix: stateKeyPrefix(config) }
        : undefined,
      stacks: environmentStackRoles(config).inCluster.map((stack) => stack.name),
      secretArns: secrets,
      eks: this.cluster && {
        clusterName: this.cluster.cluster.name,
        controlPlaneSecurityGroupId: this.cluster.controlPlaneSecurityGroup.id,
      },
      protectedEnvironment: config.protected,
      computeType: config.deployer.computeType,
      buildTimeoutMinutes: config.deployer.buildTimeoutMinutes,
      logRetentionDays: config.deployer.logRetentionDays,
      proxy: environmentProxy(config),
    });
  }
}

/** What a downstream cluster stack needs to let its NAT addresses in. */
function ingressAccess(loadBalancer: ClusterLoadBalancer): RancherIngressAccess {
  return {
    securityGroupId: loadBalancer.securityGroup.id,
    listenerPorts: loadBalancer.listenerPorts,
  };
}
