/**
 * The HTTP proxy every component of an environment goes out through, and the list of
 * destinations that must bypass it. Pure: no cdktf imports.
 *
 * Facts this rests on:
 * - Rancher chart v2.15.0 (chart/templates/deployment.yaml) takes one `proxy` value and sets it as
 *   both HTTP_PROXY and HTTPS_PROXY, with `noProxy` (one comma-separated string) as NO_PROXY.
 *   The chart's default `noProxy` is 127.0.0.0/8,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,.svc,
 *   .cluster.local; rancher-backup v11.0.1 has the same two values and the same default.
 * - Go's proxy selection (golang.org/x/net/http/httpproxy) matches NO_PROXY entries against the
 *   host as written in the URL: a CIDR only matches IP literals, so a DNS name that resolves
 *   inside the VPC (the RKE2 registration load balancer) must be listed by name.
 * - curl ignores an upper-case HTTP_PROXY (only `http_proxy`), so a shell exports both cases.
 */

/** What Rancher's chart puts in `noProxy` by default (chart values v2.15.0), kept first. */
export const RANCHER_DEFAULT_NO_PROXY = [
  '127.0.0.0/8',
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '.svc',
  '.cluster.local',
] as const;

/**
 * What Rancher's v2.15 proxy page lists as required in NO_PROXY besides the chart's defaults
 * (reference-guides/single-node-rancher-in-docker/http-proxy-configuration).
 */
export const RANCHER_DOCUMENTED_NO_PROXY = ['localhost', '0.0.0.0', 'cattle-system.svc'] as const;

/** The instance metadata service: IMDS calls must never go to a proxy. */
export const INSTANCE_METADATA_ADDRESS = '169.254.169.254';

/** RKE2's default cluster (pod) and service CIDRs (rke2 server flags, v1.36). */
export const RKE2_DEFAULT_CLUSTER_CIDR = '10.42.0.0/16';
export const RKE2_DEFAULT_SERVICE_CIDR = '10.43.0.0/16';

export interface ProxySettings {
  /** `http(s)://host:port` of the proxy, used for HTTP and HTTPS alike. */
  readonly url: string;
  /** Every destination that bypasses the proxy (the required ones and the operator's). */
  readonly noProxy: readonly string[];
}

export interface ProxyOptions {
  /** `http(s)://host:port`, without credentials or path. */
  readonly url: string;
  /** CIDRs of the VPCs the cluster's nodes and load balancers live in. */
  readonly vpcCidrs: readonly string[];
  /**
   * The cluster's pod and service CIDRs.
   * @default - RKE2's defaults, 10.42.0.0/16 and 10.43.0.0/16
   */
  readonly clusterCidrs?: readonly string[];
  /**
   * The operator's own entries (host names, `.domain` suffixes, IPs, CIDRs), added after the
   * required ones.
   * @default []
   */
  readonly extraNoProxy?: readonly string[];
}

const PROXY_URL = /^https?:\/\/[A-Za-z0-9.-]+:\d{1,5}\/?$/;
const NO_PROXY_ENTRY = /^(\.?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:\d{1,5})?|[0-9.]+\/\d{1,2})$/;

/** Why `url` is not a usable proxy URL, or undefined when it is. */
export function proxyUrlProblem(url: string): string | undefined {
  if (/^[a-z]+:\/\/[^/]*@/i.test(url)) {
    return 'must not carry credentials: they would end up in user data, Helm values and Terraform state; use a proxy that admits the VPC by address';
  }
  if (!PROXY_URL.test(url)) {
    return 'must be http://host:port or https://host:port, with no path';
  }
  const port = Number(url.replace(/\/$/, '').split(':').pop());
  if (port < 1 || port > 65535) return 'has a port outside 1-65535';
  return undefined;
}

/** Why `entry` is not a NO_PROXY entry, or undefined when it is. */
export function noProxyEntryProblem(entry: string): string | undefined {
  return NO_PROXY_ENTRY.test(entry)
    ? undefined
    : 'must be a host name, a .domain suffix, an IPv4 address or CIDR (no scheme, path, comma or space)';
}

/**
 * The proxy URL and the full NO_PROXY list: Rancher's defaults and documented entries, the metadata service,
 * the VPC CIDRs, the cluster CIDRs, then the operator's entries, without duplicates.
 */
export function proxySettings(options: ProxyOptions): ProxySettings {
  const problem = proxyUrlProblem(options.url);
  if (problem) throw new Error(`proxy url ${problem}; got "${options.url}".`);
  for (const entry of options.extraNoProxy ?? []) {
    const entryProblem = noProxyEntryProblem(entry);
    if (entryProblem) throw new Error(`proxy noProxy entry ${entryProblem}; got "${entry}".`);
  }
  const noProxy = [
    ...RANCHER_DEFAULT_NO_PROXY,
    ...RANCHER_DOCUMENTED_NO_PROXY,
    INSTANCE_METADATA_ADDRESS,
    ...options.vpcCidrs,
    ...(options.clusterCidrs ?? [RKE2_DEFAULT_CLUSTER_CIDR, RKE2_DEFAULT_SERVICE_CIDR]),
    ...(options.extraNoProxy ?? []),
  ];
  return { url: options.url, noProxy: [...new Set(noProxy)] };
}

/** The variables a process reads its proxy from, in both cases (curl reads only lower case). */
export function proxyEnvironment(proxy: ProxySettings): Record<string, string> {
  const noProxy = proxy.noProxy.join(',');
  return {
    HTTP_PROXY: proxy.url,
    HTTPS_PROXY: proxy.url,
    NO_PROXY: noProxy,
    http_proxy: proxy.url,
    https_proxy: proxy.url,
    no_proxy: noProxy,
  };
}

/**
 * The proxy as container environment variables (HTTP_PROXY, HTTPS_PROXY, NO_PROXY): the cluster
 * agent's own, and the imported cluster's `spec.agentEnvVars`, which Rancher copies into the agent
 * it deploys (pkg/controllers/provisioningv2/cluster/controller.go, v2.15.0).
 */
export function proxyEnvVars(proxy: ProxySettings): { name: string; value: string }[] {
  const noProxy = proxy.noProxy.join(',');
  return [
    { name: 'HTTP_PROXY', value: proxy.url },
    { name: 'HTTPS_PROXY', value: proxy.url },
    { name: 'NO_PROXY', value: noProxy },
  ];
}
