/**
 * `rancher.tls:` — how Rancher's certificate is made: Rancher's own CA, Let's Encrypt (HTTP-01 or
 * DNS-01), a certificate you bring (files or Secrets Manager) or ACM at the load balancer.
 *
 * Rules go in `checkTls` and its per-mode helpers: each mode's block is required with its mode and
 * refused without it, and a mode's needs of the zone (dns.ts), the load balancer and the
 * management distribution are checked here.
 */
import { z } from 'zod';
import { opensToEveryone } from '../network/cidr-plan';
import { letsEncryptChallenge } from '../tls/challenge';
import { reportProblem, SECRETS_MANAGER_ARN } from './fields';
import type { EnvironmentConfig } from './schema';

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const TLS_PATH = ['rancher', 'tls'] as const;

const secretTlsSchema = z
  .object({
    certificateFile: z.string().min(1).optional(),
    keyFile: z.string().min(1).optional(),
    caFile: z.string().min(1).optional(),
    /** A Secrets Manager secret holding JSON {certificate, key, ca?}. */
    secretsManagerArn: z
      .string()
      .regex(SECRETS_MANAGER_ARN, { message: 'expected a Secrets Manager secret ARN' })
      .optional(),
    /** A private CA signed the certificate: Rancher gets it as `tls-ca`. @default false */
    privateCA: z.boolean().default(false),
    /**
     * Bump to push the certificate again (a renewed file or secret): its values are write-only,
     * sent to Helm only when this grows. @default 1
     */
    revision: z.number().int().min(1).default(1),
  })
  .strict();

export const tlsSchema = z
  .object({
    mode: z.enum(['rancher', 'letsEncrypt', 'secret', 'acm']).default('rancher'),
    letsEncrypt: z
      .object({
        email: z.string().regex(EMAIL, { message: 'expected an e-mail address' }),
        environment: z.enum(['production', 'staging']).default('production'),
        /** @default http01 when the zone is public and the load balancer internet-facing, else dns01 */
        challenge: z.enum(['http01', 'dns01']).optional(),
      })
      .strict()
      .optional(),
    secret: secretTlsSchema.optional(),
  })
  .strict();

export type TlsConfig = z.output<typeof tlsSchema>;

/** Rules of the TLS mode and of the block that configures it. */
export function checkTls(env: EnvironmentConfig, ctx: z.RefinementCtx): void {
  const tls = env.rancher.tls;
  if (tls.mode !== 'letsEncrypt' && tls.letsEncrypt) {
    reportProblem(
      ctx,
      [...TLS_PATH, 'letsEncrypt'],
      'is only read when mode is letsEncrypt',
      tls.letsEncrypt,
    );
  }
  if (tls.mode !== 'secret' && tls.secret) {
    reportProblem(ctx, [...TLS_PATH, 'secret'], 'is only read when mode is secret', tls.secret);
  }
  if (tls.mode === 'letsEncrypt') checkLetsEncrypt(env, ctx);
  if (tls.mode === 'secret') checkSecret(tls.secret, ctx);
  if (tls.mode === 'acm') {
    const problem = publicZoneProblem(env);
    if (problem) {
      reportProblem(
        ctx,
        [...TLS_PATH, 'mode'],
        `acm needs dns.hostedZoneId of a public zone: ACM validates the certificate through public DNS, and ${problem}`,
        'acm',
      );
    }
  }
}

/**
 * Why the zone of the hostname cannot answer a validation query from the internet (ACM, Let's
 * Encrypt DNS-01), as the end of a sentence; undefined when it can. On the emulator the private
 * zone the stack creates stands in for a public one.
 */
function publicZoneProblem(env: EnvironmentConfig): string | undefined {
  if (env.dns.hostedZoneId && env.dns.hostedZoneVisibility === 'private') {
    return 'dns.hostedZoneVisibility says the zone is private';
  }
  if (!env.dns.hostedZoneId && env.target === 'aws') {
    return 'without dns.hostedZoneId the stack creates a private zone';
  }
  return undefined;
}

