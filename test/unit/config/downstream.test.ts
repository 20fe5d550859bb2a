import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { environmentProblems } from '../../helpers/template';

// Rules of lib/config/downstream.ts that the invalid-environment corpus does not reach.
describe('downstream rules', () => {
  it('refuses the settings block of the other distribution, where it would be ignored', () => {
    const problems = environmentProblems({
      downstream: [
        { name: 'apps', distribution: 'rke2', eks: { endpointAccess: 'both' } },
        { name: 'ci', rke2: { workerCount: 2 } },
      ],
    });
    // The reported value is the block with its defaults filled, shortened: compare without it.
    assert.deepEqual(
      problems.map((line) => line.replace(/ \(got .*\)$/, '')),
      [
        'downstream.0.eks: is only read when distribution is eks',
        'downstream.1.rke2: is only read when distribution is rke2',
      ],
    );
  });

  it('checks a downstream EKS endpoint like the management one', () => {
    assert.deepEqual(
      environmentProblems({
        downstream: [
          { name: 'open', eks: { endpointAccess: 'both' } },
          { name: 'shut', eks: { publicAccessCidrs: ['203.0.113.0/24'] } },
        ],
      }),
      [
        'downstream.0.eks.publicAccessCidrs: must list at least one CIDR when endpointAccess is both (an open Kubernetes API is never the default) (got [])',
        'downstream.1.eks.publicAccessCidrs: is only used when endpointAccess is both (got ["203.0.113.0/24"])',
      ],
    );
  });

  it('checks a partial node group with the defaults filled in (min 3, desired 3)', () => {
    assert.deepEqual(
      environmentProblems({ downstream: [{ name: 'apps', eks: { nodeGroup: { maxSize: 2 } } }] }),
      [
        'downstream.0.eks.nodeGroup.desiredSize: must satisfy minSize <= desiredSize <= maxSize; got 3 <= 3 <= 2 (got 3)',
      ],
    );
  });

  it('checks its VPC like the management VPC, on the default CIDR 10.101.0.0/16', () => {
    assert.deepEqual(
      environmentProblems({
        downstream: [
          {
            name: 'apps',
            network: { availabilityZones: ['us-east-1a', 'us-east-1a'], privateSubnetPrefix: 16 },
          },
        ],
      }),
      [
        'downstream.0.network.availabilityZones: must not repeat a zone (got ["us-east-1a","us-east-1a"])',
        'downstream.0.network.privateSubnetPrefix: must be longer than the VPC prefix /16 (got 16)',
      ],
    );
  });
});
