import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import {
  DescribeAutoScalingGroupsCommand,
  DescribeLifecycleHooksCommand,
} from '@aws-sdk/client-auto-scaling';
import {
  DescribeLaunchTemplatesCommand,
  DescribeLaunchTemplateVersionsCommand,
  DescribeSecurityGroupsCommand,
} from '@aws-sdk/client-ec2';
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  GetInstanceProfileCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListInstanceProfilesCommand,
} from '@aws-sdk/client-iam';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import type { EnvironmentConfig } from '../../lib/config/schema';
import { stackName } from '../../lib/naming/names';
import { AwsClients, awsClients } from '../helpers/aws-clients';
import { assertPrivateBucket } from '../helpers/bucket-checks';
import { assertEmptyReplan, destroyLeavingNothing } from '../helpers/cycle';
import {
  assertDeployerGone,
  assertDeployerRuns,
  deployerStatements,
} from '../helpers/deployer-checks';
import { Emulator, startEmulator } from '../helpers/emulator';
import { EMULATOR_AMI, publishKubeconfig, secretArn } from '../helpers/rke2-seed';
import { stackDir, SynthesizedEnvironment, synthEnvironment } from '../helpers/synth';
import { environment, Json } from '../helpers/template';
import { Terraform, TerraformError } from '../helpers/terraform';

interface Context {
  readonly aws: AwsClients;
  readonly config: EnvironmentConfig;
  readonly terraform: Terraform;
}

const REGISTRY_ARN =
  'arn:aws:secretsmanager:us-east-1:123456789012:secret:rkeone/registry-credentials-AbCdEf';

interface Policy {
  Statement: { Sid: string; Action: string | string[]; Resource: string | string[] }[];
}

/**
 * synth -> init -> `arrange` (applies, with the test acting as the seed server) -> checks ->
 * empty re-plan -> destroy -> nothing left, against an emulator of this file's own.
 */
function describeRke2Cycle(
  title: string,
  overrides: Json,
  arrange: (context: Context) => Promise<void>,
  checks: (context: () => Context) => void,
) {
  describe(title, () => {
    const config = environment({ target: 'local', ...overrides });
    let emulator: Emulator | undefined;
    let synthesized: SynthesizedEnvironment | undefined;
    let aws: AwsClients | undefined;
    let terraform: Terraform;
    const context = () => ({ aws: aws!, config, terraform });

    before(async () => {
      emulator = await startEmulator();
      aws = awsClients(emulator.endpoint, config.region);
      synthesized = synthEnvironment(config, { emulatorEndpoint: emulator.endpoint });
      terraform = new Terraform(stackDir(synthesized, stackName(config.name, 'management')), {
        emulatorEndpoint: emulator.endpoint,
      });
      await terraform.init();
      await arrange(context());
    });

    after(async () => {
      aws?.destroy();
      await emulator?.stop();
      if (synthesized) rmSync(synthesized.outdir, { recursive: true, force: true });
    });

    checks(context);
    commonChecks(context);

    it('re-plans empty', async () => {
      await assertEmptyReplan(terraform);
    });

    it('destroys everything it created', async () => {
      await destroyLeavingNothing(terraform, config, emulator!.endpoint);
      const { aws: clients } = context();
      await assertDeployerGone(clients, config.name);
      const groups = await autoScalingGroups(clients, config.name);
      assert.deepEqual(
        groups.map((g) => g.AutoScalingGroupName),
        [],
      );
      const { LaunchTemplates = [] } = await clients.ec2.send(
        new DescribeLaunchTemplatesCommand({}),
      );
      assert.deepEqual(
        LaunchTemplates.filter((t) => t.LaunchTemplateName?.startsWith(`${config.name}-`)),
        [],
      );
      const { Buckets = [] } = await clients.s3.send(new ListBucketsCommand({}));
      assert.deepEqual(
        Buckets.filter((b) => b.Name?.startsWith(`${config.name}-`)),
        [],
      );
      const { InstanceProfiles = [] } = await clients.iam.send(new ListInstanceProfilesCommand({}));
      assert.deepEqual(
        InstanceProfiles.filter((p) => p.InstanceProfileName?.startsWith(`${config.name}-`)),
        [],
      );
    });
  });
}

