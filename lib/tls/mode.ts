/**
 * What a configured TLS mode means for each stack. Pure: no cdktf imports.
 * Mirrors the TLS table in ARCHITECTURE.md.
 */
import {
  AgentTlsMode,
  rancherAgentTlsMode,
  rancherNeedsCertManager,
  RancherTls,
} from '../rancher/values';
import { ChallengeInputs, LetsEncryptChallenge, letsEncryptChallenge } from './challenge';

/** Where the operator's certificate comes from (`rancher.tls.secret`). */
export interface OwnCertificateSource {
  /** PEM files Terraform reads at apply. */
  readonly certificateFile?: string;
  readonly keyFile?: string;
  readonly caFile?: string;
  /** A Secrets Manager secret holding JSON {certificate, key, ca?}. */
  readonly secretsManagerArn?: string;
  /** A private CA signed the certificate: Rancher gets it as `tls-ca`. */
  readonly privateCA: boolean;
  /** Revision of the write-only certificate values: they are sent again only when it grows. */
  readonly revision: number;
}

/** An environment's TLS settings (`rancher.tls`). */
export interface TlsSettings {
  readonly mode: 'rancher' | 'letsEncrypt' | 'secret' | 'acm';
  readonly letsEncrypt?: {
    readonly email: string;
    readonly environment: 'production' | 'staging';
    /** @default - HTTP-01 when the hostname is public and reachable, else DNS-01 */
    readonly challenge?: LetsEncryptChallenge;
  };
  readonly secret?: OwnCertificateSource;
}

export interface TlsPlanInputs {
  readonly tls: TlsSettings;
  /** The hosted zone of Rancher's hostname: the default challenge needs a public one. */
  readonly dns: ChallengeInputs['dns'];
  /** The ingress load balancer: the default challenge needs it internet-facing. */
  readonly ingress: ChallengeInputs['ingress'];
}

export interface TlsPlan {
  /** How the Rancher chart gets its certificate. */
  readonly rancher: RancherTls;
  readonly needsCertManager: boolean;
  readonly agentTlsMode: AgentTlsMode;
  /** ACM certificate + TLS listener on the load balancer (management stack). */
  readonly acm: boolean;
  /** cert-manager ClusterIssuer + Certificate with Route 53 DNS-01 (needs the IRSA role). */
  readonly letsEncryptDns01?: {
    readonly email: string;
    readonly environment: 'production' | 'staging';
  };
  /** The operator's certificate goes into `tls-rancher-ingress` (and `tls-ca`). */
  readonly bringYourOwn?: OwnCertificateSource;
}

export function planTls(inputs: TlsPlanInputs): TlsPlan {
  const tls = inputs.tls;
  let rancher: RancherTls;
  let letsEncryptDns01: TlsPlan['letsEncryptDns01'];
  switch (tls.mode) {
    case 'rancher':
      rancher = { mode: 'rancher' };
      break;
    case 'letsEncrypt': {
      const settings = tls.letsEncrypt;
      if (!settings)
        throw new Error('rancher.tls.letsEncrypt is required when mode is letsEncrypt');
      const challenge = letsEncryptChallenge({
        rancher: { tls },
        dns: inputs.dns,
        ingress: inputs.ingress,
      });
      if (challenge === 'http01') {
        rancher = { mode: 'letsEncrypt', email: settings.email, environment: settings.environment };
      } else {
        rancher = { mode: 'certManagerSecret' };
        letsEncryptDns01 = { email: settings.email, environment: settings.environment };
      }
      break;
    }
    case 'secret':
      rancher = { mode: 'secret', privateCA: tls.secret?.privateCA ?? false };
      break;
    case 'acm':
      rancher = { mode: 'external' };
      break;
  }
  return {
    rancher,
    needsCertManager: rancherNeedsCertManager(rancher),
    agentTlsMode: rancherAgentTlsMode(rancher),
    acm: tls.mode === 'acm',
    letsEncryptDns01,
    bringYourOwn: tls.mode === 'secret' ? tls.secret : undefined,
  };
}
