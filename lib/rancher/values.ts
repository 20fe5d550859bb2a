/**
 * Helm values of the Rancher chart (pinned 2.15.0) from typed options. Pure: no cdktf imports.
 *
 * Facts this rests on (Rancher chart templates, reference/VERSIONS.md):
 * - The chart creates a cert-manager Issuer for `ingress.tls.source` rancher (its own CA) and
 *   letsEncrypt (ACME HTTP-01 through `letsEncrypt.ingress.class`), and neither when
 *   `tls: external` or source `secret`.
 * - Rancher keeps its CA certificates (`cacerts`) only for its own CA (tls ingress + source
 *   rancher) or `privateCA: true`; otherwise it runs with `--no-cacerts`, `cacerts` is empty and a
 *   strict agent cannot verify the server: agents must use `system-store` there.
 * - With `tls: external` the Ingress has no TLS section and Rancher serves plain HTTP behind it.
 * - Rancher's `server-url` setting is only set by the first login in the UI or by the
 *   `CATTLE_SERVER_URL` variable (pkg/settings: the variable wins over the stored setting and
 *   makes it read-only). Without it, imported clusters wait for it forever and Fleet has no API
 *   URL, so the chart's `extraEnv` always carries it.
 */
import type { ProxySettings } from '../airgap/proxy';
import { rancherRegistryValues } from '../airgap/registry';
import { deepMerge } from '../util/deep-merge';

export const RANCHER_RELEASE_NAME = 'rancher';
export const RANCHER_NAMESPACE = 'cattle-system';
/** Secret the chart's Ingress serves for tls.source `secret` (and the Certificate writes). */
export const RANCHER_TLS_SECRET_NAME = 'tls-rancher-ingress';
/** Secret (key `cacerts.pem`) holding the private CA when `privateCA` is true. */
export const RANCHER_PRIVATE_CA_SECRET_NAME = 'tls-ca';
/**
 * Value path of the bootstrap admin password. The stack passes it with helm `set_sensitive` so
 * it never lands in plain values, plans or logs; it is never part of `rancherChartValues`.
 */
export const RANCHER_BOOTSTRAP_PASSWORD_VALUE = 'bootstrapPassword';

/** Environment variable Rancher reads its `server-url` setting from. */
export const RANCHER_SERVER_URL_ENV = 'CATTLE_SERVER_URL';

export const DEFAULT_RANCHER_REPLICAS = 3;
export const DEFAULT_RANCHER_INGRESS_CLASS = 'traefik';

export const ZONE_TOPOLOGY_KEY = 'topology.kubernetes.io/zone';
export const HOST_TOPOLOGY_KEY = 'kubernetes.io/hostname';

/** How Rancher's HTTPS certificate is obtained and where TLS ends. */
export type RancherTls =
  /** Rancher's own self-signed CA, issued through cert-manager (chart default). */
  | { readonly mode: 'rancher' }
  /** Let's Encrypt HTTP-01 through the chart's own cert-manager Issuer. */
  | {
      readonly mode: 'letsEncrypt';
      readonly email: string;
      readonly environment: 'production' | 'staging';
    }
  /**
   * Let's Encrypt DNS-01: the stack's cert-manager Certificate writes `tls-rancher-ingress`;
   * the chart only serves that secret (public CA).
   */
  | { readonly mode: 'certManagerSecret' }
  /** A certificate the operator brings in `tls-rancher-ingress` (and `tls-ca` for a private CA). */
  | { readonly mode: 'secret'; readonly privateCA: boolean }
  /** TLS ends at the load balancer (ACM certificate, a public CA); Rancher serves plain HTTP. */
  | { readonly mode: 'external' };

export type RancherTlsMode = RancherTls['mode'];
export type AgentTlsMode = 'strict' | 'system-store';

