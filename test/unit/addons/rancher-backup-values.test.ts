import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rancherBackupChartValues } from '../../../lib/addons/rancher-backup-values';
import { checkChartValues } from '../../helpers/chart-values';

const location = { bucketName: 'dev-rancher-backups-123456789012', region: 'eu-west-1' };
const roleArn = 'arn:aws:iam::123456789012:role/dev-rancher-backup';

describe('rancherBackupChartValues', () => {
  it('fits the v11.0.1 chart (EKS with IRSA, RKE2 on servers)', () => {
    assert.deepEqual(
      checkChartValues(
        'rancher-backup',
        rancherBackupChartValues({ location, irsaRoleArn: roleArn }),
      ),
      [],
    );
    assert.deepEqual(
      checkChartValues(
        'rancher-backup',
        rancherBackupChartValues({
          location,
          nodeSelector: { 'node-role.kubernetes.io/control-plane': 'true' },
          tolerations: [
            { key: 'CriticalAddonsOnly', operator: 'Equal', value: 'true', effect: 'NoExecute' },
          ],
        }),
      ),
      [],
    );
  });

  it('the chart check rejects a key the chart does not have', () => {
    const values = rancherBackupChartValues({ location, extraValues: { s3: { bucket: 'x' } } });
    assert.notDeepEqual(checkChartValues('rancher-backup', values), []);
  });

  it('uses IRSA on EKS: the role on the service account, no static credentials', () => {
    // v11.0.1 charts/rancher-backup/values.yaml: leave credentialSecretName empty to use an IAM role.
    const values = rancherBackupChartValues({ location, irsaRoleArn: roleArn });
    assert.deepEqual(values.serviceAccount, {
      annotations: { 'eks.amazonaws.com/role-arn': roleArn },
    });
    const s3 = values.s3 as Record<string, unknown>;
    assert.equal('credentialSecretName' in s3, false);
    assert.deepEqual(s3, {
      enabled: true,
      bucketName: 'dev-rancher-backups-123456789012',
      folder: 'rancher',
      region: 'eu-west-1',
      endpoint: 's3.eu-west-1.amazonaws.com',
    });
    assert.deepEqual(values.persistence, { enabled: false });
  });

  it('has no IRSA annotation without a role (RKE2: the node role)', () => {
    assert.equal('serviceAccount' in rancherBackupChartValues({ location }), false);
  });

  it('refuses an empty bucket name', () => {
    assert.throws(
      () => rancherBackupChartValues({ location: { ...location, bucketName: ' ' } }),
      /location.bucketName must not be empty/,
    );
  });
});
