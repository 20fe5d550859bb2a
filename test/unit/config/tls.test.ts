import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { letsEncryptChallenge } from '../../../lib/tls/challenge';
import { environment, environmentProblems } from '../../helpers/template';

// Rules of lib/config/tls.ts that the invalid-environment corpus does not reach.
describe('tls rules', () => {
  it('refuses a secret block when the mode is not secret, where it would be ignored', () => {
    assert.deepEqual(
      environmentProblems({
        rancher: {
          tls: { mode: 'rancher', secret: { certificateFile: 'tls.crt', keyFile: 'tls.key' } },
        },
      }),
      [
        'rancher.tls.secret: is only read when mode is secret (got {"certificateFile":"tls.crt","keyFile":"tls.key","privateCA":false,"revision":1})',
      ],
    );
  });

  // Let's Encrypt integration guide: HTTP-01 validation comes from unpublished addresses.
  it("chooses dns01 when the allow-list keeps Let's Encrypt away from port 80", () => {
    const restricted = {
      target: 'aws',
      ingress: { allowedCidrs: ['203.0.113.0/24'] },
      dns: { hostname: 'rancher.example.com', hostedZoneId: 'Z0123456789ABC' },
      rancher: { tls: { mode: 'letsEncrypt', letsEncrypt: { email: 'ops@example.com' } } },
    };
    assert.equal(letsEncryptChallenge(environment(restricted)), 'dns01');
    assert.equal(
      letsEncryptChallenge(
        environment({ ...restricted, ingress: { allowedCidrs: ['0.0.0.0/0'] } }),
      ),
      'http01',
    );
  });

  it('refuses the automatic dns01 on rke2, saying what http01 would need', () => {
    assert.deepEqual(
      environmentProblems({
        target: 'aws',
        management: { distribution: 'rke2' },
        ingress: { allowedCidrs: ['203.0.113.0/24'] },
        dns: { hostname: 'rancher.example.com', hostedZoneId: 'Z0123456789ABC' },
        rancher: { tls: { mode: 'letsEncrypt', letsEncrypt: { email: 'ops@example.com' } } },
      }),
      [
        'rancher.tls.letsEncrypt.challenge: dns01 is not available with management.distribution rke2 (no IRSA: cert-manager would need Route 53 rights on the node role, which every pod could use); use http01 with a public zone, an internet-facing load balancer and port 80 open to everyone, or mode acm or secret (got "dns01")',
      ],
    );
  });

  // The refusal itself is in the corpus (letsencrypt-staging-with-downstream.yaml).
  it("accepts Let's Encrypt staging without downstream clusters, and production with them", () => {
    const letsEncrypt = (environment: string) => ({
      dns: { hostname: 'rancher.example.com', hostedZoneId: 'Z0123456789ABC' },
      rancher: {
        tls: { mode: 'letsEncrypt', letsEncrypt: { email: 'ops@example.com', environment } },
      },
    });
    assert.deepEqual(environmentProblems(letsEncrypt('staging')), []);
    assert.deepEqual(
      environmentProblems({ ...letsEncrypt('production'), downstream: [{ name: 'apps' }] }),
      [],
    );
  });
});
