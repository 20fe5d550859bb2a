import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { checkRancher } from '../../../lib/config/rancher';
import type { EnvironmentConfig } from '../../../lib/config/schema';
import { environment } from '../../helpers/template';

/**
 * The Kubernetes range rule runs on the parsed environment directly, so versions the schema
 * does not (yet) accept can be tried too.
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

  // rancher/rancher v2.14.4 chart/Chart.yaml: kubeVersion "< 1.36.0-0".
  it('accepts Rancher 2.14.4 on 1.35 and refuses it on 1.36, so Rancher moves before Kubernetes', () => {
    const on = (kubernetesVersion: string) => ({
      ...withEks(kubernetesVersion),
      rancher: { ...eks.rancher, version: '2.14.4' },
    });
    assert.deepEqual(rancherProblems(on('1.35')), []);
    assert.deepEqual(rancherProblems(on('1.36')), [
      "management.kubernetesVersion: Kubernetes 1.36 is outside Rancher 2.14.4's range (< 1.36.0-0, from 1.33)",
    ]);
  });
});
