import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  DescribeClusterCommand,
  ListAddonsCommand,
  ListClustersCommand,
} from '@aws-sdk/client-eks';
import {
  DescribeNatGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcPeeringConnectionsCommand,
  DescribeVpcsCommand,
} from '@aws-sdk/client-ec2';
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeLoadBalancersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetHostedZoneCommand, ListHostedZonesCommand } from '@aws-sdk/client-route-53';
import { App } from 'cdktf';
import { caChecksum } from '../../lib/agent/credentials';
import { caChecksumExpression } from '../../lib/downstream/registration';
import { findLeftovers } from '../../lib/environments/leftovers';
import { environmentClients } from '../../lib/environments/aws-clients';
import { observeEnvironment } from '../../lib/environments/observe';
import { buildEnvironment } from '../../stacks';
import { AwsClients, awsClients } from '../helpers/aws-clients';
import { Emulator, startEmulator } from '../helpers/emulator';
import { EMULATOR_AMI, publishKubeconfig } from '../helpers/rke2-seed';
import { environment } from '../helpers/template';
import { Terraform, terraformEnvironment } from '../helpers/terraform';
import { assertDeployerAccessEntry, assertDeployerGone } from '../helpers/deployer-checks';

// Small on purpose: two zones and one NAT gateway per VPC, one node per group.
const SMALL_NETWORK = { availabilityZones: 2, natGateways: 'single' };
const SMALL_NODES = { nodeGroup: { minSize: 1, desiredSize: 1, maxSize: 2 } };
const CONFIG = environment({
  name: 'ds',
  network: SMALL_NETWORK,
  // Restricted: every VPC's NAT address must be let in to Rancher's load balancer.
  ingress: { allowedCidrs: ['203.0.113.0/24'] },
  management: { eks: SMALL_NODES },
  downstream: [
    // vpcCidr spelled out: a partial `network` without it gets the schema's 10.0.0.0/16 default.
    { name: 'apps', network: { ...SMALL_NETWORK, vpcCidr: '10.101.0.0/16' }, eks: SMALL_NODES },
    // RKE2 downstream, folded into this cycle (issue #13): the test acts as its seed server.
    {
      name: 'edge',
      distribution: 'rke2',
      network: { ...SMALL_NETWORK, vpcCidr: '10.102.0.0/16' },
      rke2: { profile: 'single', amiId: EMULATOR_AMI, kubeconfigWaitSeconds: 300 },
    },
  ],
});
const DOWNSTREAM = ['ds-apps', 'ds-edge'];

