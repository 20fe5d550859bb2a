/** How Let's Encrypt validates the hostname. Pure: no cdktf imports. */
import { opensToEveryone } from '../network/cidr-plan';

export type LetsEncryptChallenge = 'http01' | 'dns01';

/** The parts of an environment the choice depends on (validated or not yet cross-checked). */
export interface ChallengeInputs {
  readonly rancher: {
    readonly tls: { readonly letsEncrypt?: { readonly challenge?: LetsEncryptChallenge } };
  };
  readonly dns: {
    readonly hostedZoneId?: string;
    readonly hostedZoneVisibility: 'public' | 'private';
  };
  readonly ingress: {
    readonly scheme: 'internet-facing' | 'internal';
    readonly allowedCidrs: readonly string[];
  };
}

/**
 * Whether Let's Encrypt can reach the hostname over HTTP: a public zone, an internet-facing load
 * balancer, and port 80 open to everyone (Let's Encrypt validates from addresses it does not
 * publish).
 */
export function http01Reachable(env: ChallengeInputs): boolean {
  return (
    Boolean(env.dns.hostedZoneId) &&
    env.dns.hostedZoneVisibility === 'public' &&
    env.ingress.scheme === 'internet-facing' &&
    opensToEveryone(env.ingress.allowedCidrs)
  );
}

/** The configured challenge, else HTTP-01 when Let's Encrypt can reach the hostname, else DNS-01. */
export function letsEncryptChallenge(env: ChallengeInputs): LetsEncryptChallenge {
  const chosen = env.rancher.tls.letsEncrypt?.challenge;
  if (chosen) return chosen;
  return http01Reachable(env) ? 'http01' : 'dns01';
}
