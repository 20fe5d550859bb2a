import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { letsEncryptDns01Objects } from '../../../lib/tls/letsencrypt';

const OPTIONS = {
  email: 'ops@example.com',
  hostname: 'rancher.example.com',
  region: 'eu-west-1',
  hostedZoneId: 'Z0123456789ABCDEFGHIJ',
} as const;

describe('letsEncryptDns01Objects', () => {
  // Let's Encrypt "Staging Environment" and "ACME protocol" docs: the v2 directory URLs.
  it("points the ClusterIssuer at the directory of the chosen Let's Encrypt environment", () => {
    const server = (environment: 'production' | 'staging') => {
      const [issuer] = letsEncryptDns01Objects({ ...OPTIONS, environment });
      return (issuer as unknown as { spec: { acme: { server: string } } }).spec.acme.server;
    };
    assert.equal(server('production'), 'https://acme-v02.api.letsencrypt.org/directory');
    assert.equal(server('staging'), 'https://acme-staging-v02.api.letsencrypt.org/directory');
  });

  // cert-manager v1 ACME issuer docs: route53 solver (region, hostedZoneID; ambient credentials
  // from IRSA), and a Certificate writing the secret Rancher reads in ingress.tls.source=secret.
  it('solves DNS-01 in the one zone for the hostname and writes tls-rancher-ingress', () => {
    const [issuer, certificate] = letsEncryptDns01Objects({
      ...OPTIONS,
      environment: 'production',
    });
    assert.deepEqual(issuer, {
      apiVersion: 'cert-manager.io/v1',
      kind: 'ClusterIssuer',
      metadata: { name: 'letsencrypt-route53' },
      spec: {
        acme: {
          server: 'https://acme-v02.api.letsencrypt.org/directory',
          email: 'ops@example.com',
          privateKeySecretRef: { name: 'letsencrypt-route53-account-key' },
          solvers: [
            {
              selector: { dnsNames: ['rancher.example.com'] },
              dns01: { route53: { region: 'eu-west-1', hostedZoneID: 'Z0123456789ABCDEFGHIJ' } },
            },
          ],
        },
      },
    });
    assert.deepEqual(certificate, {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: 'rancher', namespace: 'cattle-system' },
      spec: {
        secretName: 'tls-rancher-ingress',
        dnsNames: ['rancher.example.com'],
        issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: 'letsencrypt-route53' },
        privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
      },
    });
  });
});
