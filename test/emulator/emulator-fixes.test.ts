import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeSecurityGroupRulesCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import {
  CreateAutoScalingGroupCommand,
  CreateLaunchConfigurationCommand,
  DescribeLifecycleHooksCommand,
  PutLifecycleHookCommand,
} from '@aws-sdk/client-auto-scaling';
import { RequestCertificateCommand } from '@aws-sdk/client-acm';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DescribeListenersCommand,
  ModifyListenerCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  BatchGetBuildsCommand,
  CreateProjectCommand,
  DeleteProjectCommand,
  ListProjectsCommand,
  StartBuildCommand,
  StopBuildCommand,
} from '@aws-sdk/client-codebuild';
import {
  AssociateAccessPolicyCommand,
  CreateAccessEntryCommand,
  CreateAddonCommand,
  CreateClusterCommand,
  DeleteAccessEntryCommand,
  DeleteAddonCommand,
  DeleteClusterCommand,
  DescribeAccessEntryCommand,
  DescribeAddonCommand,
  DescribeUpdateCommand,
  DisassociateAccessPolicyCommand,
  ListAddonsCommand,
  ListAssociatedAccessPoliciesCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateAddonCommand,
} from '@aws-sdk/client-eks';
import { AwsClients, awsClients } from '../helpers/aws-clients';
import { Emulator, startEmulator } from '../helpers/emulator';

/** One EC2 Query API call as an AWS SDK sends it: form body, service in the credential scope. */
function ec2Call(
  endpoint: string,
  params: Record<string, string>,
  invocationId: string,
  attempt: number,
): Promise<Response> {
  return fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization:
        'AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0',
      'amz-sdk-invocation-id': invocationId,
      'amz-sdk-request': `attempt=${attempt}; max=25`,
    },
    body: new URLSearchParams({ Version: '2016-11-15', ...params }).toString(),
  });
}

/** The error code the emulator answers a call with, or `undefined` when the call succeeds. */
async function errorCodeOf(call: Promise<unknown>): Promise<string | undefined> {
  try {
    await call;
    return undefined;
  } catch (error) {
    return (error as { name?: string }).name;
  }
}

