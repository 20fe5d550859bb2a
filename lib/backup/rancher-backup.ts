import type { ITerraformDependable, TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import {
  ManifestsRelease,
  RancherBackupAddOn,
  RancherBackupCrdAddOn,
} from '../addons/cluster-addons';
import type { ClusterCredentials } from '../cluster/credentials';
import type { Toleration } from '../k8s/types';
import { EphemeralResource } from '../terraform/ephemeral';
import {
  BACKUP_NAMESPACE,
  BackupLocation,
  encryptionConfigSecret,
  encryptionProviderConfig,
  migrationRestore,
  recurringBackup,
  RecurringBackupOptions,
  restoreName,
} from './objects';
import { RestoreWait } from './restore-wait';
import type { ProxySettings } from '../airgap/proxy';

/** Where the operator runs and how it reaches the bucket. */
export interface BackupOperatorPlacement {
  /** EKS: the operator's IRSA role. @default - the node's instance role (RKE2) */
  readonly irsaRoleArn?: string;
  /** RKE2: the servers, whose role reaches the bucket. @default - any node */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /** @default - none */
  readonly tolerations?: readonly Toleration[];
}

export interface RancherBackupOperatorProps {
  readonly provider: TerraformProvider;
  readonly location: BackupLocation;
  /** Secrets Manager secret with the encryption key (read at apply time, never stored). */
  readonly encryptionKeySecretArn: string;
  readonly placement: BackupOperatorPlacement;
  /** Registry host of the operator's images. @default - the chart's (Docker Hub) */
  readonly systemDefaultRegistry?: string;
  /** HTTP proxy the operator reaches S3 through. @default - none */
  readonly proxy?: ProxySettings;
  /** @default - none */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * rancher-backup-crd, then rancher-backup in `cattle-resources-system`, and the Secret with the
 * encryption configuration. The key is read from Secrets Manager by an ephemeral resource and the
 * configuration around it is a write-only Helm value: it is in no plan, state or values file.
 */
export class RancherBackupOperator extends Construct {
  readonly crds: RancherBackupCrdAddOn;
  readonly operator: RancherBackupAddOn;
  readonly encryption: ManifestsRelease;
  readonly location: BackupLocation;
  private readonly provider: TerraformProvider;

  constructor(scope: Construct, id: string, props: RancherBackupOperatorProps) {
    super(scope, id);
    this.location = props.location;
    this.provider = props.provider;
    this.crds = new RancherBackupCrdAddOn(this, 'crds', {
      provider: props.provider,
      dependsOn: props.dependsOn,
    });
    this.operator = new RancherBackupAddOn(this, 'operator', {
      provider: props.provider,
      dependsOn: [this.crds.release],
      location: props.location,
      systemDefaultRegistry: props.systemDefaultRegistry,
      proxy: props.proxy,
      ...props.placement,
    });
    const key = new EphemeralResource(this, 'key', {
      type: 'aws_secretsmanager_secret_version',
      config: { secret_id: props.encryptionKeySecretArn },
    });
    const { secret, valuePath } = encryptionConfigSecret();
    this.encryption = new ManifestsRelease(this, 'encryption', {
      provider: props.provider,
      releaseName: 'rancher-backup-encryption',
      namespace: BACKUP_NAMESPACE,
      objects: [secret],
      writeOnlyValues: [
        {
          name: valuePath,
          value: encryptionProviderConfig(`\${base64encode(${key.reference('secret_string')})}`),
        },
      ],
      dependsOn: [this.crds.release],
    });
  }

  /** The recurring Backup, once `dependsOn` (Rancher) is installed. */
  addSchedule(
    id: string,
    options: Omit<RecurringBackupOptions, 'location'>,
    dependsOn: ITerraformDependable[],
  ): ManifestsRelease {
    return new ManifestsRelease(this, id, {
      provider: this.provider,
      releaseName: 'rancher-backup-schedule',
      namespace: BACKUP_NAMESPACE,
      objects: [recurringBackup({ ...options, location: this.location })],
      dependsOn: [this.operator.release, this.encryption.release, ...dependsOn],
    });
  }

  /**
   * The Restore of one backup (`prune: false`) and the bounded wait for it to complete; whatever
   * must come after the restore depends on the returned wait.
   */
  addRestore(
    id: string,
    options: {
      readonly backupFilename: string;
      readonly credentials: ClusterCredentials;
      /** @default 1800 */
      readonly timeoutSeconds?: number;
    },
  ): RestoreWait {
    const restore = new ManifestsRelease(this, id, {
      provider: this.provider,
      releaseName: 'rancher-restore',
      namespace: BACKUP_NAMESPACE,
      objects: [
        migrationRestore({ location: this.location, backupFilename: options.backupFilename }),
      ],
      dependsOn: [this.operator.release, this.encryption.release],
    });
    return new RestoreWait(this, `${id}-wait`, {
      restoreName: restoreName(options.backupFilename),
      timeoutSeconds: options.timeoutSeconds,
      credentials: options.credentials,
      dependsOn: [restore.release],
    });
  }
}
