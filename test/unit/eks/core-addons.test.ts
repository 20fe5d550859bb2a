import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TerraformStack } from 'cdktf';
import { buildEnvironment } from '../../../stacks';
import { EksManagementCluster } from '../../../lib/eks/cluster';
import { EksCoreAddOns } from '../../../lib/eks/core-addons';
import { eksAddOnVersions } from '../../../lib/versions';
import { environment, Json, Template, testApp } from '../../helpers/template';

function addOnsByName(template: Template): Record<string, Json> {
  return Object.fromEntries(
    template.resourceList('aws_eks_addon').map((addOn) => [String(addOn.addon_name), addOn]),
  );
}

function versionsOf(addOns: Record<string, Json>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(addOns).map(([name, a]) => [name, a.addon_version]));
}

/** `type.logicalId` of the one resource of a type, as depends_on lists it. */
function address(template: Template, type: string): string {
  const ids = Object.keys(template.resources(type));
  assert.equal(ids.length, 1, `expected one ${type}`);
  return `${type}.${ids[0]}`;
}

describe('EKS core add-ons of the management cluster (Kubernetes 1.36)', () => {
  const stacks = buildEnvironment(testApp(), environment());
  const template = Template.fromStack(stacks.management);
  const addOns = addOnsByName(template);

  it('pins vpc-cni, coredns and kube-proxy to the versions AWS lists for 1.36', () => {
    // Amazon EKS User Guide, managing-kube-proxy / managing-coredns (1.36 rows) and
    // managing-vpc-cni (one version for every minor; see lib/versions.ts for the 1.36 caveat).
    assert.deepEqual(versionsOf(addOns), {
      'vpc-cni': 'v1.21.1-eksbuild.7',
      coredns: 'v1.14.3-eksbuild.3',
      'kube-proxy': 'v1.36.0-eksbuild.14',
    });
  });

  it('takes over the self-managed copies on create and keeps outside changes on update', () => {
    // resolve_conflicts_on_create OVERWRITE: EKS installs self-managed vpc-cni, coredns and
    // kube-proxy with every cluster; AWS's add-on update procedures pass PRESERVE.
    for (const addOn of Object.values(addOns)) {
      assert.equal(addOn.resolve_conflicts_on_create, 'OVERWRITE');
      assert.equal(addOn.resolve_conflicts_on_update, 'PRESERVE');
    }
  });

  it('follows the cluster resource, so a new Kubernetes minor updates them after the control plane', () => {
    const cluster = address(template, 'aws_eks_cluster');
    for (const addOn of Object.values(addOns)) {
      assert.equal(addOn.cluster_name, `\${${cluster}.name}`);
    }
  });

  it('installs vpc-cni before the nodes join, kube-proxy and coredns once they have', () => {
    const nodeGroup = template.single('aws_eks_node_group');
    const vpcCni = `aws_eks_addon.${Object.keys(template.resources('aws_eks_addon')).find((id) => id.includes('vpc-cni'))}`;
    assert.ok((nodeGroup.depends_on as string[]).includes(vpcCni));
    const nodes = address(template, 'aws_eks_node_group');
    // coredns runs as a Deployment: without nodes the add-on stays DEGRADED and the provider
    // waits for ACTIVE until it times out.
    assert.deepEqual(addOns.coredns.depends_on, [nodes]);
    assert.deepEqual(addOns['kube-proxy'].depends_on, [nodes]);
    assert.ok(!(addOns['vpc-cni'].depends_on as string[]).includes(nodes));
  });

  it('gives vpc-cni an IRSA role only kube-system:aws-node of this cluster can assume', () => {
    const roleId = String(addOns['vpc-cni'].service_account_role_arn).match(
      /^\$\{aws_iam_role\.([^.]+)\.arn\}$/,
    )?.[1];
    assert.ok(roleId, 'service_account_role_arn is not a role of the stack');
    const role = template.resources('aws_iam_role')[roleId];
    assert.equal(role.name, 'test-management-vpc-cni');
    const trustId = String(role.assume_role_policy).match(
      /data\.aws_iam_policy_document\.([^.]+)\.json/,
    )?.[1];
    const trust = template.dataSources('aws_iam_policy_document')[String(trustId)];
    const statement = (trust.statement as Json[])[0];
    assert.deepEqual(statement.actions, ['sts:AssumeRoleWithWebIdentity']);
    assert.match(
      String(((statement.principals as Json[])[0].identifiers as string[])[0]),
      /^\$\{aws_iam_openid_connect_provider\./,
    );
    const conditions = statement.condition as Json[];
    assert.deepEqual(
      conditions.map((c) => [
        c.test,
        String(c.variable).replace(/^.*issuer, "https:\/\/", ""\)\}/, '<issuer>'),
        c.values,
      ]),
      [
        ['StringEquals', '<issuer>:sub', ['system:serviceaccount:kube-system:aws-node']],
        ['StringEquals', '<issuer>:aud', ['sts.amazonaws.com']],
      ],
    );
    assert.match(
      String(conditions[0].variable),
      /aws_eks_cluster\.[^.]+\.identity\[0\]\.oidc\[0\]\.issuer/,
    );
  });

  it('attaches AmazonEKS_CNI_Policy to that role before the add-on runs, and not to the nodes', () => {
    const attachments = template.resourceList('aws_iam_role_policy_attachment');
    const cni = attachments.filter((a) =>
      String(a.policy_arn).endsWith(':policy/AmazonEKS_CNI_Policy'),
    );
    assert.equal(cni.length, 1);
    assert.equal(
      cni[0].role,
      String(addOns['vpc-cni'].service_account_role_arn).replace('.arn}', '.name}'),
    );
    const cniId = Object.entries(template.resources('aws_iam_role_policy_attachment')).find(
      ([, a]) => a === cni[0],
    )?.[0];
    assert.deepEqual(addOns['vpc-cni'].depends_on, [`aws_iam_role_policy_attachment.${cniId}`]);
  });
});