async function autoScalingGroups(aws: AwsClients, env: string) {
  const { AutoScalingGroups = [] } = await aws.autoScaling.send(
    new DescribeAutoScalingGroupsCommand({}),
  );
  return AutoScalingGroups.filter((g) => g.AutoScalingGroupName?.startsWith(`${env}-`)).sort(
    (a, b) => String(a.AutoScalingGroupName).localeCompare(String(b.AutoScalingGroupName)),
  );
}

async function loadBalancer(aws: AwsClients, name: string) {
  const { LoadBalancers = [] } = await aws.elbv2.send(
    new DescribeLoadBalancersCommand({ Names: [name] }),
  );
  assert.equal(LoadBalancers.length, 1, `no load balancer ${name}`);
  const lb = LoadBalancers[0];
  const { Listeners = [] } = await aws.elbv2.send(
    new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }),
  );
  const { TargetGroups = [] } = await aws.elbv2.send(
    new DescribeTargetGroupsCommand({ LoadBalancerArn: lb.LoadBalancerArn }),
  );
  return { lb, listeners: Listeners, targetGroups: TargetGroups };
}

async function rolePolicy(aws: AwsClients, role: string): Promise<Policy> {
  const { PolicyDocument } = await aws.iam.send(
    new GetRolePolicyCommand({ RoleName: role, PolicyName: 'rke2-node' }),
  );
  return JSON.parse(decodeURIComponent(String(PolicyDocument))) as Policy;
}