// The fixes in scripts/moto_server.py that no apply/destroy cycle exercises on every run.
describe('the emulator wrapper (scripts/moto_server.py)', () => {
  let emulator: Emulator;
  let aws: AwsClients;
  let groupId: string;
  let ingressRuleId: string;
  let egressRuleId: string;
  const apiFromPeers = {
    IpProtocol: 'tcp',
    FromPort: 443,
    ToPort: 443,
  };

  before(async () => {
    emulator = await startEmulator();
    aws = awsClients(emulator.endpoint);
    const vpc = await aws.ec2.send(new CreateVpcCommand({ CidrBlock: '10.9.0.0/16' }));
    const vpcId = vpc.Vpc?.VpcId;
    const group = await aws.ec2.send(
      new CreateSecurityGroupCommand({ GroupName: 'api', Description: 'api', VpcId: vpcId }),
    );
    const peer = await aws.ec2.send(
      new CreateSecurityGroupCommand({ GroupName: 'peer', Description: 'peer', VpcId: vpcId }),
    );
    groupId = group.GroupId ?? '';
    const added = await aws.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [{ ...apiFromPeers, UserIdGroupPairs: [{ GroupId: peer.GroupId }] }],
      }),
    );
    ingressRuleId = added.SecurityGroupRules?.[0]?.SecurityGroupRuleId ?? '';
    const rules = await aws.ec2.send(
      new DescribeSecurityGroupRulesCommand({
        Filters: [{ Name: 'group-id', Values: [groupId] }],
      }),
    );
    egressRuleId = rules.SecurityGroupRules?.find((r) => r.IsEgress)?.SecurityGroupRuleId ?? '';
    assert.match(ingressRuleId, /^sgr-/);
    assert.match(egressRuleId, /^sgr-/);
  });

  after(async () => {
    aws?.destroy();
    await emulator?.stop();
  });

  it('revokes a rule by id once, and answers a repeated revoke as EC2 does', async () => {
    // The AWS provider treats InvalidSecurityGroupRuleId.NotFound as "already deleted", so an
    // SDK retry of a revoke that had already succeeded does not fail the destroy.
    const revokes = [
      () =>
        aws.ec2.send(
          new RevokeSecurityGroupIngressCommand({
            GroupId: groupId,
            SecurityGroupRuleIds: [ingressRuleId],
          }),
        ),
      () =>
        aws.ec2.send(
          new RevokeSecurityGroupEgressCommand({
            GroupId: groupId,
            SecurityGroupRuleIds: [egressRuleId],
          }),
        ),
    ];
    for (const revoke of revokes) {
      assert.equal(await errorCodeOf(revoke()), undefined);
      assert.equal(await errorCodeOf(revoke()), 'InvalidSecurityGroupRuleId.NotFound');
    }

    const left = await aws.ec2.send(
      new DescribeSecurityGroupRulesCommand({
        Filters: [{ Name: 'group-id', Values: [groupId] }],
      }),
    );
    assert.deepEqual(left.SecurityGroupRules, []);
  });

  it('answers a re-sent attempt of a call that succeeded with the same answer, without running it again', async () => {
    const create = { Action: 'CreateSecurityGroup', GroupName: 'once', GroupDescription: 'once' };
    const first = await ec2Call(
      emulator.endpoint,
      create,
      'c0ffee00-0000-4000-8000-000000000001',
      1,
    );
    const firstBody = await first.text();
    assert.equal(first.status, 200, firstBody);
    const resent = await ec2Call(
      emulator.endpoint,
      create,
      'c0ffee00-0000-4000-8000-000000000001',
      2,
    );
    assert.equal(resent.status, 200);
    assert.equal(await resent.text(), firstBody);

    // A new invocation runs: the group exists now.
    const again = await ec2Call(
      emulator.endpoint,
      create,
      'c0ffee00-0000-4000-8000-000000000002',
      1,
    );
    assert.equal(again.status, 400);
    assert.match(await again.text(), /InvalidGroup\.Duplicate/);
    // A re-sent attempt after an error runs again too (throttling and 5xx retries must).
    const retried = await ec2Call(
      emulator.endpoint,
      create,
      'c0ffee00-0000-4000-8000-000000000002',
      2,
    );
    assert.equal(retried.status, 400);
    assert.match(await retried.text(), /InvalidGroup\.Duplicate/);
  });

  it('still answers a revoke by rule content that matches nothing with InvalidPermission.NotFound', async () => {
    const code = await errorCodeOf(
      aws.ec2.send(
        new RevokeSecurityGroupIngressCommand({
          GroupId: groupId,
          IpPermissions: [{ ...apiFromPeers, IpRanges: [{ CidrIp: '192.0.2.0/24' }] }],
        }),
      ),
    );
    assert.equal(code, 'InvalidPermission.NotFound');
  });

  it('reports no notification target or role for a lifecycle hook created without them', async () => {
    await aws.autoScaling.send(
      new CreateLaunchConfigurationCommand({
        LaunchConfigurationName: 'servers',
        ImageId: 'ami-785db401',
        InstanceType: 't3.micro',
      }),
    );
    await aws.autoScaling.send(
      new CreateAutoScalingGroupCommand({
        AutoScalingGroupName: 'servers',
        LaunchConfigurationName: 'servers',
        MinSize: 0,
        MaxSize: 0,
        AvailabilityZones: ['us-east-1a'],
      }),
    );
    await aws.autoScaling.send(
      new PutLifecycleHookCommand({
        AutoScalingGroupName: 'servers',
        LifecycleHookName: 'leave',
        LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
        HeartbeatTimeout: 300,
        DefaultResult: 'CONTINUE',
      }),
    );
    const { LifecycleHooks = [] } = await aws.autoScaling.send(
      new DescribeLifecycleHooksCommand({ AutoScalingGroupName: 'servers' }),
    );
    assert.equal(LifecycleHooks.length, 1);
    assert.equal(LifecycleHooks[0].NotificationTargetARN, undefined);
    assert.equal(LifecycleHooks[0].RoleARN, undefined);
    assert.equal(LifecycleHooks[0].HeartbeatTimeout, 300);
  });

  // ELB API reference, ModifyListener: a Network Load Balancer listener's protocol may be TCP,
  // TLS, UDP or TCP_UDP; TLS takes one certificate. Switching TLS mode to acm does this.
  it("turns a network load balancer's TCP listener into a TLS one", async () => {
    const vpc = await aws.ec2.send(new CreateVpcCommand({ CidrBlock: '10.8.0.0/16' }));
    const subnet = await aws.ec2.send(
      new CreateSubnetCommand({ VpcId: vpc.Vpc?.VpcId, CidrBlock: '10.8.0.0/24' }),
    );
    const { LoadBalancers = [] } = await aws.elbv2.send(
      new CreateLoadBalancerCommand({
        Name: 'fixes-nlb',
        Type: 'network',
        Subnets: [String(subnet.Subnet?.SubnetId)],
      }),
    );
    const { TargetGroups = [] } = await aws.elbv2.send(
      new CreateTargetGroupCommand({
        Name: 'fixes-tls-offload',
        Protocol: 'TCP',
        Port: 8001,
        VpcId: vpc.Vpc?.VpcId,
        TargetType: 'ip',
      }),
    );
    const forward = [{ Type: 'forward' as const, TargetGroupArn: TargetGroups[0].TargetGroupArn }];
    const { Listeners = [] } = await aws.elbv2.send(
      new CreateListenerCommand({
        LoadBalancerArn: LoadBalancers[0].LoadBalancerArn,
        Protocol: 'TCP',
        Port: 443,
        DefaultActions: forward,
      }),
    );
    const { CertificateArn } = await aws.acm.send(
      new RequestCertificateCommand({
        DomainName: 'rancher.fixes.internal',
        ValidationMethod: 'DNS',
      }),
    );
    const without = await errorCodeOf(
      aws.elbv2.send(
        new ModifyListenerCommand({ ListenerArn: Listeners[0].ListenerArn, Protocol: 'TLS' }),
      ),
    );
    // The SDK names the modelled error InvalidConfigurationRequestException.
    assert.match(String(without), /^InvalidConfigurationRequest/, 'TLS needs a certificate');
    await aws.elbv2.send(
      new ModifyListenerCommand({
        ListenerArn: Listeners[0].ListenerArn,
        Protocol: 'TLS',
        Certificates: [{ CertificateArn }],
        SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
        DefaultActions: forward,
      }),
    );
    const { Listeners: modified = [] } = await aws.elbv2.send(
      new DescribeListenersCommand({ ListenerArns: [String(Listeners[0].ListenerArn)] }),
    );
    assert.equal(modified[0].Protocol, 'TLS');
    assert.deepEqual(
      modified[0].Certificates?.map((c) => c.CertificateArn),
      [CertificateArn],
    );
    assert.equal(modified[0].SslPolicy, 'ELBSecurityPolicy-TLS13-1-2-2021-06');
  });
});

