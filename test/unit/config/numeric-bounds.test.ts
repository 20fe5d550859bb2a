import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { environmentProblems, Json } from '../../helpers/template';

/**
 * Every bounded number of the environment file, at and beyond each end. A bound that moves (a
 * `.min(1)` that becomes `.min(0)`) lets through a value AWS or the chart refuses at apply time,
 * after other resources changed; the config must refuse it before anything is synthesized.
 */
interface Bound {
  readonly path: string;
  readonly min: number;
  /** @default - no upper bound */
  readonly max?: number;
  /** The environment with the field set to `value`. */
  readonly set: (value: number) => Json;
}

const rke2 = (fields: Json): Json => ({ management: { distribution: 'rke2', rke2: fields } });

const BOUNDS: Bound[] = [
  // S3 PutBucketLifecycleConfiguration: NoncurrentDays "must be a positive integer".
  {
    path: 'backup.noncurrentVersionDays',
    min: 1,
    max: 3650,
    set: (v) => ({ backup: { noncurrentVersionDays: v } }),
  },
  // rancher-backup v11.0.1 Backup CRD: retentionCount is how many files stay; 0 would keep none.
  {
    path: 'backup.retentionCount',
    min: 1,
    max: 1000,
    set: (v) => ({ backup: { retentionCount: v } }),
  },
  // EKS AL2023 AMIs need a 20 GiB root volume; EBS gp3 volumes are at most 16 TiB.
  {
    path: 'management.eks.nodeGroup.diskSizeGiB',
    min: 20,
    max: 16384,
    set: (v) => ({ management: { eks: { nodeGroup: { diskSizeGiB: v } } } }),
  },
  // RKE2 keeps images and etcd on the root volume (RKE2 docs, requirements: 30 GiB and more).
  {
    path: 'management.rke2.diskSizeGiB',
    min: 30,
    max: 16384,
    set: (v) => rke2({ diskSizeGiB: v }),
  },
  { path: 'management.rke2.workerCount', min: 0, max: 100, set: (v) => rke2({ workerCount: v }) },
  // RKE2 etcd-snapshot-retention: 0 would keep no snapshot.
  {
    path: 'management.rke2.etcdSnapshotRetention',
    min: 1,
    max: 1000,
    set: (v) => rke2({ etcdSnapshotRetention: v }),
  },
  {
    path: 'management.rke2.kubeconfigWaitSeconds',
    min: 10,
    max: 7200,
    set: (v) => rke2({ kubeconfigWaitSeconds: v }),
  },
  // Two or three zones: the subnet plan (lib/network/cidr-plan.ts) places at most three of each.
  {
    path: 'network.availabilityZones',
    min: 2,
    max: 3,
    set: (v) => ({ network: { availabilityZones: v } }),
  },
  { path: 'rancher.replicas', min: 1, max: 10, set: (v) => ({ rancher: { replicas: v } }) },
  // Bumping the revision reinstalls the agent; there is no revision 0 to start from.
  {
    path: 'downstream.0.agentTokenRevision',
    min: 1,
    set: (v) => ({ downstream: [{ name: 'edge', agentTokenRevision: v }] }),
  },
];

function problemsAt(path: string, overrides: Json): string[] {
  return environmentProblems(overrides).filter((line) => line.startsWith(`${path}: `));
}

describe('bounded numbers of the environment file', () => {
  for (const bound of BOUNDS) {
    it(`${bound.path}: accepts ${bound.min}${bound.max === undefined ? ' and up' : ` to ${bound.max}`}, refuses whole numbers outside`, () => {
      assert.deepEqual(problemsAt(bound.path, bound.set(bound.min)), [], `${bound.min}`);
      assert.equal(problemsAt(bound.path, bound.set(bound.min - 1)).length, 1, `${bound.min - 1}`);
      if (bound.max !== undefined) {
        assert.deepEqual(problemsAt(bound.path, bound.set(bound.max)), [], `${bound.max}`);
        assert.equal(
          problemsAt(bound.path, bound.set(bound.max + 1)).length,
          1,
          `${bound.max + 1}`,
        );
      }
      assert.equal(problemsAt(bound.path, bound.set(bound.min + 0.5)).length, 1, 'a fraction');
    });
  }
});
