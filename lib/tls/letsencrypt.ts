/**
 * Let's Encrypt through Route 53 DNS-01: a cert-manager ClusterIssuer and the Certificate that
 * writes Rancher's `tls-rancher-ingress` secret. Pure data: no cdktf imports.
 */
import type { ManifestObject } from '../k8s/manifests-chart';
import { RANCHER_NAMESPACE, RANCHER_TLS_SECRET_NAME } from '../rancher/values';

export const ACME_SERVERS = {
  production: 'https://acme-v02.api.letsencrypt.org/directory',
  staging: 'https://acme-staging-v02.api.letsencrypt.org/directory',
} as const;

export const DNS01_ISSUER_NAME = 'letsencrypt-route53';

export interface LetsEncryptDns01Options {
  readonly email: string;
  readonly environment: 'production' | 'staging';
  readonly hostname: string;
  readonly region: string;
  /** The hosted zone the IRSA role may write `_acme-challenge` records in. */
  readonly hostedZoneId: string;
}

export function letsEncryptDns01Objects(options: LetsEncryptDns01Options): ManifestObject[] {
  return [
    {
      apiVersion: 'cert-manager.io/v1',
      kind: 'ClusterIssuer',
      metadata: { name: DNS01_ISSUER_NAME },
      spec: {
        acme: {
          server: ACME_SERVERS[options.environment],
          email: options.email,
          privateKeySecretRef: { name: `${DNS01_ISSUER_NAME}-account-key` },
          solvers: [
            {
              selector: { dnsNames: [options.hostname] },
              // Credentials come from the cert-manager service account's IRSA role.
              dns01: { route53: { region: options.region, hostedZoneID: options.hostedZoneId } },
            },
          ],
        },
      },
    },
    {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: 'rancher', namespace: RANCHER_NAMESPACE },
      spec: {
        secretName: RANCHER_TLS_SECRET_NAME,
        dnsNames: [options.hostname],
        issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: DNS01_ISSUER_NAME },
        privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
      },
    },
  ];
}
