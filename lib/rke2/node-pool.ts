import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { AutoscalingLifecycleHook } from '@cdktf/provider-aws/lib/autoscaling-lifecycle-hook';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { Fn, TerraformLocal } from 'cdktf';
import { Construct } from 'constructs';
import { IMDSV2_ONLY } from '../aws/instance-metadata';
import {
  managedPolicyArn,
  policyDocument,
  PolicyStatement,
  serviceTrustPolicy,
} from '../iam/policy';
import { resourceName, rke2NodePoolLaunchTemplateName } from '../naming/names';
import { RKE2_VERSION_TAG } from '../naming/tags';
import { SSM_MANAGED_POLICY } from './policies';

export const DEFAULT_HEALTH_CHECK_GRACE_SECONDS = 600;

/** Tag naming an instance's RKE2 role (seed, server or agent). */
export const RKE2_ROLE_TAG = 'rancher-aws:rke2-role';

/** The Auto Scaling group name of pool `name` (known at synth time, for user data and IAM). */
export function rke2NodePoolGroupName(namePrefix: string, name: string): string {
  return resourceName(namePrefix, name, 'autoScalingGroup');
}

/** A termination lifecycle hook: Auto Scaling waits for the node to complete it (or the timeout). */
export interface Rke2NodePoolTerminationHook {
  readonly name: string;
  readonly heartbeatTimeoutSeconds: number;
}

export interface Rke2NodePoolProps {
  /** Prefix of the pool's resource names, e.g. `<env>-management`. */
  readonly namePrefix: string;
  /** Pool name: `seed`, `servers` or `agents`. */
  readonly name: string;
  /** RKE2 role of the nodes, written to the `rancher-aws:rke2-role` tag. */
  readonly role: string;
  /** Node count; the group's minimum, desired and maximum size. */
  readonly size: number;
  readonly subnetIds: string[];
  readonly securityGroupIds: string[];
  readonly instanceType: string;
  readonly imageId: string;
  /** Root device of the image: the encrypted volume must replace it, not sit beside it. */
  readonly rootDeviceName: string;
  /** Size of the encrypted gp3 root volume. */
  readonly diskSizeGiB: number;
  /** Cloud-init user data (plain text; gzip-compressed and base64-encoded here). */
  readonly userData: string;
  /** Statements of the role's inline policy. */
  readonly policyStatements: PolicyStatement[];
  /** The AWS partition (`aws`, `aws-cn`, ...) for managed policy ARNs. */
  readonly partition: string;
  /**
   * Target groups the group registers its instances with.
   * @default []
   */
  readonly targetGroupArns?: string[];
  /** RKE2 release the user data installs, tagged on the launch template (RKE2_VERSION_TAG). */
  readonly rke2Version: string;
  /**
   * Tags of the instances, volumes and network interfaces, and of the group (the provider's
   * default tags stop at the group).
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * Seconds after launch before EC2 health checks count.
   * @default 600
   */
  readonly healthCheckGraceSeconds?: number;
  /**
   * Hold terminating instances until they complete this hook (their role needs
   * `autoscaling:CompleteLifecycleAction` on the group, in `policyStatements`).
   * @default - none
   */
  readonly terminationHook?: Rke2NodePoolTerminationHook;
  /**
   * IMDSv2 hop limit. 2 lets pods reach the instance role through the pod network (the
   * rancher-backup operator on servers); 1 keeps the role to host processes.
   * @default 1
   */
  readonly metadataHopLimit?: 1 | 2;
}

/**
 * One Auto Scaling group of RKE2 nodes: its own role (SSM plus the given inline policy) and
 * instance profile, and a launch template with IMDSv2 required and a hop limit of 1 (RKE2 reads
 * the role's credentials from the host: the bootstrap script and the server's etcd snapshot
 * upload; pods never need the node's role), an encrypted gp3 root volume and no key pair.
 */
export class Rke2NodePool extends Construct {
  readonly role: IamRole;
  readonly instanceProfile: IamInstanceProfile;
  readonly launchTemplate: LaunchTemplate;
  readonly autoScalingGroup: AutoscalingGroup;
  readonly terminationHook?: AutoscalingLifecycleHook;

