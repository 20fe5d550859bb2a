/**
 * What a configured TLS mode means for each stack. Pure: no cdktf imports.
 * Mirrors the TLS table in ARCHITECTURE.md.
 */
import type { EnvironmentConfig } from '../config/schema';
import {
  AgentTlsMode,
  rancherAgentTlsMode,
  rancherNeedsCertManager,
  RancherTls,
} from '../rancher/values';
import { letsEncryptChallenge } from './challenge';

export { letsEncryptChallenge } from './challenge';

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
  readonly bringYourOwn?: NonNullable<EnvironmentConfig['rancher']['tls']['secret']>;
}

export function planTls(config: EnvironmentConfig): TlsPlan {
  const tls = config.rancher.tls;
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
      if (letsEncryptChallenge(config) === 'http01') {
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
