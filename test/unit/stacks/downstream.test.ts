import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Deployment as DeploymentModel } from 'kubernetes-models/apps/v1/Deployment';
import { ClusterRole as ClusterRoleModel } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding as ClusterRoleBindingModel } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { Secret as SecretModel } from 'kubernetes-models/v1/Secret';
import { Service as ServiceModel } from 'kubernetes-models/v1/Service';
import { ServiceAccount as ServiceAccountModel } from 'kubernetes-models/v1/ServiceAccount';
import { parse } from 'yaml';
import * as path from 'node:path';
import { EKS_TOKEN_SCRIPT } from '../../../lib/cluster/eks-exec';
import { planDownstreamCluster } from '../../../lib/environments/downstream-plan';
import { buildEnvironment, EnvironmentStacks } from '../../../stacks';
import { DownstreamAgentStack } from '../../../stacks/downstream-agent-stack';
import { environment, Json, Template, testApp } from '../../helpers/template';

// Rancher's naming scheme (cattle-credentials- + the first 10 hex of sha256 of `URL.token.`, as
// test/unit/agent/credentials.test.ts pins it), seeded with `<env>/<cluster>` instead of the
// token: sha256('https://rancher.test.internal.prod/apps.') computed apart from the code.
const SECRET_NAME = 'cattle-credentials-a98eb354e4';
const TWO_CLUSTERS = { name: 'prod', downstream: [{ name: 'apps' }, { name: 'data' }] };
const TOKEN_SCRIPT = path.resolve(__dirname, '..', '..', '..', 'scripts', 'eks-token.mjs');

function build(overrides: Json = TWO_CLUSTERS): EnvironmentStacks {
  return buildEnvironment(testApp(), environment(overrides));
}

interface AgentObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly [field: string]: unknown;
}

function agentValues(template: Template): Record<string, AgentObject> {
  const release = template.single('helm_release');
  return (parse((release.values as string[])[0]) as { objects: Record<string, AgentObject> })
    .objects;
}

function agentEnv(objects: Record<string, AgentObject>): Record<string, string> {
  const deployment = objects['deployment_cattle-system_cattle-cluster-agent'] as unknown as {
    spec: {
      template: {
        spec: { containers: { image: string; env: { name: string; value: string }[] }[] };
      };
    };
  };
  const container = deployment.spec.template.spec.containers[0];
  return {
    IMAGE: container.image,
    ...Object.fromEntries(container.env.map((e) => [e.name, e.value])),
  };
}

const VALIDATORS: Record<string, (data: unknown) => void> = {
  'apps/v1/Deployment': (d) => new DeploymentModel(d as DeploymentModel).validate(),
  'rbac.authorization.k8s.io/v1/ClusterRole': (d) =>
    new ClusterRoleModel(d as ClusterRoleModel).validate(),
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': (d) =>
    new ClusterRoleBindingModel(d as ClusterRoleBindingModel).validate(),
  'v1/Secret': (d) => new SecretModel(d as SecretModel).validate(),
  'v1/Service': (d) => new ServiceModel(d as ServiceModel).validate(),
  'v1/ServiceAccount': (d) => new ServiceAccountModel(d as ServiceAccountModel).validate(),
};

