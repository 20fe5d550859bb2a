/**
 * IAM statements that give a role one folder of one bucket. Pure: no cdktf imports (the ARN may be
 * an unresolved token).
 */
import type { PolicyStatement } from '../iam/policy';

/**
 * `<Name>Bucket` and `<Name>Objects`: ListBucket and GetBucketLocation on the bucket (without a
 * prefix condition: HeadBucket, which S3 clients use to check the bucket, carries no prefix, so
 * the bucket must hold nothing but these files), and Get/Put/DeleteObject under `folder/`.
 */
export function bucketFolderStatements(
  sidPrefix: string,
  bucketArn: string,
  folder: string,
): PolicyStatement[] {
  if (folder === '' || folder.startsWith('/') || folder.endsWith('/')) {
    throw new Error(`folder must be a key prefix without slashes around it; got "${folder}".`);
  }
  return [
    {
      Sid: `${sidPrefix}Bucket`,
      Effect: 'Allow',
      Action: ['s3:ListBucket', 's3:GetBucketLocation'],
      Resource: bucketArn,
    },
    {
      Sid: `${sidPrefix}Objects`,
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      Resource: `${bucketArn}/${folder}/*`,
    },
  ];
}
