/**
 * What the backup operator may do in S3: list the backup bucket, and read, write and delete the
 * objects under its folder. Nothing else of S3, nothing of any other bucket. Pure: no cdktf
 * imports (the ARN may be an unresolved token).
 */
import type { PolicyStatement } from '../iam/policy';

/**
 * Statements for the operator's role (EKS: its IRSA role; RKE2: the servers' role). The operator
 * (v11.0.1, minio-go) checks the bucket (HeadBucket, which needs s3:ListBucket and carries no
 * prefix, so ListBucket has no prefix condition: the bucket holds nothing but backups), uploads
 * (PutObject), lists and deletes files beyond the retention count (ListBucket, DeleteObject) and
 * downloads a backup for a Restore (GetObject).
 */
export function backupBucketStatements(bucketArn: string, folder: string): PolicyStatement[] {
  if (folder === '' || folder.startsWith('/') || folder.endsWith('/')) {
    throw new Error(`folder must be a key prefix without slashes around it; got "${folder}".`);
  }
  return [
    {
      Sid: 'BackupBucket',
      Effect: 'Allow',
      Action: ['s3:ListBucket', 's3:GetBucketLocation'],
      Resource: bucketArn,
    },
    {
      Sid: 'BackupObjects',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      Resource: `${bucketArn}/${folder}/*`,
    },
  ];
}
