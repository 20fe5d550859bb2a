import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { IMDSV2_ONLY } from '../aws/instance-metadata';
import { managedPolicyArn, serviceTrustPolicy } from '../iam/policy';
import { resourceName } from '../naming/names';

export const DEFAULT_INSTANCE_TYPE = 'm5.xlarge';
export const DEFAULT_DISK_SIZE_GIB = 50;
export const DEFAULT_AMI_TYPE = 'AL2023_x86_64_STANDARD';

/**
 * The managed policies an EKS node needs, and SSM for shell access without SSH. Not
 * AmazonEKS_CNI_Policy: the VPC CNI add-on gets it through its own IRSA role (lib/eks/core-addons.ts),
 * so pods on the host network cannot use the node's role to change network interfaces.
 */
export const NODE_MANAGED_POLICIES = [
  'AmazonEKSWorkerNodePolicy',
  'AmazonEC2ContainerRegistryPullOnly',
  'AmazonSSMManagedInstanceCore',
];

export interface ManagedNodeGroupProps {
  readonly clusterName: string;
  /**
   * Kubernetes minor of the nodes: pass the cluster's `version` attribute, so that a cluster
   * upgrade also rolls the nodes (EKS only defaults to the cluster's version at creation) and the
   * node group updates after the control plane.
   */
  readonly kubernetesVersion: string;
  /** Node group name suffix. @default nodes */
  readonly name?: string;
  readonly subnetIds: string[];
  /** Security groups of the nodes (the cluster's node group). */
  readonly securityGroupIds: string[];
  /** @default m5.xlarge */
  readonly instanceType?: string;
  readonly minSize: number;
  readonly desiredSize: number;
  readonly maxSize: number;
  /** Encrypted gp3 root volume. @default 50 */
  readonly diskSizeGiB?: number;
  /** Tags for the instances and volumes the node group launches (provider default tags stop at the ASG). */
  readonly instanceTags?: Record<string, string>;
  /** Kubernetes node labels. @default - none */
  readonly labels?: Record<string, string>;
  /**
   * What must exist before nodes join, e.g. the VPC CNI add-on (EksCoreAddOns.beforeNodes).
   * @default - the node role's policy attachments only
   */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * An EKS managed node group from a launch template: IMDSv2 required with a hop limit of 1 (pods
 * get AWS credentials only through IRSA, never the node's role), encrypted root volume, SSM
 * access instead of SSH keys.
 */
export class ManagedNodeGroup extends Construct {
  readonly nodeGroup: EksNodeGroup;
  readonly role: IamRole;
  readonly launchTemplate: LaunchTemplate;

  constructor(scope: Construct, id: string, props: ManagedNodeGroupProps) {
    super(scope, id);
    if (props.minSize > props.desiredSize || props.desiredSize > props.maxSize) {
      throw new Error(
        `node group sizes must satisfy minSize <= desiredSize <= maxSize; got ${props.minSize} <= ${props.desiredSize} <= ${props.maxSize}`,
      );
    }
    const partition = new DataAwsPartition(this, 'partition');
    const suffix = props.name ?? 'nodes';
    this.role = new IamRole(this, 'role', {
      name: resourceName(props.clusterName, suffix, 'iamRole'),
      assumeRolePolicy: serviceTrustPolicy('ec2.amazonaws.com'),
    });
    const attachments = NODE_MANAGED_POLICIES.map(
      (policy) =>
        new IamRolePolicyAttachment(this, policy, {
          role: this.role.name,
          policyArn: managedPolicyArn(partition.partition, policy),
        }),
    );

    const tags = props.instanceTags ?? {};
    this.launchTemplate = new LaunchTemplate(this, 'launch-template', {
      name: resourceName(props.clusterName, suffix, 'launchTemplate'),
      description: `EKS ${props.clusterName} ${suffix}`,
      instanceType: props.instanceType ?? DEFAULT_INSTANCE_TYPE,
      vpcSecurityGroupIds: props.securityGroupIds,
      updateDefaultVersion: true,
      metadataOptions: IMDSV2_ONLY,
      blockDeviceMappings: [
        {
          deviceName: '/dev/xvda',
          ebs: {
            volumeSize: props.diskSizeGiB ?? DEFAULT_DISK_SIZE_GIB,
            volumeType: 'gp3',
            encrypted: 'true',
            deleteOnTermination: 'true',
          },
        },
      ],
      tagSpecifications: ['instance', 'volume', 'network-interface'].map((resourceType) => ({
        resourceType,
        tags: { ...tags, Name: `${props.clusterName}-${suffix}` },
      })),
    });

    this.nodeGroup = new EksNodeGroup(this, 'node-group', {
      clusterName: props.clusterName,
      nodeGroupName: resourceName(props.clusterName, suffix, 'eksNodeGroup'),
      nodeRoleArn: this.role.arn,
      subnetIds: props.subnetIds,
      amiType: DEFAULT_AMI_TYPE,
      version: props.kubernetesVersion,
      launchTemplate: {
        id: this.launchTemplate.id,
        version: this.launchTemplate.latestVersion.toString(),
      },
      scalingConfig: {
        minSize: props.minSize,
        desiredSize: props.desiredSize,
        maxSize: props.maxSize,
      },
      labels: props.labels,
      dependsOn: [...attachments, ...(props.dependsOn ?? [])],
    });
  }
}
