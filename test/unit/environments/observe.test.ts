import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findLeftovers, ObservedResource } from '../../../lib/environments/leftovers';
import { observeEnvironment, PROBES } from '../../../lib/environments/observe';
import { kindOfArn } from '../../../lib/environments/probes/probe';
import { awsError, FakeResponses, fails, fakeAws, withAnswers } from '../../helpers/fake-aws';

const ENV = 'pr-1';
const ACCOUNT = 'arn:aws:%s:us-east-1:111122223333';
const arn = (service: string, resource: string) => `${ACCOUNT.replace('%s', service)}:${resource}`;
const tagged = (environment: string) => [{ Key: 'rancher-aws:environment', Value: environment }];
const mine = tagged(ENV);

/** One account holding a resource of every kind for pr-1, some gone, some of another environment. */
function account(): FakeResponses {
  const input = <T>(value: Record<string, unknown>) => value as T;
  return {
    tagging: {
      GetResources: () => ({
        ResourceTagMappingList: [
          { ResourceARN: arn('ec2', 'vpc/vpc-1'), Tags: mine },
          { ResourceARN: arn('acm', 'certificate/c-1'), Tags: mine },
        ],
      }),
    },
    ec2: {
      DescribeVpcs: () => ({ Vpcs: [{ VpcId: 'vpc-1', Tags: mine }] }),
      DescribeSubnets: () => ({ Subnets: [{ SubnetId: 'subnet-1', Tags: mine }] }),
      DescribeSecurityGroups: () => ({ SecurityGroups: [{ GroupId: 'sg-1', Tags: mine }] }),
      DescribeInternetGateways: () => ({
        InternetGateways: [{ InternetGatewayId: 'igw-1', Tags: mine }],
      }),
      DescribeNatGateways: () => ({
        NatGateways: [
          { NatGatewayId: 'nat-1', Tags: mine, State: 'deleted' },
          { NatGatewayId: 'nat-2', Tags: mine, State: 'available' },
        ],
      }),
      DescribeAddresses: () => ({ Addresses: [{ AllocationId: 'eipalloc-1', Tags: mine }] }),
      DescribeRouteTables: () => ({ RouteTables: [{ RouteTableId: 'rtb-1', Tags: mine }] }),
      // EC2 keeps listing a deleted peering (status deleted) for a while after its deletion.
      DescribeVpcPeeringConnections: () => ({
        VpcPeeringConnections: [
          { VpcPeeringConnectionId: 'pcx-1', Tags: mine, Status: { Code: 'deleted' } },
          { VpcPeeringConnectionId: 'pcx-2', Tags: mine, Status: { Code: 'active' } },
        ],
      }),
      DescribeLaunchTemplates: () => ({
        LaunchTemplates: [{ LaunchTemplateId: 'lt-1', Tags: mine }],
      }),
      DescribeInstances: () => ({
        Reservations: [
          {
            Instances: [
              { InstanceId: 'i-1', Tags: mine, State: { Name: 'terminated' } },
              { InstanceId: 'i-2', Tags: mine, State: { Name: 'running' } },
            ],
          },
        ],
      }),
      DescribeVolumes: () => ({ Volumes: [{ VolumeId: 'vol-1', Tags: mine, State: 'in-use' }] }),
    },
    eks: {
      ListClusters: () => ({ clusters: ['pr-1-management', 'other-management'] }),
      DescribeCluster: (i) => {
        const { name } = input<{ name: string }>(i);
        const tags = { 'rancher-aws:environment': name.split('-management')[0] };
        return { cluster: { name, arn: arn('eks', `cluster/${name}`), status: 'ACTIVE', tags } };
      },
    },
    elbv2: {
      DescribeLoadBalancers: () => ({
        LoadBalancers: [
          { LoadBalancerArn: arn('elasticloadbalancing', 'loadbalancer/net/pr-1/a') },
        ],
      }),
      DescribeTargetGroups: () => ({
        TargetGroups: [{ TargetGroupArn: arn('elasticloadbalancing', 'targetgroup/pr-1-https/b') }],
      }),
      DescribeTags: (i) => ({
        TagDescriptions: input<{ ResourceArns: string[] }>(i).ResourceArns.map((ResourceArn) => ({
          ResourceArn,
          Tags: mine,
        })),
      }),
    },
    iam: {
      ListRoles: () => ({
        Roles: [
          { RoleName: 'pr-1-node', Arn: 'arn:aws:iam::111122223333:role/pr-1-node', Path: '/' },
          {
            RoleName: 'AWSServiceRoleForAutoScaling',
            Arn: 'arn:aws:iam::111122223333:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling',
            Path: '/aws-service-role/autoscaling.amazonaws.com/',
          },
        ],
      }),
      ListRoleTags: (i) => {
        if (input<{ RoleName: string }>(i).RoleName !== 'pr-1-node') throw awsError('AccessDenied');
        return { Tags: mine };
      },
      ListPolicies: () => ({
        Policies: [
          { Arn: 'arn:aws:iam::111122223333:policy/pr-1-lbc' },
          { Arn: 'arn:aws:iam::111122223333:policy/other-lbc' },
        ],
      }),
      ListPolicyTags: (i) => ({
        Tags: tagged(input<{ PolicyArn: string }>(i).PolicyArn.includes('/pr-1-') ? ENV : 'other'),
      }),
      ListInstanceProfiles: () => ({
        InstanceProfiles: [
          { Arn: 'arn:aws:iam::111122223333:instance-profile/pr-1-servers', Tags: mine },
        ],
      }),
      ListOpenIDConnectProviders: () => ({
        OpenIDConnectProviderList: [
          { Arn: 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/1' },
        ],
      }),
      ListOpenIDConnectProviderTags: () => ({ Tags: mine }),
    },
    kms: {
      ListKeys: () => ({
        Keys: [
          { KeyId: 'k-1', KeyArn: arn('kms', 'key/k-1') },
          { KeyId: 'k-aws', KeyArn: arn('kms', 'key/k-aws') },
        ],
      }),
      DescribeKey: (i) => {
        const { KeyId } = input<{ KeyId: string }>(i);
        return {
          KeyMetadata: {
            KeyId,
            KeyManager: KeyId === 'k-aws' ? 'AWS' : 'CUSTOMER',
            KeyState: 'PendingDeletion',
          },
        };
      },
      ListResourceTags: (i) => {
        if (input<{ KeyId: string }>(i).KeyId !== 'k-1') throw awsError('AccessDenied');
        return { Tags: [{ TagKey: 'rancher-aws:environment', TagValue: ENV }] };
      },
    },
    route53: {
      ListHostedZones: () => ({
        HostedZones: [{ Id: '/hostedzone/Z1', Name: 'pr-1.internal.', CallerReference: 'r' }],
      }),
      ListTagsForResources: (i) => ({
        ResourceTagSets: input<{ ResourceIds: string[] }>(i).ResourceIds.map((ResourceId) => ({
          ResourceType: 'hostedzone',
          ResourceId,
          Tags: mine,
        })),
      }),
    },
    logs: {
      DescribeLogGroups: () => ({
        logGroups: [
          {
            logGroupName: '/aws/eks/pr-1-management/cluster',
            arn: arn('logs', 'log-group:/aws/eks/pr-1-management/cluster:*'),
          },
        ],
      }),
      ListTagsForResource: (i) => {
        // The service wants the ARN without the trailing `:*` DescribeLogGroups gives.
        if (input<{ resourceArn: string }>(i).resourceArn.endsWith(':*')) {
          throw awsError('InvalidParameterException');
        }
        return { tags: { 'rancher-aws:environment': ENV } };
      },
    },
    s3: {
      ListBuckets: () => ({ Buckets: [{ Name: 'pr-1-tfstate' }, { Name: 'untagged' }] }),
      GetBucketTagging: (i) => {
        if (input<{ Bucket: string }>(i).Bucket === 'untagged') throw awsError('NoSuchTagSet');
        return { TagSet: mine };
      },
    },
    secretsManager: {
      ListSecrets: () => ({
        SecretList: [
          {
            ARN: arn('secretsmanager', 'secret:pr-1-bootstrap-password-AbCdEf'),
            Tags: mine,
            DeletedDate: '2026-09-01T12:00:00Z',
          },
        ],
      }),
    },
    autoScaling: {
      DescribeAutoScalingGroups: () => ({
        AutoScalingGroups: [
          {
            AutoScalingGroupName: 'pr-1-servers',
            AutoScalingGroupARN: arn(
              'autoscaling',
              'autoScalingGroup:u-1:autoScalingGroupName/pr-1-servers',
            ),
            Tags: mine,
            Status: 'Delete in progress',
          },
        ],
      }),
    },
  };
}

const line = (r: ObservedResource) =>
  `${r.kind} ${r.id}${r.state ? ` (${r.state})` : ''} [${r.source}]`;

describe('the probes', () => {
  it('are the tagging API and each service list call teardown checks', () => {
    assert.deepEqual(Object.keys(PROBES).sort(), [
      'autoscaling:DescribeAutoScalingGroups',
      'ec2:DescribeAddresses',
      'ec2:DescribeInstances',
      'ec2:DescribeInternetGateways',
      'ec2:DescribeLaunchTemplates',
      'ec2:DescribeNatGateways',
      'ec2:DescribeRouteTables',
      'ec2:DescribeSecurityGroups',
      'ec2:DescribeSubnets',
      'ec2:DescribeVolumes',
      'ec2:DescribeVpcPeeringConnections',
      'ec2:DescribeVpcs',
      'eks:DescribeCluster',
      'elasticloadbalancing:DescribeTags',
      'iam:ListInstanceProfiles',
      'iam:ListOpenIDConnectProviderTags',
      'iam:ListPolicyTags',
      'iam:ListRoleTags',
      'kms:ListResourceTags',
      'logs:ListTagsForResource',
      'route53:ListTagsForResources',
      's3:GetBucketTagging',
      'secretsmanager:ListSecrets',
      'tagging:GetResources',
    ]);
  });

  it('find every kind of resource of the environment, and findLeftovers sorts them', async () => {
    const fake = fakeAws(account());
    const observed = await observeEnvironment(fake.clients, ENV);
    assert.deepEqual(observed.failedChecks, []);
    const report = findLeftovers(ENV, observed.resources);
    assert.deepEqual(report.leftovers.map(line), [
      `acm:certificate ${arn('acm', 'certificate/c-1')} [tagging:GetResources]`,
      `autoscaling:group ${arn('autoscaling', 'autoScalingGroup:u-1:autoScalingGroupName/pr-1-servers')} (Delete in progress) [autoscaling:DescribeAutoScalingGroups]`,
      'ec2:elastic-ip eipalloc-1 [ec2:DescribeAddresses]',
      'ec2:instance i-2 (running) [ec2:DescribeInstances]',
      'ec2:internet-gateway igw-1 [ec2:DescribeInternetGateways]',
      'ec2:launch-template lt-1 [ec2:DescribeLaunchTemplates]',
      'ec2:natgateway nat-2 (available) [ec2:DescribeNatGateways]',
      'ec2:route-table rtb-1 [ec2:DescribeRouteTables]',
      'ec2:security-group sg-1 [ec2:DescribeSecurityGroups]',
      'ec2:subnet subnet-1 [ec2:DescribeSubnets]',
      'ec2:volume vol-1 (in-use) [ec2:DescribeVolumes]',
      // Seen by the tagging API first and by DescribeVpcs; neither gives a state.
      `ec2:vpc ${arn('ec2', 'vpc/vpc-1')} [tagging:GetResources]`,
      'ec2:vpc-peering-connection pcx-2 (active) [ec2:DescribeVpcPeeringConnections]',
      `eks:cluster ${arn('eks', 'cluster/pr-1-management')} (ACTIVE) [eks:DescribeCluster]`,
      `elasticloadbalancing:loadbalancer ${arn('elasticloadbalancing', 'loadbalancer/net/pr-1/a')} [elasticloadbalancing:DescribeTags]`,
      `elasticloadbalancing:targetgroup ${arn('elasticloadbalancing', 'targetgroup/pr-1-https/b')} [elasticloadbalancing:DescribeTags]`,
      'iam:instance-profile arn:aws:iam::111122223333:instance-profile/pr-1-servers [iam:ListInstanceProfiles]',
      'iam:oidc-provider arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/1 [iam:ListOpenIDConnectProviderTags]',
      'iam:policy arn:aws:iam::111122223333:policy/pr-1-lbc [iam:ListPolicyTags]',
      'iam:role arn:aws:iam::111122223333:role/pr-1-node [iam:ListRoleTags]',
      `logs:log-group ${arn('logs', 'log-group:/aws/eks/pr-1-management/cluster')} [logs:ListTagsForResource]`,
      'route53:hostedzone arn:aws:route53:::hostedzone/Z1 [route53:ListTagsForResources]',
      's3:bucket arn:aws:s3:::pr-1-tfstate [s3:GetBucketTagging]',
    ]);
    assert.deepEqual(report.scheduledForDeletion.map(line), [
      `kms:key ${arn('kms', 'key/k-1')} (PendingDeletion) [kms:ListResourceTags]`,
      `secretsmanager:secret ${arn('secretsmanager', 'secret:pr-1-bootstrap-password-AbCdEf')} (scheduled-for-deletion) [secretsmanager:ListSecrets]`,
    ]);
  });

  it('ask EC2 only for resources tagged with the environment', async () => {
    const fake = fakeAws(account());
    await observeEnvironment(fake.clients, ENV);
    const filter = [{ Name: 'tag:rancher-aws:environment', Values: [ENV] }];
    const ec2Calls = fake.calls.filter((c) => c.service === 'ec2');
    assert.equal(ec2Calls.length, 11);
    for (const { command, input } of ec2Calls) {
      // DescribeNatGateways names its filter list `Filter` (botocore ec2 service model).
      const key = command === 'DescribeNatGateways' ? 'Filter' : 'Filters';
      assert.deepEqual(input, { [key]: filter }, command);
    }
  });

  it('ask the tagging API for the environment tag, IAM for customer policies, Secrets Manager for deleted secrets too', async () => {
    const fake = fakeAws(account());
    await observeEnvironment(fake.clients, ENV);
    assert.deepEqual(fake.inputsOf('tagging', 'GetResources'), [
      { TagFilters: [{ Key: 'rancher-aws:environment', Values: [ENV] }] },
    ]);
    assert.deepEqual(fake.inputsOf('iam', 'ListPolicies'), [{ Scope: 'Local' }]);
    assert.deepEqual(fake.inputsOf('secretsManager', 'ListSecrets'), [
      { IncludePlannedDeletion: true },
    ]);
    // Service-linked roles and AWS managed keys belong to AWS: their tags are never asked for.
    assert.deepEqual(fake.inputsOf('iam', 'ListRoleTags'), [{ RoleName: 'pr-1-node' }]);
    assert.deepEqual(fake.inputsOf('kms', 'ListResourceTags'), [{ KeyId: 'k-1' }]);
  });

  it('follow every page', async () => {
    const pages = [
      { Vpcs: [{ VpcId: 'vpc-1', Tags: mine }], NextToken: 'page-2' },
      { Vpcs: [{ VpcId: 'vpc-2', Tags: mine }] },
    ];
    const fake = fakeAws({ ec2: { DescribeVpcs: () => pages.shift() } });
    const found = await PROBES['ec2:DescribeVpcs'](fake.clients, ENV);
    assert.deepEqual(
      found.map((r) => r.id),
      ['vpc-1', 'vpc-2'],
    );
    assert.equal(fake.inputsOf('ec2', 'DescribeVpcs')[1].NextToken, 'page-2');
  });

  // ELB DescribeTags takes up to 20 ARNs (@aws-sdk/client-elastic-load-balancing-v2 DescribeTagsInput);
  // Route 53 ListTagsForResources up to 10 zones (botocore route53 model, TagResourceIdList max 10).
  it('ask for tags in batches the services accept', async () => {
    const balancers = Array.from({ length: 25 }, (_, i) => ({
      LoadBalancerArn: arn('elasticloadbalancing', `loadbalancer/net/lb${i}/x`),
    }));
    const zones = Array.from({ length: 12 }, (_, i) => ({ Id: `/hostedzone/Z${i}` }));
    const fake = fakeAws(
      withAnswers(account(), {
        elbv2: {
          DescribeLoadBalancers: () => ({ LoadBalancers: balancers }),
          DescribeTargetGroups: () => ({ TargetGroups: [] }),
        },
        route53: { ListHostedZones: () => ({ HostedZones: zones }) },
      }),
    );
    const elb = await PROBES['elasticloadbalancing:DescribeTags'](fake.clients, ENV);
    const route53 = await PROBES['route53:ListTagsForResources'](fake.clients, ENV);
    assert.equal(elb.length, 25);
    assert.equal(route53.length, 12);
    const sizes = (service: 'elbv2' | 'route53', command: string, field: string) =>
      fake.inputsOf(service, command).map((i) => (i[field] as string[]).length);
    assert.deepEqual(sizes('elbv2', 'DescribeTags', 'ResourceArns'), [20, 5]);
    assert.deepEqual(sizes('route53', 'ListTagsForResources', 'ResourceIds'), [10, 2]);
    assert.deepEqual(fake.inputsOf('route53', 'ListTagsForResources')[1], {
      ResourceType: 'hostedzone',
      ResourceIds: ['Z10', 'Z11'],
    });
  });

  it('report a call that fails as a failed check and keep what the others found', async () => {
    const fake = fakeAws(
      withAnswers(account(), {
        s3: {
          GetBucketTagging: fails('AccessDenied', 'Access Denied'),
        },
      }),
    );
    const observed = await observeEnvironment(fake.clients, ENV);
    assert.deepEqual(observed.failedChecks, ['s3:GetBucketTagging: AccessDenied: Access Denied']);
    assert.ok(observed.resources.some((r) => r.source === 'ec2:DescribeVpcs'));
    assert.ok(!observed.resources.some((r) => r.source === 's3:GetBucketTagging'));
  });
});

describe('observeEnvironment', () => {
  it('runs every probe of a table and names each one that failed', async () => {
    const found = (id: string): ObservedResource => ({
      kind: 'x:thing',
      id,
      tags: {},
      source: 'x',
    });
    const observed = await observeEnvironment(fakeAws({}).clients, ENV, {
      'a:One': async () => [found('a')],
      'b:Two': async () => {
        throw awsError('ThrottlingException', 'Rate exceeded');
      },
      'c:Three': async (_clients, environment) => [found(`c-${environment}`)],
    });
    assert.deepEqual(
      observed.resources.map((r) => r.id),
      ['a', 'c-pr-1'],
    );
    assert.deepEqual(observed.failedChecks, ['b:Two: ThrottlingException: Rate exceeded']);
  });
});

describe('kindOfArn', () => {
  it('is the service and the resource type of an ARN', () => {
    assert.equal(kindOfArn('arn:aws:ec2:us-east-1:1:vpc/vpc-1'), 'ec2:vpc');
    assert.equal(kindOfArn('arn:aws:acm:us-east-1:1:certificate/c-1'), 'acm:certificate');
    assert.equal(kindOfArn('?'), 'unknown:');
  });
});
