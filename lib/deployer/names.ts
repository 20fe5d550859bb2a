/**
 * Names of the in-VPC deployer's AWS resources, shared by the construct that creates them and the
 * command that starts its builds. Pure: no cdktf imports.
 */
import { resourceName } from '../naming/names';

/** The object key every source bundle is uploaded to; each upload is a new object version. */
export const SOURCE_BUNDLE_KEY = 'source.zip';

/** A build that waits longer than this for capacity is dropped, not left queued for hours. */
export const QUEUED_TIMEOUT_MINUTES = 60;

/** Where the environment file sits inside the source bundle (the build's RANCHER_ENV_FILE). */
export const BUNDLED_ENVIRONMENT_FILE = '.deployer/environment.yaml';

export interface DeployerNames {
  /** CodeBuild project, IAM role and security group: `<env>-deployer`. */
  readonly project: string;
  readonly role: string;
  readonly securityGroup: string;
  /** `/aws/codebuild/<project>`, the group CodeBuild would pick itself; Terraform owns it. */
  readonly logGroup: string;
}

/** The deployer's names for environment `environment`. */
export function deployerNames(environment: string): DeployerNames {
  const name = resourceName(environment, 'deployer', 'iamRole');
  return {
    project: name,
    role: name,
    securityGroup: resourceName(environment, 'deployer', 'securityGroup'),
    logGroup: `/aws/codebuild/${name}`,
  };
}

/** The source bundle bucket: `<env>-deployer-<accountId>` (bucket names are global). */
export function deployerBucketName(environment: string, accountId: string): string {
  return resourceName(environment, `deployer-${accountId}`, 's3Bucket');
}