export interface RancherValuesOptions {
  /** Fully qualified name users and agents reach Rancher at, e.g. `rancher.example.com`. */
  readonly hostname: string;
  /**
   * Rancher server replicas.
   * @default 3
   */
  readonly replicas?: number;
  /**
   * How Rancher's certificate is obtained.
   * @default { mode: 'rancher' }
   */
  readonly tls?: RancherTls;
  /**
   * IngressClass of the Rancher Ingress (and of Let's Encrypt HTTP-01 solver Ingresses).
   * @default 'traefik'
   */
  readonly ingressClassName?: string;
  /**
   * Availability zones the cluster's nodes span. With more than one, Rancher pods are spread
   * across zones (a zone outage then takes at most one replica of three); with one, across hosts.
   * @default 1
   */
  readonly zoneCount?: number;
  /**
   * Pod anti-affinity strength. `preferred` keeps rollouts and single-node profiles schedulable;
   * `required` refuses to co-locate replicas at all.
   * @default 'preferred'
   */
  readonly antiAffinity?: 'preferred' | 'required';
  /**
   * Registry host Rancher's image and everything Rancher deploys come from (`systemDefaultRegistry`).
   * @default - public registries
   */
  readonly systemDefaultRegistry?: string;
  /**
   * HTTP proxy Rancher goes out through (`proxy`, `noProxy`).
   * @default - none
   */
  readonly proxy?: ProxySettings;
  /**
   * Values merged last (deep merge: maps merge, lists and scalars replace).
   * @default - none
   */
  readonly extraValues?: Record<string, unknown>;
}

/** `https://<hostname>`: Rancher's server URL as its `server-url` setting holds it. */
export function rancherServerUrl(hostname: string): string {
  return `https://${hostname}`;
}

/** A problem with user `extraEnv` entries; `index` names the entry when one is at fault. */
export interface ExtraEnvProblem {
  readonly index?: number;
  readonly message: string;
}

/**
 * Problems with a user's `extraEnv` (Rancher chart): it must be a list of objects with a `name`,
 * and must not set a variable the stack sets itself (`CATTLE_SERVER_URL`, kept equal to the
 * hostname so that Rancher, its agents and Fleet agree on one URL). Empty when it is fine.
 */
