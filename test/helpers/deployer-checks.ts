import assert from 'node:assert/strict';
import { BatchGetProjectsCommand, ListProjectsCommand, Project } from '@aws-sdk/client-codebuild';
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeSubnetsCommand } from '@aws-sdk/client-ec2';
import {
  DescribeAccessEntryCommand,
  ListAssociatedAccessPoliciesCommand,
} from '@aws-sdk/client-eks';
import { GetRoleCommand, GetRolePolicyCommand } from '@aws-sdk/client-iam';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import type { AwsClients } from './aws-clients';

export interface DeployerStatement {
  readonly Sid?: string;
  readonly Action: string | string[];
  readonly Resource?: string | string[];
}

/** The deployer's CodeBuild project as CodeBuild describes it. */
export async function deployerProject(aws: AwsClients, environment: string): Promise<Project> {
  const { projects = [] } = await aws.codebuild.send(
    new BatchGetProjectsCommand({ names: [`${environment}-deployer`] }),
  );
  assert.equal(projects.length, 1, `no CodeBuild project ${environment}-deployer`);
  return projects[0];
}

/** The statements of the deployer role's inline policy, read back from IAM. */
export async function deployerStatements(
  aws: AwsClients,
  environment: string,
): Promise<DeployerStatement[]> {
  const { PolicyDocument } = await aws.iam.send(
    new GetRolePolicyCommand({
      RoleName: `${environment}-deployer`,
      PolicyName: 'deploy-in-cluster-stacks',
    }),
  );
  return (
    JSON.parse(decodeURIComponent(String(PolicyDocument))) as { Statement: DeployerStatement[] }
  ).Statement;
}

/**
 * Checks through the AWS API what every management stack's deployer must be: a CodeBuild project
 * in exactly the private subnets (the subnets tagged for internal load balancers), run by its own
 * role, logging to its own log group with retention.
 */
export async function assertDeployerRuns(aws: AwsClients, environment: string): Promise<Project> {
  const project = await deployerProject(aws, environment);
  const { Subnets = [] } = await aws.ec2.send(
    new DescribeSubnetsCommand({
      Filters: [
        { Name: 'tag:rancher-aws:environment', Values: [environment] },
        { Name: 'tag:Name', Values: [`${environment}-private-*`] },
      ],
    }),
  );
  assert.ok(Subnets.length >= 2, 'the environment has private subnets');
  assert.deepEqual(
    [...(project.vpcConfig?.subnets ?? [])].sort(),
    Subnets.map((s) => s.SubnetId).sort(),
  );
  assert.equal(project.vpcConfig?.vpcId, Subnets[0].VpcId);
  assert.equal(project.vpcConfig?.securityGroupIds?.length, 1);
  assert.equal(project.environment?.privilegedMode, false);
  assert.equal(project.source?.type, 'S3');
  assert.match(
    String(project.source?.location),
    new RegExp(`^${environment}-deployer-\\d{12}/source\\.zip$`),
  );
  const { Role } = await aws.iam.send(new GetRoleCommand({ RoleName: `${environment}-deployer` }));
  assert.equal(project.serviceRole, Role?.Arn);
  const trust = JSON.parse(decodeURIComponent(String(Role?.AssumeRolePolicyDocument))) as {
    Statement: { Principal: { Service: string } }[];
  };
  assert.deepEqual(
    trust.Statement.map((s) => s.Principal.Service),
    ['codebuild.amazonaws.com'],
  );
  const { logGroups = [] } = await aws.logs.send(
    new DescribeLogGroupsCommand({ logGroupNamePrefix: `/aws/codebuild/${environment}-deployer` }),
  );
  assert.deepEqual(
    logGroups.map((g) => [g.logGroupName, g.retentionInDays]),
    [[`/aws/codebuild/${environment}-deployer`, 30]],
  );
  assert.equal(
    project.logsConfig?.cloudWatchLogs?.groupName,
    `/aws/codebuild/${environment}-deployer`,
  );
  return project;
}

/** The deployer role's EKS access entry on `cluster`: cluster-admin, cluster-wide. */
export async function assertDeployerAccessEntry(
  aws: AwsClients,
  environment: string,
  cluster: string,
): Promise<void> {
  const { Role } = await aws.iam.send(new GetRoleCommand({ RoleName: `${environment}-deployer` }));
  const key = { clusterName: cluster, principalArn: Role?.Arn };
  const { accessEntry } = await aws.eks.send(new DescribeAccessEntryCommand(key));
  assert.equal(accessEntry?.type, 'STANDARD');
  const { associatedAccessPolicies = [] } = await aws.eks.send(
    new ListAssociatedAccessPoliciesCommand(key),
  );
  assert.deepEqual(
    associatedAccessPolicies.map((p) => [p.policyArn, p.accessScope?.type]),
    [['arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy', 'cluster']],
  );
}

/** Nothing of the deployer is left: project, role, log group, source bucket. */
export async function assertDeployerGone(aws: AwsClients, environment: string): Promise<void> {
  const { projects = [] } = await aws.codebuild.send(new ListProjectsCommand({}));
  const { logGroups = [] } = await aws.logs.send(
    new DescribeLogGroupsCommand({ logGroupNamePrefix: `/aws/codebuild/${environment}-` }),
  );
  const { Buckets = [] } = await aws.s3.send(new ListBucketsCommand({}));
  let role: string | undefined;
  try {
    role = (await aws.iam.send(new GetRoleCommand({ RoleName: `${environment}-deployer` }))).Role
      ?.Arn;
  } catch (error) {
    assert.equal((error as { name?: string }).name, 'NoSuchEntityException');
  }
  assert.deepEqual(
    {
      projects: projects.filter((p) => p.startsWith(`${environment}-`)),
      logGroups: logGroups.map((g) => g.logGroupName),
      buckets: (Buckets.map((b) => b.Name) as string[]).filter((b) =>
        b.startsWith(`${environment}-deployer-`),
      ),
      role,
    },
    { projects: [], logGroups: [], buckets: [], role: undefined },
  );
}
