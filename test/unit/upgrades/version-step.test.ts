import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clusterVersionTargets } from '../../../lib/environments/upgrade-targets';
import {
  checkUpgrade,
  checkVersionStep,
  DeployedVersionReader,
} from '../../../lib/upgrades/version-step';
import { environment } from '../../helpers/template';

/** A reader over fixed answers; records what it was asked. */
function fakeReader(
  eks: Record<string, string>,
  rke2: Record<string, string> = {},
): DeployedVersionReader & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    eksClusterVersion: (name) => {
      asked.push(`eks:${name}`);
      return Promise.resolve(eks[name]);
    },
    rke2LaunchTemplateVersion: (name) => {
      asked.push(`rke2:${name}`);
      return Promise.resolve(rke2[name]);
    },
  };
}

// Kubernetes version skew policy: control planes upgrade one minor at a time, and EKS
// (UpdateClusterVersion) and RKE2 (docs "Upgrades") offer no downgrade.
describe('one Kubernetes minor at a time, against the deployed version', () => {
  it('allows the next minor, the same version and a first deploy', () => {
    assert.equal(checkVersionStep('f', '1.36', '1.35').verdict, 'upgrade');
    assert.equal(checkVersionStep('f', '1.36', '1.36').verdict, 'unchanged');
    assert.equal(checkVersionStep('f', '1.36', undefined).verdict, 'new');
    assert.equal(checkVersionStep('f', 'v1.36.3+rke2r1', 'v1.35.7+rke2r1').verdict, 'upgrade');
    assert.equal(checkVersionStep('f', 'v1.35.8+rke2r1', 'v1.35.7+rke2r1').verdict, 'upgrade');
  });

  it('refuses a skipped minor, naming the field, the deployed version and the next step', () => {
    assert.deepEqual(checkVersionStep('management.kubernetesVersion', '1.36', '1.34'), {
      field: 'management.kubernetesVersion',
      desired: '1.36',
      deployed: '1.34',
      verdict: 'refused',
      problem:
        'management.kubernetesVersion: 1.36 skips a Kubernetes minor; the deployed cluster runs 1.34, and upgrades go one minor at a time: set 1.35 first, deploy, then 1.36.',
    });
  });

  it('refuses downgrades of a minor and of an RKE2 patch', () => {
    const minor = checkVersionStep('management.kubernetesVersion', '1.35', '1.36');
    assert.equal(minor.verdict, 'refused');
    assert.equal(
      minor.problem,
      'management.kubernetesVersion: 1.35 is older than the deployed 1.36; downgrades are refused (Kubernetes cannot move a control plane or etcd back; restore from a backup instead). Keep 1.36 or move forward.',
    );
    const patch = checkVersionStep('management.rke2.version', 'v1.36.2+rke2r1', 'v1.36.3+rke2r1');
    assert.equal(patch.verdict, 'refused');
    const revision = checkVersionStep('f', 'v1.36.3+rke2r1', 'v1.36.3+rke2r2');
    assert.equal(revision.verdict, 'refused');
  });

  it('reads the management EKS cluster <env>-management and every downstream EKS cluster <env>-<name>', async () => {
    const config = environment({
      name: 'prod',
      management: { kubernetesVersion: '1.36' },
      downstream: [{ name: 'apps', kubernetesVersion: '1.36' }, { name: 'ci' }],
    });
    const reader = fakeReader({ 'prod-management': '1.35', 'prod-apps': '1.34' });
    const results = await checkUpgrade(clusterVersionTargets(config), reader);
    assert.deepEqual(reader.asked, ['eks:prod-management', 'eks:prod-apps', 'eks:prod-ci']);
    assert.deepEqual(
      results.map((r) => [r.field, r.deployed, r.verdict]),
      [
        ['management.kubernetesVersion', '1.35', 'upgrade'],
        ['downstream.0.kubernetesVersion', '1.34', 'refused'],
        ['downstream.1.kubernetesVersion', undefined, 'new'],
      ],
    );
  });

  it('reads an RKE2 management cluster from its seed launch template <env>-management-seed', async () => {
    const config = environment({
      name: 'edge',
      management: { distribution: 'rke2', rke2: { version: 'v1.36.3+rke2r1' } },
    });
    assert.deepEqual(clusterVersionTargets(config), [
      {
        field: 'management.rke2.version',
        desired: 'v1.36.3+rke2r1',
        source: { kind: 'rke2', launchTemplateName: 'edge-management-seed' },
      },
    ]);
    const reader = fakeReader({}, { 'edge-management-seed': 'v1.35.7+rke2r1' });
    const [result] = await checkUpgrade(clusterVersionTargets(config), reader);
    assert.equal(result.verdict, 'upgrade');
  });
});
