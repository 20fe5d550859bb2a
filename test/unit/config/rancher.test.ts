import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { checkRancher } from '../../../lib/config/rancher';
import type { EnvironmentConfig } from '../../../lib/config/schema';
import { environment } from '../../helpers/template';

/**
 * The Kubernetes range rule runs on the parsed environment directly: every Kubernetes version
 * the schema accepts today is inside Rancher 2.15.0's range, so no environment file reaches it
 * until a pin moves.
 */
function rancherProblems(env: unknown): string[] {
  const result = z.custom<EnvironmentConfig>().superRefine(checkRancher).safeParse(env);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('rancher rules', () => {
  const eks = environment();
  const rke2 = environment({ management: { distribution: 'rke2', rke2: {} } });
  const withEks = (kubernetesVersion: string) => ({
    ...eks,
    management: { ...eks.management, kubernetesVersion },
  });
  const withRke2 = (version: string) => ({
    ...rke2,
    management: { ...rke2.management, rke2: { ...rke2.management.rke2, version } },
  });

  // rancher/rancher v2.15.0 chart/Chart.yaml: kubeVersion "< 1.37.0-0"; the release targets 1.34-1.36.
  it('accepts the ends of Rancher 2.15.0 range, 1.34 and 1.36', () => {
    assert.deepEqual(rancherProblems(withEks('1.34')), []);
    assert.deepEqual(rancherProblems(withEks('1.36')), []);
    assert.deepEqual(rancherProblems(withRke2('v1.34.1+rke2r1')), []);
  });

  it('points at management.kubernetesVersion for an EKS minor outside the range', () => {
    assert.deepEqual(rancherProblems(withEks('1.37')), [
      "management.kubernetesVersion: Kubernetes 1.37 is outside Rancher 2.15.0's range (< 1.37.0-0, from 1.34)",
    ]);
    assert.deepEqual(rancherProblems(withEks('1.33')), [
      "management.kubernetesVersion: Kubernetes 1.33 is outside Rancher 2.15.0's range (< 1.37.0-0, from 1.34)",
    ]);
  });

  it('accepts extraEnv entries the stack does not set, and names each offending entry', () => {
    const withExtraEnv = (extraEnv: unknown) => ({
      ...eks,
      rancher: { ...eks.rancher, extraValues: { extraEnv } },
    });
    assert.deepEqual(
      rancherProblems(withExtraEnv([{ name: 'CATTLE_PROMETHEUS_METRICS', value: 'true' }])),
      [],
    );
    assert.deepEqual(
      rancherProblems(withExtraEnv([{ value: 'x' }, { name: 'CATTLE_SERVER_URL' }])),
      [
        'rancher.extraValues.extraEnv.0: must be an environment variable with a name',
        "rancher.extraValues.extraEnv.1: must not set CATTLE_SERVER_URL: the stack sets it to https://<dns.hostname> (Rancher's server-url)",
      ],
    );
  });

  it('points at management.rke2 for an RKE2 release outside the range', () => {
    assert.deepEqual(rancherProblems(withRke2('v1.37.0+rke2r1')), [
      "management.rke2: Kubernetes 1.37 is outside Rancher 2.15.0's range (< 1.37.0-0, from 1.34)",
    ]);
  });
});
