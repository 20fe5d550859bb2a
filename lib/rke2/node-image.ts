import { DataAwsAmi } from '@cdktf/provider-aws/lib/data-aws-ami';
import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter';
import { Construct } from 'constructs';

/** Canonical's public SSM parameter for the current Ubuntu 24.04 LTS amd64 image. */
export const UBUNTU_2404_AMI_PARAMETER =
  '/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id';

export interface NodeImage {
  readonly id: string;
  /** The encrypted root volume must replace this device, not sit beside it. */
  readonly rootDeviceName: string;
}

/**
 * The nodes' image, `amiId` or else the current Ubuntu 24.04 LTS, and its root device name,
 * looked up in `scope` as `ubuntu-ami` and `node-ami` (the cluster's Terraform addresses).
 */
export function rke2NodeImage(scope: Construct, amiId: string | undefined): NodeImage {
  const id =
    amiId ??
    new DataAwsSsmParameter(scope, 'ubuntu-ami', { name: UBUNTU_2404_AMI_PARAMETER }).insecureValue;
  const ami = new DataAwsAmi(scope, 'node-ami', {
    filter: [{ name: 'image-id', values: [id] }],
    mostRecent: true,
  });
  return { id: ami.id, rootDeviceName: ami.rootDeviceName };
}
