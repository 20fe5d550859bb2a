import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { buildEnvironment } from '../../../stacks';
import { checkChartValues, ChartName } from '../../helpers/chart-values';
import { verifyEksToken } from '../../helpers/eks-token';
import { environment, Json, Template, testApp } from '../../helpers/template';

const TOKEN_SCRIPT = path.resolve(__dirname, '..', '..', '..', 'scripts', 'eks-token.mjs');

interface Synth {
  readonly template: Template;
  readonly releases: Record<string, Json>;
}

/** Synthesizes the rancher stack of an environment; releases by Helm release name. */
function synthRancher(overrides: Json = {}): Synth {
  const stacks = buildEnvironment(testApp(), environment(overrides));
  const template = Template.fromStack(stacks.rancher);
  const releases: Record<string, Json> = {};
  for (const release of template.resourceList('helm_release'))
    releases[String(release.name)] = release;
  return { template, releases };
}

function values(release: Json): Record<string, unknown> {
  const documents = release.values as string[] | undefined;
  return documents ? (parse(documents[0]) as Record<string, unknown>) : {};
}

/** Logical ids of the helm releases a release depends on, resolved to release names. */
function dependencies(synth: Synth, name: string): string[] {
  const ids = Object.entries(synth.template.resources('helm_release'));
  const byId = new Map(ids.map(([id, r]) => [`helm_release.${id}`, String(r.name)]));
  // The in-VPC guard comes before every release (test/unit/deployer/guard.test.ts).
  return ((synth.releases[name].depends_on as string[] | undefined) ?? [])
    .filter((d) => !d.startsWith('terraform_data.in-vpc-guard_'))
    .map((d) => byId.get(d) ?? d)
    .sort();
}

const CHART_OF: Record<string, ChartName> = {
  rancher: 'rancher',
  'cert-manager': 'cert-manager',
  traefik: 'traefik',
  'aws-load-balancer-controller': 'aws-load-balancer-controller',
};

function assertValuesMatchCharts(synth: Synth): void {
  for (const [name, chart] of Object.entries(CHART_OF)) {
    const release = synth.releases[name];
    if (!release) continue;
    assert.deepEqual(checkChartValues(chart, values(release)), [], `${name} values`);
  }
}

