import { Fn, ITerraformDependable, TerraformOutput, TerraformStack } from 'cdktf';
import * as path from 'node:path';
import { Construct } from 'constructs';
import {
  AwsLoadBalancerControllerAddOn,
  CertManagerAddOn,
  ManifestsRelease,
  TargetGroupBindingSpec,
  TraefikAddOn,
  TraefikNamespace,
  targetGroupBindingObjects,
} from '../lib/addons/cluster-addons';
import { TRAEFIK_INGRESS_CLASS, TRAEFIK_NAMESPACE } from '../lib/addons/traefik-values';
import { EnvironmentAwsProvider } from '../lib/aws/provider';
import { BackupOperatorPlacement, RancherBackupOperator } from '../lib/backup/rancher-backup';
import { ClusterAccess, ClusterHelmProvider } from '../lib/cluster/helm-access';
import { backupSettings, EnvironmentConfig } from '../lib/config/schema';
import { loadBalancerServicePolicyObjects } from '../lib/k8s/load-balancer-service-policy';
import { RKE2_SERVER_TOLERATION, RKE2_SERVER_NODE_SELECTOR } from '../lib/rke2/user-data';
import { RancherRelease } from '../lib/rancher/rancher-release';
import {
  PROJECT_RELEASES_NAMESPACE,
  RANCHER_NAMESPACE_RELEASE_NAME,
  rancherNamespaceObject,
} from '../lib/rancher/namespace';
import { EphemeralResource } from '../lib/terraform/ephemeral';
import { letsEncryptDns01Objects } from '../lib/tls/letsencrypt';
import type { OwnCertificateSource } from '../lib/tls/mode';
import { ownCertificateObjects } from '../lib/tls/own-certificate';
import { environmentProxy, environmentTlsPlan } from './environment-settings';

/** What the rancher stack takes from the management stack (cross-stack references). */
export interface RancherStackInputs {
  readonly access: ClusterAccess;
  readonly bootstrapPasswordSecretArn: string;
  readonly hostedZoneId: string;
  readonly zoneCount: number;
  readonly nodeCount: number;
  /** EKS only: the ingress controller and its load balancer registration. */
  readonly eks?: {
    readonly clusterName: string;
    readonly vpcId: string;
    readonly loadBalancerControllerRoleArn: string;
    readonly ingressTargets: TargetGroupBindingSpec[];
    readonly certManagerRoleArn?: string;
  };
  /** Set when backup.enabled: the bucket, the key and (EKS) the operator's IRSA role. */
  readonly backup?: {
    readonly bucketName: string;
    readonly folder: string;
    readonly region: string;
    readonly encryptionKeySecretArn: string;
    /** EKS only; on RKE2 the operator runs on servers and uses their role. */
    readonly operatorRoleArn?: string;
  };
}

export interface RancherStackProps {
  readonly config: EnvironmentConfig;
  readonly inputs: RancherStackInputs;
  readonly emulatorEndpoint?: string;
  /**
   * Restore this backup file (in the environment's backup folder) before Rancher is installed:
   * the operator and a Restore (prune false) first, Rancher only once it has completed
   * (`npm run env:restore`, docs/backup.md).
   * @default - no restore
   */
  readonly restoreBackup?: string;
  /** Longest wait for the Restore to complete. @default 1800 */
  readonly restoreTimeoutSeconds?: number;
}

export const MAX_DEFAULT_RANCHER_REPLICAS = 3;

/**
 * `<env>-rancher`: the admission policy against LoadBalancer Services, the ingress controller
 * (EKS), cert-manager when the TLS mode needs it, the certificate objects of the mode, and Rancher,
 * in that order.
 */
export class RancherStack extends TerraformStack {
  readonly rancher: RancherRelease;

