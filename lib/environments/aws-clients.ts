/**
 * The AWS SDK clients the environment commands (teardown, sweep) call, pointed at the emulator for
 * `target: local`, and where that emulator is.
 */
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CodeBuildClient } from '@aws-sdk/client-codebuild';
import { EC2Client } from '@aws-sdk/client-ec2';
import { EKSClient } from '@aws-sdk/client-eks';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { Route53Client } from '@aws-sdk/client-route-53';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { STSClient } from '@aws-sdk/client-sts';
import { DEFAULT_EMULATOR_ENDPOINT } from '../aws/provider';
import type { EnvironmentConfig } from '../config/schema';

/** Environment variable with the emulator's base URL for `target: local`. */
export const EMULATOR_ENDPOINT_VARIABLE = 'RANCHER_EMULATOR_ENDPOINT';

/** The key pair the emulator is called with: it accepts any; these are not secrets. */
export const EMULATOR_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

export interface EmulatorEndpointOptions {
  /**
   * The emulator's base URL for `target: local`.
   * @default $RANCHER_EMULATOR_ENDPOINT, else http://127.0.0.1:5000
   */
  readonly emulatorEndpoint?: string;
}

/** The emulator URL for a `local` environment, from the options or the environment. */
export function emulatorEndpointFor(options: EmulatorEndpointOptions): string {
  return (
    options.emulatorEndpoint ?? process.env[EMULATOR_ENDPOINT_VARIABLE] ?? DEFAULT_EMULATOR_ENDPOINT
  );
}

/** The AWS API clients of one environment's account and region. */
export interface EnvironmentClients {
  readonly autoScaling: AutoScalingClient;
  /** The in-VPC deployer's builds. */
  readonly codebuild: CodeBuildClient;
  readonly ec2: EC2Client;
  readonly eks: EKSClient;
  readonly elbv2: ElasticLoadBalancingV2Client;
  readonly iam: IAMClient;
  readonly kms: KMSClient;
  readonly logs: CloudWatchLogsClient;
  readonly route53: Route53Client;
  readonly s3: S3Client;
  readonly secretsManager: SecretsManagerClient;
  readonly sts: STSClient;
  readonly tagging: ResourceGroupsTaggingAPIClient;
  /** Closes every client's connections. */
  destroy(): void;
}

/**
 * Clients for `config.region`: the default credential chain for `target: aws`; the emulator with
 * its fake key pair for `target: local`, so that a local environment never reaches an account.
 */
export function environmentClients(
  config: Pick<EnvironmentConfig, 'target' | 'region'>,
  options: EmulatorEndpointOptions = {},
): EnvironmentClients {
  const base =
    config.target === 'local'
      ? {
          region: config.region,
          endpoint: emulatorEndpointFor(options),
          credentials: EMULATOR_CREDENTIALS,
        }
      : { region: config.region };
  const clients = {
    autoScaling: new AutoScalingClient(base),
    codebuild: new CodeBuildClient(base),
    ec2: new EC2Client(base),
    eks: new EKSClient(base),
    elbv2: new ElasticLoadBalancingV2Client(base),
    iam: new IAMClient(base),
    kms: new KMSClient(base),
    logs: new CloudWatchLogsClient(base),
    route53: new Route53Client(base),
    s3: new S3Client({
      ...base,
      // The emulator has no per-bucket host names.
      forcePathStyle: config.target === 'local',
      // Finds a bucket that lives in another region (state.region).
      followRegionRedirects: true,
    }),
    secretsManager: new SecretsManagerClient(base),
    sts: new STSClient(base),
    tagging: new ResourceGroupsTaggingAPIClient(base),
  };
  return { ...clients, destroy: () => Object.values(clients).forEach((c) => c.destroy()) };
}
