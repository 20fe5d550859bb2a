import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CodebuildProject } from '@cdktf/provider-aws/lib/codebuild-project';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Construct } from 'constructs';
import { grantClusterAdmin } from '../eks/cluster-admin-access';
import { policyDocument } from '../iam/policy';
import { resourceName } from '../naming/names';
import { securityGroupRule } from '../network/security-group-rules';
import { PrivateBucket } from '../storage/private-bucket';
import { DEPLOYER_IMAGE, deployerBuildspec } from './buildspec';
import { deployerNames, QUEUED_TIMEOUT_MINUTES, SOURCE_BUNDLE_KEY } from './names';
import { deployerPolicyStatements, deployerTrustStatements } from './policy';
import { proxyEnvironment, type ProxySettings } from '../airgap/proxy';

export const DEFAULT_COMPUTE_TYPE = 'BUILD_GENERAL1_MEDIUM';
export const DEFAULT_BUILD_TIMEOUT_MINUTES = 60;
export const DEFAULT_LOG_RETENTION_DAYS = 30;
/** Bundles are replaced on every run; an older version is only kept for a build still starting. */
const SOURCE_VERSION_DAYS = 1;

export interface EksDeployerTarget {
  readonly clusterName: string;
  /** Security group on the control plane's network interfaces (the private endpoint). */
  readonly controlPlaneSecurityGroupId: string;
}

export interface InVpcDeployerProps {
  /** Environment name: prefix of every name. */
  readonly environment: string;
  readonly region: string;
  readonly vpcId: string;
  /** Private subnets (NAT egress): the build's network interfaces go there. */
  readonly subnetIds: string[];
  /**
   * Where the environment keeps its Terraform state.
   * @default - local state: the role gets no state access and the build cannot run
   */
  readonly state?: { readonly bucket: string; readonly keyPrefix: string };
  /** In-cluster stacks the build applies, in deployment order. */
  readonly stacks: string[];
  /** Secrets those stacks read while planning. */
  readonly secretArns: string[];
  /** The management cluster when it is EKS: an access entry and 443 to its private endpoint. */
  readonly eks?: EksDeployerTarget;
  /**
   * Keep the source bucket on destroy unless it is empty (protected environments; see the
   * policy rule deletion-protection). Its objects are only copies of the repository.
   * @default false
   */
  readonly protectedEnvironment?: boolean;
  /** @default BUILD_GENERAL1_MEDIUM */
  readonly computeType?: string;
  /** @default 60 */
  readonly buildTimeoutMinutes?: number;
  /** @default 30 */
  readonly logRetentionDays?: number;
  /**
   * HTTP proxy of the builds (Terraform, npm, chart downloads). The load balancers of the region
   * (`.elb.<region>.amazonaws.com`, where the RKE2 API is) bypass it besides the given list.
   * @default - none
   */
  readonly proxy?: ProxySettings;
}

/** What the downstream cluster stacks need to let the deployer in. */
export interface InVpcDeployerOutputs {
  readonly projectName: string;
  readonly roleArn: string;
  readonly roleName: string;
  readonly securityGroupId: string;
  readonly sourceBucket: string;
}

/**
 * A CodeBuild project in the management VPC's private subnets that applies the in-cluster stacks
 * from inside the network, where private cluster APIs answer. Everything it uses is created here
 * and destroyed with the management stack: its log group, its source bucket (emptied on destroy
 * outside protected environments: bundles are copies of the repository), its security group
 * (egress only) and a role that only
 * CodeBuild may assume for this project, with the permissions in ./policy.ts.
 */
export class InVpcDeployer extends Construct {
  readonly project: CodebuildProject;
  readonly role: IamRole;
  readonly securityGroup: SecurityGroup;
  readonly logGroup: CloudwatchLogGroup;
  readonly sourceBucket: PrivateBucket;
  readonly outputs: InVpcDeployerOutputs;

