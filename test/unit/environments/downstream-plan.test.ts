import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planDownstreamCluster } from '../../../lib/environments/downstream-plan';
import { environment } from '../../helpers/template';

describe('planDownstreamCluster', () => {
  it('gives each cluster its stacks, a private EKS endpoint and the default VPC of its index', () => {
    const config = environment({ name: 'prod', downstream: [{ name: 'apps' }, { name: 'data' }] });
    const plan = planDownstreamCluster(config, 1);
    assert.equal(plan.clusterName, 'prod-data');
    assert.equal(plan.clusterStackName, 'prod-data-cluster');
    assert.equal(plan.agentStackName, 'prod-data-agent');
    assert.equal(plan.distribution, 'eks');
    assert.equal(plan.kubernetesVersion, '1.36');
    assert.equal(plan.eks?.endpointAccess, 'private');
    assert.deepEqual(plan.eks?.nodeGroup, {
      instanceType: 'm5.xlarge',
      minSize: 3,
      desiredSize: 3,
      maxSize: 6,
      diskSizeGiB: 50,
    });
    assert.deepEqual(plan.network, {
      vpcCidr: '10.102.0.0/16',
      availabilityZones: 3,
      privateSubnetPrefix: 19,
      publicSubnetPrefix: 20,
      natGateways: 'perAz',
    });
    assert.equal(plan.existingVpc, undefined);
  });

  it('applies per-cluster network, version and EKS settings', () => {
    const config = environment({
      downstream: [
        {
          name: 'edge',
          kubernetesVersion: '1.35',
          network: { vpcCidr: '10.200.0.0/16', availabilityZones: 2, natGateways: 'single' },
          eks: {
            endpointAccess: 'both',
            publicAccessCidrs: ['203.0.113.0/24'],
            nodeGroup: { instanceType: 'm5.large', minSize: 1, desiredSize: 2, maxSize: 3 },
          },
        },
      ],
    });
    const plan = planDownstreamCluster(config, 0);
    assert.equal(plan.kubernetesVersion, '1.35');
    assert.equal(plan.network?.vpcCidr, '10.200.0.0/16');
    assert.equal(plan.network?.availabilityZones, 2);
    assert.equal(plan.network?.natGateways, 'single');
    assert.equal(plan.eks?.endpointAccess, 'both');
    assert.deepEqual(plan.eks?.publicAccessCidrs, ['203.0.113.0/24']);
    assert.equal(plan.eks?.nodeGroup.instanceType, 'm5.large');
    assert.equal(plan.eks?.nodeGroup.desiredSize, 2);
    assert.equal(plan.eks?.nodeGroup.diskSizeGiB, 50);
  });

  it('joins an existing VPC without a network of its own', () => {
    const existingVpc = { vpcId: 'vpc-0abc', privateSubnetIds: ['subnet-01', 'subnet-02'] };
    const plan = planDownstreamCluster(
      environment({ downstream: [{ name: 'old', existingVpc }] }),
      0,
    );
    assert.equal(plan.network, undefined);
    assert.deepEqual(plan.existingVpc, existingVpc);
  });

  // The config refuses both; the plan refuses them too when handed an unchecked config.
  it('refuses the name of the management cluster', () => {
    const valid = environment({ downstream: [{ name: 'apps' }] });
    const config = { ...valid, downstream: [{ ...valid.downstream[0], name: 'management' }] };
    assert.throws(
      () => planDownstreamCluster(config, 0),
      /downstream\[0\]\.name "management" is reserved/,
    );
  });

  it('refuses a public endpoint without CIDRs', () => {
    const valid = environment({ downstream: [{ name: 'open' }] });
    const config = {
      ...valid,
      downstream: [{ ...valid.downstream[0], eks: { endpointAccess: 'both' as const } }],
    };
    assert.throws(
      () => planDownstreamCluster(config, 0),
      /downstream\[0\]\.eks\.publicAccessCidrs must list at least one CIDR when endpointAccess is both/,
    );
  });

  it('names an index that does not exist', () => {
    assert.throws(
      () => planDownstreamCluster(environment(), 0),
      /downstream\[0\] does not exist; the environment lists 0/,
    );
  });
});
