import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  caChecksumExpression,
  CLUSTER_ID_PATTERN,
  ENVIRONMENT_LABEL,
  importedClusterObject,
  rancherClusterUrl,
  rancherServerUrl,
  RANCHER_CLUSTERS_NAMESPACE,
  REGISTRATION_TOKEN_KEY,
  REGISTRATION_TOKEN_SECRET,
} from '../../../lib/downstream/registration';

describe('importedClusterObject', () => {
  it('is a provisioning.cattle.io/v1 Cluster in fleet-default without rkeConfig (imported)', () => {
    const object = importedClusterObject({ name: 'prod-apps', environment: 'prod' });
    assert.deepEqual(object, {
      apiVersion: 'provisioning.cattle.io/v1',
      kind: 'Cluster',
      metadata: {
        name: 'prod-apps',
        namespace: 'fleet-default',
        labels: { [ENVIRONMENT_LABEL]: 'prod' },
        // Rancher v2.15.0 project_cluster: the key's presence skips the creator's owner binding.
        annotations: { 'field.cattle.io/no-creator-rbac': 'true' },
      },
      spec: {},
    });
    assert.equal(RANCHER_CLUSTERS_NAMESPACE, 'fleet-default');
  });

  it('carries a description as the annotation Rancher shows', () => {
    const object = importedClusterObject({ name: 'x1', environment: 'e', description: 'Team A' });
    assert.deepEqual(object.metadata.annotations, {
      'field.cattle.io/description': 'Team A',
      'field.cattle.io/no-creator-rbac': 'true',
    });
  });

  it('turns Rancher version management off for a cluster whose version is pinned elsewhere', () => {
    // Rancher v2.15.0 importedclusterversionmanagement.Enabled: "false" wins over the setting.
    const object = importedClusterObject({
      name: 'x1',
      environment: 'e',
      versionPinnedOutsideRancher: true,
    });
    assert.equal(
      object.metadata.annotations?.['rancher.io/imported-cluster-version-management'],
      'false',
    );
  });

  it("gives Rancher's own agent the proxy through spec.agentEnvVars", () => {
    // Rancher v2.15.0 pkg/controllers/provisioningv2/cluster/controller.go copies
    // spec.agentEnvVars to the management cluster, and pkg/systemtemplate/import.go renders them
    // into the cattle-cluster-agent it deploys once the cluster connects.
    const env = [
      { name: 'HTTP_PROXY', value: 'http://proxy.example.internal:3128' },
      { name: 'HTTPS_PROXY', value: 'http://proxy.example.internal:3128' },
      { name: 'NO_PROXY', value: '.svc,10.0.0.0/8' },
    ];
    const object = importedClusterObject({ name: 'x1', environment: 'e', agentEnvVars: env });
    assert.deepEqual(object.spec, { agentEnvVars: env });
    assert.deepEqual(
      importedClusterObject({ name: 'x1', environment: 'e', agentEnvVars: [] }).spec,
      {},
    );
  });

  it('rejects a name that is not a DNS label', () => {
    assert.throws(
      () => importedClusterObject({ name: 'Prod_Apps', environment: 'prod' }),
      /Rancher cluster name must be a DNS label .*got "Prod_Apps"/,
    );
  });
});

describe('Rancher facts the agent stack reads (Rancher 2.15.0)', () => {
  it('reads the token from Secret crt-token-default-token, key token', () => {
    assert.equal(REGISTRATION_TOKEN_SECRET, 'crt-token-default-token');
    assert.equal(REGISTRATION_TOKEN_KEY, 'token');
  });

  it('waits for a cluster id of the c-m-xxxxxxxx form', () => {
    const pattern = new RegExp(CLUSTER_ID_PATTERN);
    assert.ok(pattern.test('c-m-4x8wz2lq'));
    assert.ok(!pattern.test(''));
    assert.ok(!pattern.test('local'));
  });
});

describe('Rancher URLs', () => {
  it('builds the server URL and the cluster page URL from the hostname', () => {
    assert.equal(rancherServerUrl('rancher.example.com'), 'https://rancher.example.com');
    assert.equal(
      rancherClusterUrl('rancher.example.com', 'c-m-abcd1234'),
      'https://rancher.example.com/dashboard/c/c-m-abcd1234/explorer',
    );
  });
});

describe('caChecksumExpression', () => {
  const expression = caChecksumExpression('data.kubernetes_resource.cacerts.object');

  it('hashes the setting value, falling back to its default, with one trailing newline', () => {
    // Checked against caChecksum() with `terraform console` (see docs/downstream.md); here the
    // structure: every read is optional, empty stays empty, a missing newline is added.
    assert.match(
      expression,
      /^\(try\(data\.kubernetes_resource\.cacerts\.object\.value, ""\) != ""/,
    );
    assert.match(expression, /try\(data\.kubernetes_resource\.cacerts\.object\["default"\], ""\)/);
    assert.match(expression, /\) == "" \? "" : sha256\(endswith\(/);
    assert.match(expression, /format\("%s\\n", /);
    assert.ok(!expression.includes('${'), 'no nested interpolation: cdktf passes it through as is');
  });
});