describe('rancher stack, tls.mode rancher (default, EKS)', () => {
  const synth = synthRancher();

  it('installs the controller, Traefik, its namespace and bindings, cert-manager, Rancher and backups', () => {
    assert.deepEqual(Object.keys(synth.releases).sort(), [
      'aws-load-balancer-controller',
      'cert-manager',
      'load-balancer-service-policy',
      'rancher',
      'rancher-backup',
      'rancher-backup-crd',
      'rancher-backup-encryption',
      'rancher-backup-schedule',
      'rancher-namespace',
      'traefik',
      'traefik-namespace',
      'traefik-target-groups',
    ]);
  });

  it('orders the releases with explicit dependencies', () => {
    // Readiness gates are injected only into pods created while a binding selects their Service
    // (aws-load-balancer-controller v3.5.0 docs/deploy/pod_readiness_gate.md): the namespace and
    // the bindings exist before Traefik's pods.
    assert.deepEqual(dependencies(synth, 'traefik-target-groups'), [
      'aws-load-balancer-controller',
      'traefik-namespace',
    ]);
    assert.deepEqual(dependencies(synth, 'traefik'), [
      'traefik-namespace',
      'traefik-target-groups',
    ]);
    assert.deepEqual(dependencies(synth, 'traefik-namespace'), []);
    assert.deepEqual(dependencies(synth, 'rancher'), [
      'cert-manager',
      'rancher-namespace',
      'traefik',
    ]);
  });

  it('creates the Traefik namespace labelled for readiness gates, and Traefik does not create it', () => {
    const namespace = synth.releases['traefik-namespace'];
    assert.equal(namespace.namespace, 'kube-system');
    const objects = Object.values((values(namespace) as { objects: Record<string, Json> }).objects);
    // The label the controller's pod webhook selects namespaces by (chart 3.5.0 webhook.yaml).
    assert.deepEqual(objects, [
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: 'traefik',
          labels: { 'elbv2.k8s.aws/pod-readiness-gate-inject': 'enabled' },
        },
      },
    ]);
    assert.equal(synth.releases.traefik.namespace, 'traefik');
    assert.equal(synth.releases.traefik.create_namespace, false);
  });

  it('pins every chart and waits atomically with timeouts', () => {
    const expected: Record<string, [string, string]> = {
      rancher: ['https://releases.rancher.com/server-charts/latest', '2.15.0'],
      'cert-manager': ['https://charts.jetstack.io', 'v1.21.1'],
      traefik: ['https://traefik.github.io/charts', '41.3.0'],
    };
    for (const [name, [repository, version]] of Object.entries(expected)) {
      assert.equal(synth.releases[name].repository, repository);
      assert.equal(synth.releases[name].version, version);
    }
    for (const release of Object.values(synth.releases)) {
      assert.equal(release.wait, true);
      assert.equal(release.atomic, true);
      assert.ok(Number(release.timeout) >= 600);
    }
    assert.equal(synth.releases.rancher.timeout, 1200);
  });

  it('installs Rancher as release rancher in cattle-system with the config values', () => {
    const rancher = synth.releases.rancher;
    assert.equal(rancher.namespace, 'cattle-system');
    const v = values(rancher) as Json;
    assert.equal(v.hostname, 'rancher.test.internal');
    assert.equal(v.replicas, 3);
    assert.deepEqual((v.ingress as Json).tls, { source: 'rancher' });
    assert.equal((v.ingress as Json).ingressClassName, 'traefik');
    assert.equal(v.agentTLSMode, 'strict');
    assert.equal(v.bootstrapPassword, undefined);
  });

  it('passes the bootstrap password only as a write-only value read by an ephemeral resource', () => {
    const rancher = synth.releases.rancher;
    assert.deepEqual(rancher.set_wo, [
      {
        name: 'bootstrapPassword',
        type: 'string',
        value:
          '${ephemeral.aws_secretsmanager_secret_version.rancher-bootstrap-password.secret_string}',
      },
    ]);
    assert.equal(rancher.set_wo_revision, 1);
    assert.equal(rancher.set_sensitive, undefined);
    const ephemeral = synth.template.json.ephemeral as Record<string, Record<string, Json>>;
    assert.ok(ephemeral.aws_secretsmanager_secret_version['rancher-bootstrap-password']);
  });

  it('gets the endpoint and CA from the management stack and tokens from the project command', () => {
    const helm = (synth.template.json.provider as Record<string, Json[]>).helm[0]
      .kubernetes as Json;
    assert.match(
      String(helm.host),
      /terraform_remote_state\.cross-stack-reference-input-test-management/,
    );
    assert.match(
      String(helm.cluster_ca_certificate),
      /^\$\{base64decode\(data\.terraform_remote_state/,
    );
    // helm provider v3.1.1 (helm/provider.go execSchema): api_version, command, args, env.
    const exec = helm.exec as Json;
    assert.equal(exec.api_version, 'client.authentication.k8s.io/v1beta1');
    assert.equal(exec.command, 'node');
    const args = exec.args as string[];
    assert.equal(args[0], TOKEN_SCRIPT);
    assert.equal(args[1], '--cluster-name');
    assert.match(
      args[2],
      /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-test-management\.outputs\.cross-stack-output-aws_eks_cluster\w+name\}$/,
    );
    assert.deepEqual(args.slice(3), ['--region', 'us-east-1']);
    // target local: the emulator's fake key pair, and no inherited profile or session token.
    assert.deepEqual(exec.env, {
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_SESSION_TOKEN: '',
      AWS_PROFILE: '',
    });
    assert.equal(helm.token, undefined);
  });

  it('reads no EKS token through Terraform (one token would expire during a long apply)', () => {
    const text = JSON.stringify(synth.template.json);
    assert.doesNotMatch(text, /aws_eks_cluster_auth/);
  });

  it('runs the synthesized token command as client-go would, from another directory', () => {
    const exec = (
      (synth.template.json.provider as Record<string, Json[]>).helm[0].kubernetes as Json
    ).exec as { command: string; args: string[]; env: Record<string, string> };
    const args = exec.args.map((arg) => (arg.startsWith('${') ? 'test-management' : arg));
    const result = spawnSync(exec.command, args, {
      cwd: tmpdir(),
      encoding: 'utf8',
      timeout: 30_000,
      // Terraform's own environment with real-looking credentials, then the plugin's env.
      env: {
        PATH: process.env.PATH ?? '',
        HOME: tmpdir(),
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_PROFILE: 'operator',
        AWS_SESSION_TOKEN: 'operator-session-token',
        ...exec.env,
      },
    });
    assert.equal(result.status, 0, result.stderr);
    const token = (JSON.parse(result.stdout) as { status: { token: string } }).status.token;
    verifyEksToken(token, {
      clusterName: 'test-management',
      host: 'sts.us-east-1.amazonaws.com',
      region: 'us-east-1',
      accessKeyId: 'testing',
      secretAccessKey: 'testing',
    });
  });

  it('binds the Terraform-owned target groups to Traefik service ports', () => {
    const objects = (
      values(synth.releases['traefik-target-groups']) as { objects: Record<string, Json> }
    ).objects;
    const bindings = Object.values(objects);
    assert.deepEqual(
      bindings.map((b) => [
        b.kind,
        (b.metadata as Json).name,
        ((b.spec as Json).serviceRef as Json).port,
      ]),
      [
        ['TargetGroupBinding', 'traefik-http', 80],
        ['TargetGroupBinding', 'traefik-https', 443],
      ],
    );
    assert.match(String((bindings[0].spec as Json).targetGroupARN), /terraform_remote_state/);
  });

  it('sets only value paths and values the pinned charts accept', () => {
    assertValuesMatchCharts(synth);
  });
});

