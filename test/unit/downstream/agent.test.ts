import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AGENT_RELEASE_NAME,
  downstreamAgent,
  DownstreamAgentOptions,
} from '../../../lib/downstream/agent';
import type { Deployment, Secret } from '../../../lib/k8s/types';

function testFixture(overrides: Partial<DownstreamAgentOptions> = {}): DownstreamAgentOptions {
  return {
    environment: 'prod',
    clusterName: 'apps',
    hostname: 'rancher.example.com',
    rancherVersion: '2.15.0',
    caChecksum: '${local.ca_checksum}',
    strictVerify: true,
    ...overrides,
  };
}

describe('downstreamAgent', () => {
  it('names the credentials Secret like Rancher does, but from the environment and cluster', () => {
    const agent = downstreamAgent(testFixture());
    assert.match(agent.credentialSecretName, /^cattle-credentials-[0-9a-f]{10}$/);
    assert.equal(downstreamAgent(testFixture()).credentialSecretName, agent.credentialSecretName);
    assert.notEqual(
      downstreamAgent(testFixture({ clusterName: 'data' })).credentialSecretName,
      agent.credentialSecretName,
    );
    assert.notEqual(
      downstreamAgent(testFixture({ environment: 'staging' })).credentialSecretName,
      agent.credentialSecretName,
    );
  });

  it('leaves the token empty and points the write-only value at the Secret token', () => {
    const agent = downstreamAgent(testFixture());
    const secret = agent.objects.find((o): o is Secret => o.kind === 'Secret');
    assert.ok(secret);
    assert.equal(secret.metadata.name, agent.credentialSecretName);
    assert.deepEqual(secret.stringData, {
      url: 'https://rancher.example.com',
      token: '',
      namespace: '',
    });
    assert.equal(
      agent.tokenValuePath,
      `objects.secret_cattle-system_${agent.credentialSecretName}.stringData.token`,
    );
  });

  it('runs the agent image tagged with the Rancher version against the Rancher hostname', () => {
    const agent = downstreamAgent(testFixture({ strictVerify: false, caChecksum: '' }));
    const deployment = agent.objects.find((o): o is Deployment => o.kind === 'Deployment');
    assert.ok(deployment);
    const container = deployment.spec.template.spec.containers[0];
    assert.equal(container.image, 'rancher/rancher-agent:v2.15.0');
    const env = Object.fromEntries(container.env.map((e) => [e.name, e.value]));
    assert.equal(env.CATTLE_SERVER, 'https://rancher.example.com');
    assert.equal(env.CATTLE_CREDENTIAL_NAME, agent.credentialSecretName);
    assert.equal(env.CATTLE_CA_CHECKSUM, '');
    assert.equal(env.STRICT_VERIFY, 'false');
  });

  it('does not ship the namespace (the release creates it)', () => {
    const kinds = downstreamAgent(testFixture()).objects.map((o) => o.kind);
    assert.ok(!kinds.includes('Namespace'));
    assert.equal(AGENT_RELEASE_NAME, 'rancher-cluster-agent');
  });

  it('rejects a hostname that does not make a server URL', () => {
    assert.throws(
      () => downstreamAgent(testFixture({ hostname: 'rancher.example.com/path' })),
      /serverUrl must be https:\/\/<hostname>\[:port\]/,
    );
  });
});
