/**
 * Pinned versions and the upstream facts they rest on (see README "Versions").
 * Each pin is a default that an environment file can override within the supported set.
 */

/** Rancher chart versions this project knows, with the chart's `kubeVersion` constraint. */
export const RANCHER_CHARTS: Readonly<Record<string, RancherChartFacts>> = {
  '2.15.0': { kubeVersion: '< 1.37.0-0', minKubernetesMinor: '1.34' },
  // The previous minor's newest patch (`stable` channel at the cut-off), kept so that an
  // environment deployed with it can be planned and upgraded; 2.15.0 is the first 2.15 GA.
  '2.14.4': { kubeVersion: '< 1.36.0-0', minKubernetesMinor: '1.33' },
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
export type EksKubernetesVersion = (typeof EKS_KUBERNETES_VERSIONS)[number];

/** The EKS core add-ons the project installs as `aws_eks_addon`s. */
export type EksCoreAddOnName = 'vpc-cni' | 'coredns' | 'kube-proxy';

/**
 * EKS add-on versions per Kubernetes minor: the latest version of the Amazon EKS add-on type that
 * AWS lists for that minor, read from the Amazon EKS User Guide (stored copies of mid 2026):
 * - kube-proxy: docs.aws.amazon.com/ja_jp/eks/latest/userguide/managing-kube-proxy.md
 *   ("kube-proxy versions": 1.36 v1.36.0-eksbuild.14, 1.35 v1.35.3-eksbuild.13);
 * - coredns: docs.aws.amazon.com/ja_jp/eks/latest/userguide/managing-coredns.md
 *   ("CoreDNS versions": 1.36 and 1.35 v1.14.3-eksbuild.3);
 * - vpc-cni: docs.amazonaws.cn/eks/latest/userguide/managing-vpc-cni.md ("Amazon VPC CNI
 *   versions": v1.21.1-eksbuild.7 for every minor from 1.29 to 1.35). No stored copy had a 1.36
 *   row yet; the VPC CNI add-on is one version for every minor, so 1.36 gets the same. Check it
 *   with `aws eks describe-addon-versions --addon-name vpc-cni --kubernetes-version 1.36`.
 * A new pin goes in after checking the same pages; the add-ons move with the control plane (an
 * upgrade of the cluster's minor updates them right after the cluster).
 */
export const EKS_ADDON_VERSIONS: Readonly<
  Record<EksKubernetesVersion, Readonly<Record<EksCoreAddOnName, string>>>
> = {
  '1.35': {
    'vpc-cni': 'v1.21.1-eksbuild.7',
    coredns: 'v1.14.3-eksbuild.3',
    'kube-proxy': 'v1.35.3-eksbuild.13',
  },
  '1.36': {
    'vpc-cni': 'v1.21.1-eksbuild.7',
    coredns: 'v1.14.3-eksbuild.3',
    'kube-proxy': 'v1.36.0-eksbuild.14',
  },
};

/** The pinned add-on versions of an EKS Kubernetes minor. */
export function eksAddOnVersions(minor: string): Readonly<Record<EksCoreAddOnName, string>> {
  const versions = (
    EKS_ADDON_VERSIONS as Readonly<Record<string, Record<EksCoreAddOnName, string>>>
  )[minor];
  if (!versions) {
    throw new Error(
      `kubernetesVersion ${minor} has no pinned EKS add-on versions; expected one of ${EKS_KUBERNETES_VERSIONS.join(', ')}.`,
    );
  }
  return versions;
}

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

/** Rancher's chart repository (cluster tools such as rancher-backup). */
export const RANCHER_CHARTS_REPOSITORY = 'https://charts.rancher.io';

/**
 * rancher-backup and rancher-backup-crd for Rancher 2.15: operator v11.0.1 (chart annotation
 * `catalog.cattle.io/rancher-version: >= 2.15.0-0 < 2.16.0-0`). The Rancher charts repository
 * publishes it as `<charts version>+up<operator version>`; the charts version follows
 * backup-restore-operator v11.0.1 .github/workflows/push-to-charts/update-package-yaml.sh: a new
 * operator major starts a new charts major (2.14's operator 10.x is published as 109.x), a patch
 * bumps the charts patch. Both charts share the version.
 */
export const RANCHER_BACKUP_CHARTS = {
  repository: RANCHER_CHARTS_REPOSITORY,
  operator: 'rancher-backup',
  crds: 'rancher-backup-crd',
  appVersion: '11.0.1',
  version: '110.0.1+up11.0.1',
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
