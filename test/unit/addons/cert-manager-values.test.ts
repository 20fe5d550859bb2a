import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { certManagerChartValues } from '../../../lib/addons/cert-manager-values';
import { checkChartValues } from '../../helpers/chart-values';

const roleArn = 'arn:aws:iam::123456789012:role/dev-cert-manager';

describe('certManagerChartValues', () => {
  it('fits the pinned chart with and without IRSA', () => {
    assert.deepEqual(checkChartValues('cert-manager', certManagerChartValues()), []);
    assert.deepEqual(
      checkChartValues(
        'cert-manager',
        certManagerChartValues({ irsaRoleArn: roleArn, ambientCredentialsForIssuers: true }),
      ),
      [],
    );
  });

  it('installs CRDs with crds.enabled, not the deprecated installCRDs', () => {
    const values = certManagerChartValues();
    assert.deepEqual(values.crds, { enabled: true });
    assert.equal('installCRDs' in values, false);
  });

  it('runs 2 replicas of each component, each with a PodDisruptionBudget', () => {
    const values = certManagerChartValues();
    assert.equal(values.replicaCount, 2);
    assert.deepEqual(values.podDisruptionBudget, { enabled: true });
    for (const component of ['webhook', 'cainjector']) {
      const part = values[component] as Record<string, unknown>;
      assert.equal(part.replicaCount, 2, component);
      assert.deepEqual(part.podDisruptionBudget, { enabled: true }, component);
      assert.ok(part.resources, component);
    }
    const single = certManagerChartValues({ replicas: 1 });
    assert.deepEqual(single.podDisruptionBudget, { enabled: false });
  });

  it('annotates the controller service account with the IRSA role', () => {
    const values = certManagerChartValues({ irsaRoleArn: roleArn });
    assert.deepEqual(values.serviceAccount, {
      create: true,
      name: 'cert-manager',
      annotations: { 'eks.amazonaws.com/role-arn': roleArn },
    });
    assert.equal('extraArgs' in values, false);
    assert.equal(
      'annotations' in (certManagerChartValues().serviceAccount as Record<string, unknown>),
      false,
    );
  });

  it('lets namespaced Issuers use ambient credentials only when asked', () => {
    const values = certManagerChartValues({
      irsaRoleArn: roleArn,
      ambientCredentialsForIssuers: true,
    });
    assert.deepEqual(values.extraArgs, ['--issuer-ambient-credentials']);
  });

  it('merges extraValues last', () => {
    const values = certManagerChartValues({ extraValues: { webhook: { replicaCount: 3 } } });
    assert.equal((values.webhook as Record<string, unknown>).replicaCount, 3);
    assert.ok((values.webhook as Record<string, unknown>).resources);
  });

  it('rejects bad options with a sentence naming the field', () => {
    assert.throws(
      () => certManagerChartValues({ replicas: 0 }),
      /replicas must be a whole number of at least 1; got 0/,
    );
    assert.throws(
      () => certManagerChartValues({ irsaRoleArn: 'my-role' }),
      /irsaRoleArn must be an IAM role ARN such as arn:aws:iam::123456789012:role\/name; got "my-role"/,
    );
    assert.throws(
      () => certManagerChartValues({ ambientCredentialsForIssuers: true }),
      /ambientCredentialsForIssuers needs irsaRoleArn/,
    );
  });
});