describe('rancher stack, no LoadBalancer Services', () => {
  function policyObjects(release: Json): Json[] {
    return Object.values((values(release) as { objects: Record<string, Json> }).objects);
  }

  it('installs the admission policy and its binding on EKS, with no namespace allowed', () => {
    const synth = synthRancher();
    const release = synth.releases['load-balancer-service-policy'];
    assert.equal(release.namespace, 'kube-system');
    assert.deepEqual(
      policyObjects(release).map((o) => [o.kind, (o.metadata as Json).name]),
      [
        ['ValidatingAdmissionPolicy', 'rancher-aws-no-load-balancer-services'],
        ['ValidatingAdmissionPolicyBinding', 'rancher-aws-no-load-balancer-services'],
      ],
    );
    const binding = policyObjects(release)[1];
    assert.equal((binding.spec as Json).matchResources, undefined);
  });

  it('installs it on RKE2 too, leaving out the namespaces the config allows', () => {
    const synth = synthRancher({
      management: {
        distribution: 'rke2',
        rke2: {},
        allowLoadBalancerServicesIn: ['metallb-system'],
      },
      ingress: { allowedCidrs: ['203.0.113.0/24'] },
    });
    assert.equal(synth.releases['aws-load-balancer-controller'], undefined);
    const binding = policyObjects(synth.releases['load-balancer-service-policy'])[1];
    assert.deepEqual((binding.spec as Json).matchResources, {
      namespaceSelector: {
        matchExpressions: [
          { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['metallb-system'] },
        ],
      },
    });
  });
});

