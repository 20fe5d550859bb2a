import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import {
  MANIFESTS_CHART_NAME,
  MANIFESTS_CHART_PATH,
  MANIFESTS_CHART_VERSION,
  manifestKey,
  manifestsChartStringDataPath,
  manifestsChartValuePath,
  manifestsChartValues,
} from '../../../lib/k8s/manifests-chart';
import { clusterAgentObjects } from '../../../lib/agent/objects';
import type { Deployment, Secret, UntypedKubernetesObject } from '../../../lib/k8s/types';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

function agentObjects() {
  return clusterAgentObjects({
    serverUrl: 'https://rancher.example.com',
    token: '',
    credentialSecretName: 'cattle-credentials-0123456789',
    caChecksum: '',
    rancherVersion: '2.15.0',
    strictVerify: false,
    includeNamespace: true,
  });
}

const ISSUER: UntypedKubernetesObject = {
  apiVersion: 'cert-manager.io/v1',
  kind: 'ClusterIssuer',
  metadata: { name: 'letsencrypt.production' },
  spec: { acme: { server: 'https://acme-v02.api.letsencrypt.org/directory', solvers: [] } },
};

describe('manifests chart files', () => {
  it('lives at charts/manifests of the repository', () => {
    assert.equal(MANIFESTS_CHART_PATH, path.join(REPO_ROOT, 'charts', 'manifests'));
    assert.ok(existsSync(path.join(MANIFESTS_CHART_PATH, 'Chart.yaml')));
  });

  it('has a v2 Chart.yaml named manifests at version 0.1.0', () => {
    const chart = YAML.parse(readFileSync(path.join(MANIFESTS_CHART_PATH, 'Chart.yaml'), 'utf8'));
    assert.equal(chart.apiVersion, 'v2');
    assert.equal(chart.name, MANIFESTS_CHART_NAME);
    assert.equal(chart.name, 'manifests');
    assert.equal(chart.version, MANIFESTS_CHART_VERSION);
    assert.equal(chart.version, '0.1.0');
  });

  it('has exactly one template: a range over .Values.objects printing each with toYaml', () => {
    const templates = readdirSync(path.join(MANIFESTS_CHART_PATH, 'templates'));
    assert.deepEqual(templates, ['objects.yaml']);
    const template = readFileSync(
      path.join(MANIFESTS_CHART_PATH, 'templates', 'objects.yaml'),
      'utf8',
    );
    assert.equal(template, '{{- range .Values.objects }}\n---\n{{ toYaml . }}\n{{- end }}\n');
  });

  it('defaults objects to an empty map, the shape manifestsChartValues builds', () => {
    const values = YAML.parse(readFileSync(path.join(MANIFESTS_CHART_PATH, 'values.yaml'), 'utf8'));
    assert.deepEqual(values, { objects: {} });
  });
});

describe('manifestKey', () => {
  it('joins kind, namespace and name with "_", lowercase, dots as "-"', () => {
    assert.equal(
      manifestKey({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'a.b', namespace: 'ns' } }),
      'secret_ns_a-b',
    );
    assert.equal(manifestKey(ISSUER), 'clusterissuer_letsencrypt-production');
  });

  it('refuses a name that is not known at synth time', () => {
    assert.throws(
      () =>
        manifestKey({
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: '${TfToken[TOKEN.3]}' },
        }),
      /needs a kind, namespace and name known at synth time .*name "\$\{TfToken\[TOKEN.3\]\}"/,
    );
  });
});

