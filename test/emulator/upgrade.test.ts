import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { EnvironmentConfig } from '../../lib/config/schema';
import { stackName } from '../../lib/naming/names';
import { StackPlanSummary, summarizeStackPlan } from '../../lib/plan/summarize';
import { clusterVersionTargets } from '../../lib/environments/upgrade-targets';
import { AwsVersionReader } from '../../lib/upgrades/aws-reader';
import { checkUpgrade } from '../../lib/upgrades/version-step';
import { assertEmptyReplan, destroyLeavingNothing } from '../helpers/cycle';
import { Emulator, startEmulator } from '../helpers/emulator';
import { stackDir, SynthesizedEnvironment, synthEnvironment } from '../helpers/synth';
import { environment } from '../helpers/template';
import { Terraform } from '../helpers/terraform';

/**
 * Deploys the EKS management stack at one set of versions, synthesizes the next set into the
 * same state and plans: an upgrade must update in place and replace nothing.
 * EKS only: the RKE2 path has no cluster-level version (its release lives in launch template user
 * data, covered by unit tests) and its cycle needs a fake seed server, which would double the time.
 */
function upgradeEnvironment(kubernetesVersion: string, rancherVersion: string): EnvironmentConfig {
  // Kept small so the cycle stays short: 2 zones, one NAT gateway, one node.
  return environment({
    name: 'upgrade',
    target: 'local',
    network: { availabilityZones: 2, natGateways: 'single' },
    management: {
      distribution: 'eks',
      kubernetesVersion,
      eks: { nodeGroup: { instanceType: 'm5.large', minSize: 1, desiredSize: 1, maxSize: 1 } },
    },
    rancher: { version: rancherVersion },
  });
}

/** Rancher 2.15.0 is the first 2.15 GA: the previous release is 2.14.4, whose chart stops before 1.36. */
const FROM = upgradeEnvironment('1.35', '2.14.4');
const TO = upgradeEnvironment('1.36', '2.15.0');

interface ResourceChange {
  readonly address: string;
  readonly type: string;
  readonly change: {
    readonly actions: readonly string[];
    readonly before: Record<string, unknown> | null;
    readonly after: Record<string, unknown> | null;
  };
}

/** Resource types whose replacement or deletion loses data or identity. */
const HOLDS_DATA = [
  'aws_eks_cluster',
  'aws_kms_key',
  'aws_secretsmanager_secret',
  'aws_route53_zone',
  'aws_cloudwatch_log_group',
];

function rancherChartVersion(synthesized: SynthesizedEnvironment): unknown {
  const dir = stackDir(synthesized, stackName(FROM.name, 'rancher'));
  const stack = JSON.parse(readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8')) as {
    resource: { helm_release: Record<string, { name: string; version: string }> };
  };
  return Object.values(stack.resource.helm_release).find((r) => r.name === 'rancher')?.version;
}

