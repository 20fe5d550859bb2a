import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rancherChartValues } from '../../../lib/rancher/values';
import { environmentTlsPlan } from '../../../stacks/environment-settings';
import { environment } from '../../helpers/template';

const ZONE = { hostname: 'rancher.example.com', hostedZoneId: 'Z0123456789ABC' };
const LE = { email: 'ops@example.com' };
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:tls-AbCdEf';

/**
 * Every TLS mode an environment file can choose, from the file to the exact Rancher chart values.
 * The expected values are the Rancher chart v2.15.0 facts (rancher/rancher chart/values.yaml and
 * templates/ingress.yaml at v2.15.0): `ingress.tls.source` is one of rancher, letsEncrypt, secret;
 * `tls: external` turns TLS off in the cluster; `privateCA: true` makes Rancher publish the CA from
 * the tls-ca secret; agents verify strictly only against a CA Rancher publishes (VERSIONS.md).
 */
const TABLE: {
  readonly name: string;
  readonly file: Record<string, unknown>;
  readonly ingressTls: Record<string, string> | undefined;
  readonly privateCA: boolean | undefined;
  readonly tls: 'ingress' | 'external';
  readonly agentTLSMode: 'strict' | 'system-store';
  readonly certManager: boolean;
  readonly acm: boolean;
  readonly letsEncrypt?: Record<string, unknown>;
}[] = [
  {
    name: 'rancher (self-signed by Rancher)',
    file: { rancher: { tls: { mode: 'rancher' } } },
    ingressTls: { source: 'rancher' },
    privateCA: undefined,
    tls: 'ingress',
    agentTLSMode: 'strict',
    certManager: true,
    acm: false,
  },
  {
    name: "Let's Encrypt HTTP-01, staging",
    file: {
      dns: ZONE,
      rancher: {
        tls: {
          mode: 'letsEncrypt',
          letsEncrypt: { ...LE, challenge: 'http01', environment: 'staging' },
        },
      },
    },
    ingressTls: { source: 'letsEncrypt' },
    privateCA: undefined,
    tls: 'ingress',
    agentTLSMode: 'system-store',
    certManager: true,
    acm: false,
    letsEncrypt: {
      email: 'ops@example.com',
      environment: 'staging',
      ingress: { class: 'traefik' },
    },
  },
  {
    name: "Let's Encrypt DNS-01 (the stack's certificate in a secret)",
    file: {
      dns: ZONE,
      rancher: { tls: { mode: 'letsEncrypt', letsEncrypt: { ...LE, challenge: 'dns01' } } },
    },
    ingressTls: { source: 'secret', secretName: 'tls-rancher-ingress' },
    privateCA: false,
    tls: 'ingress',
    agentTLSMode: 'system-store',
    certManager: true,
    acm: false,
  },
  {
    name: 'secret with a private CA (files)',
    file: {
      rancher: {
        tls: {
          mode: 'secret',
          secret: { certificateFile: 'a.crt', keyFile: 'a.key', caFile: 'ca.pem', privateCA: true },
        },
      },
    },
    ingressTls: { source: 'secret', secretName: 'tls-rancher-ingress' },
    privateCA: true,
    tls: 'ingress',
    agentTLSMode: 'strict',
    certManager: false,
    acm: false,
  },
  {
    name: 'secret with a public CA (Secrets Manager)',
    file: { rancher: { tls: { mode: 'secret', secret: { secretsManagerArn: SECRET_ARN } } } },
    ingressTls: { source: 'secret', secretName: 'tls-rancher-ingress' },
    privateCA: false,
    tls: 'ingress',
    agentTLSMode: 'system-store',
    certManager: false,
    acm: false,
  },
  {
    name: 'acm (TLS ends at the load balancer)',
    file: { dns: ZONE, rancher: { tls: { mode: 'acm' } } },
    ingressTls: undefined,
    privateCA: undefined,
    tls: 'external',
    agentTLSMode: 'system-store',
    certManager: false,
    acm: true,
  },
];

describe('TLS modes: exact chart values from the environment file', () => {
  for (const row of TABLE) {
    it(row.name, () => {
      // The stacks' own path from the environment file to the TLS plan.
      const plan = environmentTlsPlan(environment(row.file));
      const values = rancherChartValues({ hostname: 'rancher.example.com', tls: plan.rancher });
      const ingress = values.ingress as Record<string, unknown>;
      assert.deepEqual(ingress.tls, row.ingressTls, 'ingress.tls');
      assert.equal(values.privateCA, row.privateCA, 'privateCA');
      assert.equal(values.tls, row.tls, 'tls');
      assert.equal(values.agentTLSMode, row.agentTLSMode, 'agentTLSMode');
      assert.equal(plan.agentTlsMode, row.agentTLSMode, 'plan.agentTlsMode');
      assert.equal(plan.needsCertManager, row.certManager, 'needsCertManager');
      assert.equal(plan.acm, row.acm, 'acm');
      assert.deepEqual(values.letsEncrypt, row.letsEncrypt, 'letsEncrypt');
    });
  }
});