/** Checks that hold for every profile. */
function commonChecks(context: () => Context) {
  it('launches every node from a template with IMDSv2, an encrypted root volume and no key pair', async () => {
    const { aws, config } = context();
    const { LaunchTemplates = [] } = await aws.ec2.send(new DescribeLaunchTemplatesCommand({}));
    const ours = LaunchTemplates.filter((t) =>
      t.LaunchTemplateName?.startsWith(`${config.name}-management-`),
    );
    assert.ok(ours.length >= 1);
    for (const template of ours) {
      const { LaunchTemplateVersions = [] } = await aws.ec2.send(
        new DescribeLaunchTemplateVersionsCommand({
          LaunchTemplateId: template.LaunchTemplateId,
          Versions: ['$Latest'],
        }),
      );
      const data = LaunchTemplateVersions[0].LaunchTemplateData;
      assert.equal(data?.MetadataOptions?.HttpTokens, 'required', template.LaunchTemplateName);
      // Servers: one hop more for the backup operator's pod to reach the server role.
      const hops = template.LaunchTemplateName?.endsWith('-agents') ? 1 : 2;
      assert.equal(
        data?.MetadataOptions?.HttpPutResponseHopLimit,
        hops,
        template.LaunchTemplateName,
      );
      assert.equal(data?.KeyName, undefined);
      assert.equal(data?.ImageId, EMULATOR_AMI);
      const root = data?.BlockDeviceMappings?.[0]?.Ebs;
      assert.equal(root?.Encrypted, true);
      assert.equal(root?.VolumeType, 'gp3');
      assert.match(String(data?.IamInstanceProfile?.Arn), /:instance-profile\//);
      // gzip-compressed (Terraform's base64gzip); cloud-init inflates it.
      const userData = gunzipSync(Buffer.from(String(data?.UserData), 'base64')).toString('utf8');
      assert.match(userData, /^#cloud-config\n/);
      assert.doesNotMatch(userData, /TfToken|\$\{/);
    }
  });

  it('keeps the API and the supervisor port inside the VPC and opens no SSH', async () => {
    const { aws, config } = context();
    const { SecurityGroups = [] } = await aws.ec2.send(
      new DescribeSecurityGroupsCommand({
        Filters: [{ Name: 'group-name', Values: [`${config.name}-*`] }],
      }),
    );
    assert.ok(SecurityGroups.length >= 3);
    for (const group of SecurityGroups) {
      for (const rule of group.IpPermissions ?? []) {
        const open = (rule.IpRanges ?? []).some((r) => r.CidrIp === '0.0.0.0/0');
        if (!open) continue;
        for (const port of [22, 6443, 9345]) {
          const covers =
            rule.IpProtocol === '-1' ||
            ((rule.FromPort ?? 0) <= port && port <= (rule.ToPort ?? 0));
          assert.ok(!covers, `${group.GroupName} opens ${port} to the internet`);
        }
      }
    }
    const registration = await loadBalancer(aws, `${config.name}-rke2`);
    assert.equal(registration.lb.Scheme, 'internal');
  });

  it('registers the servers on 9345 and 6443 with TCP health checks, client IP not preserved', async () => {
    const { aws, config } = context();
    const { listeners, targetGroups } = await loadBalancer(aws, `${config.name}-rke2`);
    assert.deepEqual(listeners.map((l) => l.Port).sort(), [6443, 9345]);
    assert.deepEqual(
      targetGroups
        .map((t) => [t.TargetGroupName, t.Port, t.TargetType, t.HealthCheckProtocol])
        .sort(),
      [
        [`${config.name}-rke2-api`, 6443, 'instance', 'TCP'],
        [`${config.name}-rke2-join`, 9345, 'instance', 'TCP'],
      ],
    );
    for (const group of targetGroups) {
      const { Attributes = [] } = await aws.elbv2.send(
        new DescribeTargetGroupAttributesCommand({ TargetGroupArn: group.TargetGroupArn }),
      );
      assert.equal(Attributes.find((a) => a.Key === 'preserve_client_ip.enabled')?.Value, 'false');
    }
    const seed = (await autoScalingGroups(aws, config.name)).find(
      (g) => g.AutoScalingGroupName === `${config.name}-management-seed`,
    );
    for (const group of targetGroups) {
      assert.ok(
        seed?.TargetGroupARNs?.includes(String(group.TargetGroupArn)),
        group.TargetGroupName,
      );
    }
  });

  it('keeps the etcd snapshots in a versioned, encrypted, private, TLS-only bucket', async () => {
    const { aws, config } = context();
    const Bucket = `${config.name}-management-etcd-snapshots-123456789012`;
    await assertPrivateBucket(aws, Bucket);
  });

  it('keeps Rancher backups in a private bucket that expires pruned versions after 30 days', async () => {
    const { aws, config } = context();
    await assertPrivateBucket(aws, `${config.name}-rancher-backups-123456789012`, {
      noncurrentDays: 30,
    });
  });

  it('scopes the seed role to its own secrets and snapshot folder, with SSM attached', async () => {
    const { aws, config } = context();
    const role = `${config.name}-management-seed`;
    const policy = await rolePolicy(aws, role);
    const tokenArn = await secretArn(aws, `${config.name}/rke2/join-token`);
    const kubeconfigArn = await secretArn(aws, `${config.name}/rke2/kubeconfig`);
    const fullTokenArn = await secretArn(aws, `${config.name}/rke2/full-join-token`);
    const bySid = Object.fromEntries(policy.Statement.map((s) => [s.Sid, s]));
    assert.equal(bySid.ReadJoinToken.Resource, tokenArn);
    assert.equal(bySid.PublishKubeconfig.Resource, kubeconfigArn);
    assert.equal(bySid.PublishFullJoinToken.Resource, fullTokenArn);
    assert.equal(
      bySid.LeaveOnTermination.Resource,
      `arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:*:autoScalingGroupName/${role}`,
    );
    assert.equal(
      bySid.SnapshotObjects.Resource,
      `arn:aws:s3:::${config.name}-management-etcd-snapshots-123456789012/${config.name}-management/*`,
    );
    // The backup operator runs on servers with their role: the backup folder only.
    assert.equal(
      bySid.BackupBucket.Resource,
      `arn:aws:s3:::${config.name}-rancher-backups-123456789012`,
    );
    assert.equal(
      bySid.BackupObjects.Resource,
      `arn:aws:s3:::${config.name}-rancher-backups-123456789012/rancher/*`,
    );
    const { AttachedPolicies = [] } = await aws.iam.send(
      new ListAttachedRolePoliciesCommand({ RoleName: role }),
    );
    assert.deepEqual(
      AttachedPolicies.map((p) => p.PolicyName),
      ['AmazonSSMManagedInstanceCore'],
    );
    const { InstanceProfile } = await aws.iam.send(
      new GetInstanceProfileCommand({ InstanceProfileName: role }),
    );
    assert.deepEqual(
      InstanceProfile?.Roles?.map((r) => r.RoleName),
      [role],
    );
  });

  it('holds each server in Terminating:Wait until it has left etcd (termination lifecycle hook)', async () => {
    const { aws, config } = context();
    const groups = await autoScalingGroups(aws, config.name);
    for (const group of groups) {
      const name = String(group.AutoScalingGroupName);
      const { LifecycleHooks = [] } = await aws.autoScaling.send(
        new DescribeLifecycleHooksCommand({ AutoScalingGroupName: name }),
      );
      const expected = name.endsWith('-agents')
        ? []
        : [['rke2-leave-etcd', 'autoscaling:EC2_INSTANCE_TERMINATING', 300, 'CONTINUE']];
      assert.deepEqual(
        LifecycleHooks.map((h) => [
          h.LifecycleHookName,
          h.LifecycleTransition,
          h.HeartbeatTimeout,
          h.DefaultResult,
        ]),
        expected,
        name,
      );
    }
  });

  it('runs the in-VPC deployer, which may read the kubeconfig, the bootstrap password and the backup key', async () => {
    const { aws, config } = context();
    await assertDeployerRuns(aws, config.name);
    const read = (await deployerStatements(aws, config.name)).find((s) => s.Sid === 'ReadSecrets');
    assert.deepEqual(
      [read?.Resource ?? []].flat().sort(),
      [
        await secretArn(aws, `${config.name}/rancher/bootstrap-password`),
        await secretArn(aws, `${config.name}/rancher/backup-encryption-key`),
        await secretArn(aws, `${config.name}/rke2/kubeconfig`),
      ].sort(),
    );
  });

  it('holds an AWS-generated join token and the published kubeconfig in Secrets Manager', async () => {
    const { aws, config, terraform } = context();
    for (const name of [`${config.name}/rke2/join-token`, `${config.name}/rke2/kubeconfig`]) {
      const secret = await aws.secretsManager.send(new DescribeSecretCommand({ SecretId: name }));
      assert.ok(Object.keys(secret.VersionIdsToStages ?? {}).length >= 1, `${name} has no value`);
    }
    const state = await terraform.stateList();
    // Terraform writes only the values AWS generates, write-only: bootstrap password, join token
    // and the backup encryption key; the kubeconfig is the seed's to write.
    const versions = state.filter((a) => a.startsWith('aws_secretsmanager_secret_version.'));
    assert.equal(versions.length, 3, versions.join(', '));
    for (const secret of ['bootstrap-password', 'join-token', 'encryption-key']) {
      assert.ok(
        versions.some((address) => address.includes(secret)),
        `${secret}: ${versions.join(', ')}`,
      );
    }
    const outputs = await terraform.outputs();
    assert.match(
      String(outputs.kubeconfig_command),
      new RegExp(`--secret-id ${config.name}/rke2/kubeconfig `),
    );
    assert.match(String(outputs.registration_address), /elb/);
  });
}

describeRke2Cycle(
  'RKE2 single profile on the emulator',
  {
    name: 'rkeone',
    dns: { hostname: 'rancher.rkeone.internal' },
    network: { availabilityZones: 2, natGateways: 'single' },
    management: {
      distribution: 'rke2',
      rke2: { profile: 'single', amiId: EMULATOR_AMI, kubeconfigWaitSeconds: 10 },
    },
    // A private registry with credentials and a proxy (docs/air-gap.md): the node role's extra
    // statement and the deployer's variables must apply and re-plan empty like the rest.
    registry: {
      systemDefault: 'registry.rkeone.internal:5000',
      credentialsSecretArn: REGISTRY_ARN,
    },
    proxy: { url: 'http://proxy.rkeone.internal:3128' },
  },
  async ({ aws, config, terraform }) => {
    // No server boots in the emulator: the wait must give up with a clear error.
    await assert.rejects(terraform.apply(), (error: unknown) => {
      assert.ok(error instanceof TerraformError);
      assert.match(
        error.message,
        /no kubeconfig was published to arn:aws:secretsmanager:\S+ within 10 s/,
      );
      assert.match(error.message, /aws ssm start-session/);
      return true;
    });
    await publishKubeconfig(aws, config.name);
    // The failed wait was tainted: this apply replaces it and passes at once.
    const result = await terraform.apply();
    assert.match(result.stdout, /has a value/);
    assert.match(result.stdout, /1 added, 0 changed, 1 destroyed/);
  },
  (context) => {
    it('lets the seed role read the registry credentials secret, that one only', async () => {
      const { aws, config } = context();
      const policy = await rolePolicy(aws, `${config.name}-management-seed`);
      assert.deepEqual(
        policy.Statement.filter((st) => st.Sid === 'ReadRegistryCredentials'),
        [
          {
            Sid: 'ReadRegistryCredentials',
            Effect: 'Allow',
            Action: 'secretsmanager:GetSecretValue',
            Resource: REGISTRY_ARN,
          },
        ],
      );
    });

    it('runs one seed server in the first private subnet, serving the ingress too', async () => {
      const { aws, config } = context();
      const groups = await autoScalingGroups(aws, config.name);
      assert.deepEqual(
        groups.map((g) => [
          g.AutoScalingGroupName,
          g.MinSize,
          g.DesiredCapacity,
          g.MaxSize,
          g.HealthCheckType,
        ]),
        [['rkeone-management-seed', 1, 1, 1, 'EC2']],
      );
      const { targetGroups } = await loadBalancer(aws, 'rkeone-ingress');
      assert.deepEqual(targetGroups.map((t) => [t.Port, t.TargetType]).sort(), [
        [443, 'instance'],
        [80, 'instance'],
      ]);
      for (const group of targetGroups)
        assert.ok(groups[0].TargetGroupARNs?.includes(String(group.TargetGroupArn)));
      assert.equal(groups[0].VPCZoneIdentifier?.split(',').length, 1);
    });
  },
);

describeRke2Cycle(
  'RKE2 ha profile with TLS ended at the load balancer (acm) on the emulator',
  {
    name: 'rkeha',
    dns: { hostname: 'rancher.rkeha.internal' },
    rancher: { tls: { mode: 'acm' } },
    network: { availabilityZones: 3, natGateways: 'single' },
    ingress: { scheme: 'internal', allowedCidrs: ['10.0.0.0/8'] },
    management: {
      distribution: 'rke2',
      rke2: {
        profile: 'ha',
        workerCount: 2,
        amiId: EMULATOR_AMI,
        kubeconfigWaitSeconds: 300,
        bastion: true,
        bastionAllowedCidrs: ['203.0.113.0/24'],
      },
    },
  },
  async ({ aws, config, terraform }) => {
    // Act as the seed server: publish while the apply waits for it.
    const apply = terraform.startApply();
    await apply.waitForOutput(/wait-for-secret: waiting up to 300 s/, 10 * 60_000);
    await publishKubeconfig(aws, config.name);
    const result = await apply.done;
    assert.equal(result.exitCode, 0, result.stdout.slice(-4000) + result.stderr.slice(-4000));
    assert.match(result.stdout, /has a value/);
  },
  (context) => {
    it('runs a seed, two joiners outside its zone and two agents that serve the ingress', async () => {
      const { aws, config } = context();
      const groups = await autoScalingGroups(aws, config.name);
      assert.deepEqual(
        groups.map((g) => [g.AutoScalingGroupName, g.DesiredCapacity]),
        [
          ['rkeha-management-agents', 2],
          ['rkeha-management-seed', 1],
          ['rkeha-management-servers', 2],
        ],
      );
      const [agents, seed, servers] = groups;
      const seedSubnet = String(seed.VPCZoneIdentifier);
      assert.equal(servers.VPCZoneIdentifier?.split(',').length, 2);
      assert.ok(!servers.VPCZoneIdentifier?.split(',').includes(seedSubnet));
      assert.equal(agents.VPCZoneIdentifier?.split(',').length, 3);
      const { targetGroups } = await loadBalancer(aws, 'rkeha-ingress');
      assert.deepEqual(
        [...(agents.TargetGroupARNs ?? [])].sort(),
        targetGroups.map((t) => t.TargetGroupArn).sort(),
      );
      assert.deepEqual(servers.TargetGroupARNs?.length, 2);
    });

    // dynamiclistener v0.9.0 redirect.go: Rancher redirects plain requests whose
    // X-Forwarded-Proto is not https; the TLS listener goes to Traefik's tls-offload host port.
    it("ends TLS on 443 and forwards to the bundled Traefik's tls-offload host port", async () => {
      const { aws } = context();
      const { listeners, targetGroups } = await loadBalancer(aws, 'rkeha-ingress');
      assert.deepEqual(targetGroups.map((t) => [t.TargetGroupName, t.Port]).sort(), [
        ['rkeha-http', 80],
        ['rkeha-tls-offload', 8001],
      ]);
      const https = listeners.find((l) => l.Port === 443);
      assert.equal(https?.Protocol, 'TLS');
      assert.equal(
        https?.DefaultActions?.[0]?.TargetGroupArn,
        targetGroups.find((t) => t.Port === 8001)?.TargetGroupArn,
      );
      const { SecurityGroups = [] } = await aws.ec2.send(
        new DescribeSecurityGroupsCommand({
          Filters: [{ Name: 'group-name', Values: ['rkeha-*'] }],
        }),
      );
      const lb = SecurityGroups.find((g) => g.GroupName === 'rkeha-ingress-lb');
      const rules = SecurityGroups.flatMap((g) =>
        (g.IpPermissions ?? []).filter((p) => p.FromPort === 8001),
      );
      assert.equal(rules.length, 1, JSON.stringify(rules));
      assert.deepEqual(rules[0].IpRanges ?? [], []);
      assert.deepEqual(
        rules[0].UserIdGroupPairs?.map((p) => p.GroupId),
        [lb?.GroupId],
      );
    });

    // rke2 v1.36.3+rke2r1: servers apply what is in /var/lib/rancher/rke2/server/manifests.
    it('has the servers, not the agents, write the HelmChartConfig for rke2-traefik', async () => {
      const { aws } = context();
      const { LaunchTemplates = [] } = await aws.ec2.send(new DescribeLaunchTemplatesCommand({}));
      const written: Record<string, boolean> = {};
      for (const template of LaunchTemplates) {
        if (!template.LaunchTemplateName?.startsWith('rkeha-management-')) continue;
        const { LaunchTemplateVersions = [] } = await aws.ec2.send(
          new DescribeLaunchTemplateVersionsCommand({
            LaunchTemplateId: template.LaunchTemplateId,
            Versions: ['$Latest'],
          }),
        );
        const userData = gunzipSync(
          Buffer.from(String(LaunchTemplateVersions[0].LaunchTemplateData?.UserData), 'base64'),
        ).toString('utf8');
        written[template.LaunchTemplateName] = userData.includes(
          '/var/lib/rancher/rke2/server/manifests/rke2-traefik-config.yaml',
        );
      }
      assert.deepEqual(written, {
        'rkeha-management-agents': false,
        'rkeha-management-seed': true,
        'rkeha-management-servers': true,
      });
    });

    it('gives agents the two join tokens to read only', async () => {
      const { aws } = context();
      const policy = await rolePolicy(aws, 'rkeha-management-agents');
      assert.deepEqual(
        policy.Statement.map((s) => s.Sid),
        ['ReadJoinToken', 'ReadFullJoinToken'],
      );
    });

    it('puts a bastion in a public subnet with SSH from the allowed network only', async () => {
      const { aws } = context();
      const { SecurityGroups = [] } = await aws.ec2.send(
        new DescribeSecurityGroupsCommand({
          Filters: [{ Name: 'group-name', Values: ['rkeha-management-bastion'] }],
        }),
      );
      const ssh = SecurityGroups[0]?.IpPermissions?.find((p) => p.FromPort === 22);
      assert.deepEqual(
        ssh?.IpRanges?.map((r) => r.CidrIp),
        ['203.0.113.0/24'],
      );
      const outputs = await context().terraform.outputs();
      assert.ok(outputs.bastion_public_ip !== undefined);
    });
  },
);