describe('EKS core add-ons of a downstream cluster (Kubernetes 1.35)', () => {
  it('pins the versions AWS lists for 1.35', () => {
    const stacks = buildEnvironment(
      testApp(),
      environment({ downstream: [{ name: 'apps', kubernetesVersion: '1.35' }] }),
    );
    const addOns = addOnsByName(Template.fromStack(stacks.downstream[0].cluster));
    assert.deepEqual(versionsOf(addOns), {
      'vpc-cni': 'v1.21.1-eksbuild.7',
      coredns: 'v1.14.3-eksbuild.3',
      'kube-proxy': 'v1.35.3-eksbuild.13',
    });
  });
});

describe('EksCoreAddOns', () => {
  function cluster(kubernetesVersion: string): EksManagementCluster {
    const stack = new TerraformStack(testApp(), 'test');
    return new EksManagementCluster(stack, 'eks', {
      clusterName: 'c',
      kubernetesVersion,
      vpcId: 'vpc-0123',
      subnetIds: ['subnet-0123'],
    });
  }

  it('refuses a Kubernetes minor without pinned versions, naming the ones there are', () => {
    assert.throws(
      () => eksAddOnVersions('1.34'),
      /kubernetesVersion 1\.34 has no pinned EKS add-on versions; expected one of 1\.35, 1\.36\./,
    );
    const eks = cluster('1.34');
    assert.throws(() => new EksCoreAddOns(eks, 'addons', { cluster: eks }), /1\.34 has no pinned/);
  });

  it('creates kube-proxy and coredns once', () => {
    const eks = cluster('1.36');
    const addOns = new EksCoreAddOns(eks, 'addons', { cluster: eks });
    addOns.afterNodes(eks.cluster);
    assert.throws(() => addOns.afterNodes(eks.cluster), /afterNodes of .* was already called/);
  });
});