  constructor(scope: Construct, id: string, props: RancherStackProps) {
    super(scope, id);
    const { config, inputs } = props;
    const tls = environmentTlsPlan(config);
    const systemDefaultRegistry = config.registry?.systemDefault;
    const proxy = environmentProxy(config);
    new EnvironmentAwsProvider(this, 'aws', { config, emulatorEndpoint: props.emulatorEndpoint });
    const cluster = new ClusterHelmProvider(this, 'cluster', { access: inputs.access });
    const helm = cluster.provider;
    const beforeRancher: ITerraformDependable[] = [];
    const backup = backupSettings(config.backup);
    if (props.restoreBackup && !(backup && inputs.backup)) {
      throw new Error(
        `Restoring ${props.restoreBackup} needs backup.enabled: true in the environment file (the bucket, key and operator come with it).`,
      );
    }
    const backupOperator =
      backup && inputs.backup
        ? new RancherBackupOperator(this, 'rancher-backup', {
            provider: helm,
            location: {
              bucketName: inputs.backup.bucketName,
              region: inputs.backup.region,
              folder: inputs.backup.folder,
            },
            encryptionKeySecretArn: inputs.backup.encryptionKeySecretArn,
            placement: backupPlacement(inputs),
            systemDefaultRegistry,
            proxy,
          })
        : undefined;
    if (backupOperator && props.restoreBackup) {
      // Rancher's migration order: operator, Restore (prune false), then Rancher.
      const restored = backupOperator.addRestore('restore', {
        backupFilename: props.restoreBackup,
        credentials: cluster.credentials,
        timeoutSeconds: props.restoreTimeoutSeconds,
      });
      beforeRancher.push(restored.resource);
    }

    // No Service of type LoadBalancer: on EKS the control plane's cloud controller would create a
    // load balancer outside Terraform for it. EKS and RKE2 alike.
    new ManifestsRelease(this, 'load-balancer-service-policy', {
      provider: helm,
      releaseName: 'load-balancer-service-policy',
      namespace: 'kube-system',
      objects: loadBalancerServicePolicyObjects({
        allowedNamespaces: config.management.allowLoadBalancerServicesIn,
      }),
    });

    if (inputs.eks) {
      const controller = new AwsLoadBalancerControllerAddOn(this, 'aws-load-balancer-controller', {
        provider: helm,
        clusterName: inputs.eks.clusterName,
        region: config.region,
        vpcId: inputs.eks.vpcId,
        irsaRoleArn: inputs.eks.loadBalancerControllerRoleArn,
        systemDefaultRegistry,
      });
      const namespace = new TraefikNamespace(this, 'traefik-namespace', { provider: helm });
      // Bindings before Traefik: the controller injects readiness gates only into pods created
      // while a binding for their Service exists. A binding waits for the Service to appear.
      const bindings = new ManifestsRelease(this, 'target-group-bindings', {
        provider: helm,
        releaseName: 'traefik-target-groups',
        namespace: TRAEFIK_NAMESPACE,
        objects: targetGroupBindingObjects(inputs.eks.ingressTargets),
        dependsOn: [controller.release, namespace.release],
      });
      const traefik = new TraefikAddOn(this, 'traefik', {
        provider: helm,
        namespace,
        replicas: Math.min(MAX_DEFAULT_RANCHER_REPLICAS, inputs.nodeCount),
        tlsOffload: tls.acm,
        systemDefaultRegistry,
        dependsOn: [bindings.release],
      });
      beforeRancher.push(traefik.release);
    }

    // Before anything goes into cattle-system; the project's releases keep their records apart.
    const rancherNamespace = new ManifestsRelease(this, 'rancher-namespace', {
      provider: helm,
      releaseName: RANCHER_NAMESPACE_RELEASE_NAME,
      namespace: PROJECT_RELEASES_NAMESPACE,
      objects: [rancherNamespaceObject()],
    });
    beforeRancher.push(rancherNamespace.release);

    if (tls.needsCertManager) {
      const certManager = new CertManagerAddOn(this, 'cert-manager', {
        provider: helm,
        irsaRoleArn: inputs.eks?.certManagerRoleArn,
        systemDefaultRegistry,
      });
      beforeRancher.push(certManager.release);
      if (tls.letsEncryptDns01) {
        const certificate = new ManifestsRelease(this, 'rancher-certificate', {
          provider: helm,
          releaseName: 'rancher-certificate',
          namespace: PROJECT_RELEASES_NAMESPACE,
          objects: letsEncryptDns01Objects({
            ...tls.letsEncryptDns01,
            hostname: config.dns.hostname,
            region: config.region,
            hostedZoneId: inputs.hostedZoneId,
          }),
          dependsOn: [certManager.release, rancherNamespace.release],
        });
        beforeRancher.push(certificate.release);
      }
    }

    if (tls.bringYourOwn) {
      const own = ownCertificateObjects(tls.bringYourOwn.privateCA);
      const values = this.ownCertificateValues(tls.bringYourOwn);
      const secret = new ManifestsRelease(this, 'rancher-tls-secret', {
        provider: helm,
        releaseName: 'rancher-tls',
        namespace: PROJECT_RELEASES_NAMESPACE,
        objects: own.objects,
        // Write-only values reach Helm only when this grows: bump it to push a renewed certificate.
        writeOnlyRevision: tls.bringYourOwn.revision,
        dependsOn: [rancherNamespace.release],
        writeOnlyValues: [
          { name: own.valuePaths.certificate, value: values.certificate },
          { name: own.valuePaths.key, value: values.key },
          ...(own.valuePaths.ca && values.ca
            ? [{ name: own.valuePaths.ca, value: values.ca }]
            : []),
        ],
      });
      beforeRancher.push(secret.release);
    }

    this.rancher = new RancherRelease(this, 'rancher', {
      provider: helm,
      version: config.rancher.version,
      hostname: config.dns.hostname,
      replicas: config.rancher.replicas ?? Math.min(MAX_DEFAULT_RANCHER_REPLICAS, inputs.nodeCount),
      tls: tls.rancher,
      ingressClassName: TRAEFIK_INGRESS_CLASS,
      zoneCount: inputs.zoneCount,
      systemDefaultRegistry,
      proxy,
      extraValues: config.rancher.extraValues,
      bootstrapPasswordSecretArn: inputs.bootstrapPasswordSecretArn,
      dependsOn: beforeRancher,
    });
    if (backupOperator && backup) {
      // The Backup's ResourceSets name Rancher's objects: back up once Rancher is there.
      backupOperator.addSchedule(
        'backup-schedule',
        {
          schedule: backup.schedule,
          retentionCount: backup.retentionCount,
          resourceSet: backup.resourceSet,
        },
        [this.rancher.release],
      );
    }

    new TerraformOutput(this, 'rancher_url', { value: `https://${config.dns.hostname}` });
    new TerraformOutput(this, 'agent_tls_mode', {
      description: 'Agent TLS verification this TLS mode needs (Rancher setting agent-tls-mode)',
      value: tls.agentTlsMode,
    });
  }

