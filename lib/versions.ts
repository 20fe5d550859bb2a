/**
 * Pinned versions and the upstream facts they rest on (see README "Versions").
 * Each pin is a default that an environment file can override within the supported set.
 */

/** Rancher chart versions this project knows, with the chart's `kubeVersion` constraint. */
export const RANCHER_CHARTS: Readonly<Record<string, RancherChartFacts>> = {
  '2.15.0': { kubeVersion: '< 1.37.0-0', minKubernetesMinor: '1.34' },
};

export interface RancherChartFacts {
  /** The chart's `kubeVersion` constraint, as Chart.yaml states it. */
  readonly kubeVersion: string;
  /** Oldest Kubernetes minor the Rancher release supports (its support matrix). */
  readonly minKubernetesMinor: string;
}

export const DEFAULT_RANCHER_VERSION = '2.15.0';
export const RANCHER_CHART_REPOSITORY = 'https://releases.rancher.com/server-charts/latest';

/** EKS Kubernetes minors in standard support for the whole life of this pin. */
export const EKS_KUBERNETES_VERSIONS = ['1.35', '1.36'] as const;
export const DEFAULT_EKS_KUBERNETES_VERSION = '1.36';

/** RKE2 releases known to work with the pinned Rancher (Kubernetes minor inside its range). */
export const RKE2_VERSIONS = ['v1.36.3+rke2r1', 'v1.35.7+rke2r1'] as const;
export const DEFAULT_RKE2_VERSION = 'v1.36.3+rke2r1';
/**
 * Version of the `rke2-traefik` chart each pinned RKE2 release bundles (its
 * charts/chart_versions.yaml): what the servers' HelmChartConfig values must fit.
 */
export const RKE2_BUNDLED_TRAEFIK_CHART: Readonly<Record<(typeof RKE2_VERSIONS)[number], string>> =
  {
    'v1.36.3+rke2r1': '40.1.009',
    'v1.35.7+rke2r1': '40.1.009',
  };

export const CERT_MANAGER_CHART = {
  name: 'cert-manager',
  repository: 'https://charts.jetstack.io',
  version: 'v1.21.1',
} as const;

export const TRAEFIK_CHART = {
  name: 'traefik',
  repository: 'https://traefik.github.io/charts',
  version: '41.3.0',
} as const;

export const AWS_PROVIDER_VERSION = '5.100.0';

/** `1.36` from `1.36`, `1.36.3` or `v1.36.3+rke2r1`. */
export function kubernetesMinorOf(version: string): string {
  const match = /^v?(\d+)\.(\d+)/.exec(version);
  if (!match) throw new Error(`not a Kubernetes version: ${version}`);
  return `${match[1]}.${match[2]}`;
}

function minorNumber(minor: string): number {
  const [major, min] = minor.split('.').map(Number);
  return major * 1000 + min;
}

/**
 * Whether Kubernetes `minor` (e.g. `1.36`) satisfies the Rancher chart's range.
 * Only the `< X.Y.0-0` form used by Rancher charts is understood; anything else is rejected.
 */
export function rancherSupportsKubernetes(rancherVersion: string, minor: string): boolean {
  const facts = RANCHER_CHARTS[rancherVersion];
  if (!facts) return false;
  const upper = /^<\s*(\d+\.\d+)\.0-0$/.exec(facts.kubeVersion);
  if (!upper) throw new Error(`unsupported kubeVersion form: ${facts.kubeVersion}`);
  const value = minorNumber(minor);
  return value < minorNumber(upper[1]) && value >= minorNumber(facts.minKubernetesMinor);
}
