import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildEnvironment } from '../../../stacks';
import { environment, Json, Template, testApp } from '../../helpers/template';

/** `${data.terraform_remote_state.<management>.outputs.<output of resource>}` */
const fromManagement = (resource: string) =>
  new RegExp(
    `^\\$\\{data\\.terraform_remote_state\\.cross-stack-reference-input-test-management\\.outputs\\.cross-stack-output-${resource}\\}$`,
  );

function clusterStack(downstream: Json, overrides: Json = {}): Template {
  const stacks = buildEnvironment(
    testApp(),
    environment({ downstream: [downstream], ...overrides }),
  );
  return Template.fromStack(stacks.downstream[0].cluster);
}

function peeringRoutes(template: Template): { table: string; destination: string }[] {
  return template
    .resourceList('aws_route')
    .filter((r) => r.vpc_peering_connection_id)
    .map((r) => ({
      table: String(r.route_table_id),
      destination: String(r.destination_cidr_block),
    }));
}

describe('downstream EKS cluster in its own VPC, with the deployer', () => {
  const template = clusterStack({ name: 'apps' });

  it('peers its VPC with the management VPC, accepted at once (same account and region)', () => {
    const peering = template.single('aws_vpc_peering_connection');
    assert.match(String(peering.vpc_id), /^\$\{aws_vpc\.network_vpc_\w+\.id\}$/);
    assert.match(String(peering.peer_vpc_id), fromManagement('aws_vpcnetwork_vpc_\\w+id'));
    assert.equal(peering.auto_accept, true);
  });

  it('routes each private route table to the other VPC through the peering, both ways', () => {
    const routes = peeringRoutes(template);
    const toManagement = routes.filter((r) => r.destination === '10.0.0.0/16');
    const fromMgmt = routes.filter((r) => r.destination === '10.101.0.0/16');
    assert.equal(routes.length, 6);
    assert.deepEqual(
      toManagement.map((r) => r.table.replace(/_\w{8}\.id\}$/, '')),
      [0, 1, 2].map((i) => `\${aws_route_table.network_private-${i}-routes-table`),
    );
    for (const route of fromMgmt) {
      assert.match(
        route.table,
        fromManagement('aws_route_tablenetwork_private-\\d-routes-table_\\w+id'),
      );
    }
    assert.equal(fromMgmt.length, 3);
  });

  it('gives the deployer role cluster-admin through an access entry', () => {
    const entry = template.single('aws_eks_access_entry');
    assert.match(String(entry.principal_arn), fromManagement('aws_iam_roledeployer_role_\\w+arn'));
    template.hasResourceWithProperties('aws_eks_access_policy_association', {
      policy_arn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
      access_scope: { type: 'cluster' },
    });
  });

  it('opens 443 on the private endpoint to the deployer security group, once the peering exists', () => {
    const rules = template.find('aws_vpc_security_group_ingress_rule', {
      description: 'Kubernetes API from the in-VPC deployer of the management VPC',
    });
    assert.equal(rules.length, 1);
    const [rule] = rules;
    assert.equal(rule.from_port, 443);
    assert.match(String(rule.security_group_id), /eks_control-plane-sg_/);
    assert.match(
      String(rule.referenced_security_group_id),
      fromManagement('aws_security_groupdeployer_sg_\\w+id'),
    );
    // EC2: a peer VPC's security group can be referenced only over an active peering.
    assert.deepEqual(
      (rule.depends_on as string[]).map((d) => d.replace(/_\w{8}$/, '')),
      ['aws_vpc_peering_connection.deployer-access_peering'],
    );
  });

  it('leaves a private endpoint private', () => {
    const vpc = template.single('aws_eks_cluster').vpc_config as Json;
    assert.equal(vpc.endpoint_public_access, false);
    assert.equal(vpc.public_access_cidrs, undefined);
  });
});

describe('downstream EKS cluster with a public endpoint, with the deployer', () => {
  it('adds the management NAT addresses to its public CIDRs (a peered VPC resolves it publicly)', () => {
    const template = clusterStack({
      name: 'ci',
      eks: { endpointAccess: 'both', publicAccessCidrs: ['203.0.113.0/24'] },
    });
    const cidrs = (template.single('aws_eks_cluster').vpc_config as Json)
      .public_access_cidrs as string[];
    // EKS user guide, cluster endpoint: with public and private access, clients outside the
    // cluster's VPC resolve the endpoint to its public addresses.
    assert.equal(cidrs[0], '203.0.113.0/24');
    assert.equal(cidrs.length, 4);
    for (const cidr of cidrs.slice(1)) {
      assert.match(
        cidr,
        /^\$\{data\.terraform_remote_state\.[\w-]+\.outputs\.cross-stack-output-aws_eipnetwork_nat-\d-ip_\w+public_ip\}\/32$/,
      );
    }
  });
});