export function rancherExtraEnvProblems(extraEnv: unknown): ExtraEnvProblem[] {
  if (extraEnv === undefined) return [];
  if (!Array.isArray(extraEnv)) {
    return [{ message: 'must be a list of environment variables ({ name, value })' }];
  }
  const problems: ExtraEnvProblem[] = [];
  extraEnv.forEach((entry: unknown, index) => {
    const name = isRecord(entry) ? entry.name : undefined;
    if (typeof name !== 'string' || name === '') {
      problems.push({ index, message: 'must be an environment variable with a name' });
    } else if (name === RANCHER_SERVER_URL_ENV) {
      problems.push({
        index,
        message: `must not set ${RANCHER_SERVER_URL_ENV}: the stack sets it to https://<dns.hostname> (Rancher's server-url)`,
      });
    }
  });
  return problems;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const HOSTNAME_PATTERN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A value only known at apply time (a cdktf token renders as `${TfToken[...]}`): not checked. */
function isUnresolved(value: string): boolean {
  return value.includes('${');
}

/** Whether cert-manager must be installed before Rancher for this TLS mode. */
export function rancherNeedsCertManager(tls: RancherTls): boolean {
  switch (tls.mode) {
    case 'rancher':
    case 'letsEncrypt':
      return true; // the chart itself creates cert-manager Issuers
    case 'certManagerSecret':
      return true; // the stack's Certificate is a cert-manager resource
    case 'secret':
    case 'external':
      return false;
  }
}

/** Agent TLS verification that works for this TLS mode (see VERSIONS.md). */
export function rancherAgentTlsMode(tls: RancherTls): AgentTlsMode {
  switch (tls.mode) {
    case 'rancher':
      return 'strict';
    case 'secret':
      return tls.privateCA ? 'strict' : 'system-store';
    case 'letsEncrypt':
    case 'certManagerSecret':
    case 'external':
      return 'system-store';
  }
}

function tlsValues(tls: RancherTls, ingressClassName: string): Record<string, unknown> {
  switch (tls.mode) {
    case 'rancher':
      return { tls: 'ingress', ingress: { tls: { source: 'rancher' } } };
    case 'letsEncrypt':
      return {
        tls: 'ingress',
        ingress: { tls: { source: 'letsEncrypt' } },
        letsEncrypt: {
          email: tls.email,
          environment: tls.environment,
          ingress: { class: ingressClassName },
        },
      };
    case 'certManagerSecret':
      return {
        tls: 'ingress',
        ingress: { tls: { source: 'secret', secretName: RANCHER_TLS_SECRET_NAME } },
        privateCA: false,
      };
    case 'secret':
      return {
        tls: 'ingress',
        ingress: { tls: { source: 'secret', secretName: RANCHER_TLS_SECRET_NAME } },
        privateCA: tls.privateCA,
      };
    case 'external':
      return { tls: 'external' };
  }
}

function validate(options: RancherValuesOptions, tls: RancherTls, replicas: number): void {
  if (!isUnresolved(options.hostname) && !HOSTNAME_PATTERN.test(options.hostname)) {
    throw new Error(
      `hostname must be a lower-case fully qualified DNS name such as rancher.example.com; got "${options.hostname}".`,
    );
  }
  if (!Number.isInteger(replicas) || replicas < 1) {
    throw new Error(`replicas must be a whole number of at least 1; got ${replicas}.`);
  }
  const zones = options.zoneCount ?? 1;
  if (!Number.isInteger(zones) || zones < 1) {
    throw new Error(`zoneCount must be a whole number of at least 1; got ${zones}.`);
  }
  if (options.ingressClassName !== undefined && options.ingressClassName.trim() === '') {
    throw new Error('ingressClassName must not be empty; leave it out to use "traefik".');
  }
  if (tls.mode === 'letsEncrypt') {
    if (!isUnresolved(tls.email) && !EMAIL_PATTERN.test(tls.email)) {
      throw new Error(
        `tls.email must be an email address for Let's Encrypt account notices; got "${tls.email}".`,
      );
    }
    if (tls.environment !== 'production' && tls.environment !== 'staging') {
      throw new Error(
        `tls.environment must be "production" or "staging"; got "${String(tls.environment)}".`,
      );
    }
  }
}

/** Helm values for the Rancher chart. The bootstrap password is deliberately not among them. */
export function rancherChartValues(options: RancherValuesOptions): Record<string, unknown> {
  const tls = options.tls ?? { mode: 'rancher' };
  const replicas = options.replicas ?? DEFAULT_RANCHER_REPLICAS;
  validate(options, tls, replicas);
  const ingressClassName = options.ingressClassName ?? DEFAULT_RANCHER_INGRESS_CLASS;
  const multiZone = (options.zoneCount ?? 1) > 1;

  const base: Record<string, unknown> = {
    hostname: options.hostname,
    extraEnv: [{ name: RANCHER_SERVER_URL_ENV, value: rancherServerUrl(options.hostname) }],
    replicas,
    antiAffinity: options.antiAffinity ?? 'preferred',
    topologyKey: multiZone ? ZONE_TOPOLOGY_KEY : HOST_TOPOLOGY_KEY,
    agentTLSMode: rancherAgentTlsMode(tls),
    networkExposure: { type: 'ingress' },
    ingress: { enabled: true, ingressClassName },
  };
  let values = deepMerge(base, tlsValues(tls, ingressClassName));
  if (options.systemDefaultRegistry !== undefined) {
    values = deepMerge(values, rancherRegistryValues(options.systemDefaultRegistry));
  }
  if (options.proxy) {
    // The chart sets HTTP_PROXY and HTTPS_PROXY from `proxy`, NO_PROXY from `noProxy` (a string).
    values = deepMerge(values, {
      proxy: options.proxy.url,
      noProxy: options.proxy.noProxy.join(','),
    });
  }
  const extra = options.extraValues;
  if (!extra) return values;
  if (RANCHER_BOOTSTRAP_PASSWORD_VALUE in extra) {
    throw new Error(
      `extraValues must not set ${RANCHER_BOOTSTRAP_PASSWORD_VALUE}; the stack passes it as a sensitive value.`,
    );
  }
  const [problem] = rancherExtraEnvProblems(extra.extraEnv);
  if (problem) {
    const at = problem.index === undefined ? '' : `[${problem.index}]`;
    throw new Error(`extraValues.extraEnv${at} ${problem.message}.`);
  }
  const merged = deepMerge(values, extra);
  // Lists replace in a deep merge: the user's variables come after the stack's, never instead.
  if (Array.isArray(extra.extraEnv)) {
    merged.extraEnv = [...(values.extraEnv as unknown[]), ...(extra.extraEnv as unknown[])];
  }
  return merged;
}
