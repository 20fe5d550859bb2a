/**
 * The `rancher:` section: the pinned Rancher chart version, replicas, TLS (tls.ts) and extra Helm
 * values.
 *
 * Rules about the chart go in `checkRancher`: the version must be a pinned chart, the
 * management cluster's Kubernetes minor must be inside that chart's range, and `extraEnv` must
 * not set what the stack sets (`CATTLE_SERVER_URL`).
 */
import { z } from 'zod';
import {
  DEFAULT_RANCHER_VERSION,
  RANCHER_CHARTS,
  kubernetesMinorOf,
  rancherSupportsKubernetes,
} from '../versions';
import { rancherExtraEnvProblems } from '../rancher/values';
import { reportProblem } from './fields';
import { managementRke2 } from './management';
import type { EnvironmentConfig } from './schema';
import { tlsSchema } from './tls';

export const rancherSchema = z
  .object({
    /** Rancher chart and image version. @default 2.15.0 */
    version: z.string().default(DEFAULT_RANCHER_VERSION),
    /** @default min(3, nodes) */
    replicas: z.number().int().min(1).max(10).optional(),
    tls: tlsSchema.default(tlsSchema.parse({})),
    /** Extra Helm values merged last (escape hatch; still checked against the chart). */
    extraValues: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

/** Rules of the Rancher chart version, the Kubernetes it runs on, and extra values. */
export function checkRancher(env: EnvironmentConfig, ctx: z.RefinementCtx): void {
  const extraEnv = env.rancher.extraValues.extraEnv;
  for (const problem of rancherExtraEnvProblems(extraEnv)) {
    const at = problem.index === undefined ? [] : [problem.index];
    reportProblem(
      ctx,
      ['rancher', 'extraValues', 'extraEnv', ...at],
      problem.message,
      problem.index === undefined ? extraEnv : (extraEnv as unknown[])[problem.index],
    );
  }
  const version = env.rancher.version;
  if (!RANCHER_CHARTS[version]) {
    reportProblem(
      ctx,
      ['rancher', 'version'],
      `must be one of the pinned Rancher charts: ${Object.keys(RANCHER_CHARTS).join(', ')}`,
      version,
    );
    return;
  }
  const rke2 = env.management.distribution === 'rke2';
  const k8s = rke2
    ? kubernetesMinorOf(managementRke2(env.management).version)
    : env.management.kubernetesVersion;
  if (!rancherSupportsKubernetes(version, k8s)) {
    reportProblem(
      ctx,
      ['management', rke2 ? 'rke2' : 'kubernetesVersion'],
      `Kubernetes ${k8s} is outside Rancher ${version}'s range (${RANCHER_CHARTS[version].kubeVersion}, from ${RANCHER_CHARTS[version].minKubernetesMinor})`,
      k8s,
    );
  }
}
