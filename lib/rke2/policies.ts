/**
 * IAM permissions of RKE2 node roles, scoped to one cluster's secrets and snapshot bucket.
 * Pure: no cdktf imports (ARNs may be unresolved tokens).
 */
import { backupBucketStatements } from '../backup/permissions';
import { bucketFolderStatements } from '../storage/bucket-folder-access';
import type { PolicyStatement } from '../iam/policy';
import type { Rke2Role } from './user-data';

/** The AWS managed policy that lets Session Manager reach a node (no SSH keys, no port 22). */
export const SSM_MANAGED_POLICY = 'AmazonSSMManagedInstanceCore';

export interface Rke2NodePermissions {
  readonly role: Rke2Role;
  /** The join token secret; every node reads it at boot. */
  readonly tokenSecretArn: string;
  /** The full (CA-pinned) join token; the seed writes it, every node reads it. */
  readonly fullTokenSecretArn: string;
  /** The kubeconfig secret; only the seed reads and writes it. */
  readonly kubeconfigSecretArn?: string;
  /**
   * The private registry's credentials; every node reads them at boot.
   * @default - none
   */
  readonly registryCredentialsSecretArn?: string;
  /** The etcd snapshot bucket; servers only. */
  readonly snapshotBucketArn?: string;
  /** Key prefix of this cluster's snapshots in the bucket (no slashes around it). */
  readonly snapshotFolder?: string;
  /**
   * The rancher-backup bucket; servers only (the operator runs on them and uses their role).
   * @default - none
   */
  readonly backupBucketArn?: string;
  /** Key prefix of the backups in that bucket. @default - none */
  readonly backupFolder?: string;
  /**
   * The node's own Auto Scaling group, whose termination hook it completes; servers only.
   * @default - none
   */
  readonly autoScalingGroupArn?: string;
}

/**
 * Statements of the inline policy of one node role:
 * - every role reads the join token, the full join token and (when set) the registry credentials,
 *   and nothing else of Secrets Manager;
 * - the seed also reads and writes the kubeconfig secret (it probes it before initialising, and
 *   republishes it whenever RKE2 renews the admin certificate); no other role may write it; and
 *   it writes the full join token;
 * - servers complete the termination lifecycle action of their own group only;
 * - servers (seed and joiners) list the snapshot bucket and read, write and delete objects under
 *   the cluster's folder: RKE2 uploads snapshots, prunes old ones and reads them for a restore;
 * - with backups, servers also reach the backup folder of the rancher-backup bucket.
 */
export function rke2NodeStatements(permissions: Rke2NodePermissions): PolicyStatement[] {
  const { role } = permissions;
  const isServer = role !== 'agent';
  if (role === 'seed' && !permissions.kubeconfigSecretArn) {
    throw new Error(
      'kubeconfigSecretArn is required for the seed role: it publishes the kubeconfig.',
    );
  }
  if (role !== 'seed' && permissions.kubeconfigSecretArn) {
    throw new Error(`kubeconfigSecretArn is only granted to the seed role; remove it for ${role}.`);
  }
  if (!isServer && permissions.snapshotBucketArn) {
    throw new Error('snapshotBucketArn applies to servers only (roles seed and server).');
  }
  if (!isServer && permissions.autoScalingGroupArn) {
    throw new Error('autoScalingGroupArn applies to servers only (roles seed and server).');
  }
  if (!isServer && permissions.backupBucketArn) {
    throw new Error('backupBucketArn applies to servers only (roles seed and server).');
  }
  if (permissions.backupBucketArn && !permissions.backupFolder) {
    throw new Error('backupFolder is required with backupBucketArn: access is scoped to it.');
  }
  if (permissions.snapshotBucketArn && !permissions.snapshotFolder) {
    throw new Error('snapshotFolder is required with snapshotBucketArn: access is scoped to it.');
  }
  const statements: PolicyStatement[] = [
    {
      Sid: 'ReadJoinToken',
      Effect: 'Allow',
      Action: 'secretsmanager:GetSecretValue',
      Resource: permissions.tokenSecretArn,
    },
    {
      Sid: 'ReadFullJoinToken',
      Effect: 'Allow',
      Action: 'secretsmanager:GetSecretValue',
      Resource: permissions.fullTokenSecretArn,
    },
  ];
  if (permissions.registryCredentialsSecretArn) {
    statements.push({
      Sid: 'ReadRegistryCredentials',
      Effect: 'Allow',
      Action: 'secretsmanager:GetSecretValue',
      Resource: permissions.registryCredentialsSecretArn,
    });
  }
  if (role === 'seed' && permissions.kubeconfigSecretArn) {
    statements.push({
      Sid: 'PublishKubeconfig',
      Effect: 'Allow',
      Action: ['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue'],
      Resource: permissions.kubeconfigSecretArn,
    });
    statements.push({
      Sid: 'PublishFullJoinToken',
      Effect: 'Allow',
      Action: 'secretsmanager:PutSecretValue',
      Resource: permissions.fullTokenSecretArn,
    });
  }
  if (permissions.autoScalingGroupArn) {
    statements.push({
      Sid: 'LeaveOnTermination',
      Effect: 'Allow',
      Action: 'autoscaling:CompleteLifecycleAction',
      Resource: permissions.autoScalingGroupArn,
    });
  }
  if (permissions.snapshotBucketArn && permissions.snapshotFolder) {
    // RKE2 uploads snapshots, prunes old ones and reads them for a restore.
    statements.push(
      ...bucketFolderStatements(
        'Snapshot',
        permissions.snapshotBucketArn,
        permissions.snapshotFolder,
      ),
    );
  }
  if (permissions.backupBucketArn && permissions.backupFolder) {
    statements.push(
      ...backupBucketStatements(permissions.backupBucketArn, permissions.backupFolder),
    );
  }
  return statements;
}