  constructor(scope: Construct, id: string, props: Rke2NodePoolProps) {
    super(scope, id);
    if (!Number.isInteger(props.size) || props.size < 1) {
      throw new Error(
        `size of node pool ${props.name} must be a whole number >= 1; got ${props.size}.`,
      );
    }
    if (props.subnetIds.length === 0) {
      throw new Error(`subnetIds of node pool ${props.name} must list at least one subnet.`);
    }
    const name = `${props.namePrefix}-${props.name}`;
    this.role = new IamRole(this, 'role', {
      name: resourceName(props.namePrefix, props.name, 'iamRole'),
      description: `RKE2 ${props.role} nodes of ${props.namePrefix}`,
      assumeRolePolicy: serviceTrustPolicy('ec2.amazonaws.com'),
    });
    const ssm = new IamRolePolicyAttachment(this, 'ssm', {
      role: this.role.name,
      policyArn: managedPolicyArn(props.partition, SSM_MANAGED_POLICY),
    });
    const permissions = new IamRolePolicy(this, 'permissions', {
      name: 'rke2-node',
      role: this.role.name,
      policy: policyDocument(...props.policyStatements),
    });
    this.instanceProfile = new IamInstanceProfile(this, 'instance-profile', {
      name: resourceName(props.namePrefix, props.name, 'iamRole'),
      role: this.role.name,
    });

    // Through a local: cdktf refuses text with double quotes as a direct function argument.
    const userData = new TerraformLocal(this, 'user-data', props.userData);
    const tags = { ...props.tags, Name: name, [RKE2_ROLE_TAG]: props.role };
    this.launchTemplate = new LaunchTemplate(this, 'launch-template', {
      name: rke2NodePoolLaunchTemplateName(props.namePrefix, props.name),
      description: `RKE2 ${props.role} nodes of ${props.namePrefix}`,
      imageId: props.imageId,
      instanceType: props.instanceType,
      vpcSecurityGroupIds: props.securityGroupIds,
      iamInstanceProfile: { arn: this.instanceProfile.arn },
      // Compressed: cloud-init inflates gzip user data, and EC2's 16 KB limit applies to it.
      userData: Fn.base64gzip(userData.asString),
      updateDefaultVersion: true,
      tags: { [RKE2_VERSION_TAG]: props.rke2Version },
      metadataOptions: {
        ...IMDSV2_ONLY,
        httpPutResponseHopLimit: props.metadataHopLimit ?? IMDSV2_ONLY.httpPutResponseHopLimit,
      },
      blockDeviceMappings: [
        {
          deviceName: props.rootDeviceName,
          ebs: {
            volumeSize: props.diskSizeGiB,
            volumeType: 'gp3',
            encrypted: 'true',
            deleteOnTermination: 'true',
          },
        },
      ],
      tagSpecifications: ['instance', 'volume', 'network-interface'].map((resourceType) => ({
        resourceType,
        tags,
      })),
    });

    this.autoScalingGroup = new AutoscalingGroup(this, 'group', {
      name: rke2NodePoolGroupName(props.namePrefix, props.name),
      minSize: props.size,
      maxSize: props.size,
      desiredCapacity: props.size,
      vpcZoneIdentifier: props.subnetIds,
      targetGroupArns: props.targetGroupArns ?? [],
      healthCheckType: 'EC2',
      healthCheckGracePeriod: props.healthCheckGraceSeconds ?? DEFAULT_HEALTH_CHECK_GRACE_SECONDS,
      launchTemplate: {
        id: this.launchTemplate.id,
        version: this.launchTemplate.latestVersion.toString(),
      },
      tag: Object.entries(tags).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
      // A node must be able to read its token the moment it boots.
      dependsOn: [ssm, permissions],
    });
    // A resource of its own, not initial_lifecycle_hook: destroy removes it before the group, so
    // a teardown does not wait on nodes that are leaving.
    if (props.terminationHook) {
      this.terminationHook = new AutoscalingLifecycleHook(this, 'termination-hook', {
        name: props.terminationHook.name,
        autoscalingGroupName: this.autoScalingGroup.name,
        lifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
        heartbeatTimeout: props.terminationHook.heartbeatTimeoutSeconds,
        defaultResult: 'CONTINUE',
      });
    }
  }
}