describe('downstream RKE2 cluster, with the deployer', () => {
  const template = clusterStack({ name: 'edge', distribution: 'rke2' });

  it('lets the deployer role read this cluster kubeconfig, and nothing else', () => {
    const policies = template.resourceList('aws_iam_role_policy');
    const readKubeconfig = policies.filter((p) => p.name === 'read-test-edge-kubeconfig');
    assert.equal(readKubeconfig.length, 1);
    assert.match(
      String(readKubeconfig[0].role),
      fromManagement('aws_iam_roledeployer_role_\\w+name'),
    );
    const statements = (JSON.parse(String(readKubeconfig[0].policy)) as { Statement: Json[] })
      .Statement;
    assert.deepEqual(
      statements.map((s) => [s.Action, String(s.Resource).replace(/_\w{8}\.arn\}$/, '')]),
      [['secretsmanager:GetSecretValue', '${aws_secretsmanager_secret.rke2_kubeconfig']],
    );
  });

  it('opens 6443 on the registration load balancer to the management VPC', () => {
    const rules = template.find('aws_vpc_security_group_ingress_rule', {
      description: 'Kubernetes API from the in-VPC deployer of the management VPC',
    });
    assert.equal(rules.length, 1);
    assert.equal(rules[0].from_port, 6443);
    assert.equal(rules[0].cidr_ipv4, '10.0.0.0/16');
    assert.match(String(rules[0].security_group_id), /rke2_registration_sg_/);
  });

  it('has no access entry', () => {
    assert.equal(template.resourceCount('aws_eks_access_entry'), 0);
  });
});

describe('downstream EKS cluster in an existing VPC', () => {
  const existing = {
    vpcId: 'vpc-0123456789abcdef0',
    privateSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0fedcba9876543210'],
  };

  it('peers it and routes through the given route tables when they are listed', () => {
    const template = clusterStack({
      name: 'legacy',
      existingVpc: {
        ...existing,
        routeTableIds: ['rtb-0aaaaaaaaaaaaaaaa', 'rtb-0bbbbbbbbbbbbbbbb'],
      },
    });
    const peering = template.single('aws_vpc_peering_connection');
    assert.equal(peering.vpc_id, 'vpc-0123456789abcdef0');
    const vpc = Object.values(template.dataSources('aws_vpc'));
    assert.deepEqual(
      vpc.map((v) => v.id),
      ['vpc-0123456789abcdef0'],
    );
    const routes = peeringRoutes(template);
    assert.deepEqual(
      routes.filter((r) => r.destination === '10.0.0.0/16').map((r) => r.table),
      ['rtb-0aaaaaaaaaaaaaaaa', 'rtb-0bbbbbbbbbbbbbbbb'],
    );
    for (const route of routes.filter((r) => r.destination !== '10.0.0.0/16')) {
      assert.match(route.destination, /^\$\{data\.aws_vpc\.existing-vpc\.cidr_block\}$/);
    }
  });

  it('does not peer without route tables, and opens 443 to the management VPC CIDR instead', () => {
    const template = clusterStack({ name: 'legacy', existingVpc: existing });
    assert.equal(template.resourceCount('aws_vpc_peering_connection'), 0);
    const rules = template.find('aws_vpc_security_group_ingress_rule', {
      description: 'Kubernetes API from the in-VPC deployer of the management VPC',
    });
    assert.deepEqual(
      rules.map((r) => [r.from_port, r.cidr_ipv4, r.depends_on]),
      [[443, '10.0.0.0/16', undefined]],
    );
    assert.equal(template.resourceCount('aws_eks_access_entry'), 1);
  });
});

describe('downstream cluster without the deployer', () => {
  it('has no peering, access entry or deployer rule', () => {
    const template = clusterStack({ name: 'apps' }, { deployer: { enabled: false } });
    assert.equal(template.resourceCount('aws_vpc_peering_connection'), 0);
    assert.equal(template.resourceCount('aws_eks_access_entry'), 0);
    assert.deepEqual(
      template
        .resourceList('aws_vpc_security_group_ingress_rule')
        .filter((r) => String(r.description).includes('deployer')),
      [],
    );
  });
});
