/** How Let's Encrypt validates the hostname. Pure: no cdktf imports. */
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
  readonly ingress: { readonly scheme: 'internet-facing' | 'internal' };
}

/** The configured challenge, else HTTP-01 when the hostname is public and reachable, else DNS-01. */
export function letsEncryptChallenge(env: ChallengeInputs): LetsEncryptChallenge {
  const chosen = env.rancher.tls.letsEncrypt?.challenge;
  if (chosen) return chosen;
  const publicZone = Boolean(env.dns.hostedZoneId) && env.dns.hostedZoneVisibility === 'public';
  return publicZone && env.ingress.scheme === 'internet-facing' ? 'http01' : 'dns01';
}