  /** Certificate, key and CA: files read by Terraform at apply, or a Secrets Manager secret. */
  private ownCertificateValues(secret: OwnCertificateSource) {
    if (secret.secretsManagerArn) {
      const stored = new EphemeralResource(this, 'own-certificate', {
        type: 'aws_secretsmanager_secret_version',
        config: { secret_id: secret.secretsManagerArn },
      });
      const field = (name: string) =>
        `\${jsondecode(${stored.reference('secret_string')}).${name}}`;
      return {
        certificate: field('certificate'),
        key: field('key'),
        ca: secret.privateCA ? field('ca') : undefined,
      };
    }
    // Absolute paths: Terraform runs in the synthesized stack directory, not where cdktf ran.
    const file = (name?: string) => (name ? Fn.file(path.resolve(name)) : undefined);
    return {
      certificate: file(secret.certificateFile) ?? '',
      key: file(secret.keyFile) ?? '',
      ca: secret.privateCA ? file(secret.caFile) : undefined,
    };
  }
}

/** EKS: IRSA. RKE2: on servers (their role reaches the bucket), tolerating their taint. */
function backupPlacement(inputs: RancherStackInputs): BackupOperatorPlacement {
  if (inputs.backup?.operatorRoleArn) return { irsaRoleArn: inputs.backup.operatorRoleArn };
  return { nodeSelector: RKE2_SERVER_NODE_SELECTOR, tolerations: [RKE2_SERVER_TOLERATION] };
}
