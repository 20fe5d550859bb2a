import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { costInventory, SynthesizedStackJson } from '../../../lib/cost/inventory';
import { estimateMonthlyCost, Price, PriceList } from '../../../lib/cost/model';
import { loadPriceList } from '../../../lib/cost/price-list';

const price = (usd: number, verified = true): Price => ({ usd, verified, source: 'test' });

/** Round figures, 100 hours a month, so the totals below can be added up by hand. */
const PRICES: PriceList = {
  region: 'test-region',
  currency: 'USD',
  retrieved: '2026-12-03',
  hoursPerMonth: 100,
  assumptions: {
    natGatewayGbPerMonth: { value: 100, why: 'test' },
    nlbCapacityUnitsPerHour: { value: 2, why: 'test' },
    logGbPerGroupPerMonth: { value: 4, why: 'test' },
  },
  prices: {
    eksClusterHour: price(1),
    natGatewayHour: price(0.2),
    natGatewayGb: price(0.01),
    nlbHour: price(0.1),
    nlbCapacityUnitHour: price(0.05, false),
    publicIpv4Hour: price(0.01),
    gp3GbMonth: price(0.1),
    route53HostedZoneMonth: price(0.5),
    secretMonth: price(0.4),
    kmsKeyMonth: price(1),
    logsIngestedGb: price(0.5),
    instanceHour: { 'm5.large': price(0.5), 'm5.xlarge': price(1) },
  },
};

/** An EKS-like stack and an RKE2-like stack, shaped as cdktf synthesizes them. */
const STACKS: SynthesizedStackJson[] = [
  {
    resource: {
      aws_eks_cluster: { c: {} },
      aws_nat_gateway: { n: {} },
      aws_eip: { e: {} },
      aws_launch_template: {
        lt: { instance_type: 'm5.large', block_device_mappings: [{ ebs: { volume_size: 50 } }] },
      },
      aws_eks_node_group: {
        ng: {
          node_group_name: 'nodes',
          scaling_config: { desired_size: 2, min_size: 1, max_size: 6 },
          launch_template: { id: '${aws_launch_template.lt.id}', version: '1' },
        },
      },
      aws_lb: {
        public: { load_balancer_type: 'network', internal: false, subnets: ['a', 'b'] },
      },
      aws_secretsmanager_secret: { s: {} },
      aws_kms_key: { k: {} },
      aws_cloudwatch_log_group: { l: {} },
      aws_route53_zone: { z: {} },
    },
  },
  {
    resource: {
      aws_launch_template: {
        servers: {
          instance_type: 'm5.xlarge',
          block_device_mappings: [{ ebs: { volume_size: 100 } }],
        },
      },
      aws_autoscaling_group: {
        g: {
          name: 'servers',
          desired_capacity: 3,
          launch_template: { id: '${aws_launch_template.servers.id}' },
        },
      },
    },
  },
];

describe('cost model', () => {
  const inventory = costInventory(STACKS);

  it('counts instances at their configured size, with their launch template type and volume', () => {
    assert.deepEqual(inventory, {
      eksClusters: 1,
      natGateways: 1,
      networkLoadBalancers: 1,
      publicIpv4Addresses: 3,
      instances: { 'm5.large': 2, 'm5.xlarge': 3 },
      volumeGiB: 400,
      hostedZones: 1,
      secrets: 1,
      kmsKeys: 1,
      logGroups: 1,
    });
  });

  it('adds up the month by hand: 100 + 100 + 300 + 40 + 20 + 1 + 10 + 10 + 3 + 0.5 + 0.4 + 1 + 2', () => {
    const estimate = estimateMonthlyCost(inventory, PRICES);
    assert.deepEqual(
      estimate.lines.map((l) => [l.item, l.monthlyUsd]),
      [
        ['EKS control plane', 100],
        ['EC2 m5.large', 100],
        ['EC2 m5.xlarge', 300],
        ['EBS gp3 root volumes', 40],
        ['NAT gateways', 20],
        ['NAT data (100 GB each, assumed)', 1],
        ['Network load balancers', 10],
        ['NLB capacity (2 NLCU each, assumed)', 10],
        ['Public IPv4 addresses', 3],
        ['Route 53 hosted zones', 0.5],
        ['Secrets Manager secrets', 0.4],
        ['KMS keys', 1],
        ['CloudWatch logs (4 GB per group, assumed)', 2],
      ],
    );
    assert.equal(estimate.totalUsd, 587.9);
    assert.deepEqual(
      estimate.lines.filter((l) => !l.verified).map((l) => l.item),
      ['NLB capacity (2 NLCU each, assumed)'],
    );
  });

  it('refuses an instance type the price list does not have, naming it', () => {
    const unpriced = { ...inventory, instances: { 'm7i.large': 1 } };
    assert.throws(
      () => estimateMonthlyCost(unpriced, PRICES),
      /no on-demand price for instance type m7i\.large/,
    );
  });

  it('prices every instance type the example environments use in the pinned list', () => {
    const list = loadPriceList();
    for (const type of ['m5.large', 'm5.xlarge', 'm5.2xlarge']) {
      assert.ok(list.prices.instanceHour[type], type);
    }
  });
});