describe('rancher stack, tls.mode letsEncrypt', () => {
  it('HTTP-01 through the chart issuer on a public zone, system-store agents', () => {
    const synth = synthRancher({
      dns: { hostname: 'rancher.example.com', hostedZoneId: 'Z0123456789ABC' },
      rancher: {
        tls: {
          mode: 'letsEncrypt',
          letsEncrypt: { email: 'ops@example.com', environment: 'staging' },
        },
      },
    });
    const v = values(synth.releases.rancher) as Json;
    assert.deepEqual((v.ingress as Json).tls, { source: 'letsEncrypt' });
    assert.deepEqual(v.letsEncrypt, {
      email: 'ops@example.com',
      environment: 'staging',
      ingress: { class: 'traefik' },
    });
    assert.equal(v.agentTLSMode, 'system-store');
    assert.ok(synth.releases['cert-manager']);
    assert.equal(synth.releases['rancher-certificate'], undefined);
    assertValuesMatchCharts(synth);
  });

  describe('DNS-01 (private zone)', () => {
    const synth = synthRancher({
      rancher: { tls: { mode: 'letsEncrypt', letsEncrypt: { email: 'ops@example.com' } } },
    });

    it('gives cert-manager the IRSA role and creates issuer and certificate before Rancher', () => {
      const cm = values(synth.releases['cert-manager']) as Json;
      assert.match(
        String(((cm.serviceAccount as Json).annotations as Json)['eks.amazonaws.com/role-arn']),
        /terraform_remote_state/,
      );
      assert.deepEqual(dependencies(synth, 'rancher-certificate'), [
        'cert-manager',
        'rancher-namespace',
      ]);
      assert.deepEqual(dependencies(synth, 'rancher'), [
        'cert-manager',
        'rancher-certificate',
        'rancher-namespace',
        'traefik',
      ]);
      const objects = Object.values(
        (values(synth.releases['rancher-certificate']) as { objects: Record<string, Json> })
          .objects,
      );
      const issuer = objects.find((o) => o.kind === 'ClusterIssuer') as Json;
      const acme = (issuer.spec as Json).acme as Json;
      assert.equal(acme.server, 'https://acme-v02.api.letsencrypt.org/directory');
      assert.deepEqual(((acme.solvers as Json[])[0].dns01 as Json).route53, {
        region: 'us-east-1',
        hostedZoneID: ((acme.solvers as Json[])[0].dns01 as { route53: Json }).route53.hostedZoneID,
      });
      const certificate = objects.find((o) => o.kind === 'Certificate') as Json;
      assert.equal((certificate.spec as Json).secretName, 'tls-rancher-ingress');
    });

    it('serves the issued secret with system-store agents', () => {
      const v = values(synth.releases.rancher) as Json;
      assert.deepEqual((v.ingress as Json).tls, {
        source: 'secret',
        secretName: 'tls-rancher-ingress',
      });
      assert.equal(v.agentTLSMode, 'system-store');
      assertValuesMatchCharts(synth);
    });
  });
});