// moto 5.2.1 has no EKS access entry operations; the wrapper adds them (aws_eks_access_entry and
// aws_eks_access_policy_association call exactly these).
describe('the emulator wrapper: EKS access entries', () => {
  let emulator: Emulator;
  let aws: AwsClients;
  const clusterName = 'entries';
  const principalArn = 'arn:aws:iam::123456789012:role/team/deployer';
  const policyArn = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy';
  const key = { clusterName, principalArn };

  before(async () => {
    emulator = await startEmulator();
    aws = awsClients(emulator.endpoint);
    await aws.eks.send(
      new CreateClusterCommand({
        name: clusterName,
        roleArn: 'arn:aws:iam::123456789012:role/cluster',
        resourcesVpcConfig: { subnetIds: ['subnet-0a'] },
      }),
    );
  });

  after(async () => {
    aws?.destroy();
    await emulator?.stop();
  });

  it('creates, describes and deletes an entry for a principal ARN with slashes in its path', async () => {
    const created = await aws.eks.send(
      new CreateAccessEntryCommand({ ...key, type: 'STANDARD', tags: { team: 'platform' } }),
    );
    assert.equal(created.accessEntry?.principalArn, principalArn);
    assert.match(
      String(created.accessEntry?.accessEntryArn),
      /^arn:aws:eks:us-east-1:123456789012:access-entry\/entries\//,
    );
    const described = await aws.eks.send(new DescribeAccessEntryCommand(key));
    assert.equal(described.accessEntry?.accessEntryArn, created.accessEntry?.accessEntryArn);
    assert.equal(described.accessEntry?.type, 'STANDARD');
    assert.deepEqual(described.accessEntry?.tags, { team: 'platform' });
    assert.equal(
      await errorCodeOf(aws.eks.send(new CreateAccessEntryCommand(key))),
      'ResourceInUseException',
    );
    await aws.eks.send(new DeleteAccessEntryCommand(key));
    assert.equal(
      await errorCodeOf(aws.eks.send(new DescribeAccessEntryCommand(key))),
      'ResourceNotFoundException',
    );
  });

  it('associates, lists and disassociates an access policy of an entry', async () => {
    await aws.eks.send(new CreateAccessEntryCommand(key));
    const associated = await aws.eks.send(
      new AssociateAccessPolicyCommand({ ...key, policyArn, accessScope: { type: 'cluster' } }),
    );
    assert.equal(associated.associatedAccessPolicy?.policyArn, policyArn);
    const listed = await aws.eks.send(new ListAssociatedAccessPoliciesCommand(key));
    assert.deepEqual(
      listed.associatedAccessPolicies?.map((p) => [p.policyArn, p.accessScope?.type]),
      [[policyArn, 'cluster']],
    );
    await aws.eks.send(new DisassociateAccessPolicyCommand({ ...key, policyArn }));
    const after = await aws.eks.send(new ListAssociatedAccessPoliciesCommand(key));
    assert.deepEqual(after.associatedAccessPolicies, []);
    assert.equal(
      await errorCodeOf(
        aws.eks.send(
          new ListAssociatedAccessPoliciesCommand({
            clusterName,
            principalArn: `${principalArn}x`,
          }),
        ),
      ),
      'ResourceNotFoundException',
    );
  });

  it('removes the entries with their cluster', async () => {
    await aws.eks.send(new DeleteClusterCommand({ name: clusterName }));
    await aws.eks.send(
      new CreateClusterCommand({
        name: clusterName,
        roleArn: 'arn:aws:iam::123456789012:role/cluster',
        resourcesVpcConfig: { subnetIds: ['subnet-0a'] },
      }),
    );
    assert.equal(
      await errorCodeOf(aws.eks.send(new DescribeAccessEntryCommand(key))),
      'ResourceNotFoundException',
    );
  });
});

