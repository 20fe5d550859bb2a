import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TerraformStack } from 'cdktf';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { loadEnvironmentFile } from '../../lib/config/load';
import type { EnvironmentConfig } from '../../lib/config/schema';
import { buildEnvironment } from '../../stacks';
import { environment, Template, testApp } from '../helpers/template';
import { RULES, StackJson, violations } from './rules';

const ZONE = { hostname: 'rancher.example.com', hostedZoneId: 'Z0123456789ABC' };
const LE = { email: 'ops@example.com' };

/** Environments covering every distribution, profile, TLS mode and extra stack the app builds. */
const MATRIX: Record<string, EnvironmentConfig> = {
  'eks-rancher': environment({}),
  'eks-nat-per-zone': environment({ network: { natGateways: 'perAz' } }),
  'eks-letsencrypt-http01': environment({
    dns: ZONE,
    rancher: { tls: { mode: 'letsEncrypt', letsEncrypt: { ...LE, challenge: 'http01' } } },
  }),
  'eks-letsencrypt-dns01': environment({
    dns: ZONE,
    rancher: { tls: { mode: 'letsEncrypt', letsEncrypt: { ...LE, challenge: 'dns01' } } },
  }),
  'eks-secret-files': environment({
    rancher: {
      tls: {
        mode: 'secret',
        secret: { certificateFile: 'a.crt', keyFile: 'a.key', caFile: 'ca.pem', privateCA: true },
      },
    },
  }),
  'eks-secret-manager': environment({
    rancher: {
      tls: {
        mode: 'secret',
        secret: {
          secretsManagerArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:tls-AbCdEf',
        },
      },
    },
  }),
  'eks-acm': environment({ dns: ZONE, rancher: { tls: { mode: 'acm' } } }),
  'eks-protected-public-endpoint': environment({
    target: 'aws',
    protected: true,
    management: {
      eks: {
        endpointAccess: 'both',
        publicAccessCidrs: ['203.0.113.0/24'],
        adminRoleArns: ['arn:aws:iam::123456789012:role/admins'],
      },
    },
  }),
  'eks-internal-two-zones': environment({
    network: { availabilityZones: 2, natGateways: 'single' },
    ingress: { scheme: 'internal', allowedCidrs: ['10.0.0.0/8'] },
  }),
  'rke2-single': environment({ management: { distribution: 'rke2', rke2: { profile: 'single' } } }),
  'rke2-ha-workers-bastion': environment({
    protected: true,
    management: {
      distribution: 'rke2',
      rke2: {
        profile: 'ha',
        serverCount: 5,
        workerCount: 3,
        bastion: true,
        bastionAllowedCidrs: ['203.0.113.0/24'],
      },
    },
  }),
  'rke2-ha-letsencrypt': environment({
    dns: ZONE,
    management: { distribution: 'rke2', rke2: { profile: 'ha' } },
    rancher: { tls: { mode: 'letsEncrypt', letsEncrypt: LE } },
  }),
  'eks-downstream': environment({
    downstream: [
      { name: 'apps' },
      { name: 'data', eks: { endpointAccess: 'both', publicAccessCidrs: ['203.0.113.0/24'] } },
    ],
  }),
  'rke2-downstream-protected': environment({
    target: 'aws',
    protected: true,
    downstream: [{ name: 'edge', distribution: 'rke2', rke2: { profile: 'ha' } }, { name: 'apps' }],
  }),
  'rke2-downstream-expiring': environment({
    target: 'aws',
    expiresAt: '2030-01-01T00:00:00Z',
    management: { distribution: 'rke2', rke2: { profile: 'single' } },
    downstream: [{ name: 'edge', distribution: 'rke2' }],
  }),
  // Private registry with credentials and a proxy (docs/air-gap.md), RKE2 management and downstream.
  'rke2-registry-proxy': environment({
    target: 'aws',
    management: { distribution: 'rke2', rke2: { profile: 'ha', workerCount: 2 } },
    registry: {
      systemDefault: 'registry.example.com:5000',
      credentialsSecretArn:
        'arn:aws:secretsmanager:us-east-1:123456789012:secret:test/registry-credentials-AbCdEf',
    },
    proxy: { url: 'http://proxy.example.internal:3128', noProxy: ['.example.internal'] },
    downstream: [{ name: 'edge', distribution: 'rke2' }],
  }),
  'eks-s3-state': environment({ state: { backend: 's3' }, expiresAt: '2030-01-01T00:00:00Z' }),
  // As many tags as the config lets through beside all 5 standard ones (50 - 5 - 3 - 5).
  'rke2-downstream-most-tags': environment({
    protected: true,
    expiresAt: '2030-01-01T00:00:00Z',
    tags: Object.fromEntries(Array.from({ length: 37 }, (_, i) => [`team:tag-${i}`, `value ${i}`])),
    management: { distribution: 'rke2', rke2: { profile: 'single', workerCount: 1 } },
    downstream: [{ name: 'edge', distribution: 'rke2' }, { name: 'apps' }],
  }),
};

// The shipped example environments are part of the matrix too.
const ENVIRONMENTS = path.join(__dirname, '..', '..', 'environments');
for (const file of readdirSync(ENVIRONMENTS).filter((f) => f.endsWith('.yaml'))) {
  MATRIX[`file:${file}`] = loadEnvironmentFile(path.join(ENVIRONMENTS, file));
}

/** The tags the environment file asks for (the tag keys are the project's documented ones). */
function expectedTags(config: EnvironmentConfig): Record<string, string> {
  return {
    'rancher-aws:environment': config.name,
    'rancher-aws:owner': config.owner,
    'rancher-aws:managed-by': 'cdktf/rancher-on-aws',
    ...(config.expiresAt ? { 'rancher-aws:expires-at': config.expiresAt } : {}),
    ...(config.protected ? { 'rancher-aws:protected': 'true' } : {}),
  };
}

function synthAll(config: EnvironmentConfig): StackJson[] {
  const app = testApp();
  buildEnvironment(app, config);
  return app.node.children
    .filter((c): c is TerraformStack => c instanceof TerraformStack)
    .map((stack) => ({
      name: stack.node.id,
      json: Template.fromStack(stack).json,
      protectedEnvironment: config.protected,
      standardTags: expectedTags(config),
    }));
}

describe('policy over every synthesized stack', () => {
  let stackCount = 0;
  for (const [name, config] of Object.entries(MATRIX)) {
    it(`${name}: every rule holds`, () => {
      const stacks = synthAll(config);
      stackCount += stacks.length;
      assert.ok(stacks.length >= 2, `${name} synthesized ${stacks.length} stacks`);
      assert.deepEqual(stacks.flatMap(violations), []);
    });
  }

  it('covered the whole matrix', () => {
    console.log(
      `# policy: ${RULES.length} rules over ${Object.keys(MATRIX).length} environments, ${stackCount} stacks`,
    );
    assert.ok(stackCount >= Object.keys(MATRIX).length * 2);
  });
});
