/**
 * The deployer role's trust and permissions, as policy statements. Values may be cdktf tokens
 * (ARNs known at apply time). Pure: no cdktf imports. Why each action is there: docs/deploying.md.
 */
import type { PolicyStatement } from '../iam/policy';

export interface DeployerTrustInputs {
  readonly accountId: string;
  /** ARN of the CodeBuild project that assumes the role. */
  readonly projectArn: string;
}

/**
 * Trusted by CodeBuild alone, and only on behalf of this account's project (the confused-deputy
 * conditions AWS recommends for service roles).
 */
export function deployerTrustStatements(inputs: DeployerTrustInputs): PolicyStatement[] {
  return [
    {
      Effect: 'Allow',
      Principal: { Service: 'codebuild.amazonaws.com' },
      Action: 'sts:AssumeRole',
      Condition: {
        StringEquals: { 'aws:SourceAccount': inputs.accountId },
        ArnLike: { 'aws:SourceArn': inputs.projectArn },
      },
    },
  ];
}

export interface DeployerPolicyInputs {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  /** The build's log group (ARN without the `:*` suffix). */
  readonly logGroupArn: string;
  readonly sourceBucketArn: string;
  /** The one key source bundles are uploaded to (versioned). */
  readonly sourceKey: string;
  /**
   * The state bucket and `state.keyPrefix`: every stack keeps `<prefix>/<stack>.tfstate` there.
   * @default - local state: no state access
   */
  readonly state?: { readonly bucket: string; readonly keyPrefix: string };
  /** Stacks the build applies: it writes their state and lock objects and no others. */
  readonly appliedStacks: readonly string[];
  /** Subnets the build's network interfaces go into. */
  readonly subnetIds: readonly string[];
  /** Secrets the applied stacks read while planning (bootstrap password, kubeconfig, own TLS). */
  readonly secretArns: readonly string[];
}

/** Least privilege for running the in-cluster stacks from CodeBuild in the VPC. */
export function deployerPolicyStatements(inputs: DeployerPolicyInputs): PolicyStatement[] {
  const { partition, region, accountId } = inputs;
  const statements: PolicyStatement[] = [
    {
      Sid: 'BuildLogs',
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: [inputs.logGroupArn, `${inputs.logGroupArn}:*`],
    },
    {
      Sid: 'SourceBundle',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:GetObjectVersion'],
      Resource: `${inputs.sourceBucketArn}/${inputs.sourceKey}`,
    },
    {
      Sid: 'SourceBucketLocation',
      Effect: 'Allow',
      Action: ['s3:GetBucketAcl', 's3:GetBucketLocation'],
      Resource: inputs.sourceBucketArn,
    },
    {
      Sid: 'VpcNetworkInterfaces',
      Effect: 'Allow',
      Action: [
        'ec2:CreateNetworkInterface',
        'ec2:DeleteNetworkInterface',
        'ec2:DescribeDhcpOptions',
        'ec2:DescribeNetworkInterfaces',
        'ec2:DescribeSecurityGroups',
        'ec2:DescribeSubnets',
        'ec2:DescribeVpcs',
      ],
      Resource: '*',
    },
    {
      Sid: 'VpcNetworkInterfacePermission',
      Effect: 'Allow',
      Action: 'ec2:CreateNetworkInterfacePermission',
      Resource: `arn:${partition}:ec2:${region}:${accountId}:network-interface/*`,
      Condition: {
        StringEquals: {
          'ec2:Subnet': inputs.subnetIds.map(
            (id) => `arn:${partition}:ec2:${region}:${accountId}:subnet/${id}`,
          ),
          'ec2:AuthorizedService': 'codebuild.amazonaws.com',
        },
      },
    },
  ];
  if (inputs.state)
    statements.push(...stateStatements(partition, inputs.state, inputs.appliedStacks));
  if (inputs.secretArns.length > 0) {
    statements.push({
      Sid: 'ReadSecrets',
      Effect: 'Allow',
      Action: 'secretsmanager:GetSecretValue',
      Resource: [...inputs.secretArns],
    });
  }
  return statements;
}

/**
 * The S3 backend's needs (Terraform's S3 backend documentation): list the bucket, read every
 * state of the environment (cross-stack references read the AWS-only stacks' outputs), write
 * only the applied stacks' states, and create and delete their lock objects (`use_lockfile`).
 */
function stateStatements(
  partition: string,
  state: { readonly bucket: string; readonly keyPrefix: string },
  appliedStacks: readonly string[],
): PolicyStatement[] {
  const bucketArn = `arn:${partition}:s3:::${state.bucket}`;
  const stateKey = (stack: string) => `${bucketArn}/${state.keyPrefix}/${stack}.tfstate`;
  return [
    { Sid: 'StateList', Effect: 'Allow', Action: 's3:ListBucket', Resource: bucketArn },
    {
      Sid: 'StateReadEnvironment',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: `${bucketArn}/${state.keyPrefix}/*`,
    },
    {
      Sid: 'StateWriteAppliedStacks',
      Effect: 'Allow',
      Action: 's3:PutObject',
      Resource: appliedStacks.map(stateKey),
    },
    {
      Sid: 'StateLocks',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      Resource: appliedStacks.map((stack) => `${stateKey(stack)}.tflock`),
    },
  ];
}

/** A statement letting the deployer read one more secret (a downstream RKE2 kubeconfig). */
export function readSecretStatement(secretArn: string): PolicyStatement {
  return {
    Sid: 'ReadKubeconfig',
    Effect: 'Allow',
    Action: 'secretsmanager:GetSecretValue',
    Resource: secretArn,
  };
}