// CodeBuild as env:deploy and the AWS provider call it.
describe('the emulator wrapper: CodeBuild', () => {
  let emulator: Emulator;
  let aws: AwsClients;
  let projectArn: string;

  before(async () => {
    emulator = await startEmulator();
    aws = awsClients(emulator.endpoint);
    const { project } = await aws.codebuild.send(
      new CreateProjectCommand({
        name: 'fixes-deployer',
        source: { type: 'S3', location: 'fixes-bucket/source.zip' },
        artifacts: { type: 'NO_ARTIFACTS' },
        environment: {
          type: 'LINUX_CONTAINER',
          computeType: 'BUILD_GENERAL1_SMALL',
          image: 'aws/codebuild/amazonlinux-x86_64-standard:6.0',
        },
        serviceRole: 'arn:aws:iam::123456789012:role/fixes-deployer',
      }),
    );
    projectArn = String(project?.arn);
  });

  after(async () => {
    aws?.destroy();
    await emulator?.stop();
  });

  it('answers StartBuild, BatchGetBuilds and StopBuild with epoch timestamps an SDK can read', async () => {
    const { build } = await aws.codebuild.send(
      new StartBuildCommand({ projectName: 'fixes-deployer', sourceVersion: 'v1' }),
    );
    assert.ok(build?.startTime instanceof Date, 'startTime is a time');
    const { builds = [] } = await aws.codebuild.send(
      new BatchGetBuildsCommand({ ids: [String(build?.id)] }),
    );
    assert.equal(builds[0].buildStatus, 'SUCCEEDED');
    assert.ok(builds[0].endTime instanceof Date, 'endTime is a time');
    assert.ok(builds[0].phases?.every((p) => p.startTime instanceof Date));
    const stopped = await aws.codebuild.send(new StopBuildCommand({ id: String(build?.id) }));
    assert.ok(stopped.build?.startTime instanceof Date);
  });

  it('deletes a project named by its ARN, as the AWS provider names it', async () => {
    await aws.codebuild.send(new DeleteProjectCommand({ name: projectArn }));
    const { projects = [] } = await aws.codebuild.send(new ListProjectsCommand({}));
    assert.deepEqual(projects, []);
  });
});

