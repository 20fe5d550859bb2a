import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import {
  CreateVpcCommand,
  DeleteVpcCommand,
  DescribeInstancesCommand,
  DescribeNatGatewaysCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
} from '@aws-sdk/client-ec2';
import { ListClustersCommand } from '@aws-sdk/client-eks';
import { DescribeLoadBalancersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ListRolesCommand } from '@aws-sdk/client-iam';
import { ListSecretsCommand } from '@aws-sdk/client-secrets-manager';
import {
  ListBucketsCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { loadEnvironmentFile } from '../../lib/config/load';
import type { EnvironmentConfig } from '../../lib/config/schema';
import { stackName } from '../../lib/naming/names';
import { TAG_KEYS } from '../../lib/naming/tags';
import { summarizePlans } from '../../lib/plan/summary';
import { bootstrapStackName, stateBucketName, stateKey } from '../../lib/state/backend';
import { sweep } from '../../lib/environments/sweep';
import {
  stackDirectory,
  SynthesizedStacks,
  synthEnvironmentStacks,
} from '../../lib/environments/synth';
import { teardownEnvironment, TeardownResult } from '../../lib/environments/teardown';
import { buildEnvironment } from '../../stacks';
import { AwsClients, awsClients } from '../helpers/aws-clients';
import { Emulator, startEmulator } from '../helpers/emulator';
import { Terraform, terraformEnvironment } from '../helpers/terraform';

const ROOT = path.resolve(__dirname, '..', '..');
const PR_NUMBER = 4242;

/** Plans once more and summarizes the plan as the pull request comment would. */
function planSummary(dir: string, emulatorEndpoint: string, stack: string) {
  const env = terraformEnvironment({ emulatorEndpoint });
  const plan = spawnSync(
    'terraform',
    ['plan', '-out=second.tfplan', '-detailed-exitcode', '-input=false', '-no-color'],
    { cwd: dir, env, encoding: 'utf8' },
  );
  assert.notEqual(plan.status, 1, `terraform plan failed:\n${plan.stdout}\n${plan.stderr}`);
  const json = execFileSync('terraform', ['show', '-json', 'second.tfplan'], {
    cwd: dir,
    env,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return {
    exitCode: plan.status,
    stdout: plan.stdout,
    summary: summarizePlans([{ stack, plan: JSON.parse(json) }]),
  };
}

describe('a throw-away pull-request environment on the emulator, from env:create to teardown', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'rancher-throwaway-'));
  let emulator: Emulator | undefined;
  let aws: AwsClients;
  let config: EnvironmentConfig;
  let synthesized: SynthesizedStacks;
  let bootstrap: Terraform;
  let management: Terraform;
  const started = Date.now();

  before(async () => {
    const created = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(ROOT, 'scripts', 'env-create.ts'),
        String(PR_NUMBER),
        '--target',
        'local',
        '--owner',
        'emulator-test',
        '--ttl-hours',
        '2',
        '--out-dir',
        work,
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
    assert.equal(created.status, 0, `env:create failed:\n${created.stdout}\n${created.stderr}`);
    config = loadEnvironmentFile(path.join(work, `pr-${PR_NUMBER}.yaml`));
    emulator = await startEmulator();
    aws = awsClients(emulator.endpoint, config.region);
    synthesized = synthEnvironmentStacks(config, {
      buildEnvironment,
      emulatorEndpoint: emulator.endpoint,
      outdir: path.join(work, 'cdktf.out'),
      localStateDir: work,
    });
    const dirOf = (name: string) => stackDirectory(synthesized, name);
    const options = { emulatorEndpoint: emulator.endpoint, region: config.region };
    bootstrap = new Terraform(dirOf(bootstrapStackName(config)), options);
    await bootstrap.init();
    await bootstrap.apply();
    management = new Terraform(dirOf(stackName(config.name, 'management')), options);
    await management.init();
    const applied = await management.apply();
    console.log(`# management apply took ${(applied.durationMs / 1000).toFixed(1)} s`);
  });

  after(async () => {
    aws?.destroy();
    await emulator?.stop();
    rmSync(work, { recursive: true, force: true });
    console.log(`# emulator cycle took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  it('env:create wrote a local, expiring environment with S3 state', () => {
    assert.equal(config.name, `pr-${PR_NUMBER}`);
    assert.equal(config.target, 'local');
    assert.equal(config.owner, 'emulator-test');
    assert.equal(config.state.backend, 's3');
    const hours = (Date.parse(config.expiresAt ?? '') - Date.now()) / 3_600_000;
    assert.ok(hours > 1.9 && hours <= 2, `expiresAt ${config.expiresAt} is not 2 hours ahead`);
  });

  it('keeps the bootstrap state locally and the management state in the emulated bucket', async () => {
    assert.ok(existsSync(path.join(work, `terraform.${bootstrapStackName(config)}.tfstate`)));
    const bucket = stateBucketName(config);
    assert.equal(bucket, `pr-${PR_NUMBER}-tfstate`);
    const { Contents = [] } = await aws.s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    assert.deepEqual(
      Contents.map((o) => o.Key),
      [stateKey(config, stackName(config.name, 'management'))],
      'one state object and no lock file left after the apply',
    );
    const state = JSON.parse(
      readFileSync(path.join(management.dir, '.terraform', 'terraform.tfstate'), 'utf8'),
    ) as { backend: { type: string; config: Record<string, unknown> } };
    assert.equal(state.backend.type, 's3');
    assert.equal(state.backend.config.use_lockfile, true);
  });

  it('made the state bucket versioned and private', async () => {
    const Bucket = stateBucketName(config);
    const versioning = await aws.s3.send(new GetBucketVersioningCommand({ Bucket }));
    assert.equal(versioning.Status, 'Enabled');
    const { PublicAccessBlockConfiguration: block } = await aws.s3.send(
      new GetPublicAccessBlockCommand({ Bucket }),
    );
    assert.deepEqual(block, {
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
  });

  it('plans no changes on a second run (plan summary)', () => {
    const stack = stackName(config.name, 'management');
    const { exitCode, stdout, summary } = planSummary(management.dir, emulator!.endpoint, stack);
    assert.equal(
      summary.stacks[0].hasChanges,
      false,
      `a second plan wants changes:\n${summary.markdown}\n${stdout}`,
    );
    assert.equal(exitCode, 0);
    assert.equal(summary.destroys, 0);
  });

  it('plans no changes to the bootstrap stack on a second run', async () => {
    const plan = await bootstrap.plan();
    assert.equal(plan.exitCode, 0, `a second plan wants changes:\n${plan.stdout}`);
  });

  it('the sweep keeps it before its expiry and picks it up after (dry run)', async () => {
    const options = {
      buildEnvironment,
      target: 'local' as const,
      region: config.region,
      environmentsDir: work,
      emulatorEndpoint: emulator!.endpoint,
      dryRun: true,
      log: () => undefined,
    };
    const early = await sweep({ ...options, now: new Date() });
    assert.deepEqual(
      early.findings.live.map((e) => e.name),
      [config.name],
    );
    assert.deepEqual(early.outcomes, []);
    const later = new Date(Date.parse(config.expiresAt!) + 60_000);
    const late = await sweep({ ...options, now: later });
    assert.deepEqual(
      late.findings.expired.map((e) => [e.name, e.expiresAt]),
      [[config.name, config.expiresAt]],
    );
    assert.deepEqual(late.outcomes, [{ name: config.name, action: 'would-tear-down' }]);
  });

  it('teardown has the deployer destroy the in-cluster stack, then destroys management and bootstrap, leaving nothing', async () => {
    // As if the deployer had applied the rancher stack: its state holds a release. The PR
    // template's EKS endpoint is private, so only the deployer could destroy it.
    await aws.s3.send(
      new PutObjectCommand({
        Bucket: stateBucketName(config),
        Key: stateKey(config, stackName(config.name, 'rancher')),
        Body: JSON.stringify({
          version: 4,
          resources: [{ mode: 'managed', type: 'helm_release' }],
        }),
      }),
    );
    const lines: string[] = [];
    const result: TeardownResult & { failedChecks: readonly string[] } = await teardownEnvironment(
      config,
      {
        buildEnvironment,
        emulatorEndpoint: emulator!.endpoint,
        outdir: path.join(work, 'teardown.out'),
        localStateDir: work,
        environmentFile: path.join(work, `pr-${PR_NUMBER}.yaml`),
        log: (line) => lines.push(line),
      },
    );
    assert.deepEqual(result.destroyed, [
      stackName(config.name, 'rancher'),
      stackName(config.name, 'management'),
      bootstrapStackName(config),
    ]);
    // moto's CodeBuild runs nothing; the build is started and reported as succeeded.
    assert.ok(
      lines.some((line) => /^ {2}Build pr-4242-deployer:\S+ succeeded\.$/.test(line)),
      lines.join('\n'),
    );
    assert.ok(lines.includes(`  destroyed ${stackName(config.name, 'rancher')} (in-VPC deployer)`));
    assert.deepEqual(result.failedChecks, [], lines.join('\n'));
    assert.deepEqual(
      result.report.leftovers.map((r) => `${r.kind} ${r.id}`),
      [],
      lines.join('\n'),
    );
    for (const scheduled of result.report.scheduledForDeletion) {
      assert.equal(scheduled.tags[TAG_KEYS.environment], config.name);
    }
    console.log(`# ${lines.join('\n# ')}`);
  });

  it('independently of teardown, the emulator holds nothing named or tagged for it', async () => {
    // Asked service by service, not through lib/environments (teardown's own verification).
    const name = config.name;
    const tagged = [{ Name: `tag:${TAG_KEYS.environment}`, Values: [name] }];
    const found: string[] = [];
    const vpcs = await aws.ec2.send(new DescribeVpcsCommand({ Filters: tagged }));
    found.push(...(vpcs.Vpcs ?? []).map((v) => `vpc ${v.VpcId}`));
    const subnets = await aws.ec2.send(new DescribeSubnetsCommand({ Filters: tagged }));
    found.push(...(subnets.Subnets ?? []).map((v) => `subnet ${v.SubnetId}`));
    const groups = await aws.ec2.send(new DescribeSecurityGroupsCommand({ Filters: tagged }));
    found.push(...(groups.SecurityGroups ?? []).map((g) => `security group ${g.GroupId}`));
    const nats = await aws.ec2.send(new DescribeNatGatewaysCommand({ Filter: tagged }));
    found.push(
      ...(nats.NatGateways ?? [])
        .filter((n) => n.State !== 'deleted')
        .map((n) => `nat gateway ${n.NatGatewayId}`),
    );
    const instances = await aws.ec2.send(new DescribeInstancesCommand({ Filters: tagged }));
    found.push(
      ...(instances.Reservations ?? [])
        .flatMap((r) => r.Instances ?? [])
        .filter((i) => i.State?.Name !== 'terminated')
        .map((i) => `instance ${i.InstanceId}`),
    );
    const named = (kind: string, names: (string | undefined)[]) =>
      found.push(
        ...names
          .filter((n) => n?.startsWith(`${name}-`) || n?.startsWith(`${name}/`))
          .map((n) => `${kind} ${n}`),
      );
    const [balancers, buckets, secrets, roles, asgs, clusters] = await Promise.all([
      aws.elbv2.send(new DescribeLoadBalancersCommand({})),
      aws.s3.send(new ListBucketsCommand({})),
      aws.secretsManager.send(new ListSecretsCommand({})),
      aws.iam.send(new ListRolesCommand({})),
      aws.autoScaling.send(new DescribeAutoScalingGroupsCommand({})),
      aws.eks.send(new ListClustersCommand({})),
    ]);
    named(
      'load balancer',
      (balancers.LoadBalancers ?? []).map((b) => b.LoadBalancerName),
    );
    named(
      'bucket',
      (buckets.Buckets ?? []).map((b) => b.Name),
    );
    named(
      'secret',
      (secrets.SecretList ?? []).map((x) => x.Name),
    );
    named(
      'role',
      (roles.Roles ?? []).map((r) => r.RoleName),
    );
    named(
      'auto scaling group',
      (asgs.AutoScalingGroups ?? []).map((g) => g.AutoScalingGroupName),
    );
    named('eks cluster', clusters.clusters ?? []);
    assert.deepEqual(found, []);
  });

  it('env:teardown --verify-only exits 4 and names a leftover planted after the teardown', async () => {
    const planted = await aws.ec2.send(
      new CreateVpcCommand({
        CidrBlock: '10.250.0.0/16',
        TagSpecifications: [
          { ResourceType: 'vpc', Tags: [{ Key: TAG_KEYS.environment, Value: config.name }] },
        ],
      }),
    );
    const vpcId = planted.Vpc!.VpcId!;
    try {
      const run = spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          path.join(ROOT, 'scripts', 'env-teardown.ts'),
          path.join(work, `pr-${PR_NUMBER}.yaml`),
          '--verify-only',
        ],
        {
          cwd: ROOT,
          encoding: 'utf8',
          env: { PATH: process.env.PATH, RANCHER_EMULATOR_ENDPOINT: emulator!.endpoint },
        },
      );
      assert.equal(run.status, 4, `${run.stdout}\n${run.stderr}`);
      assert.ok(`${run.stdout}${run.stderr}`.includes(vpcId), run.stdout);
    } finally {
      await aws.ec2.send(new DeleteVpcCommand({ VpcId: vpcId }));
    }
  });
});