  constructor(scope: Construct, id: string, props: InVpcDeployerProps) {
    super(scope, id);
    const names = deployerNames(props.environment);
    const partition = new DataAwsPartition(this, 'partition').partition;
    const accountId = new DataAwsCallerIdentity(this, 'account').accountId;

    this.logGroup = new CloudwatchLogGroup(this, 'logs', {
      name: names.logGroup,
      retentionInDays: props.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS,
    });

    // The account id is a token: check the name's length with a 12-digit stand-in.
    resourceName(props.environment, `deployer-${'0'.repeat(12)}`, 's3Bucket');
    this.sourceBucket = new PrivateBucket(this, 'source', {
      bucketName: `${props.environment}-deployer-${accountId}`,
      forceDestroy: !props.protectedEnvironment,
      noncurrentVersionDays: SOURCE_VERSION_DAYS,
      lifecycleRuleId: 'expire-old-bundles',
    });
    const bucket = this.sourceBucket.bucket;

    this.securityGroup = new SecurityGroup(this, 'sg', {
      name: names.securityGroup,
      description: `In-VPC deployer of environment ${props.environment}: egress only`,
      vpcId: props.vpcId,
      tags: { Name: names.securityGroup },
    });
    securityGroupRule(this, 'egress', {
      securityGroupId: this.securityGroup.id,
      direction: 'egress',
      description: 'cluster APIs, AWS APIs, Terraform, npm and chart downloads',
      protocol: 'all',
      cidrs: ['0.0.0.0/0'],
    });

    // Built from the name, not the project: the project refers to the role.
    const projectArn = `arn:${partition}:codebuild:${props.region}:${accountId}:project/${names.project}`;
    this.role = new IamRole(this, 'role', {
      name: names.role,
      description: `Runs the in-cluster stacks of environment ${props.environment} from CodeBuild`,
      assumeRolePolicy: policyDocument(...deployerTrustStatements({ accountId, projectArn })),
    });
    const permissions = new IamRolePolicy(this, 'permissions', {
      name: 'deploy-in-cluster-stacks',
      role: this.role.id,
      policy: policyDocument(
        ...deployerPolicyStatements({
          partition,
          region: props.region,
          accountId,
          logGroupArn: this.logGroup.arn,
          sourceBucketArn: bucket.arn,
          sourceKey: SOURCE_BUNDLE_KEY,
          state: props.state,
          appliedStacks: props.stacks,
          subnetIds: props.subnetIds,
          secretArns: props.secretArns,
        }),
      ),
    });

    this.project = new CodebuildProject(this, 'project', {
      name: names.project,
      description: `Applies ${props.stacks.join(', ')} from inside the VPC`,
      serviceRole: this.role.arn,
      buildTimeout: props.buildTimeoutMinutes ?? DEFAULT_BUILD_TIMEOUT_MINUTES,
      queuedTimeout: QUEUED_TIMEOUT_MINUTES,
      source: {
        type: 'S3',
        location: `${bucket.bucket}/${SOURCE_BUNDLE_KEY}`,
        buildspec: deployerBuildspec({ stacks: props.stacks }),
      },
      artifacts: { type: 'NO_ARTIFACTS' },
      environment: {
        type: 'LINUX_CONTAINER',
        computeType: props.computeType ?? DEFAULT_COMPUTE_TYPE,
        image: DEPLOYER_IMAGE,
        imagePullCredentialsType: 'CODEBUILD',
        privilegedMode: false,
        environmentVariable: props.proxy
          ? deployerProxyVariables(props.proxy, props.region)
          : undefined,
      },
      vpcConfig: {
        vpcId: props.vpcId,
        subnets: props.subnetIds,
        securityGroupIds: [this.securityGroup.id],
      },
      logsConfig: {
        cloudwatchLogs: { status: 'ENABLED', groupName: this.logGroup.name },
        s3Logs: { status: 'DISABLED' },
      },
      // CodeBuild checks the role's network-interface permissions when a VPC project is created.
      dependsOn: [permissions],
    });

    if (props.eks) {
      grantClusterAdmin(this, props.eks.clusterName, this.role.arn);
      securityGroupRule(this, 'api-from-deployer', {
        securityGroupId: props.eks.controlPlaneSecurityGroupId,
        direction: 'ingress',
        description: 'Kubernetes API from the in-VPC deployer',
        protocol: 'tcp',
        fromPort: 443,
        peerSecurityGroupId: this.securityGroup.id,
      });
    }

    this.outputs = {
      projectName: this.project.name,
      roleArn: this.role.arn,
      roleName: this.role.name,
      securityGroupId: this.securityGroup.id,
      sourceBucket: bucket.bucket,
    };
  }
}

/**
 * The build's proxy variables (both cases: curl reads lower case only). NO_PROXY names the
 * region's load balancers: a kubeconfig reaches the RKE2 API by the internal NLB's DNS name, and a
 * CIDR in NO_PROXY never matches a name.
 */
export function deployerProxyVariables(
  proxy: ProxySettings,
  region: string,
): { name: string; value: string; type: 'PLAINTEXT' }[] {
  const withLoadBalancers = {
    ...proxy,
    noProxy: [...proxy.noProxy, `.elb.${region}.amazonaws.com`],
  };
  return Object.entries(proxyEnvironment(withLoadBalancers)).map(([name, value]) => ({
    name,
    value,
    type: 'PLAINTEXT',
  }));
}