describe('rancher stack, tls.mode secret', () => {
  it('from files: no cert-manager, key only as a write-only value, private CA as tls-ca', () => {
    const synth = synthRancher({
      rancher: {
        tls: {
          mode: 'secret',
          secret: {
            certificateFile: 'certs/tls.crt',
            keyFile: 'certs/tls.key',
            caFile: 'certs/ca.pem',
            privateCA: true,
          },
        },
      },
    });
    assert.equal(synth.releases['cert-manager'], undefined);
    const secret = synth.releases['rancher-tls'];
    const writeOnly = secret.set_wo as { name: string; value: string }[];
    assert.deepEqual(
      writeOnly.map((w) => w.name),
      [
        'objects.secret_cattle-system_tls-rancher-ingress.stringData.tls\\.crt',
        'objects.secret_cattle-system_tls-rancher-ingress.stringData.tls\\.key',
        'objects.secret_cattle-system_tls-ca.stringData.cacerts\\.pem',
      ],
    );
    assert.match(writeOnly[1].value, /^\$\{file\(".*certs\/tls\.key"\)\}$/);
    assert.doesNotMatch(JSON.stringify(secret.values), /tls\.key"?:\s*"-----BEGIN/);
    const v = values(synth.releases.rancher) as Json;
    assert.equal(v.privateCA, true);
    assert.equal(v.agentTLSMode, 'strict');
    assert.deepEqual(dependencies(synth, 'rancher'), [
      'rancher-namespace',
      'rancher-tls',
      'traefik',
    ]);
    assert.deepEqual(dependencies(synth, 'rancher-tls'), ['rancher-namespace']);
    // terraform-provider-helm v3.1.1 resource_helm_release.go: set_wo values reach Helm on
    // create, and on update only when set_wo_revision grows.
    assert.equal(secret.set_wo_revision, 1);
    assertValuesMatchCharts(synth);
  });

  it('pushes a renewed certificate when rancher.tls.secret.revision grows', () => {
    const synth = synthRancher({
      rancher: {
        tls: {
          mode: 'secret',
          secret: { certificateFile: 'certs/tls.crt', keyFile: 'certs/tls.key', revision: 3 },
        },
      },
    });
    assert.equal(synth.releases['rancher-tls'].set_wo_revision, 3);
    assert.equal(synth.releases.rancher.set_wo_revision, 1, 'the bootstrap password is separate');
  });

  it('from Secrets Manager: every field through an ephemeral read', () => {
    const synth = synthRancher({
      rancher: {
        tls: {
          mode: 'secret',
          secret: {
            secretsManagerArn:
              'arn:aws:secretsmanager:us-east-1:123456789012:secret:rancher-tls-AbCdEf',
          },
        },
      },
    });
    const writeOnly = synth.releases['rancher-tls'].set_wo as { value: string }[];
    assert.equal(writeOnly.length, 2);
    assert.match(
      writeOnly[1].value,
      /jsondecode\(ephemeral\.aws_secretsmanager_secret_version\.own-certificate\.secret_string\)\.key/,
    );
    assert.equal((values(synth.releases.rancher) as Json).agentTLSMode, 'system-store');
  });
});

describe('rancher stack, tls.mode acm', () => {
  const synth = synthRancher({
    dns: { hostname: 'rancher.example.com', hostedZoneId: 'Z0123456789ABC' },
    rancher: { tls: { mode: 'acm' } },
  });

  it('ends TLS at the load balancer: tls external, no cert-manager, system-store agents', () => {
    assert.equal(synth.releases['cert-manager'], undefined);
    const v = values(synth.releases.rancher) as Json;
    assert.equal(v.tls, 'external');
    assert.equal(v.agentTLSMode, 'system-store');
    assertValuesMatchCharts(synth);
  });

  // dynamiclistener v0.9.0 redirect.go: Rancher redirects plain requests unless
  // X-Forwarded-Proto is https/wss; the TLS listener's traffic gets it on tls-offload only.
  it("binds the TLS listener's target group to Traefik's tls-offload port, HTTP to web", () => {
    const objects = Object.values(
      (values(synth.releases['traefik-target-groups']) as { objects: Record<string, Json> })
        .objects,
    );
    assert.deepEqual(
      objects.map((o) => [(o.metadata as Json).name, ((o.spec as Json).serviceRef as Json).port]),
      [
        ['traefik-http', 80],
        // aws-load-balancer-controller v2.6.1 webhooks/elbv2/targetgroupbinding_validator.go:
        // spec.targetGroupARN is immutable, so the binding of a new group has a new name.
        ['traefik-tls-offload', 8001],
      ],
    );
    const traefik = values(synth.releases.traefik) as Json;
    const offload = (traefik.ports as Record<string, Json>)['tls-offload'];
    assert.equal(offload.exposedPort, 8001);
    assert.deepEqual((offload.http as Json).middlewares, [
      'traefik-tls-offload-forwarded-https@kubernetescrd',
    ]);
    assert.equal((traefik.extraObjects as Json[])[0].kind, 'Middleware');
  });

  it("sets Rancher's server-url to https://<hostname>", () => {
    assert.deepEqual((values(synth.releases.rancher) as Json).extraEnv, [
      { name: 'CATTLE_SERVER_URL', value: 'https://rancher.example.com' },
    ]);
  });
});

