/**
 * The `ingress:` section (the load balancer in front of Rancher: scheme, client CIDRs) and the
 * `dns:` section (Rancher's hostname, an existing Route 53 zone or the private zone the stack
 * creates).
 *
 * Rules about the hostname and its zone go in `checkDns`; rules that tie a TLS mode to the zone
 * or the load balancer are in tls.ts.
 */
import { z } from 'zod';
import { cidr, reportProblem } from './fields';
import type { EnvironmentConfig } from './schema';

const HOSTNAME_PATTERN = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export const ingressSchema = z
  .object({
    /** NLB scheme. @default internet-facing */
    scheme: z.enum(['internet-facing', 'internal']).default('internet-facing'),
    /** Client CIDRs allowed to 80/443. @default 0.0.0.0/0 */
    allowedCidrs: z.array(cidr).min(1).default(['0.0.0.0/0']),
  })
  .strict();

export const dnsSchema = z
  .object({
    /** Rancher's hostname (lower case). */
    hostname: z.string().regex(HOSTNAME_PATTERN, {
      message: 'expected a lower-case DNS name such as rancher.example.com',
    }),
    /** An existing Route 53 hosted zone. Without it the stack creates a private zone. */
    hostedZoneId: z
      .string()
      .regex(/^Z[A-Z0-9]{1,31}$/, {
        message: 'expected a Route 53 hosted zone id such as Z0123456789ABC',
      })
      .optional(),
    /** Whether the existing zone is public (decides Let's Encrypt HTTP-01). @default public */
    hostedZoneVisibility: z.enum(['public', 'private']).default('public'),
    /**
     * Name of the private zone the stack creates. A parent domain shadows every other name under it
     * in the VPCs the zone is associated with. @default the hostname itself
     */
    privateZoneName: z
      .string()
      .regex(HOSTNAME_PATTERN, { message: 'expected a lower-case DNS name' })
      .optional(),
  })
  .strict();

/**
 * Name of the private zone the stack creates when no hostedZoneId is given: `privateZoneName`, else
 * the hostname itself. A private zone answers every name under it inside the VPCs associated with
 * it (NXDOMAIN for the names it lacks), so a zone for the hostname's parent would hide that whole
 * domain from the management VPC and every downstream VPC.
 */
export function createdZoneName(
  dns: Pick<EnvironmentConfig['dns'], 'hostname' | 'privateZoneName'>,
): string {
  return dns.privateZoneName ?? dns.hostname;
}

/** Rules of the hostname and of the zone its record goes in. */
export function checkDns(env: EnvironmentConfig, ctx: z.RefinementCtx): void {
  const { dns } = env;
  if (dns.hostedZoneId && dns.privateZoneName) {
    reportProblem(
      ctx,
      ['dns', 'privateZoneName'],
      'is only used when the stack creates the zone (no hostedZoneId)',
      dns.privateZoneName,
    );
  }
  const zoneName = createdZoneName(dns);
  if (!dns.hostedZoneId && zoneName !== dns.hostname && !dns.hostname.endsWith(`.${zoneName}`)) {
    reportProblem(
      ctx,
      ['dns', 'privateZoneName'],
      `must be dns.hostname (${dns.hostname}) or a parent domain of it`,
      zoneName,
    );
  }
}
