import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { buildEnvironment } from '../../../stacks';
import { checkChartValues, ChartName } from '../../helpers/chart-values';
import { environment, Json, Template, testApp } from '../../helpers/template';

const REGISTRY = 'registry.example.com:5000';
const CREDENTIALS =
  'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/registry-credentials-AbCdEf';
const PROXY_URL = 'http://proxy.example.internal:3128';
// Rancher's default list (chart v2.15.0 values.yaml), localhost, IMDS, the management VPC, the
// first downstream cluster's VPC (10.101.0.0/16, README: downstream VPCs from 10.101.0.0/16 up), RKE2's pod and service CIDRs,
// then the operator's own entry.
const NO_PROXY =
  '127.0.0.0/8,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,.svc,.cluster.local,localhost,0.0.0.0,cattle-system.svc,169.254.169.254,10.0.0.0/16,10.101.0.0/16,10.42.0.0/16,10.43.0.0/16,.corp.example';

const AIR_GAPPED = {
  name: 'prod',
  management: { distribution: 'rke2', rke2: {} },
  registry: { systemDefault: REGISTRY, credentialsSecretArn: CREDENTIALS },
  proxy: { url: PROXY_URL, noProxy: ['.corp.example'] },
  downstream: [{ name: 'apps', distribution: 'rke2' }],
};

function nodePolicies(template: Template): { Sid: string; Resource: unknown }[][] {
  return template
    .resourceList('aws_iam_role_policy')
    .map(
      (p) =>
        (JSON.parse(String(p.policy)) as { Statement: { Sid: string; Resource: unknown }[] })
          .Statement,
    )
    .filter((statements) => statements.some((s) => s.Sid === 'ReadJoinToken'));
}

function userDataTexts(template: Template): string[] {
  const locals = template.json.locals as Record<string, string>;
  return template.resourceList('aws_launch_template').map((lt) => {
    const local = /^\$\{base64gzip\(local\.([\w-]+)\)\}$/.exec(String(lt.user_data));
    assert.ok(local, String(lt.user_data));
    return locals[local[1]];
  });
}

function releaseValues(template: Template): Record<string, Record<string, unknown>> {
  const releases: Record<string, Record<string, unknown>> = {};
  for (const release of template.resourceList('helm_release')) {
    const documents = release.values as string[] | undefined;
    releases[String(release.name)] = documents
      ? (parse(documents[0]) as Record<string, unknown>)
      : {};
  }
  return releases;
}