describe('rancher stack, Helm release records', () => {
  const variants: Record<string, Json> = {
    rancher: {},
    'letsEncrypt DNS-01': {
      rancher: { tls: { mode: 'letsEncrypt', letsEncrypt: { email: 'ops@example.com' } } },
    },
    secret: {
      rancher: {
        tls: { mode: 'secret', secret: { certificateFile: 'a.crt', keyFile: 'a.key' } },
      },
    },
    'acm on RKE2': {
      dns: { hostname: 'rancher.example.com', hostedZoneId: 'Z0123456789ABC' },
      management: { distribution: 'rke2', rke2: {} },
      rancher: { tls: { mode: 'acm' } },
    },
  };
  // rancher v2.15.0 chart values postDelete.namespaceList and scripts/post-delete-hook.sh: the
  // hook (also run when an atomic first install fails) uninstalls every release in these.
  const cleanedByRancher = ['cattle-fleet-system', 'cattle-system', 'rancher-operator-system'];
  for (const [name, overrides] of Object.entries(variants)) {
    it(`${name}: only Rancher's own release is recorded where its post-delete hook uninstalls`, () => {
      const synth = synthRancher(overrides);
      const exposed = Object.values(synth.releases)
        .filter((r) => cleanedByRancher.includes(String(r.namespace)))
        .map((r) => r.name);
      assert.deepEqual(exposed, ['rancher']);
      for (const own of ['rancher-namespace', 'rancher-tls', 'rancher-certificate']) {
        if (synth.releases[own])
          assert.equal(synth.releases[own].namespace, 'rancher-aws-releases');
      }
    });
  }

  it('creates cattle-system before anything goes there, and keeps it when uninstalled', () => {
    const synth = synthRancher();
    const objects = Object.values(
      (values(synth.releases['rancher-namespace']) as { objects: Record<string, Json> }).objects,
    );
    assert.deepEqual(objects, [
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: 'cattle-system',
          // Helm: resources annotated helm.sh/resource-policy keep survive uninstall.
          annotations: { 'helm.sh/resource-policy': 'keep' },
        },
      },
    ]);
    assert.deepEqual(dependencies(synth, 'rancher-namespace'), []);
  });
});

describe('rancher stack, options', () => {
  it('takes replicas and extra values from config, checked against the chart', () => {
    const synth = synthRancher({
      rancher: { replicas: 2, extraValues: { auditLog: { level: 1 } } },
    });
    const v = values(synth.releases.rancher) as Json;
    assert.equal(v.replicas, 2);
    assert.deepEqual(v.auditLog, { level: 1 });
    assertValuesMatchCharts(synth);
  });

  it('catches an extra value the pinned Rancher chart does not have', () => {
    const synth = synthRancher({
      rancher: { extraValues: { ingress: { tlss: { source: 'rancher' } } } },
    });
    const problems = checkChartValues('rancher', values(synth.releases.rancher));
    assert.ok(
      problems.some((p) => p.includes('ingress.tlss')),
      problems.join('\n'),
    );
  });

  it('defaults replicas to the node count when it is below 3', () => {
    const synth = synthRancher({
      management: { eks: { nodeGroup: { minSize: 1, desiredSize: 2, maxSize: 3 } } },
    });
    assert.equal((values(synth.releases.rancher) as Json).replicas, 2);
  });
});

describe('rancher stack, EKS credentials on a real account', () => {
  it('runs the token command with the default credential chain of the region', () => {
    const synth = synthRancher({ target: 'aws', region: 'eu-west-1' });
    const exec = (
      (synth.template.json.provider as Record<string, Json[]>).helm[0].kubernetes as Json
    ).exec as Json;
    assert.deepEqual((exec.args as string[]).slice(3), ['--region', 'eu-west-1']);
    // No env: AWS_PROFILE, SSO and role chains reach the command from Terraform's environment.
    assert.equal(exec.env, undefined);
  });
});
