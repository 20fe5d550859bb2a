/**
 * Reads the Kubernetes versions an environment runs through the AWS API: EKS DescribeCluster,
 * and for RKE2 the release tag of the seed pool's launch template (what nodes launched from now
 * on install; running nodes keep theirs until they are replaced, see docs/upgrades.md).
 */
import { DescribeLaunchTemplatesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeClusterCommand, EKSClient, ResourceNotFoundException } from '@aws-sdk/client-eks';
import { EMULATOR_CREDENTIALS } from '../environments/aws-clients';
import { RKE2_VERSION_TAG } from '../naming/tags';
import type { DeployedVersionReader } from './version-step';

export interface AwsVersionReaderOptions {
  readonly region: string;
  /**
   * Base URL of every AWS API: the emulator for `target: local`, asked with its fake key pair so
   * that a local environment never reads the machine's AWS credentials.
   * @default - the AWS endpoints of the region, with the default credential chain
   */
  readonly endpoint?: string;
}

export class AwsVersionReader implements DeployedVersionReader {
  private readonly eks: EKSClient;
  private readonly ec2: EC2Client;

  constructor(options: AwsVersionReaderOptions) {
    const config =
      options.endpoint === undefined
        ? { region: options.region }
        : { region: options.region, endpoint: options.endpoint, credentials: EMULATOR_CREDENTIALS };
    this.eks = new EKSClient(config);
    this.ec2 = new EC2Client(config);
  }

  async eksClusterVersion(clusterName: string): Promise<string | undefined> {
    try {
      const found = await this.eks.send(new DescribeClusterCommand({ name: clusterName }));
      return found.cluster?.version;
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return undefined;
      throw error;
    }
  }

  async rke2LaunchTemplateVersion(launchTemplateName: string): Promise<string | undefined> {
    // A filter, not LaunchTemplateNames: a missing template is an empty list, not an error.
    const found = await this.ec2.send(
      new DescribeLaunchTemplatesCommand({
        Filters: [{ Name: 'launch-template-name', Values: [launchTemplateName] }],
      }),
    );
    const template = found.LaunchTemplates?.[0];
    if (!template) return undefined;
    const version = template.Tags?.find((t) => t.Key === RKE2_VERSION_TAG)?.Value;
    if (!version) {
      throw new Error(
        `Launch template ${launchTemplateName} has no ${RKE2_VERSION_TAG} tag, so its RKE2 release is unknown; apply the management stack once with this version of the project (it only adds the tag), then re-run the check.`,
      );
    }
    return version;
  }

  destroy(): void {
    this.eks.destroy();
    this.ec2.destroy();
  }
}
