/**
 * The one-minor-at-a-time rule of Kubernetes upgrades, checked against what is deployed.
 *
 * The environment file alone cannot say whether a version is a step or a leap: that needs the
 * version running now, which only AWS knows (synth never reads state). `upgrade:check` reads it
 * through a `DeployedVersionReader` and hands it to the pure functions here.
 *
 * Pure: no cdktf, no AWS SDK. The clusters of an environment come from
 * lib/environments/upgrade-targets.ts, the AWS reader is ./aws-reader.ts, the CLI
 * scripts/upgrade-check.ts.
 */
import { kubernetesMinorOf } from '../versions';

/** Where the deployed version of one cluster is read from. */
export type DeployedVersionSource =
  | { readonly kind: 'eks'; readonly clusterName: string }
  | { readonly kind: 'rke2'; readonly launchTemplateName: string };

/** One cluster of the environment whose version the file sets. */
export interface ClusterVersionTarget {
  /** The field of the environment file, e.g. `management.kubernetesVersion`. */
  readonly field: string;
  /** The version the file asks for: an EKS minor (`1.36`) or an RKE2 release. */
  readonly desired: string;
  readonly source: DeployedVersionSource;
}

/** Reads the version a cluster runs; undefined when the cluster does not exist (yet). */
export interface DeployedVersionReader {
  eksClusterVersion(clusterName: string): Promise<string | undefined>;
  rke2LaunchTemplateVersion(launchTemplateName: string): Promise<string | undefined>;
}

export type VersionStepVerdict = 'new' | 'unchanged' | 'upgrade' | 'refused';

/** The outcome for one cluster. */
export interface VersionStepResult {
  readonly field: string;
  readonly desired: string;
  /** Undefined when nothing is deployed. */
  readonly deployed?: string;
  readonly verdict: VersionStepVerdict;
  /** Set when refused: a full sentence naming the field, both versions and what is accepted. */
  readonly problem?: string;
}

function minorParts(version: string): [number, number] {
  const [major, minor] = kubernetesMinorOf(version).split('.').map(Number);
  return [major, minor];
}

/** Orders releases of one minor: `v1.35.7+rke2r1` -> 7001; 0 for an EKS minor (`1.35`). */
function patchRank(version: string): number {
  const match = /^v?\d+\.\d+\.(\d+)(?:\+rke2r(\d+))?/.exec(version);
  return match ? Number(match[1]) * 1000 + Number(match[2] ?? 0) : 0;
}

/**
 * Kubernetes (and so EKS and RKE2) upgrades one minor at a time and never downgrades a control
 * plane or etcd: a release older than the deployed one (patch included) is refused.
 */
export function checkVersionStep(
  field: string,
  desired: string,
  deployed: string | undefined,
): VersionStepResult {
  if (deployed === undefined) return { field, desired, verdict: 'new' };
  if (deployed === desired) return { field, desired, deployed, verdict: 'unchanged' };
  const [fromMajor, fromMinor] = minorParts(deployed);
  const [toMajor, toMinor] = minorParts(desired);
  const refuse = (problem: string): VersionStepResult => ({
    field,
    desired,
    deployed,
    verdict: 'refused',
    problem,
  });
  const older =
    toMajor < fromMajor ||
    (toMajor === fromMajor && toMinor < fromMinor) ||
    (toMajor === fromMajor && toMinor === fromMinor && patchRank(desired) < patchRank(deployed));
  if (older) {
    return refuse(
      `${field}: ${desired} is older than the deployed ${deployed}; downgrades are refused (Kubernetes cannot move a control plane or etcd back; restore from a backup instead). Keep ${deployed} or move forward.`,
    );
  }
  if (toMajor !== fromMajor || toMinor > fromMinor + 1) {
    return refuse(
      `${field}: ${desired} skips a Kubernetes minor; the deployed cluster runs ${deployed}, and upgrades go one minor at a time: set ${fromMajor}.${fromMinor + 1} first, deploy, then ${desired}.`,
    );
  }
  return { field, desired, deployed, verdict: 'upgrade' };
}

/** Reads every cluster's deployed version and checks each step. */
export async function checkUpgrade(
  targets: readonly ClusterVersionTarget[],
  reader: DeployedVersionReader,
): Promise<VersionStepResult[]> {
  const results: VersionStepResult[] = [];
  for (const target of targets) {
    const deployed =
      target.source.kind === 'eks'
        ? await reader.eksClusterVersion(target.source.clusterName)
        : await reader.rke2LaunchTemplateVersion(target.source.launchTemplateName);
    results.push(checkVersionStep(target.field, target.desired, deployed));
  }
  return results;
}

/** One line per cluster, for the CLI. */
export function describeStep(result: VersionStepResult): string {
  switch (result.verdict) {
    case 'new':
      return `${result.field}: ${result.desired} (not deployed yet)`;
    case 'unchanged':
      return `${result.field}: ${result.desired} (unchanged)`;
    case 'upgrade':
      return `${result.field}: ${result.deployed} -> ${result.desired} (one step, allowed)`;
    case 'refused':
      return result.problem ?? `${result.field}: refused`;
  }
}
