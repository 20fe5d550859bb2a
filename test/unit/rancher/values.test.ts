import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  RANCHER_BOOTSTRAP_PASSWORD_VALUE,
  type RancherTls,
  rancherAgentTlsMode,
  rancherChartValues,
  rancherNeedsCertManager,
} from '../../../lib/rancher/values';
import { checkChartValues } from '../../helpers/chart-values';

const hostname = 'rancher.example.com';

function valuesFor(tls: RancherTls, extra: { zoneCount?: number } = {}) {
  return rancherChartValues({ hostname, tls, ...extra });
}

describe('rancherChartValues', () => {
  const modes: RancherTls[] = [
    { mode: 'rancher' },
    { mode: 'letsEncrypt', email: 'ops@example.com', environment: 'production' },
    { mode: 'letsEncrypt', email: 'ops@example.com', environment: 'staging' },
    { mode: 'certManagerSecret' },
    { mode: 'secret', privateCA: true },
    { mode: 'secret', privateCA: false },
    { mode: 'external' },
  ];
  for (const tls of modes) {
    it(`fits the pinned chart for TLS mode ${JSON.stringify(tls)}`, () => {
      assert.deepEqual(checkChartValues('rancher', valuesFor(tls)), []);
    });
  }

  it('defaults to Rancher-generated TLS, 3 replicas, Traefik and strict agents', () => {
    const values = rancherChartValues({ hostname });
    assert.deepEqual(values, {
      hostname,
      extraEnv: [{ name: 'CATTLE_SERVER_URL', value: 'https://rancher.example.com' }],
      replicas: 3,
      antiAffinity: 'preferred',
      topologyKey: 'kubernetes.io/hostname',
      agentTLSMode: 'strict',
      networkExposure: { type: 'ingress' },
      ingress: { enabled: true, ingressClassName: 'traefik', tls: { source: 'rancher' } },
      tls: 'ingress',
    });
  });

  it("Let's Encrypt: HTTP-01 through the chart's issuer on the ingress class, system-store agents", () => {
    const values = valuesFor({
      mode: 'letsEncrypt',
      email: 'ops@example.com',
      environment: 'staging',
    });
    assert.deepEqual(values.letsEncrypt, {
      email: 'ops@example.com',
      environment: 'staging',
      ingress: { class: 'traefik' },
    });
    assert.deepEqual(values.ingress, {
      enabled: true,
      ingressClassName: 'traefik',
      tls: { source: 'letsEncrypt' },
    });
    assert.equal(values.agentTLSMode, 'system-store');
  });

  it('DNS-01 certificate from the stack: chart serves the secret, public CA', () => {
    const values = valuesFor({ mode: 'certManagerSecret' });
    assert.deepEqual(values.ingress, {
      enabled: true,
      ingressClassName: 'traefik',
      tls: { source: 'secret', secretName: 'tls-rancher-ingress' },
    });
    assert.equal(values.privateCA, false);
    assert.equal(values.agentTLSMode, 'system-store');
  });

  it('own certificate: privateCA decides between strict and system-store', () => {
    const privateCa = valuesFor({ mode: 'secret', privateCA: true });
    assert.equal(privateCa.privateCA, true);
    assert.equal(privateCa.agentTLSMode, 'strict');
    const publicCa = valuesFor({ mode: 'secret', privateCA: false });
    assert.equal(publicCa.privateCA, false);
    assert.equal(publicCa.agentTLSMode, 'system-store');
  });

  it('external TLS (ACM at the load balancer): tls external, no ingress TLS source', () => {
    const values = valuesFor({ mode: 'external' });
    assert.equal(values.tls, 'external');
    assert.deepEqual(values.ingress, { enabled: true, ingressClassName: 'traefik' });
    assert.equal(values.agentTLSMode, 'system-store');
  });

  it('spreads replicas across zones when the cluster spans several', () => {
    assert.equal(
      valuesFor({ mode: 'rancher' }, { zoneCount: 3 }).topologyKey,
      'topology.kubernetes.io/zone',
    );
    assert.equal(
      valuesFor({ mode: 'rancher' }, { zoneCount: 1 }).topologyKey,
      'kubernetes.io/hostname',
    );
  });

  it('uses a custom ingress class for the Ingress and the ACME solver', () => {
    const values = rancherChartValues({
      hostname,
      ingressClassName: 'internal',
      tls: { mode: 'letsEncrypt', email: 'ops@example.com', environment: 'production' },
    });
    assert.deepEqual(values.letsEncrypt, {
      email: 'ops@example.com',
      environment: 'production',
      ingress: { class: 'internal' },
    });
    assert.equal((values.ingress as Record<string, unknown>).ingressClassName, 'internal');
  });

  it('merges extraValues last, deeply', () => {
    const values = rancherChartValues({
      hostname,
      replicas: 1,
      extraValues: { ingress: { extraAnnotations: { a: 'b' } }, replicas: 2 },
    });
    assert.equal(values.replicas, 2);
    assert.deepEqual(values.ingress, {
      enabled: true,
      ingressClassName: 'traefik',
      tls: { source: 'rancher' },
      extraAnnotations: { a: 'b' },
    });
    assert.deepEqual(checkChartValues('rancher', values), []);
  });

  // rancher v2.15.0 pkg/settings/setting.go (server-url, GetEnvKey -> CATTLE_SERVER_URL) and
  // pkg/controllers/dashboardapi/settings/settings.go: the variable wins over the stored setting;
  // only the first UI login sets it otherwise, and clusterdeploy waits for it.
  for (const tls of modes) {
    it(`sets CATTLE_SERVER_URL to https://<hostname> through extraEnv for ${tls.mode}`, () => {
      assert.deepEqual(valuesFor(tls).extraEnv, [
        { name: 'CATTLE_SERVER_URL', value: 'https://rancher.example.com' },
      ]);
    });
  }

  it("appends the user's extraEnv after the stack's instead of replacing it", () => {
    const values = rancherChartValues({
      hostname,
      extraValues: { extraEnv: [{ name: 'CATTLE_PROMETHEUS_METRICS', value: 'true' }] },
    });
    assert.deepEqual(values.extraEnv, [
      { name: 'CATTLE_SERVER_URL', value: 'https://rancher.example.com' },
      { name: 'CATTLE_PROMETHEUS_METRICS', value: 'true' },
    ]);
    assert.deepEqual(checkChartValues('rancher', values), []);
  });

  it('refuses a user CATTLE_SERVER_URL or a malformed extraEnv', () => {
    assert.throws(
      () =>
        rancherChartValues({
          hostname,
          extraValues: { extraEnv: [{ name: 'CATTLE_SERVER_URL', value: 'https://other' }] },
        }),
      /extraValues\.extraEnv\[0\] must not set CATTLE_SERVER_URL: the stack sets it to https:\/\/<dns\.hostname>/,
    );
    assert.throws(
      () => rancherChartValues({ hostname, extraValues: { extraEnv: { A: 'b' } } }),
      /extraValues\.extraEnv must be a list of environment variables/,
    );
    assert.throws(
      () => rancherChartValues({ hostname, extraValues: { extraEnv: [{ value: 'x' }] } }),
      /extraValues\.extraEnv\[0\] must be an environment variable with a name/,
    );
  });

  it('never carries the bootstrap password', () => {
    assert.equal(RANCHER_BOOTSTRAP_PASSWORD_VALUE, 'bootstrapPassword');
    assert.equal(RANCHER_BOOTSTRAP_PASSWORD_VALUE in rancherChartValues({ hostname }), false);
    assert.throws(
      () => rancherChartValues({ hostname, extraValues: { bootstrapPassword: 'x' } }),
      /extraValues must not set bootstrapPassword; the stack passes it as a sensitive value/,
    );
  });

  it('accepts values only known at apply time', () => {
    const values = rancherChartValues({ hostname: '${TfToken[TOKEN.1]}' });
    assert.equal(values.hostname, '${TfToken[TOKEN.1]}');
  });

  it('rejects bad options with a sentence naming the field', () => {
    assert.throws(
      () => rancherChartValues({ hostname: 'Rancher_Host' }),
      /hostname must be a lower-case fully qualified DNS name such as rancher\.example\.com; got "Rancher_Host"/,
    );
    assert.throws(
      () => rancherChartValues({ hostname, replicas: 0 }),
      /replicas must be a whole number of at least 1; got 0/,
    );
    assert.throws(
      () => rancherChartValues({ hostname, zoneCount: 1.5 }),
      /zoneCount must be a whole number of at least 1; got 1.5/,
    );
    assert.throws(
      () => rancherChartValues({ hostname, ingressClassName: ' ' }),
      /ingressClassName must not be empty/,
    );
    assert.throws(
      () =>
        rancherChartValues({
          hostname,
          tls: { mode: 'letsEncrypt', email: 'nobody', environment: 'production' },
        }),
      /tls\.email must be an email address for Let's Encrypt account notices; got "nobody"/,
    );
  });
});

describe('rancherNeedsCertManager / rancherAgentTlsMode', () => {
  it('needs cert-manager for chart-issued and stack-issued certificates only', () => {
    assert.equal(rancherNeedsCertManager({ mode: 'rancher' }), true);
    assert.equal(
      rancherNeedsCertManager({ mode: 'letsEncrypt', email: 'a@b.io', environment: 'staging' }),
      true,
    );
    assert.equal(rancherNeedsCertManager({ mode: 'certManagerSecret' }), true);
    assert.equal(rancherNeedsCertManager({ mode: 'secret', privateCA: true }), false);
    assert.equal(rancherNeedsCertManager({ mode: 'external' }), false);
  });

  it('strict only where Rancher publishes a CA (its own or a private one)', () => {
    assert.equal(rancherAgentTlsMode({ mode: 'rancher' }), 'strict');
    assert.equal(rancherAgentTlsMode({ mode: 'secret', privateCA: true }), 'strict');
    assert.equal(rancherAgentTlsMode({ mode: 'secret', privateCA: false }), 'system-store');
    assert.equal(rancherAgentTlsMode({ mode: 'certManagerSecret' }), 'system-store');
    assert.equal(rancherAgentTlsMode({ mode: 'external' }), 'system-store');
  });
});
