import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildEnvironment } from '../../../stacks';
import { environment, Json, Template, testApp } from '../../helpers/template';

/** The first downstream cluster's VPC when none is given: 10.(101+i).0.0/16 (docs/downstream.md). */
const EDGE_VPC = '10.101.0.0/16';
/** The management VPC: the environment file's default network.vpcCidr. */
const MANAGEMENT_VPC = '10.0.0.0/16';

function clusterStack(overrides: Json): Template {
  const stacks = buildEnvironment(
    testApp(),
    environment({
      name: 'prod',
      target: 'aws',
      downstream: [{ name: 'edge', distribution: 'rke2', rke2: { kubeconfigWaitSeconds: 1234 } }],
      ...overrides,
    }),
  );
  return Template.fromStack(stacks.downstream[0].cluster);
}

const RECOVERY_SECRETS = [
  'prod/edge/rke2/full-join-token',
  'prod/edge/rke2/join-token',
  'prod/edge/rke2/kubeconfig',
];

describe('downstream RKE2 cluster: ingress sources and peers', () => {
  const template = clusterStack({ protected: true });
  const rules = template.resourceList('aws_vpc_security_group_ingress_rule');

  it('admits clients from its own VPC only, on the listener ports', () => {
    const fromClients = rules
      .filter((r) => r.cidr_ipv4 !== undefined || r.cidr_ipv6 !== undefined)
      .map((r) => [r.cidr_ipv4, r.from_port, r.to_port])
      .sort((a, b) => Number(a[1]) - Number(b[1]));
    assert.deepEqual(fromClients, [
      [EDGE_VPC, 80, 80],
      [EDGE_VPC, 443, 443],
      // The management VPC's in-VPC deployer applies the agent stack through the API.
      [MANAGEMENT_VPC, 6443, 6443],
      [EDGE_VPC, 6443, 6443],
      // RKE2's supervisor (join) port is fixed at 9345 (docs.rke2.io, requirements: inbound rules).
      [EDGE_VPC, 9345, 9345],
    ]);
  });

  it('reaches the nodes on target ports only from a load balancer security group', () => {
    const balancerGroups = new Set(
      template.resourceList('aws_lb').flatMap((lb) => lb.security_groups as string[]),
    );
    const toNodes = rules.filter((r) => /rke2_node-sg/.test(String(r.security_group_id)));
    for (const rule of toNodes) {
      if (rule.description === 'RKE2 node to node') continue;
      assert.equal(rule.cidr_ipv4, undefined, String(rule.description));
      assert.ok(
        balancerGroups.has(String(rule.referenced_security_group_id)),
        `${String(rule.description)}: from ${String(rule.referenced_security_group_id)}`,
      );
    }
    assert.deepEqual(
      toNodes
        .filter((r) => r.description !== 'RKE2 node to node')
        .map((r) => r.from_port)
        .sort(),
      [443, 6443, 80, 9345],
    );
  });

  it('puts every load balancer inside the VPC, in the private subnets', () => {
    for (const lb of template.resourceList('aws_lb')) {
      assert.equal(lb.internal, true, String(lb.name));
      for (const subnet of lb.subnets as string[]) assert.match(subnet, /network_private-\d/);
    }
  });
});

describe('downstream RKE2 cluster: the kubeconfig wait', () => {
  const template = clusterStack({});
  const wait = template.single('terraform_data');

  it('waits as long as rke2.kubeconfigWaitSeconds says', () => {
    const command = JSON.stringify(wait.provisioner);
    assert.match(command, / --timeout 1234 /);
    assert.match(
      command,
      /--secret-id '\$\{aws_secretsmanager_secret\.rke2_kubeconfig_\w+\.arn\}'/,
    );
  });

  it('starts only once the seed server group exists (it publishes the kubeconfig)', () => {
    const dependsOn = wait.depends_on as string[];
    assert.ok(
      dependsOn.some((d) => /^aws_autoscaling_group\.rke2_seed_group_/.test(d)),
      dependsOn.join(', '),
    );
  });
});

describe('downstream RKE2 cluster: protected and throw-away environments', () => {
  /** Deletion protection of each load balancer, recovery window of each secret, force_destroy. */
  function protection(template: Template) {
    return {
      balancers: template
        .resourceList('aws_lb')
        .map((lb) => [lb.name, lb.enable_deletion_protection])
        .sort(),
      secrets: template
        .resourceList('aws_secretsmanager_secret')
        .map((s) => [s.name, s.recovery_window_in_days])
        .sort(),
      snapshotsForceDestroy: template.single('aws_s3_bucket').force_destroy,
    };
  }
  const expected = (protect: boolean) => ({
    balancers: [
      ['prod-edge-ingress', protect],
      ['prod-edge-rke2', protect],
    ],
    secrets: RECOVERY_SECRETS.map((name) => [name, protect ? 7 : 0]),
    snapshotsForceDestroy: !protect,
  });

  it('protected: load balancers with deletion protection, 7-day secret recovery, kept snapshots', () => {
    assert.deepEqual(protection(clusterStack({ protected: true })), expected(true));
  });

  it('expiring on AWS: deleted at once, snapshot bucket emptied on destroy', () => {
    assert.deepEqual(
      protection(clusterStack({ expiresAt: '2030-01-01T00:00:00Z' })),
      expected(false),
    );
  });

  it('protected with an expiry stays protected', () => {
    assert.deepEqual(
      protection(clusterStack({ protected: true, expiresAt: '2030-01-01T00:00:00Z' })),
      expected(true),
    );
  });
});