/** Let's Encrypt: an e-mail, and a challenge that can reach the hostname or its zone. */
function checkLetsEncrypt(env: EnvironmentConfig, ctx: z.RefinementCtx): void {
  const letsEncrypt = env.rancher.tls.letsEncrypt;
  const challengePath = [...TLS_PATH, 'letsEncrypt', 'challenge'];
  if (!letsEncrypt) {
    reportProblem(
      ctx,
      [...TLS_PATH, 'letsEncrypt'],
      'is required when mode is letsEncrypt (at least email)',
      undefined,
    );
    return;
  }
  const zoneIsPublic = Boolean(env.dns.hostedZoneId) && env.dns.hostedZoneVisibility === 'public';
  const challenge = letsEncryptChallenge(env);
  if (letsEncrypt.challenge === 'http01') {
    if (env.ingress.scheme === 'internal') {
      reportProblem(
        ctx,
        challengePath,
        'http01 needs an internet-facing load balancer (ingress.scheme); use dns01 with an internal one',
        'http01',
      );
    }
    if (!zoneIsPublic) {
      reportProblem(
        ctx,
        challengePath,
        'http01 needs a public hostname (dns.hostedZoneId of a public zone); use dns01 for a private zone',
        'http01',
      );
    }
    if (!opensToEveryone(env.ingress.allowedCidrs)) {
      reportProblem(
        ctx,
        challengePath,
        "http01 needs port 80 open to everyone (ingress.allowedCidrs with 0.0.0.0/0): Let's Encrypt validates from addresses it does not publish; use dns01 with a restricted allow-list",
        'http01',
      );
    }
  }
  const zoneProblem = challenge === 'dns01' ? publicZoneProblem(env) : undefined;
  if (zoneProblem) {
    const chosen = letsEncrypt.challenge
      ? 'dns01'
      : 'dns01 (chosen because http01 needs a public zone, an internet-facing load balancer and port 80 open to everyone)';
    reportProblem(
      ctx,
      challengePath,
      `${chosen} needs dns.hostedZoneId of a public zone that Let's Encrypt can query, and ${zoneProblem}`,
      challenge,
    );
  }
  if (letsEncrypt.environment === 'staging' && env.downstream.length > 0) {
    reportProblem(
      ctx,
      [...TLS_PATH, 'letsEncrypt', 'environment'],
      "staging cannot serve downstream clusters: its certificates chain to Let's Encrypt's staging root, which no system trust store holds, and cluster agents verify Rancher against the system store (agentTLSMode system-store); use production, or add the downstream clusters once it works",
      'staging',
    );
  }
  if (env.management.distribution === 'rke2') {
    if (challenge === 'dns01') {
      reportProblem(
        ctx,
        challengePath,
        'dns01 is not available with management.distribution rke2 (no IRSA: cert-manager would need Route 53 rights on the node role, which every pod could use); use http01 with a public zone, an internet-facing load balancer and port 80 open to everyone, or mode acm or secret',
        challenge,
      );
    }
  }
}

/** A certificate you bring: from files or from Secrets Manager, with its CA when private. */
function checkSecret(secret: TlsConfig['secret'], ctx: z.RefinementCtx): void {
  const path = [...TLS_PATH, 'secret'];
  const fromFiles = Boolean(secret?.certificateFile || secret?.keyFile);
  if (!secret || (!fromFiles && !secret.secretsManagerArn)) {
    reportProblem(
      ctx,
      path,
      'needs certificateFile and keyFile, or secretsManagerArn, when mode is secret',
      secret,
    );
  } else if (fromFiles && secret.secretsManagerArn) {
    reportProblem(
      ctx,
      path,
      'takes either certificateFile/keyFile or secretsManagerArn, not both',
      secret,
    );
  } else if (fromFiles && !(secret.certificateFile && secret.keyFile)) {
    reportProblem(ctx, path, 'needs both certificateFile and keyFile', secret);
  } else if (secret.caFile && !secret.privateCA) {
    reportProblem(ctx, [...path, 'caFile'], 'is only used with privateCA: true', secret.caFile);
  } else if (fromFiles && secret.privateCA && !secret.caFile) {
    reportProblem(
      ctx,
      [...path, 'caFile'],
      'is required when privateCA is true and the certificate comes from files',
      undefined,
    );
  }
}