describe('downstream stacks: names and dependencies', () => {
  const stacks = build();

  it('adds <env>-<d>-cluster and <env>-<d>-agent per downstream cluster', () => {
    assert.deepEqual(
      stacks.downstream.map((d) => [d.cluster.node.id, d.agent.node.id]),
      [
        ['prod-apps-cluster', 'prod-apps-agent'],
        ['prod-data-cluster', 'prod-data-agent'],
      ],
    );
  });

  it('makes each agent stack depend on the rancher stack and its own cluster stack', () => {
    for (const { cluster, agent } of stacks.downstream) {
      const ids = agent.dependencies.map((s) => s.node.id);
      assert.ok(ids.includes('prod-rancher'), `${agent.node.id} depends on ${ids.join(', ')}`);
      assert.ok(ids.includes(cluster.node.id), `${agent.node.id} depends on ${ids.join(', ')}`);
      assert.ok(!ids.some((id) => id.endsWith('-cluster') && id !== cluster.node.id));
    }
  });

  it('makes a cluster stack depend on the management stack only when it reads from it', () => {
    for (const { cluster } of stacks.downstream) {
      assert.deepEqual(
        cluster.dependencies.map((s) => s.node.id),
        ['prod-management'],
      );
    }
    const publicZone = {
      ...TWO_CLUSTERS,
      dns: { hostname: 'rancher.example.com', hostedZoneId: 'Z0123456789ABC' },
    };
    // The deployer's role, security group and VPC come from the management stack.
    assert.deepEqual(
      build(publicZone).downstream[0].cluster.dependencies.map((s) => s.node.id),
      ['prod-management'],
    );
    const noDeployer = build({ ...publicZone, deployer: { enabled: false } });
    assert.deepEqual(noDeployer.downstream[0].cluster.dependencies, []);
    assert.equal(
      Template.fromStack(noDeployer.downstream[0].cluster).resourceCount(
        'aws_route53_zone_association',
      ),
      0,
    );
  });

  // The agent dials Rancher's internet-facing NLB from its VPC's NAT gateway: with a restricted
  // allow-list, the cluster stack lets that address in on every listener, in its own state.
  it('lets each own-VPC cluster in to Rancher through a restricted allow-list', () => {
    const restricted = build({ ...TWO_CLUSTERS, ingress: { allowedCidrs: ['203.0.113.0/24'] } });
    const template = Template.fromStack(restricted.downstream[0].cluster);
    const rules = template
      .resourceList('aws_vpc_security_group_ingress_rule')
      .filter((rule) => String(rule.description).startsWith('Rancher '));
    assert.deepEqual(
      rules
        .map((rule) => [rule.from_port, String(rule.cidr_ipv4).replace(/_[0-9A-F]{8}\./, '.')])
        .sort(),
      [
        [443, '${aws_eip.network_nat-0-ip.public_ip}/32'],
        [443, '${aws_eip.network_nat-1-ip.public_ip}/32'],
        [443, '${aws_eip.network_nat-2-ip.public_ip}/32'],
        [80, '${aws_eip.network_nat-0-ip.public_ip}/32'],
        [80, '${aws_eip.network_nat-1-ip.public_ip}/32'],
        [80, '${aws_eip.network_nat-2-ip.public_ip}/32'],
      ],
    );
    for (const rule of rules) {
      assert.match(
        String(rule.security_group_id),
        /terraform_remote_state\.cross-stack-reference-input-prod-management/,
      );
    }
    // Open to everyone (the default): nothing to add, and a public zone leaves no reference
    // (without the deployer, whose access is the other reason to depend on the management stack).
    const open = build({
      ...TWO_CLUSTERS,
      dns: { hostname: 'rancher.example.com', hostedZoneId: 'Z0123456789ABC' },
      deployer: { enabled: false },
    });
    assert.deepEqual(
      Template.fromStack(open.downstream[0].cluster)
        .resourceList('aws_vpc_security_group_ingress_rule')
        .filter((rule) => String(rule.description).startsWith('Rancher ')),
      [],
    );
    assert.deepEqual(open.downstream[0].cluster.dependencies, []);
    const publicRestricted = build({
      ...TWO_CLUSTERS,
      ingress: { allowedCidrs: ['203.0.113.0/24'] },
      dns: { hostname: 'rancher.example.com', hostedZoneId: 'Z0123456789ABC' },
    });
    assert.deepEqual(
      publicRestricted.downstream[0].cluster.dependencies.map((s) => s.node.id),
      ['prod-management'],
    );
  });

  it('builds no downstream stacks without downstream clusters', () => {
    assert.deepEqual(build({}).downstream, []);
  });
});