// moto 5.2.1 has no EKS add-on API: without the wrapper every call below fails (no such URL).
describe('the emulator wrapper answers the EKS add-on calls the AWS provider makes', () => {
  let emulator: Emulator;
  let aws: AwsClients;
  const clusterName = 'addons';

  before(async () => {
    emulator = await startEmulator();
    aws = awsClients(emulator.endpoint);
    await aws.eks.send(
      new CreateClusterCommand({
        name: clusterName,
        roleArn: 'arn:aws:iam::123456789012:role/cluster',
        resourcesVpcConfig: { subnetIds: [] },
      }),
    );
  });

  after(async () => {
    aws?.destroy();
    await emulator?.stop();
  });

  it('creates, reads, lists, updates, tags and deletes an add-on', async () => {
    const roleArn = 'arn:aws:iam::123456789012:role/vpc-cni';
    const created = await aws.eks.send(
      new CreateAddonCommand({
        clusterName,
        addonName: 'vpc-cni',
        addonVersion: 'v1.21.1-eksbuild.7',
        serviceAccountRoleArn: roleArn,
        resolveConflicts: 'OVERWRITE',
        tags: { team: 'platform' },
      }),
    );
    const arn = String(created.addon?.addonArn);
    assert.match(arn, /^arn:aws:eks:us-east-1:\d{12}:addon\/addons\/vpc-cni\/[0-9a-f-]{36}$/);

    // The provider waits for ACTIVE after a create, and reads every argument back.
    const { addon } = await aws.eks.send(
      new DescribeAddonCommand({ clusterName, addonName: 'vpc-cni' }),
    );
    assert.equal(addon?.status, 'ACTIVE');
    assert.equal(addon?.addonVersion, 'v1.21.1-eksbuild.7');
    assert.equal(addon?.serviceAccountRoleArn, roleArn);
    assert.deepEqual(addon?.tags, { team: 'platform' });
    assert.ok(addon?.createdAt instanceof Date);
    assert.deepEqual((await aws.eks.send(new ListAddonsCommand({ clusterName }))).addons, [
      'vpc-cni',
    ]);
    assert.equal(
      await errorCodeOf(
        aws.eks.send(new CreateAddonCommand({ clusterName, addonName: 'vpc-cni' })),
      ),
      'ResourceInUseException',
    );

    // An update answers with an id the provider polls with DescribeUpdate until Successful.
    const { update } = await aws.eks.send(
      new UpdateAddonCommand({
        clusterName,
        addonName: 'vpc-cni',
        addonVersion: 'v1.21.2-eksbuild.1',
      }),
    );
    const polled = await aws.eks.send(
      new DescribeUpdateCommand({ name: clusterName, updateId: update?.id, addonName: 'vpc-cni' }),
    );
    assert.equal(polled.update?.status, 'Successful');
    const updated = await aws.eks.send(
      new DescribeAddonCommand({ clusterName, addonName: 'vpc-cni' }),
    );
    assert.equal(updated.addon?.addonVersion, 'v1.21.2-eksbuild.1');
    assert.equal(updated.addon?.serviceAccountRoleArn, roleArn);

    await aws.eks.send(new TagResourceCommand({ resourceArn: arn, tags: { env: 'test' } }));
    await aws.eks.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['team'] }));
    const { tags } = await aws.eks.send(new ListTagsForResourceCommand({ resourceArn: arn }));
    assert.deepEqual(tags, { env: 'test' });

    // The provider's delete waits until DescribeAddon answers ResourceNotFoundException.
    await aws.eks.send(new DeleteAddonCommand({ clusterName, addonName: 'vpc-cni' }));
    assert.equal(
      await errorCodeOf(
        aws.eks.send(new DescribeAddonCommand({ clusterName, addonName: 'vpc-cni' })),
      ),
      'ResourceNotFoundException',
    );
    assert.deepEqual((await aws.eks.send(new ListAddonsCommand({ clusterName }))).addons, []);
  });

  it('answers ResourceNotFoundException for a cluster that does not exist', async () => {
    assert.equal(
      await errorCodeOf(
        aws.eks.send(new CreateAddonCommand({ clusterName: 'missing', addonName: 'coredns' })),
      ),
      'ResourceNotFoundException',
    );
  });
});