describe('an RKE2 environment behind a proxy with a private registry', () => {
  const stacks = buildEnvironment(testApp(), environment(AIR_GAPPED));
  const management = Template.fromStack(stacks.management);
  const rancher = Template.fromStack(stacks.rancher);
  const [downstream] = stacks.downstream;
  const downstreamCluster = Template.fromStack(downstream.cluster);
  const agent = Template.fromStack(downstream.agent);

  it('lets every node role read the registry credentials, that secret only', () => {
    for (const template of [management, downstreamCluster]) {
      const policies = nodePolicies(template);
      assert.ok(policies.length >= 1);
      for (const statements of policies) {
        const read = statements.filter((s) => s.Sid === 'ReadRegistryCredentials');
        assert.deepEqual(read, [
          {
            Sid: 'ReadRegistryCredentials',
            Effect: 'Allow',
            Action: 'secretsmanager:GetSecretValue',
            Resource: CREDENTIALS,
          },
        ]);
      }
    }
  });

  it('gives every node the registry, the secret ARN and the proxy (never the credentials)', () => {
    for (const template of [management, downstreamCluster]) {
      const texts = userDataTexts(template);
      assert.ok(texts.length >= 1);
      for (const text of texts) {
        const config = (
          parse(text) as { write_files: { path: string; content: string }[] }
        ).write_files.find((f) => f.path === '/etc/rancher/rke2/config.yaml');
        assert.equal(
          (parse(config?.content ?? '') as Record<string, unknown>)['system-default-registry'],
          REGISTRY,
        );
        assert.ok(text.includes(`readonly REGISTRY_CREDENTIALS_SECRET_ARN='${CREDENTIALS}'`));
        assert.ok(text.includes(`readonly PROXY_URL='${PROXY_URL}'`));
        assert.ok(text.includes(`readonly NO_PROXY_LIST='${NO_PROXY}'`));
      }
    }
  });

  it("runs the deployer through the proxy, with the region's load balancers bypassing it", () => {
    const project = management.single('aws_codebuild_project');
    const variables = (project.environment as { environment_variable: Json[] })
      .environment_variable;
    const noProxy = `${NO_PROXY},.elb.us-east-1.amazonaws.com`;
    assert.deepEqual(variables, [
      { name: 'HTTP_PROXY', value: PROXY_URL, type: 'PLAINTEXT' },
      { name: 'HTTPS_PROXY', value: PROXY_URL, type: 'PLAINTEXT' },
      { name: 'NO_PROXY', value: noProxy, type: 'PLAINTEXT' },
      { name: 'http_proxy', value: PROXY_URL, type: 'PLAINTEXT' },
      { name: 'https_proxy', value: PROXY_URL, type: 'PLAINTEXT' },
      { name: 'no_proxy', value: noProxy, type: 'PLAINTEXT' },
    ]);
  });

  it('points Rancher, cert-manager and rancher-backup at the registry and the proxy, inside their charts', () => {
    const values = releaseValues(rancher);
    assert.equal(values.rancher.systemDefaultRegistry, REGISTRY);
    assert.equal(values.rancher.proxy, PROXY_URL);
    assert.equal(values.rancher.noProxy, NO_PROXY);
    assert.equal(values['cert-manager'].imageRegistry, REGISTRY);
    assert.deepEqual(values['rancher-backup'].global, {
      cattle: { systemDefaultRegistry: REGISTRY },
    });
    assert.equal(values['rancher-backup'].proxy, PROXY_URL);
    const charts: Record<string, ChartName> = {
      rancher: 'rancher',
      'cert-manager': 'cert-manager',
      'rancher-backup': 'rancher-backup',
    };
    for (const [release, chart] of Object.entries(charts)) {
      assert.deepEqual(checkChartValues(chart, values[release]), [], release);
    }
  });

  it('installs the agent from the registry behind the proxy, and asks Rancher to keep the proxy in its own agent', () => {
    const objects = (
      parse((agent.single('helm_release').values as string[])[0]) as {
        objects: Record<
          string,
          {
            spec: {
              template: {
                spec: { containers: { image: string; env: { name: string; value: string }[] }[] };
              };
            };
          }
        >;
      }
    ).objects;
    const container =
      objects['deployment_cattle-system_cattle-cluster-agent'].spec.template.spec.containers[0];
    assert.equal(container.image, `${REGISTRY}/rancher/rancher-agent:v2.15.0`);
    const env = Object.fromEntries(container.env.map((e) => [e.name, e.value]));
    assert.equal(env.CATTLE_SYSTEM_DEFAULT_REGISTRY, REGISTRY);
    assert.equal(env.HTTPS_PROXY, PROXY_URL);
    assert.equal(env.NO_PROXY, NO_PROXY);
    const cluster = agent.single('kubernetes_manifest').manifest as { spec: Json };
    assert.deepEqual(cluster.spec, {
      agentEnvVars: [
        { name: 'HTTP_PROXY', value: PROXY_URL },
        { name: 'HTTPS_PROXY', value: PROXY_URL },
        { name: 'NO_PROXY', value: NO_PROXY },
      ],
    });
  });
});

describe('an RKE2 environment behind a proxy with an internal ingress', () => {
  it("keeps agents off the proxy for Rancher's hostname (only the VPCs reach it)", () => {
    const stacks = buildEnvironment(
      testApp(),
      environment({
        ...AIR_GAPPED,
        ingress: { scheme: 'internal', allowedCidrs: ['10.0.0.0/8'] },
      }),
    );
    const values = releaseValues(Template.fromStack(stacks.rancher));
    assert.equal(
      values.rancher.noProxy,
      NO_PROXY.replace(',.corp.example', ',rancher.test.internal,.corp.example'),
    );
  });
});

describe('an EKS environment with a registry (no credentials, no proxy)', () => {
  const stacks = buildEnvironment(
    testApp(),
    environment({ registry: { systemDefault: REGISTRY } }),
  );
  const values = releaseValues(Template.fromStack(stacks.rancher));

  it('pulls Traefik and the Load Balancer Controller from the registry too', () => {
    assert.deepEqual(values.traefik.image, { registry: REGISTRY });
    assert.deepEqual(values['aws-load-balancer-controller'].image, {
      repository: `${REGISTRY}/eks/aws-load-balancer-controller`,
    });
    assert.deepEqual(checkChartValues('traefik', values.traefik), []);
    assert.deepEqual(
      checkChartValues('aws-load-balancer-controller', values['aws-load-balancer-controller']),
      [],
    );
    assert.equal('proxy' in values.rancher, false);
  });
});