describe('upgrading an EKS environment (1.35 + Rancher 2.14.4 -> 1.36 + Rancher 2.15.0) on the emulator', () => {
  let emulator: Emulator | undefined;
  let synthesized: SynthesizedEnvironment | undefined;
  let terraform: Terraform;
  let changes: ResourceChange[] = [];
  let summary: StackPlanSummary;
  const rancherVersions: unknown[] = [];
  let deployedCheck: Awaited<ReturnType<typeof checkUpgrade>> = [];
  const started = Date.now();

  const byType = (type: string) => changes.filter((c) => c.type === type);

  before(async () => {
    emulator = await startEmulator();
    synthesized = synthEnvironment(FROM, { emulatorEndpoint: emulator.endpoint });
    rancherVersions.push(rancherChartVersion(synthesized));
    const dir = stackDir(synthesized, stackName(FROM.name, 'management'));
    terraform = new Terraform(dir, { emulatorEndpoint: emulator.endpoint, region: FROM.region });
    await terraform.init();
    await terraform.apply();
    // The deployed state is stable first (node group version and all), so the plan below shows
    // the version change alone.
    await assertEmptyReplan(terraform);

    const reader = new AwsVersionReader({ region: TO.region, endpoint: emulator.endpoint });
    try {
      deployedCheck = await checkUpgrade(clusterVersionTargets(TO), reader);
    } finally {
      reader.destroy();
    }

    // The next versions, into the same directory: the local state file stays where it was.
    synthesized = synthEnvironment(TO, {
      emulatorEndpoint: emulator.endpoint,
      outdir: synthesized.outdir,
    });
    rancherVersions.push(rancherChartVersion(synthesized));
    assert.equal(stackDir(synthesized, stackName(TO.name, 'management')), dir);
    await terraform.init();
    const plan = await terraform.planJson();
    summary = summarizeStackPlan('upgrade-management', plan);
    changes = (plan as { resource_changes: ResourceChange[] }).resource_changes;
  });

  after(async () => {
    await emulator?.stop();
    if (synthesized) rmSync(synthesized.outdir, { recursive: true, force: true });
    console.log(`# upgrade cycle took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  it('upgrade:check reads the deployed 1.35 through EKS DescribeCluster and allows one step', () => {
    assert.deepEqual(
      deployedCheck.map((r) => [r.field, r.deployed, r.desired, r.verdict]),
      [['management.kubernetesVersion', '1.35', '1.36', 'upgrade']],
    );
  });

  it('moves the Rancher chart from 2.14.4 to 2.15.0 in the rancher stack', () => {
    assert.deepEqual(rancherVersions, ['2.14.4', '2.15.0']);
  });

  // Decided by the provider's schema (hashicorp/aws 5.100.0 plans this): aws_eks_cluster `version`
  // is updatable in place (EKS UpdateClusterVersion); a ForceNew there would show as a replace.
  it('updates the EKS control plane in place, 1.35 -> 1.36', () => {
    const [cluster] = byType('aws_eks_cluster');
    assert.deepEqual(cluster.change.actions, ['update']);
    assert.equal(cluster.change.before?.version, '1.35');
    assert.equal(cluster.change.after?.version, '1.36');
  });

  // hashicorp/terraform-provider-aws internal/service/eks/node_group.go: `version` is Optional and
  // Computed, not ForceNew; the update calls UpdateNodegroupVersion, which rolls the nodes.
  it('updates the node group in place to 1.36, so the nodes follow the control plane', () => {
    const [nodeGroup] = byType('aws_eks_node_group');
    assert.deepEqual(nodeGroup.change.actions, ['update']);
    assert.equal(nodeGroup.change.before?.version, '1.35');
    assert.equal(nodeGroup.change.after?.version, '1.36');
  });

  it('keeps the launch template: not replaced (a new version at most)', () => {
    const templates = byType('aws_launch_template');
    assert.equal(templates.length, 1);
    assert.ok(
      ['no-op', 'update'].includes(templates[0].change.actions.join(',')),
      `launch template: ${templates[0].change.actions.join(',')}`,
    );
  });

  it('replaces and deletes nothing, and nothing that holds data changes identity', () => {
    assert.deepEqual(
      summary.replacements.map((r) => r.address),
      [],
    );
    assert.deepEqual(
      summary.deletes.map((r) => r.address),
      [],
    );
    for (const type of HOLDS_DATA) {
      const found = byType(type);
      assert.ok(found.length > 0, `the stack has a ${type}`);
      for (const resource of found) {
        assert.ok(
          ['no-op', 'update'].includes(resource.change.actions.join(',')),
          `${resource.address}: ${resource.change.actions.join(',')}`,
        );
      }
    }
  });

  it('changes only versions: the cluster, the node group and the add-ons pinned per minor', () => {
    const updated = new Set(summary.updates.map((r) => r.address.split('.')[0]));
    for (const type of updated) {
      assert.ok(
        ['aws_eks_cluster', 'aws_eks_node_group', 'aws_eks_addon', 'aws_iam_role'].includes(type),
        `${type} changes in an upgrade`,
      );
    }
    assert.ok(updated.has('aws_eks_cluster') && updated.has('aws_eks_node_group'));
    // EKS add-on versions are published per Kubernetes minor (lib/versions.ts cites the tables):
    // an add-on that changes moves to another eksbuild, nothing else.
    for (const change of changes.filter((c) => c.type === 'aws_eks_addon')) {
      if (!change.change.actions.includes('update')) continue;
      const { before, after } = change.change;
      assert.notEqual(after?.addon_version, before?.addon_version, change.address);
      assert.match(String(after?.addon_version), /-eksbuild\.\d+$/, change.address);
    }
    // A role that reads the cluster (its OIDC issuer) is planned as an update while the cluster is
    // updated: every value the plan already knows must be the one it has now.
    for (const change of changes.filter((c) => c.type === 'aws_iam_role')) {
      if (!change.change.actions.includes('update')) continue;
      const { before, after } = change.change;
      for (const [key, value] of Object.entries(after ?? {})) {
        assert.deepEqual(value, before?.[key], `${change.address}.${key}`);
      }
    }
    assert.deepEqual(summary.creates, []);
  });

  it('destroys everything and leaves nothing of the environment behind', async () => {
    await destroyLeavingNothing(terraform, TO, emulator!.endpoint);
  });
});
