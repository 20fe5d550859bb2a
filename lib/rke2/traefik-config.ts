/**
 * Values for RKE2's bundled Traefik (chart `rke2-traefik`, a DaemonSet in kube-system with host
 * ports 80 and 443), delivered as a HelmChartConfig manifest the servers write into RKE2's
 * manifests folder at boot. Pure: no cdktf imports.
 *
 * RKE2 applies every file in `/var/lib/rancher/rke2/server/manifests` and its Helm controller
 * layers the `valuesContent` of the HelmChartConfig named like a bundled chart (`rke2-traefik` in
 * kube-system) over that chart's values. Every server writes the same file, so whichever applies
 * it, the result is the same.
 */
import { stringify } from 'yaml';
import { tlsOffloadEntrypointValues } from '../addons/traefik-values';
import { RKE2_INGRESS_TARGET_PORTS } from '../ingress/ports';
import type { UntypedKubernetesObject } from '../k8s/types';

export const RKE2_TRAEFIK_CHART = 'rke2-traefik';
export const RKE2_TRAEFIK_NAMESPACE = 'kube-system';
/** File name in RKE2's manifests folder; RKE2's own chart files are `<chart>.yaml`. */
export const RKE2_TRAEFIK_CONFIG_FILE = `${RKE2_TRAEFIK_CHART}-config.yaml`;

export interface Rke2TraefikOptions {
  /**
   * Add the `tls-offload` entrypoint on host port 8001 for a load balancer that ends TLS.
   * @default false
   */
  readonly tlsOffload?: boolean;
}

/** Values layered over the rke2-traefik chart's; empty when nothing differs from RKE2's. */
export function rke2TraefikValues(options: Rke2TraefikOptions = {}): Record<string, unknown> {
  if (!options.tlsOffload) return {};
  const port = RKE2_INGRESS_TARGET_PORTS.tlsOffload;
  return tlsOffloadEntrypointValues({
    namespace: RKE2_TRAEFIK_NAMESPACE,
    port,
    hostPort: port,
  });
}

/** The HelmChartConfig object carrying `values`. */
export function rke2TraefikHelmChartConfig(
  values: Record<string, unknown>,
): UntypedKubernetesObject {
  return {
    apiVersion: 'helm.cattle.io/v1',
    kind: 'HelmChartConfig',
    metadata: { name: RKE2_TRAEFIK_CHART, namespace: RKE2_TRAEFIK_NAMESPACE },
    spec: { valuesContent: stringify(values, { lineWidth: 0 }) },
  };
}

/**
 * Manifest files (name -> YAML) for the servers' manifests folder: the HelmChartConfig when the
 * options change anything, else none.
 */
export function rke2TraefikManifests(options: Rke2TraefikOptions = {}): Record<string, string> {
  const values = rke2TraefikValues(options);
  if (Object.keys(values).length === 0) return {};
  return {
    [RKE2_TRAEFIK_CONFIG_FILE]: stringify(rke2TraefikHelmChartConfig(values), { lineWidth: 0 }),
  };
}
