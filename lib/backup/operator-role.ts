import { Construct } from 'constructs';
import {
  RANCHER_BACKUP_NAMESPACE,
  RANCHER_BACKUP_SERVICE_ACCOUNT,
} from '../addons/rancher-backup-values';
import { IrsaRole } from '../eks/irsa-role';
import { resourceName } from '../naming/names';
import { backupBucketStatements } from './permissions';

export interface BackupOperatorRoleProps {
  readonly clusterName: string;
  readonly oidcProviderArn: string;
  readonly oidcIssuerUrl: string;
  readonly bucketArn: string;
  /** Key prefix of the backups in the bucket. */
  readonly folder: string;
}

/**
 * IRSA role of the rancher-backup operator on EKS: only its service account
 * (`cattle-resources-system/rancher-backup`) of this cluster may assume it, and it reaches only the
 * backup folder of the backup bucket.
 */
export class BackupOperatorRole extends Construct {
  readonly roleArn: string;

  constructor(scope: Construct, id: string, props: BackupOperatorRoleProps) {
    super(scope, id);
    const irsa = new IrsaRole(this, 'irsa', {
      roleName: resourceName(props.clusterName, 'rancher-backup', 'iamRole'),
      oidcProviderArn: props.oidcProviderArn,
      oidcIssuerUrl: props.oidcIssuerUrl,
      namespace: RANCHER_BACKUP_NAMESPACE,
      serviceAccount: RANCHER_BACKUP_SERVICE_ACCOUNT,
      statements: backupBucketStatements(props.bucketArn, props.folder),
    });
    this.roleArn = irsa.role.arn;
  }
}
