import { ACMClient } from '@aws-sdk/client-acm';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { EC2Client } from '@aws-sdk/client-ec2';
import { EKSClient } from '@aws-sdk/client-eks';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { Route53Client } from '@aws-sdk/client-route-53';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';

/** AWS SDK v3 clients pointed at one emulator. */
export interface AwsClients {
  readonly acm: ACMClient;
  readonly autoScaling: AutoScalingClient;
  readonly ec2: EC2Client;
  readonly eks: EKSClient;
  readonly elbv2: ElasticLoadBalancingV2Client;
  readonly iam: IAMClient;
  readonly kms: KMSClient;
  readonly route53: Route53Client;
  readonly s3: S3Client;
  readonly secretsManager: SecretsManagerClient;
  readonly ssm: SSMClient;
  readonly sts: STSClient;
  readonly tagging: ResourceGroupsTaggingAPIClient;
  /** Closes every client's connections. */
  destroy(): void;
}

/**
 * Clients for `endpoint` with the emulator's fake credentials. They never read the machine's
 * AWS profile, so a test cannot reach a real account by mistake.
 */
export function awsClients(endpoint: string, region = 'us-east-1'): AwsClients {
  const config = {
    endpoint,
    region,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    maxAttempts: 2,
  };
  const clients = {
    acm: new ACMClient(config),
    autoScaling: new AutoScalingClient(config),
    ec2: new EC2Client(config),
    eks: new EKSClient(config),
    elbv2: new ElasticLoadBalancingV2Client(config),
    iam: new IAMClient(config),
    kms: new KMSClient(config),
    route53: new Route53Client(config),
    // Path-style: the emulator has no per-bucket host names.
    s3: new S3Client({ ...config, forcePathStyle: true }),
    secretsManager: new SecretsManagerClient(config),
    ssm: new SSMClient(config),
    sts: new STSClient(config),
    tagging: new ResourceGroupsTaggingAPIClient(config),
  };
  return {
    ...clients,
    destroy: () => Object.values(clients).forEach((client) => client.destroy()),
  };
}
