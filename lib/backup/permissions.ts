/**
 * What the backup operator may do in S3: list the backup bucket, and read, write and delete the
 * objects under its folder. Nothing else of S3, nothing of any other bucket. Pure: no cdktf
 * imports (the ARN may be an unresolved token).
 */
import type { PolicyStatement } from '../iam/policy';
import { bucketFolderStatements } from '../storage/bucket-folder-access';

/**
 * Statements for the operator's role (EKS: its IRSA role; RKE2: the servers' role). The operator
 * (v11.0.1, minio-go) checks the bucket, uploads (PutObject), lists and deletes files beyond the
 * retention count (ListBucket, DeleteObject) and downloads a backup for a Restore (GetObject).
 */
export function backupBucketStatements(bucketArn: string, folder: string): PolicyStatement[] {
  return bucketFolderStatements('Backup', bucketArn, folder);
}