describe('an environment with a downstream EKS and a downstream RKE2 cluster on the emulator (aws-only stacks)', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'rancher-downstream-'));
  let emulator: Emulator | undefined;
  let aws: AwsClients;
  let management: Terraform;
  let clusters: Terraform[] = [];
  const started = Date.now();

  before(async () => {
    emulator = await startEmulator();
    aws = awsClients(emulator.endpoint, CONFIG.region);
    const app = new App({ outdir: path.join(work, 'cdktf.out') });
    buildEnvironment(app, CONFIG, { emulatorEndpoint: emulator.endpoint, localStateDir: work });
    app.synth();
    const dirOf = (name: string) => path.join(work, 'cdktf.out', 'stacks', name);
    const options = { emulatorEndpoint: emulator.endpoint, region: CONFIG.region };
    management = new Terraform(dirOf('ds-management'), options);
    clusters = DOWNSTREAM.map((name) => new Terraform(dirOf(`${name}-cluster`), options));
    await Promise.all([management, ...clusters].map((t) => t.init()));
    const applied = await management.apply();
    // The downstream cluster stacks only read the management stack's zone id: in parallel. The
    // RKE2 one waits for its kubeconfig: the test publishes it as its seed server would.
    const [eksApply, rke2Apply] = [clusters[0].apply(), clusters[1].startApply()];
    await rke2Apply.waitForOutput(/wait-for-secret: waiting up to 300 s/, 10 * 60_000);
    await publishKubeconfig(aws, 'ds/edge');
    const downstream = await Promise.all([eksApply, rke2Apply.done]);
    const rke2Result = downstream[1];
    assert.equal(
      rke2Result.exitCode,
      0,
      rke2Result.stdout.slice(-4000) + rke2Result.stderr.slice(-4000),
    );
    console.log(
      `# apply: management ${(applied.durationMs / 1000).toFixed(1)} s, downstream ${downstream
        .map((r) => (r.durationMs / 1000).toFixed(1))
        .join(' s, ')} s (parallel)`,
    );
  });

  after(async () => {
    aws?.destroy();
    await emulator?.stop();
    rmSync(work, { recursive: true, force: true });
    console.log(`# downstream emulator cycle took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  it('created the downstream EKS cluster with a private API endpoint only', async () => {
    const { clusters: names = [] } = await aws.eks.send(new ListClustersCommand({}));
    assert.deepEqual([...names].sort(), ['ds-apps', 'ds-management']);
    for (const name of ['ds-apps']) {
      const { cluster } = await aws.eks.send(new DescribeClusterCommand({ name }));
      assert.equal(cluster?.version, '1.36');
      assert.equal(cluster?.resourcesVpcConfig?.endpointPrivateAccess, true);
      assert.equal(cluster?.resourcesVpcConfig?.endpointPublicAccess, false);
      const { addons = [] } = await aws.eks.send(new ListAddonsCommand({ clusterName: name }));
      assert.deepEqual([...addons].sort(), ['coredns', 'kube-proxy', 'vpc-cni'], name);
    }
  });

  it('runs the downstream RKE2 seed behind internal load balancers only', async () => {
    const { AutoScalingGroups = [] } = await aws.autoScaling.send(
      new DescribeAutoScalingGroupsCommand({}),
    );
    assert.deepEqual(
      AutoScalingGroups.map((g) => [g.AutoScalingGroupName, g.DesiredCapacity])
        .filter(([name]) => String(name).startsWith('ds-edge'))
        .sort(),
      [['ds-edge-seed', 1]],
    );
    const { LoadBalancers = [] } = await aws.elbv2.send(new DescribeLoadBalancersCommand({}));
    const edge = LoadBalancers.filter((lb) => lb.LoadBalancerName?.startsWith('ds-edge'));
    assert.deepEqual(edge.map((lb) => [lb.LoadBalancerName, lb.Scheme]).sort(), [
      ['ds-edge-ingress', 'internal'],
      ['ds-edge-rke2', 'internal'],
    ]);
  });

  it("gave each its own VPC and associated Rancher's private zone with it", async () => {
    const { Vpcs = [] } = await aws.ec2.send(
      new DescribeVpcsCommand({
        Filters: [{ Name: 'tag:rancher-aws:environment', Values: ['ds'] }],
      }),
    );
    assert.deepEqual(Vpcs.map((v) => v.CidrBlock).sort(), [
      '10.0.0.0/16',
      '10.101.0.0/16',
      '10.102.0.0/16',
    ]);
    const downstreamVpcs = Vpcs.filter((v) => v.CidrBlock !== '10.0.0.0/16').map((v) => v.VpcId);
    const zones = await aws.route53.send(new ListHostedZonesCommand({}));
    const privateZone = (zones.HostedZones ?? []).find((z) => z.Name === 'rancher.test.internal.');
    assert.ok(
      privateZone?.Id,
      'the management stack created no private zone rancher.test.internal',
    );
    const { VPCs = [] } = await aws.route53.send(new GetHostedZoneCommand({ Id: privateZone.Id }));
    const associated = VPCs.map((v) => v.VPCId);
    for (const vpcId of downstreamVpcs)
      assert.ok(associated.includes(vpcId), `${vpcId} not associated`);
  });

  /** The sources each listener of Rancher's load balancer lets in, as `<port> <cidr>`. */
  async function rancherSources(): Promise<string[]> {
    const { SecurityGroups = [] } = await aws.ec2.send(
      new DescribeSecurityGroupsCommand({
        Filters: [{ Name: 'group-name', Values: ['ds-ingress-lb'] }],
      }),
    );
    assert.equal(SecurityGroups.length, 1);
    const { SecurityGroupRules = [] } = await aws.ec2.send(
      new DescribeSecurityGroupRulesCommand({
        Filters: [{ Name: 'group-id', Values: [SecurityGroups[0].GroupId!] }],
      }),
    );
    return SecurityGroupRules.filter((rule) => !rule.IsEgress)
      .map((rule) => `${rule.FromPort} ${rule.CidrIpv4}`)
      .sort();
  }

  async function natAddresses(vpcCidrs: string[]): Promise<string[]> {
    const { Vpcs = [] } = await aws.ec2.send(
      new DescribeVpcsCommand({ Filters: [{ Name: 'cidr', Values: vpcCidrs }] }),
    );
    const { NatGateways = [] } = await aws.ec2.send(
      new DescribeNatGatewaysCommand({
        Filter: [{ Name: 'vpc-id', Values: Vpcs.map((v) => v.VpcId!) }],
      }),
    );
    return NatGateways.filter((n) => n.State !== 'deleted').flatMap((n) =>
      (n.NatGatewayAddresses ?? []).map((a) => `${a.PublicIp}/32`),
    );
  }

  // The agents and Rancher's own pods reach the internet-facing NLB from their NAT gateways.
  it("lets every VPC's NAT address in to Rancher's load balancer beside the allow-list", async () => {
    const nats = await natAddresses(['10.0.0.0/16', '10.101.0.0/16', '10.102.0.0/16']);
    assert.equal(nats.length, 3);
    assert.deepEqual(
      await rancherSources(),
      ['203.0.113.0/24', ...nats].flatMap((cidr) => [`443 ${cidr}`, `80 ${cidr}`]).sort(),
    );
  });

  it('peers each downstream VPC with the management VPC and routes both ways through it', async () => {
    const environment = [{ Name: 'tag:rancher-aws:environment', Values: ['ds'] }];
    const { Vpcs = [] } = await aws.ec2.send(new DescribeVpcsCommand({ Filters: environment }));
    const vpcOf = (cidr: string) => Vpcs.find((v) => v.CidrBlock === cidr)?.VpcId;
    const { VpcPeeringConnections = [] } = await aws.ec2.send(
      new DescribeVpcPeeringConnectionsCommand({ Filters: environment }),
    );
    const peerings = VpcPeeringConnections.filter((p) => p.Status?.Code === 'active');
    assert.deepEqual(
      peerings.map((p) => [p.RequesterVpcInfo?.VpcId, p.AccepterVpcInfo?.VpcId]).sort(),
      [
        [vpcOf('10.101.0.0/16'), vpcOf('10.0.0.0/16')],
        [vpcOf('10.102.0.0/16'), vpcOf('10.0.0.0/16')],
      ].sort(),
    );
    const peeringTo = (cidr: string) =>
      peerings.find((p) => p.RequesterVpcInfo?.VpcId === vpcOf(cidr))?.VpcPeeringConnectionId;
    const privateTables = async (vpcCidr: string) => {
      const { RouteTables = [] } = await aws.ec2.send(
        new DescribeRouteTablesCommand({
          Filters: [
            { Name: 'vpc-id', Values: [vpcOf(vpcCidr) ?? ''] },
            { Name: 'tag:Name', Values: ['*-private-*'] },
          ],
        }),
      );
      assert.equal(RouteTables.length, 2, `two private route tables in ${vpcCidr}`);
      return RouteTables;
    };
    const routeVia = (tables: Awaited<ReturnType<typeof privateTables>>, destination: string) =>
      tables.map(
        (t) =>
          t.Routes?.find((r) => r.DestinationCidrBlock === destination)?.VpcPeeringConnectionId,
      );
    const management = await privateTables('10.0.0.0/16');
    for (const cidr of ['10.101.0.0/16', '10.102.0.0/16']) {
      const peering = peeringTo(cidr);
      assert.ok(peering);
      assert.deepEqual(routeVia(management, cidr), [peering, peering]);
      assert.deepEqual(routeVia(await privateTables(cidr), '10.0.0.0/16'), [peering, peering]);
    }
  });

  it('lets the deployer in: an access entry and 443 from its security group on the EKS cluster', async () => {
    const { SecurityGroups: [deployer] = [] } = await aws.ec2.send(
      new DescribeSecurityGroupsCommand({
        Filters: [{ Name: 'group-name', Values: ['ds-deployer'] }],
      }),
    );
    assert.ok(deployer?.GroupId, 'no deployer security group');
    for (const name of ['ds-apps']) {
      await assertDeployerAccessEntry(aws, 'ds', name);
      const { SecurityGroups: [controlPlane] = [] } = await aws.ec2.send(
        new DescribeSecurityGroupsCommand({
          Filters: [{ Name: 'group-name', Values: [`${name}-control-plane`] }],
        }),
      );
      const fromDeployer = (controlPlane?.IpPermissions ?? []).filter((p) =>
        (p.UserIdGroupPairs ?? []).some((g) => g.GroupId === deployer.GroupId),
      );
      assert.deepEqual(
        fromDeployer.map((p) => [p.IpProtocol, p.FromPort, p.ToPort]),
        [['tcp', 443, 443]],
      );
    }
  });

  // A network load balancer's security group sees the client's own address (the deployer's, in
  // the management VPC): 6443 on the RKE2 API's load balancer comes from the management VPC.
  it('lets the deployer reach the RKE2 API: 6443 from the management VPC on its load balancer', async () => {
    const { SecurityGroups: [api] = [] } = await aws.ec2.send(
      new DescribeSecurityGroupsCommand({
        Filters: [{ Name: 'group-name', Values: ['ds-edge-rke2-lb'] }],
      }),
    );
    assert.ok(api?.GroupId, 'no security group on the RKE2 API load balancer');
    const fromManagement = (api.IpPermissions ?? []).filter((p) =>
      (p.IpRanges ?? []).some((r) => r.CidrIp === '10.0.0.0/16'),
    );
    assert.deepEqual(
      fromManagement.map((p) => [p.IpProtocol, p.FromPort, p.ToPort]),
      [['tcp', 6443, 6443]],
    );
  });

  it('plans no changes on a second run of each stack', async () => {
    const plans = await Promise.all([management, ...clusters].map((t) => t.plan()));
    plans.forEach((plan, index) =>
      assert.equal(plan.exitCode, 0, `stack ${index} wants changes:\n${plan.stdout.slice(-4000)}`),
    );
  });

  it('destroys the downstream clusters, then the management stack, and leaves nothing', async () => {
    await Promise.all(clusters.map((t) => t.destroy()));
    // The downstream stacks took their rules on Rancher's load balancer with them.
    const managementNats = await natAddresses(['10.0.0.0/16']);
    assert.deepEqual(
      await rancherSources(),
      ['203.0.113.0/24', ...managementNats].flatMap((cidr) => [`443 ${cidr}`, `80 ${cidr}`]).sort(),
    );
    await management.destroy();
    const clients = environmentClients(CONFIG, { emulatorEndpoint: emulator!.endpoint });
    try {
      const observed = await observeEnvironment(clients, CONFIG.name);
      assert.deepEqual(observed.failedChecks, []);
      const report = findLeftovers(CONFIG.name, observed.resources);
      assert.deepEqual(
        report.leftovers.map((r) => `${r.kind} ${r.id}`),
        [],
      );
    } finally {
      clients.destroy();
    }
    const { clusters: names = [] } = await aws.eks.send(new ListClustersCommand({}));
    assert.deepEqual(names, []);
    await assertDeployerGone(aws, 'ds');
    const { VpcPeeringConnections = [] } = await aws.ec2.send(
      new DescribeVpcPeeringConnectionsCommand({}),
    );
    assert.deepEqual(
      VpcPeeringConnections.filter((p) => p.Status?.Code !== 'deleted').map(
        (p) => p.VpcPeeringConnectionId,
      ),
      [],
    );
  });
});

describe('the CA checksum expression, evaluated by Terraform', () => {
  it('matches caChecksum() for a PEM with and without its newline, a default, and empty settings', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rancher-checksum-'));
    try {
      const pem = '-----BEGIN CERTIFICATE-----\nMIIBexample\n-----END CERTIFICATE-----';
      const settings: Record<string, Record<string, string>> = {
        bare: { value: pem },
        newline: { value: `${pem}\n` },
        fromDefault: { value: '', default: pem },
        empty: { value: '' },
        missing: {},
      };
      const locals = Object.entries(settings)
        .map(
          ([name, object]) => `  ${name} = jsondecode(${JSON.stringify(JSON.stringify(object))})`,
        )
        .join('\n');
      writeFileSync(path.join(dir, 'main.tf'), `locals {\n${locals}\n}\n`);
      // One console per expression: piped input with several lines yields a single result.
      const results = Object.keys(settings).map((name) => {
        const output = execFileSync('terraform', ['console'], {
          cwd: dir,
          input: `${caChecksumExpression(`local.${name}`)}\n`,
          env: terraformEnvironment(),
          encoding: 'utf8',
        });
        return JSON.parse(output.trim()) as string;
      });
      assert.deepEqual(results, [caChecksum(pem), caChecksum(pem), caChecksum(pem), '', '']);
      assert.match(results[0], /^[0-9a-f]{64}$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
