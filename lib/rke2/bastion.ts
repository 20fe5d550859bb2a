import { Eip } from '@cdktf/provider-aws/lib/eip';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Instance } from '@cdktf/provider-aws/lib/instance';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Construct } from 'constructs';
import { IMDSV2_ONLY } from '../aws/instance-metadata';
import { managedPolicyArn, serviceTrustPolicy } from '../iam/policy';
import { resourceName } from '../naming/names';
import { securityGroupRule } from '../network/security-group-rules';
import { SSM_MANAGED_POLICY } from './policies';

export const DEFAULT_BASTION_INSTANCE_TYPE = 't3.micro';
const BASTION_DISK_SIZE_GIB = 20;

export interface BastionProps {
  /** Prefix of the names, e.g. `<env>-management`. */
  readonly namePrefix: string;
  readonly vpcId: string;
  /** A public subnet. */
  readonly subnetId: string;
  readonly imageId: string;
  readonly rootDeviceName: string;
  /** Who may reach port 22; never empty, never the whole internet. */
  readonly allowedCidrs: string[];
  readonly partition: string;
  /** @default t3.micro */
  readonly instanceType?: string;
}

/**
 * A small jump host in a public subnet (the quick start had one): SSH only from the given CIDRs,
 * IMDSv2, encrypted root volume, Session Manager too. It has no key pair: push a short-lived key
 * with EC2 Instance Connect (`aws ec2-instance-connect ssh`), which Ubuntu images ship.
 */
export class Bastion extends Construct {
  readonly instance: Instance;
  /** The bastion's fixed public address (allow-list it where needed). */
  readonly publicIp: Eip;
  readonly securityGroup: SecurityGroup;

  constructor(scope: Construct, id: string, props: BastionProps) {
    super(scope, id);
    if (props.allowedCidrs.length === 0) {
      throw new Error('allowedCidrs of the bastion must list at least one CIDR allowed to SSH.');
    }
    const open = props.allowedCidrs.find((cidr) => cidr.endsWith('/0'));
    if (open) {
      throw new Error(
        `allowedCidrs of the bastion must not open SSH to the internet; got ${open}.`,
      );
    }
    const name = `${props.namePrefix}-bastion`;
    this.securityGroup = new SecurityGroup(this, 'sg', {
      name: resourceName(props.namePrefix, 'bastion', 'securityGroup'),
      description: `Bastion ${name}`,
      vpcId: props.vpcId,
      tags: { Name: name },
    });
    securityGroupRule(this, 'ssh-from-operators', {
      securityGroupId: this.securityGroup.id,
      direction: 'ingress',
      description: 'SSH from the allowed networks',
      protocol: 'tcp',
      fromPort: 22,
      cidrs: props.allowedCidrs,
    });
    securityGroupRule(this, 'egress', {
      securityGroupId: this.securityGroup.id,
      direction: 'egress',
      description: 'Nodes, package mirrors and AWS APIs',
      protocol: 'all',
      cidrs: ['0.0.0.0/0'],
    });
    const role = new IamRole(this, 'role', {
      name: resourceName(props.namePrefix, 'bastion', 'iamRole'),
      assumeRolePolicy: serviceTrustPolicy('ec2.amazonaws.com'),
    });
    new IamRolePolicyAttachment(this, 'ssm', {
      role: role.name,
      policyArn: managedPolicyArn(props.partition, SSM_MANAGED_POLICY),
    });
    const profile = new IamInstanceProfile(this, 'instance-profile', {
      name: resourceName(props.namePrefix, 'bastion', 'iamRole'),
      role: role.name,
    });
    this.instance = new Instance(this, 'instance', {
      ami: props.imageId,
      instanceType: props.instanceType ?? DEFAULT_BASTION_INSTANCE_TYPE,
      subnetId: props.subnetId,
      vpcSecurityGroupIds: [this.securityGroup.id],
      iamInstanceProfile: profile.name,
      metadataOptions: IMDSV2_ONLY,
      rootBlockDevice: { volumeType: 'gp3', volumeSize: BASTION_DISK_SIZE_GIB, encrypted: true },
      tags: { Name: name },
      // A newer image in the SSM parameter must not replace the host under someone's session.
      lifecycle: { ignoreChanges: ['ami'] },
    });
    // An Elastic IP rather than an auto-assigned address: it survives a stop and start.
    this.publicIp = new Eip(this, 'ip', {
      domain: 'vpc',
      instance: this.instance.id,
      tags: { Name: name },
    });
  }
}