describe('manifestsChartValues', () => {
  it('keys every object by manifestKey and keeps it unchanged', () => {
    const objects = agentObjects();
    const values = manifestsChartValues(objects);
    assert.deepEqual(Object.keys(values.objects), [
      'clusterrole_proxy-clusterrole-kubeapiserver',
      'clusterrolebinding_proxy-role-binding-kubernetes-master',
      'namespace_cattle-system',
      'serviceaccount_cattle-system_cattle',
      'clusterrolebinding_cattle-admin-binding',
      'clusterrole_cattle-admin',
      'secret_cattle-system_cattle-credentials-0123456789',
      'deployment_cattle-system_cattle-cluster-agent',
      'service_cattle-system_cattle-cluster-agent',
    ]);
    assert.deepEqual(Object.values(values.objects), objects);
  });

  it('accepts untyped objects such as cert-manager issuers beside typed ones', () => {
    const values = manifestsChartValues([...agentObjects(), ISSUER]);
    assert.equal(values.objects['clusterissuer_letsencrypt-production'], ISSUER);
  });

  it('round-trips through YAML and JSON with strings, numbers and booleans intact', () => {
    const values = manifestsChartValues([...agentObjects(), ISSUER]);
    const text = YAML.stringify(values);
    assert.deepEqual(YAML.parse(text), values);
    assert.deepEqual(JSON.parse(JSON.stringify(values)), values);
    // Read back untyped, as Helm does, and check scalar types survived.
    const reparsed: { objects: Record<string, Deployment> } = YAML.parse(text);
    const deployment = reparsed.objects['deployment_cattle-system_cattle-cluster-agent'];
    assert.equal(deployment.metadata.annotations?.['management.cattle.io/scale-available'], '2');
    assert.equal(deployment.spec.template.spec.volumes[0].secret.defaultMode, 320);
    assert.equal(deployment.spec.template.spec.containers[0].volumeMounts[0].readOnly, true);
    const env = deployment.spec.template.spec.containers[0].env;
    assert.equal(env.find((e) => e.name === 'CATTLE_CLUSTER')?.value, 'true');
    assert.equal(env.find((e) => e.name === 'STRICT_VERIFY')?.value, 'false');
  });

  it('refuses two objects with the same kind, namespace and name', () => {
    assert.throws(
      () => manifestsChartValues([ISSUER, { ...ISSUER }]),
      /objects must be unique by kind, namespace and name; ClusterIssuer "letsencrypt.production" appears twice \(key "clusterissuer_letsencrypt-production"\)/,
    );
  });

  it('keeps objects of the same name in different namespaces apart', () => {
    const a = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'a' } };
    const b = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'b' } };
    assert.deepEqual(Object.keys(manifestsChartValues([a, b]).objects), [
      'configmap_a_x',
      'configmap_b_x',
    ]);
  });
});

describe('manifestsChartValuePath', () => {
  it('names one field of one object for helm set_sensitive', () => {
    const secret = agentObjects().find((o) => o.kind === 'Secret');
    assert.ok(secret);
    assert.equal(
      manifestsChartValuePath(secret, 'stringData.token'),
      'objects.secret_cattle-system_cattle-credentials-0123456789.stringData.token',
    );
  });

  it('refuses a field path that Helm would split or misread', () => {
    assert.throws(
      () => manifestsChartValuePath(ISSUER, 'spec.acme[0]'),
      /fieldPath must be dot-separated field names .*got "spec.acme\[0\]"/,
    );
  });
});

describe('manifestsChartStringDataPath', () => {
  const secret: Secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'tls-rancher-ingress', namespace: 'cattle-system' },
    type: 'kubernetes.io/tls',
    stringData: {},
  };

  it('escapes the dots inside a data key, which Helm would read as a level', () => {
    // Helm strvals: a backslash before "." keeps it inside the key name.
    assert.equal(
      manifestsChartStringDataPath(secret, 'tls.crt'),
      'objects.secret_cattle-system_tls-rancher-ingress.stringData.tls\\.crt',
    );
    assert.equal(
      manifestsChartStringDataPath(secret, 'token'),
      'objects.secret_cattle-system_tls-rancher-ingress.stringData.token',
    );
  });

  it('refuses a key Kubernetes would refuse', () => {
    assert.throws(
      () => manifestsChartStringDataPath(secret, 'a/b'),
      /A Secret data key must be letters, digits, "-", "_" and "."; got "a\/b"/,
    );
  });
});
