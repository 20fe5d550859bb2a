import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  DescribeAddressesCommand,
  DescribeLaunchTemplateVersionsCommand,
  DescribeInternetGatewaysCommand,
  DescribeNatGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  Filter,
  RouteTable,
  Subnet,
  Tag,
} from '@aws-sdk/client-ec2';
import {
  DescribeAddonCommand,
  DescribeClusterCommand,
  DescribeNodegroupCommand,
  ListAddonsCommand,
} from '@aws-sdk/client-eks';
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListOpenIDConnectProvidersCommand,
} from '@aws-sdk/client-iam';
import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import { ListHostedZonesCommand, ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { DEFAULT_ENVIRONMENT_FILE, loadEnvironmentFile } from '../../lib/config/load';
import {
  callerIsPrincipalExpression,
  type IamPrincipal,
  parseIamPrincipalArn,
} from '../../lib/iam/principal';
import { runInVpcBuild } from '../../lib/environments/deploy';
import { stackName } from '../../lib/naming/names';
import { TAG_KEYS } from '../../lib/naming/tags';
import { AwsClients, awsClients } from '../helpers/aws-clients';
import { assertPrivateBucket } from '../helpers/bucket-checks';
import { assertEmptyReplan, destroyLeavingNothing } from '../helpers/cycle';
import {
  assertDeployerAccessEntry,
  assertDeployerGone,
  assertDeployerRuns,
  deployerStatements,
} from '../helpers/deployer-checks';
import { Emulator, startEmulator } from '../helpers/emulator';
import { stackDir, SynthesizedEnvironment, synthEnvironment } from '../helpers/synth';
import { Terraform, terraformEnvironment } from '../helpers/terraform';

// The quick start's layout for 10.0.0.0/16 over 3 zones, written out rather than computed so a
// change to the CIDR plan shows up here too.
const PRIVATE_CIDRS = ['10.0.0.0/19', '10.0.32.0/19', '10.0.64.0/19'];
const PUBLIC_CIDRS = ['10.0.128.0/20', '10.0.144.0/20', '10.0.160.0/20'];

const config = loadEnvironmentFile(DEFAULT_ENVIRONMENT_FILE);
const environmentFilter: Filter = { Name: `tag:${TAG_KEYS.environment}`, Values: [config.name] };

function tag(tags: Tag[] | undefined, key: string): string | undefined {
  return tags?.find((t) => t.Key === key)?.Value;
}

function defaultRoute(table: RouteTable) {
  return table.Routes?.find((r) => r.DestinationCidrBlock === '0.0.0.0/0');
}

describe('management stack of the default environment (EKS) on the emulator', () => {
  let emulator: Emulator | undefined;
  let synthesized: SynthesizedEnvironment | undefined;
  let terraform: Terraform;
  let aws: AwsClients;
  const started = Date.now();

  async function environmentSubnets(): Promise<Subnet[]> {
    const found = await aws.ec2.send(new DescribeSubnetsCommand({ Filters: [environmentFilter] }));
    return found.Subnets ?? [];
  }

  /** The public or private subnets, told apart by their Name tag (`<env>-public-<i>`). */
  async function subnetIds(kind: 'public' | 'private'): Promise<string[]> {
    return (await environmentSubnets())
      .filter((s) => tag(s.Tags, 'Name')?.startsWith(`${config.name}-${kind}-`))
      .map((s) => s.SubnetId!)
      .sort();
  }

  before(async () => {
    assert.equal(config.target, 'local', `${DEFAULT_ENVIRONMENT_FILE} must target the emulator`);
    emulator = await startEmulator();
    aws = awsClients(emulator.endpoint, config.region);
    synthesized = synthEnvironment(config, { emulatorEndpoint: emulator.endpoint });
    terraform = new Terraform(stackDir(synthesized, stackName(config.name, 'management')), {
      emulatorEndpoint: emulator.endpoint,
      region: config.region,
    });
    await terraform.init();
    const applied = await terraform.apply();
    console.log(`# apply took ${(applied.durationMs / 1000).toFixed(1)} s`);
  });

  after(async () => {
    aws?.destroy();
    await emulator?.stop();
    if (synthesized) rmSync(synthesized.outdir, { recursive: true, force: true });
    console.log(`# emulator cycle took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  it('creates the VPC with the configured CIDR', async () => {
    const { Vpcs = [] } = await aws.ec2.send(
      new DescribeVpcsCommand({ Filters: [environmentFilter] }),
    );
    assert.equal(Vpcs.length, 1);
    assert.equal(Vpcs[0].CidrBlock, '10.0.0.0/16');
    assert.equal(tag(Vpcs[0].Tags, 'Name'), `${config.name}-vpc`);
  });

  it('creates 3 public and 3 private subnets with the planned CIDRs, one per zone, no load balancer tags', async () => {
    const subnets = await environmentSubnets();
    const ofKind = (kind: string) =>
      subnets.filter((s) => tag(s.Tags, 'Name')?.startsWith(`${config.name}-${kind}-`));
    assert.equal(subnets.length, 6);
    assert.deepEqual(
      ofKind('public')
        .map((s) => s.CidrBlock)
        .sort(),
      PUBLIC_CIDRS,
    );
    assert.deepEqual(
      ofKind('private')
        .map((s) => s.CidrBlock)
        .sort(),
      PRIVATE_CIDRS,
    );
    for (const group of [ofKind('public'), ofKind('private')]) {
      assert.equal(new Set(group.map((s) => s.AvailabilityZone)).size, 3, 'one subnet per zone');
    }
    // No subnet invites an in-cluster controller to put a load balancer there.
    for (const subnet of subnets) {
      assert.deepEqual(
        (subnet.Tags ?? []).filter((t) => t.Key?.startsWith('kubernetes.io/')),
        [],
      );
    }
  });

  it('routes the public subnets to an attached internet gateway', async () => {
    const { InternetGateways = [] } = await aws.ec2.send(
      new DescribeInternetGatewaysCommand({ Filters: [environmentFilter] }),
    );
    assert.equal(InternetGateways.length, 1);
    const gateway = InternetGateways[0];
    const [vpc] = (await aws.ec2.send(new DescribeVpcsCommand({ Filters: [environmentFilter] })))
      .Vpcs!;
    assert.deepEqual(
      gateway.Attachments?.map((a) => a.VpcId),
      [vpc.VpcId],
    );

    const publicIds = await subnetIds('public');
    const { RouteTables = [] } = await aws.ec2.send(
      new DescribeRouteTablesCommand({
        Filters: [{ Name: 'association.subnet-id', Values: publicIds }],
      }),
    );
    assert.equal(RouteTables.length, 1, 'the public subnets share one route table');
    assert.equal(defaultRoute(RouteTables[0])?.GatewayId, gateway.InternetGatewayId);
    const associated = RouteTables[0].Associations?.map((a) => a.SubnetId).sort();
    assert.deepEqual(associated, [...publicIds].sort());
  });

  it('has one NAT gateway (natGateways: single) in a public subnet, the default route of every private subnet', async () => {
    const { NatGateways = [] } = await aws.ec2.send(
      new DescribeNatGatewaysCommand({
        Filter: [environmentFilter, { Name: 'state', Values: ['pending', 'available'] }],
      }),
    );
    assert.equal(NatGateways.length, 1);
    const nat = NatGateways[0];
    assert.ok(
      (await subnetIds('public')).includes(String(nat.SubnetId)),
      'NAT gateway in a public subnet',
    );
    const { Addresses = [] } = await aws.ec2.send(
      new DescribeAddressesCommand({ Filters: [environmentFilter] }),
    );
    assert.equal(Addresses.length, 1);
    assert.equal(Addresses[0].Domain, 'vpc');
    assert.deepEqual(
      nat.NatGatewayAddresses?.map((a) => a.AllocationId),
      [Addresses[0].AllocationId],
    );

    for (const subnetId of await subnetIds('private')) {
      const { RouteTables = [] } = await aws.ec2.send(
        new DescribeRouteTablesCommand({
          Filters: [{ Name: 'association.subnet-id', Values: [subnetId] }],
        }),
      );
      assert.equal(RouteTables.length, 1, `one route table for ${subnetId}`);
      assert.equal(defaultRoute(RouteTables[0])?.NatGatewayId, nat.NatGatewayId);
    }
  });

  it('runs the EKS cluster as configured: version, secrets encryption, all logs, private endpoint', async () => {
    const clusterName = `${config.name}-management`;
    const { cluster } = await aws.eks.send(new DescribeClusterCommand({ name: clusterName }));
    assert.equal(cluster?.version, config.management.kubernetesVersion);
    assert.deepEqual(cluster?.encryptionConfig?.[0]?.resources, ['secrets']);
    const keyArn = cluster?.encryptionConfig?.[0]?.provider?.keyArn;
    assert.match(String(keyArn), /^arn:aws:kms:/);
    const { KeyMetadata } = await aws.kms.send(new DescribeKeyCommand({ KeyId: keyArn }));
    assert.equal(KeyMetadata?.KeyState, 'Enabled');
    const logging = cluster?.logging?.clusterLogging?.find((l) => l.enabled);
    assert.deepEqual([...(logging?.types ?? [])].sort(), [
      'api',
      'audit',
      'authenticator',
      'controllerManager',
      'scheduler',
    ]);
    assert.equal(cluster?.resourcesVpcConfig?.endpointPrivateAccess, true);
    assert.equal(cluster?.resourcesVpcConfig?.endpointPublicAccess, false);
    assert.deepEqual(
      [...(cluster?.resourcesVpcConfig?.subnetIds ?? [])].sort(),
      await subnetIds('private'),
    );
  });

  it('has an IAM OIDC provider for the cluster issuer', async () => {
    const { cluster } = await aws.eks.send(
      new DescribeClusterCommand({ name: `${config.name}-management` }),
    );
    const issuer = String(cluster?.identity?.oidc?.issuer).replace('https://', '');
    const { OpenIDConnectProviderList = [] } = await aws.iam.send(
      new ListOpenIDConnectProvidersCommand({}),
    );
    assert.ok(
      OpenIDConnectProviderList.some((p) => String(p.Arn).endsWith(issuer)),
      `no OIDC provider for ${issuer}`,
    );
  });

  it('keeps Rancher backups in a private bucket that expires pruned versions after 30 days', async () => {
    await assertPrivateBucket(aws, `${config.name}-rancher-backups-123456789012`, {
      noncurrentDays: 30,
    });
  });

  it('lets only the rancher-backup service account of this cluster assume the backup role', async () => {
    const { cluster } = await aws.eks.send(
      new DescribeClusterCommand({ name: `${config.name}-management` }),
    );
    const issuer = String(cluster?.identity?.oidc?.issuer).replace('https://', '');
    const RoleName = `${config.name}-management-rancher-backup`;
    const { Role } = await aws.iam.send(new GetRoleCommand({ RoleName }));
    const trust = JSON.parse(decodeURIComponent(String(Role?.AssumeRolePolicyDocument))) as {
      Statement: { Action: string; Condition: Record<string, Record<string, string>> }[];
    };
    assert.equal(trust.Statement.length, 1);
    assert.equal(trust.Statement[0].Action, 'sts:AssumeRoleWithWebIdentity');
    assert.deepEqual(trust.Statement[0].Condition, {
      StringEquals: {
        [`${issuer}:sub`]: 'system:serviceaccount:cattle-resources-system:rancher-backup',
        [`${issuer}:aud`]: 'sts.amazonaws.com',
      },
    });
    const { PolicyDocument } = await aws.iam.send(
      new GetRolePolicyCommand({ RoleName, PolicyName: 'permissions' }),
    );
    const policy = JSON.parse(decodeURIComponent(String(PolicyDocument))) as {
      Statement: { Sid: string; Resource: string }[];
    };
    const bucketArn = `arn:aws:s3:::${config.name}-rancher-backups-123456789012`;
    assert.deepEqual(
      policy.Statement.map((st) => [st.Sid, st.Resource]),
      [
        ['BackupBucket', bucketArn],
        ['BackupObjects', `${bucketArn}/rancher/*`],
      ],
    );
  });

  it('keeps the backup encryption key in Secrets Manager', async () => {
    const secret = await aws.secretsManager.send(
      new DescribeSecretCommand({ SecretId: `${config.name}/rancher/backup-encryption-key` }),
    );
    assert.match(String(secret.Description), /without it no backup can be restored/);
    assert.equal(Object.keys(secret.VersionIdsToStages ?? {}).length, 1);
  });

  it('runs the managed node group from a launch template with IMDSv2 and an encrypted root volume', async () => {
    const clusterName = `${config.name}-management`;
    const { nodegroup } = await aws.eks.send(
      new DescribeNodegroupCommand({ clusterName, nodegroupName: `${clusterName}-nodes` }),
    );
    const size = config.management.eks.nodeGroup;
    assert.deepEqual(nodegroup?.scalingConfig, {
      minSize: size.minSize,
      desiredSize: size.desiredSize,
      maxSize: size.maxSize,
    });
    assert.equal(nodegroup?.remoteAccess, undefined);
    const { LaunchTemplateVersions = [] } = await aws.ec2.send(
      new DescribeLaunchTemplateVersionsCommand({
        LaunchTemplateId: nodegroup?.launchTemplate?.id,
        Versions: ['$Latest'],
      }),
    );
    const data = LaunchTemplateVersions[0]?.LaunchTemplateData;
    assert.equal(data?.MetadataOptions?.HttpTokens, 'required');
    assert.equal(data?.InstanceType, size.instanceType);
    const root = data?.BlockDeviceMappings?.[0]?.Ebs;
    assert.equal(root?.Encrypted, true);
    assert.equal(root?.VolumeSize, size.diskSizeGiB);
  });

  it('installs vpc-cni (with its IRSA role), kube-proxy and coredns as EKS add-ons of the pinned versions', async () => {
    const clusterName = `${config.name}-management`;
    const { addons = [] } = await aws.eks.send(new ListAddonsCommand({ clusterName }));
    assert.deepEqual([...addons].sort(), ['coredns', 'kube-proxy', 'vpc-cni']);
    const versions: Record<string, string | undefined> = {};
    for (const addonName of addons) {
      const { addon } = await aws.eks.send(new DescribeAddonCommand({ clusterName, addonName }));
      assert.equal(addon?.status, 'ACTIVE');
      versions[addonName] = addon?.addonVersion;
    }
    // environments/local.yaml runs Kubernetes 1.36 (versions from AWS's tables, lib/versions.ts).
    assert.deepEqual(versions, {
      coredns: 'v1.14.3-eksbuild.3',
      'kube-proxy': 'v1.36.0-eksbuild.14',
      'vpc-cni': 'v1.21.1-eksbuild.7',
    });
    const { addon: vpcCni } = await aws.eks.send(
      new DescribeAddonCommand({ clusterName, addonName: 'vpc-cni' }),
    );
    const roleName = String(vpcCni?.serviceAccountRoleArn).split('/').pop();
    assert.equal(roleName, `${clusterName}-vpc-cni`);
    const { Role } = await aws.iam.send(new GetRoleCommand({ RoleName: roleName }));
    const trust = JSON.stringify(
      JSON.parse(decodeURIComponent(String(Role?.AssumeRolePolicyDocument))),
    );
    assert.match(trust, /"system:serviceaccount:kube-system:aws-node"/);
    const { AttachedPolicies = [] } = await aws.iam.send(
      new ListAttachedRolePoliciesCommand({ RoleName: roleName }),
    );
    assert.deepEqual(
      AttachedPolicies.map((p) => p.PolicyName),
      ['AmazonEKS_CNI_Policy'],
    );
  });

  it('fronts the ingress with an internet-facing NLB: 80/443 listeners to pod-IP target groups', async () => {
    const { LoadBalancers = [] } = await aws.elbv2.send(
      new DescribeLoadBalancersCommand({ Names: [`${config.name}-ingress`] }),
    );
    const lb = LoadBalancers[0];
    assert.equal(lb.Type, 'network');
    // The provider sends no Scheme for the AWS default (internet-facing), and the emulator echoes
    // only what it was sent; the subnets show where the load balancer lives.
    assert.notEqual(lb.Scheme, 'internal');
    assert.deepEqual(
      lb.AvailabilityZones?.map((z) => z.SubnetId).sort(),
      await subnetIds('public'),
    );
    const { Listeners = [] } = await aws.elbv2.send(
      new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }),
    );
    const { TargetGroups = [] } = await aws.elbv2.send(
      new DescribeTargetGroupsCommand({ LoadBalancerArn: lb.LoadBalancerArn }),
    );
    const portOf = (arn?: string) => TargetGroups.find((tg) => tg.TargetGroupArn === arn)?.Port;
    assert.deepEqual(
      Listeners.map((l) => [
        l.Port,
        l.Protocol,
        portOf(l.DefaultActions?.[0]?.TargetGroupArn),
      ]).sort(),
      [
        [443, 'TCP', 8443],
        [80, 'TCP', 8000],
      ],
    );
    for (const group of TargetGroups) assert.equal(group.TargetType, 'ip');
  });

  // Route 53: a private zone answers NXDOMAIN for the names under it that it lacks inside its
  // VPCs, so the zone is the hostname itself and shadows nothing else of local-env.internal.
  it('points the Rancher hostname at the NLB in a private zone of exactly that name', async () => {
    const { HostedZones = [] } = await aws.route53.send(new ListHostedZonesCommand({}));
    assert.deepEqual(
      HostedZones.map((z) => z.Name),
      ['rancher.local-env.internal.'],
    );
    const zone = HostedZones[0];
    assert.equal(zone.Config?.PrivateZone, true);
    const { ResourceRecordSets = [] } = await aws.route53.send(
      new ListResourceRecordSetsCommand({ HostedZoneId: zone.Id }),
    );
    const record = ResourceRecordSets.find(
      (r) => r.Name === `${config.dns.hostname}.` && r.Type === 'A',
    );
    const { LoadBalancers = [] } = await aws.elbv2.send(
      new DescribeLoadBalancersCommand({ Names: [`${config.name}-ingress`] }),
    );
    assert.equal(
      record?.AliasTarget?.DNSName?.replace(/\.$/, '').toLowerCase(),
      LoadBalancers[0].DNSName?.toLowerCase(),
    );
  });

  it('outputs the Rancher URL, cluster, NLB name and kubeconfig command', async () => {
    const outputs = await terraform.outputs();
    assert.equal(outputs.rancher_url, `https://${config.dns.hostname}`);
    assert.equal(outputs.cluster_name, `${config.name}-management`);
    assert.match(String(outputs.load_balancer_dns_name), /elb/);
    assert.match(String(outputs.kubeconfig_command), /^aws eks update-kubeconfig/);
  });

  it('runs the in-VPC deployer in the private subnets, cluster-admin through an access entry', async () => {
    await assertDeployerRuns(aws, config.name);
    await assertDeployerAccessEntry(aws, config.name, `${config.name}-management`);
    // Local state: the deployer exists but gets no state access (env:deploy refuses the path).
    const sids = (await deployerStatements(aws, config.name)).map((s) => s.Sid);
    assert.deepEqual(sids, [
      'BuildLogs',
      'SourceBundle',
      'SourceBucketLocation',
      'VpcNetworkInterfaces',
      'VpcNetworkInterfacePermission',
      'ReadSecrets',
    ]);
  });

  it("starts env:deploy's build on the project Terraform created and waits for its result", async () => {
    const lines: string[] = [];
    const outcome = await runInVpcBuild({
      config,
      clients: { sts: aws.sts, s3: aws.s3, codebuild: aws.codebuild, logs: aws.logs },
      // The emulator's account.
      accountId: '123456789012',
      repositoryRoot: path.resolve(__dirname, '..', '..'),
      environmentFile: DEFAULT_ENVIRONMENT_FILE,
      log: (line) => lines.push(line),
      pollIntervalMs: 100,
    });
    // moto's CodeBuild runs nothing: BatchGetBuilds reports every phase SUCCEEDED at once.
    assert.equal(outcome.status, 'SUCCEEDED', lines.join('\n'));
    assert.equal(outcome.succeeded, true);
    assert.match(
      lines[0],
      /^Uploaded \d+ files .* to s3:\/\/local-deployer-123456789012\/source\.zip \(version .+\)\.$/,
    );
  });

  it('plans no changes on a second run', async () => {
    await assertEmptyReplan(terraform);
  });

  it('destroys everything and leaves nothing of the environment behind', async () => {
    await destroyLeavingNothing(terraform, config, emulator!.endpoint);
    await assertDeployerGone(aws, config.name);
    const ec2 = aws.ec2;
    const filters = [environmentFilter];
    const vpcs = (await ec2.send(new DescribeVpcsCommand({ Filters: filters }))).Vpcs ?? [];
    const subnets = await environmentSubnets();
    const gateways =
      (await ec2.send(new DescribeInternetGatewaysCommand({ Filters: filters })))
        .InternetGateways ?? [];
    const addresses =
      (await ec2.send(new DescribeAddressesCommand({ Filters: filters }))).Addresses ?? [];
    const nats = (
      (await ec2.send(new DescribeNatGatewaysCommand({ Filter: filters }))).NatGateways ?? []
    ).filter((n) => n.State !== 'deleted');
    const tables =
      (await ec2.send(new DescribeRouteTablesCommand({ Filters: filters }))).RouteTables ?? [];
    assert.deepEqual(
      {
        vpcs: vpcs.map((v) => v.VpcId),
        subnets: subnets.map((s) => s.SubnetId),
        internetGateways: gateways.map((g) => g.InternetGatewayId),
        elasticIps: addresses.map((a) => a.AllocationId),
        natGateways: nats.map((n) => n.NatGatewayId),
        routeTables: tables.map((t) => t.RouteTableId),
      },
      {
        vpcs: [],
        subnets: [],
        internetGateways: [],
        elasticIps: [],
        natGateways: [],
        routeTables: [],
      },
    );
  });
});

// STS GetCallerIdentity: a role at work is arn:<partition>:sts::<account>:assumed-role/<name>/<session>
// (no path); a user is its IAM ARN with its path. The EKS construct skips the admin entry whose
// principal runs the apply, since EKS already gave the cluster creator an entry.
describe('the expression that finds the deploying principal, evaluated by Terraform', () => {
  it('matches a role (SSO path or not, any case) by its session and a user by its ARN', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rancher-deployer-'));
    try {
      writeFileSync(path.join(dir, 'main.tf'), '');
      const sso = parseIamPrincipalArn(
        'arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123abcd',
      )!;
      const user = parseIamPrincipalArn('arn:aws:iam::123456789012:user/ops/alice')!;
      const cases: [IamPrincipal, string, boolean][] = [
        [
          sso,
          'arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0123abcd/alice@example.com',
          true,
        ],
        [sso, 'arn:aws:sts::123456789012:assumed-role/awsreservedsso_admin_0123abcd/bob', true],
        [
          sso,
          'arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0123abcdef/alice',
          false,
        ],
        [sso, 'arn:aws:sts::210987654321:assumed-role/AWSReservedSSO_Admin_0123abcd/alice', false],
        [user, 'arn:aws:iam::123456789012:user/ops/alice', true],
        [user, 'arn:aws:iam::123456789012:user/ops/malice', false],
        [user, 'arn:aws:sts::123456789012:assumed-role/alice/alice', false],
      ];
      // One console per expression: piped input with several lines yields a single result.
      const results = cases.map(([principal, caller]) =>
        execFileSync('terraform', ['console'], {
          cwd: dir,
          input: `${callerIsPrincipalExpression(principal, JSON.stringify(caller))}\n`,
          env: terraformEnvironment(),
          encoding: 'utf8',
        }).trim(),
      );
      assert.deepEqual(
        results,
        cases.map(([, , expected]) => String(expected)),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