describe('downstream cluster stack (EKS)', () => {
  const stacks = build();
  const template = Template.fromStack(stacks.downstream[1].cluster);

  it('is aws only', () => {
    assert.deepEqual(Object.keys(template.json.provider as Json), ['aws']);
  });

  it('creates a private-endpoint EKS cluster named <env>-<d> in its own VPC', () => {
    template.hasResourceWithProperties('aws_eks_cluster', {
      name: 'prod-data',
      version: '1.36',
      vpc_config: { endpoint_private_access: true, endpoint_public_access: false },
    });
    template.hasResourceWithProperties('aws_vpc', { cidr_block: '10.102.0.0/16' });
    template.hasResourceWithProperties('aws_eks_node_group', {
      scaling_config: { desired_size: 3 },
    });
  });

  it("associates Rancher's private zone with its VPC so the agent resolves Rancher", () => {
    const association = template.single('aws_route53_zone_association');
    assert.match(
      String(association.zone_id),
      /terraform_remote_state\.cross-stack-reference-input-prod-management/,
    );
    assert.match(String(association.vpc_id), /^\$\{aws_vpc\.network_vpc_/);
  });

  it('outputs the cluster name and endpoint', () => {
    assert.equal(template.output('cluster_name').value, 'prod-data');
    assert.equal(
      template.output('cluster_endpoint').value,
      '${aws_eks_cluster.eks_cluster_55B0C966.endpoint}',
    );
    assert.match(String(template.output('kubeconfig_command').value), /--name prod-data /);
  });

  it('joins an existing VPC without creating a network or a zone association', () => {
    const existing = build({
      downstream: [
        {
          name: 'old',
          existingVpc: { vpcId: 'vpc-0abc', privateSubnetIds: ['subnet-01', 'subnet-02'] },
        },
      ],
    });
    const t = Template.fromStack(existing.downstream[0].cluster);
    assert.equal(t.resourceCount('aws_vpc'), 0);
    assert.equal(t.resourceCount('aws_route53_zone_association'), 0);
    t.hasResourceWithProperties('aws_eks_cluster', {
      vpc_config: { subnet_ids: ['subnet-01', 'subnet-02'] },
    });
    t.hasResourceWithProperties('aws_security_group', { vpc_id: 'vpc-0abc' });
  });
});

describe('downstream cluster stack (RKE2)', () => {
  const stacks = build({ ...TWO_CLUSTERS, downstream: [{ name: 'edge', distribution: 'rke2' }] });
  const template = Template.fromStack(stacks.downstream[0].cluster);

  it('builds RKE2 servers from the management constructs, with an internal ingress only', () => {
    assert.equal(template.resourceCount('aws_eks_cluster'), 0);
    assert.ok(template.resourceCount('aws_autoscaling_group') >= 1);
    const balancers = template.resourceList('aws_lb');
    assert.ok(balancers.length >= 1);
    for (const balancer of balancers) assert.equal(balancer.internal, true, String(balancer.name));
    template.hasResourceWithProperties('aws_secretsmanager_secret', {
      name: 'prod/edge/rke2/kubeconfig',
    });
  });

  it('waits for the kubeconfig so the agent stack can plan', () => {
    assert.equal(template.resourceCount('terraform_data'), 1);
  });

  it('tells Rancher not to upgrade what the launch templates pin (annotation on the registration)', () => {
    // Rancher v2.15.0 importedclusterversionmanagement.Enabled: "false" turns version management
    // off for this imported RKE2 cluster whatever the global setting (default "true") says.
    const agent = Template.fromStack(stacks.downstream[0].agent);
    const manifest = agent.single('kubernetes_manifest').manifest as {
      metadata: { annotations: Json };
    };
    assert.equal(
      manifest.metadata.annotations['rancher.io/imported-cluster-version-management'],
      'false',
    );
    assert.equal(manifest.metadata.annotations['field.cattle.io/no-creator-rbac'], 'true');
  });

  it('gives the agent stack the published kubeconfig as its way into the cluster', () => {
    const agent = Template.fromStack(stacks.downstream[0].agent);
    const helm = (agent.json.provider as Record<string, Json[]>).helm[0].kubernetes as Json;
    assert.match(
      String(helm.host),
      /yamldecode\(ephemeral\.aws_secretsmanager_secret_version\.downstream_kubeconfig\.secret_string\)/,
    );
  });

  it('refuses an existing VPC with a message naming the entry', () => {
    assert.throws(
      () =>
        build({
          downstream: [
            {
              name: 'edge',
              distribution: 'rke2',
              existingVpc: { vpcId: 'vpc-0abc', privateSubnetIds: ['subnet-01', 'subnet-02'] },
            },
          ],
        }),
      /downstream\[0\] "edge": an rke2 cluster needs its own VPC/,
    );
  });
});

describe('downstream agent stack: registration in Rancher', () => {
  const stacks = build();
  const template = Template.fromStack(stacks.downstream[0].agent);
  const manifest = template.single('kubernetes_manifest');

  it('uses kubernetes on the management cluster and helm on the downstream cluster', () => {
    const providers = template.json.provider as Record<string, Json[]>;
    assert.deepEqual(Object.keys(providers).sort(), ['aws', 'helm', 'kubernetes']);
    assert.match(
      String(providers.kubernetes[0].host),
      /cross-stack-reference-input-prod-management\./,
    );
    // kubernetes provider v2.38.0 (kubernetes/provider.go): `exec` is a block of one.
    const managementExec = providers.kubernetes[0].exec as Json[];
    assert.equal(managementExec.length, 1);
    assert.equal(managementExec[0].api_version, 'client.authentication.k8s.io/v1beta1');
    assert.equal(managementExec[0].command, 'node');
    const managementArgs = managementExec[0].args as string[];
    assert.equal(managementArgs[0], TOKEN_SCRIPT);
    assert.match(
      managementArgs[2],
      /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-prod-management\.outputs\.\S+name\}$/,
    );
    // target local: the emulator's key pair, never the operator's profile or session.
    const emulatorEnv = {
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_SESSION_TOKEN: '',
      AWS_PROFILE: '',
    };
    assert.deepEqual(managementExec[0].env, emulatorEnv);
    assert.equal(providers.kubernetes[0].token, undefined);
    const helmAccess = providers.helm[0].kubernetes as Json;
    assert.match(String(helmAccess.host), /cross-stack-reference-input-prod-apps-cluster\./);
    const downstreamExec = helmAccess.exec as Json;
    assert.equal(downstreamExec.api_version, 'client.authentication.k8s.io/v1beta1');
    assert.equal(downstreamExec.command, 'node');
    const downstreamArgs = downstreamExec.args as string[];
    assert.deepEqual(
      [downstreamArgs[0], downstreamArgs[1], ...downstreamArgs.slice(3)],
      [TOKEN_SCRIPT, '--cluster-name', '--region', 'us-east-1'],
    );
    assert.match(
      downstreamArgs[2],
      /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-prod-apps-cluster\.outputs\.\S+name\}$/,
    );
    assert.deepEqual(downstreamExec.env, emulatorEnv);
    assert.equal(helmAccess.token, undefined);
    assert.doesNotMatch(JSON.stringify(template.json), /aws_eks_cluster_auth/);
  });

  it('creates an imported provisioning.cattle.io/v1 Cluster in fleet-default', () => {
    assert.equal(manifest.provider, 'kubernetes');
    assert.deepEqual(manifest.manifest, {
      apiVersion: 'provisioning.cattle.io/v1',
      kind: 'Cluster',
      metadata: {
        name: 'prod-apps',
        namespace: 'fleet-default',
        labels: { 'rancher-on-aws/environment': 'prod' },
        annotations: {
          'field.cattle.io/description': 'Downstream cluster apps of environment prod',
          // Rancher v2.15.0 project_cluster/cluster_handler.go: present = no owner binding for
          // the creator, which is Terraform's Kubernetes identity, not a Rancher user.
          'field.cattle.io/no-creator-rbac': 'true',
        },
      },
      spec: {},
    });
  });

  it("leaves an EKS cluster's version annotation out (Rancher reads it on RKE2/K3s imports only)", () => {
    // Rancher v2.15.0 importedclusterversionmanagement: recognized on imported RKE2/K3s only.
    const annotations = (manifest.manifest as { metadata: { annotations: Json } }).metadata
      .annotations;
    assert.equal(annotations['rancher.io/imported-cluster-version-management'], undefined);
  });

  it("waits for Rancher's cluster id and leaves Rancher's metadata additions alone", () => {
    assert.deepEqual(manifest.wait, { fields: { 'status.clusterName': '^c-m-[a-z0-9]+$' } });
    assert.deepEqual(manifest.computed_fields, [
      'metadata.annotations',
      'metadata.labels',
      'metadata.finalizers',
    ]);
  });

  it('reads the cluster id back after the object exists', () => {
    const [registered] = Object.values(template.dataSources('kubernetes_resource')).filter(
      (d) => d.kind === 'Cluster',
    );
    assert.deepEqual(registered.metadata, { name: 'prod-apps', namespace: 'fleet-default' });
    assert.equal(registered.api_version, 'provisioning.cattle.io/v1');
    assert.deepEqual(registered.depends_on, ['kubernetes_manifest.registration_cluster_E3394E26']);
  });

  it('waits, bounded, for Rancher to write the token Secret before reading it', () => {
    // Rancher v2.15.0 provisioningv2/cluster controller.go createToken makes default-token only
    // once the management cluster exists; clusterregistrationtoken createNewCRT writes its Secret.
    const [id, wait] = Object.entries(template.resources('terraform_data')).find(([key]) =>
      key.startsWith('registration_token-wait'),
    )!;
    const namespace =
      '${data.kubernetes_resource.registration_registered_839A31E9.object.status.clusterName}';
    assert.deepEqual(wait.triggers_replace, {
      namespace,
      name: 'crt-token-default-token',
      key: 'token',
    });
    assert.deepEqual(wait.depends_on, [
      'data.kubernetes_resource.registration_registered_839A31E9',
    ]);
    const exec = (wait.provisioner as Json[])[0]['local-exec'] as Json;
    assert.match(
      String(exec.command),
      new RegExp(
        `^node '[^']*/scripts/wait-for-kubernetes-secret\\.mjs' --namespace '\\$\\{data\\.kubernetes_resource\\.registration_registered_839A31E9\\.object\\.status\\.clusterName\\}' --name 'crt-token-default-token' --key 'token' --timeout 300 --interval 5$`,
      ),
    );
    // The script reaches the management API as the kubernetes provider does: same host and CA,
    // and for EKS the same token command with its environment (no credential in state).
    const env = exec.environment as Record<string, string>;
    const provider = (template.json.provider as Record<string, Json[]>).kubernetes[0];
    const plugin = (provider.exec as Json[])[0];
    assert.equal(env.KUBE_HOST, provider.host);
    assert.equal(env.KUBE_CA_CERT, provider.cluster_ca_certificate);
    assert.equal(env.KUBE_EXEC_COMMAND, plugin.command);
    assert.equal(
      env.KUBE_EXEC_ARGS,
      `\${jsonencode(["${EKS_TOKEN_SCRIPT}", "--cluster-name", data.terraform_remote_state.cross-stack-reference-input-prod-management.outputs.cross-stack-output-aws_eks_clustereks_cluster_55B0C966name, "--region", "us-east-1"])}`,
    );
    assert.deepEqual(plugin.args, [
      EKS_TOKEN_SCRIPT,
      '--cluster-name',
      '${data.terraform_remote_state.cross-stack-reference-input-prod-management.outputs.cross-stack-output-aws_eks_clustereks_cluster_55B0C966name}',
      '--region',
      'us-east-1',
    ]);
    for (const [name, value] of Object.entries(plugin.env as Record<string, string>)) {
      assert.equal(env[name], value, name);
    }
    assert.equal(env.KUBE_TOKEN, undefined);
    const [, secret] = Object.entries(template.dataSources('kubernetes_secret_v1'))[0];
    assert.deepEqual(secret.depends_on, [`terraform_data.${id}`]);
  });

  it('reads the token from Secret crt-token-default-token in the namespace of the cluster id, and insists on one', () => {
    const [id, secret] = Object.entries(template.dataSources('kubernetes_secret_v1'))[0];
    assert.deepEqual(secret.metadata, {
      name: 'crt-token-default-token',
      namespace:
        '${data.kubernetes_resource.registration_registered_839A31E9.object.status.clusterName}',
    });
    const lifecycle = secret.lifecycle as { postcondition: Json[] };
    assert.equal(
      lifecycle.postcondition[0].condition,
      '${length(lookup(self.data, "token", "")) > 0}',
    );
    assert.match(
      String(lifecycle.postcondition[0].error_message),
      /registration token .* is empty/,
    );
    assert.equal(id, 'registration_token_23E8B51D');
  });

  it("reads Rancher's cacerts setting for the CA checksum under strict agent TLS", () => {
    const cacerts = Object.values(template.dataSources('kubernetes_resource')).find(
      (d) => d.kind === 'Setting',
    );
    assert.ok(cacerts, 'no cacerts data source');
    assert.deepEqual(cacerts.metadata, { name: 'cacerts' });
    assert.equal(cacerts.api_version, 'management.cattle.io/v3');
    const locals = template.json.locals as Record<string, string>;
    const checksum = locals['registration_ca-checksum_20BE9FDF'];
    assert.match(checksum, /sha256\(endswith\(/);
    assert.match(
      checksum,
      /data\.kubernetes_resource\.registration_cacerts_33EE80B1\.object\.value/,
    );
    assert.equal(
      agentEnv(agentValues(template)).CATTLE_CA_CHECKSUM,
      '${local.registration_ca-checksum_20BE9FDF}',
    );
    assert.equal(agentEnv(agentValues(template)).STRICT_VERIFY, 'true');
  });

  it('outputs the Rancher cluster id and the URL of its page', () => {
    const id =
      '${data.kubernetes_resource.registration_registered_839A31E9.object.status.clusterName}';
    assert.equal(template.output('rancher_cluster_id').value, id);
    assert.equal(
      template.output('rancher_cluster_url').value,
      `https://rancher.test.internal/dashboard/c/${id}/explorer`,
    );
  });
});

describe('downstream agent stack: agent release', () => {
  const stacks = build();
  const template = Template.fromStack(stacks.downstream[0].agent);
  const release = template.single('helm_release');
  const objects = agentValues(template);

  it('installs the local manifests chart asset into cattle-system, created by Helm', () => {
    assert.equal(release.provider, 'helm');
    assert.equal(release.name, 'rancher-cluster-agent');
    assert.equal(release.namespace, 'cattle-system');
    assert.equal(release.create_namespace, true);
    assert.match(String(release.chart), /^assets\/agent_chart_[0-9A-F]+\/install-once$/);
    assert.equal(release.repository, undefined);
  });

  it('passes the token only as a write-only value, sent with the install', () => {
    const secretKey = Object.keys(objects).find((key) => key.startsWith('secret_'));
    assert.equal(secretKey, `secret_cattle-system_${SECRET_NAME}`);
    assert.deepEqual(release.set_wo, [
      {
        name: `objects.${secretKey}.stringData.token`,
        type: 'string',
        value: '${data.kubernetes_secret_v1.registration_token_23E8B51D.data["token"]}',
      },
    ]);
    // helm provider v3.1.1 resource_helm_release.go Create: set_wo is merged when set_wo_revision > 0.
    assert.equal(release.set_wo_revision, 1);
    assert.equal((objects[secretKey!] as unknown as { stringData: Json }).stringData.token, '');
    assert.ok(
      !(release.values as string[])[0].includes('kubernetes_secret_v1'),
      'token reference in plain values',
    );
    assert.equal(release.set_sensitive, undefined);
  });

  it('is installed once and never upgraded: no plan can send Helm an upgrade with an empty token', () => {
    // helm provider v3.1.1 resource_helm_release.go Update: set_wo only when set_wo_revision grew.
    // Rancher v2.15.0 clusterdeploy.go redeployAgent: true until AgentDeployed, so Rancher's own
    // manifest replaces the agent once the cluster connects (and again on token hash changes).
    const [reinstall, trigger] = Object.entries(template.resources('terraform_data')).find(([id]) =>
      id.startsWith('agent_'),
    )!;
    assert.deepEqual(release.lifecycle, {
      ignore_changes: 'all',
      replace_triggered_by: [`\${terraform_data.${reinstall}}`],
    });
    assert.deepEqual(trigger.input, { revision: 1 });
    // The state's chart path must stay loadable when the chart's files change (plans load it).
    assert.equal(release.chart, 'assets/agent_chart_5DECBF89/install-once');
  });

  it('reinstalls (replace, never upgrade) when agentTokenRevision is raised, still sending the token', () => {
    const config = environment(TWO_CLUSTERS);
    const access = {
      kind: 'eks',
      clusterName: 'c',
      region: 'us-east-1',
      endpoint: 'https://c.example',
      certificateAuthorityData: 'Q0E=',
    } as const;
    const raised = Template.fromStack(
      new DownstreamAgentStack(testApp(), 'prod-apps-agent', {
        config,
        cluster: planDownstreamCluster(config, 0),
        inputs: { management: access, downstream: access },
        reinstallRevision: 3,
      }),
    );
    const raisedRelease = raised.single('helm_release');
    const [, trigger] = Object.entries(raised.resources('terraform_data')).find(([id]) =>
      id.startsWith('agent_'),
    )!;
    assert.deepEqual(trigger.input, { revision: 3 });
    assert.equal(raisedRelease.set_wo_revision, 1);
    assert.deepEqual(raisedRelease.set_wo, release.set_wo);
    assert.deepEqual(raisedRelease.lifecycle, release.lifecycle);
  });

  it('is removed before the registration on destroy (depends on it), planned only in the deployer', () => {
    const [registration, guard, ...rest] = release.depends_on as string[];
    assert.equal(registration, 'kubernetes_manifest.registration_cluster_E3394E26');
    // Private APIs by default: the release waits for the in-VPC guard's precondition.
    assert.match(guard, /^terraform_data\.in-vpc-guard_in-vpc_[0-9A-F]{8}$/);
    assert.deepEqual(rest, []);
  });

  it('runs the agent for the pinned Rancher version against the Rancher hostname', () => {
    const env = agentEnv(objects);
    assert.equal(env.IMAGE, 'rancher/rancher-agent:v2.15.0');
    assert.equal(env.CATTLE_SERVER, 'https://rancher.test.internal');
    assert.equal(env.CATTLE_SERVER_VERSION, 'v2.15.0');
    assert.equal(env.CATTLE_CREDENTIAL_NAME, SECRET_NAME);
  });

  it('ships every object of the import manifest but the namespace, each valid by the Kubernetes schemas', () => {
    assert.deepEqual(Object.keys(objects).sort(), [
      'clusterrole_cattle-admin',
      'clusterrole_proxy-clusterrole-kubeapiserver',
      'clusterrolebinding_cattle-admin-binding',
      'clusterrolebinding_proxy-role-binding-kubernetes-master',
      'deployment_cattle-system_cattle-cluster-agent',
      `secret_cattle-system_${SECRET_NAME}`,
      'service_cattle-system_cattle-cluster-agent',
      'serviceaccount_cattle-system_cattle',
    ]);
    for (const object of Object.values(objects)) {
      const validate = VALIDATORS[`${object.apiVersion}/${object.kind}`];
      assert.ok(validate, `no validator for ${object.apiVersion} ${object.kind}`);
      assert.doesNotThrow(() => validate(object), `${object.kind} ${object.metadata.name}`);
    }
  });

  it('keeps the same credentials Secret name for another synth (no token in it)', () => {
    const again = agentValues(Template.fromStack(build().downstream[0].agent));
    assert.deepEqual(Object.keys(again).sort(), Object.keys(objects).sort());
  });
});

describe('downstream agent stack under a public CA (system-store agent TLS)', () => {
  const stacks = build({
    ...TWO_CLUSTERS,
    dns: { hostname: 'rancher.example.com', hostedZoneId: 'Z0123456789ABC' },
    rancher: { tls: { mode: 'letsEncrypt', letsEncrypt: { email: 'ops@example.com' } } },
  });
  const template = Template.fromStack(stacks.downstream[0].agent);

  it('reads no cacerts setting and runs the agent with an empty checksum, not strict', () => {
    const kinds = Object.values(template.dataSources('kubernetes_resource')).map((d) => d.kind);
    assert.deepEqual(kinds, ['Cluster']);
    const env = agentEnv(agentValues(template));
    assert.equal(env.CATTLE_CA_CHECKSUM, '');
    assert.equal(env.STRICT_VERIFY, 'false');
    assert.equal(env.CATTLE_SERVER, 'https://rancher.example.com');
  });
});
