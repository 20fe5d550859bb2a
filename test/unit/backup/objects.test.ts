import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import {
  checkBackupFilename,
  ENCRYPTION_CONFIG_KEY,
  encryptionConfigSecret,
  encryptionProviderConfig,
  migrationRestore,
  recurringBackup,
  restoreName,
} from '../../../lib/backup/objects';
import { backupBucketStatements } from '../../../lib/backup/permissions';
import { rke2NodeStatements } from '../../../lib/rke2/policies';
import { referenceCrdValidator } from '../../helpers/crd-schema';

const location = { bucketName: 'dev-rancher-backups-123456789012', region: 'eu-west-1' };
const FILE = 'rancher-recurring-7c5d3b1e-2026-01-31T06-00-00Z.tar.gz.enc';

// CRDs of rancher/backup-restore-operator v11.0.1 charts/rancher-backup-crd/templates.
const validateBackup = referenceCrdValidator('rancher-backup/crd-backup-v11.0.1.yaml');
const validateRestore = referenceCrdValidator('rancher-backup/crd-restore-v11.0.1.yaml');

describe('recurringBackup', () => {
  const backup = recurringBackup({
    location,
    schedule: '0 */6 * * *',
    retentionCount: 28,
    resourceSet: 'full',
  });

  it('is a valid Backup of the v11.0.1 CRD', () => {
    assert.equal(validateBackup(backup), true, JSON.stringify(validateBackup.errors));
  });

  it('the CRD check catches a misspelt or mistyped field (the helper is not vacuous)', () => {
    const misspelt = { ...backup, spec: { ...backup.spec, retention: 3 } };
    assert.equal(validateBackup(misspelt), false);
    const zero = { ...backup, spec: { ...backup.spec, retentionCount: 0 } };
    assert.equal(validateBackup(zero), false);
    const noEndpoint = {
      ...backup,
      spec: {
        ...backup.spec,
        storageLocation: { s3: { bucketName: location.bucketName, region: 'eu-west-1' } },
      },
    };
    assert.equal(validateBackup(noEndpoint), false);
  });

  it('backs up the full resource set (with Secrets), encrypted, to the regional endpoint', () => {
    // The chart's rancher-resource-set-full adds Secrets to -basic; the operator refuses a Backup
    // that includes Secrets without encryption only by documentation, so the project always encrypts.
    assert.equal(backup.spec.resourceSetName, 'rancher-resource-set-full');
    assert.equal(backup.spec.encryptionConfigSecretName, 'rancher-backup-encryption');
    assert.deepEqual(backup.spec.storageLocation.s3, {
      bucketName: 'dev-rancher-backups-123456789012',
      folder: 'rancher',
      region: 'eu-west-1',
      endpoint: 's3.eu-west-1.amazonaws.com',
    });
    assert.equal(backup.spec.schedule, '0 */6 * * *');
    assert.equal(backup.spec.retentionCount, 28);
    assert.equal(
      recurringBackup({ location, schedule: '@daily', retentionCount: 7, resourceSet: 'basic' })
        .spec.resourceSetName,
      'rancher-resource-set-basic',
    );
  });

  it('uses the China partition endpoint in cn- regions', () => {
    const cn = recurringBackup({
      location: { ...location, region: 'cn-north-1' },
      schedule: '@daily',
      retentionCount: 7,
      resourceSet: 'full',
    });
    assert.equal(cn.spec.storageLocation.s3.endpoint, 's3.cn-north-1.amazonaws.com.cn');
  });

  it('refuses a retention below 1', () => {
    assert.throws(
      () =>
        recurringBackup({ location, schedule: '@daily', retentionCount: 0, resourceSet: 'full' }),
      /retentionCount must be a whole number of at least 1; got 0/,
    );
  });
});

describe('migrationRestore', () => {
  const restore = migrationRestore({ location, backupFilename: FILE });

  it('is a valid Restore of the v11.0.1 CRD', () => {
    assert.equal(validateRestore(restore), true, JSON.stringify(validateRestore.errors));
    const noFile: Record<string, unknown> = { ...restore.spec };
    delete noFile.backupFilename;
    assert.equal(validateRestore({ ...restore, spec: noFile }), false);
  });

  it('does not prune (Rancher v2.15 "Migrating Rancher to a New Cluster": prune false)', () => {
    // The CRD says prune is true when unset, so it must be written out as false.
    assert.equal(restore.spec.prune, false);
    assert.equal(restore.spec.backupFilename, FILE);
    assert.equal(restore.spec.encryptionConfigSecretName, 'rancher-backup-encryption');
    assert.equal(restore.spec.storageLocation.s3.folder, 'rancher');
  });

  it('names the Restore after the file: a different file is a new object', () => {
    assert.match(restore.metadata.name, /^restore-[0-9a-f]{10}$/);
    assert.equal(restoreName(FILE), restore.metadata.name);
    assert.notEqual(restoreName(FILE.replace('06-00', '12-00')), restore.metadata.name);
  });

  it('refuses paths, URLs and files that are not backups, naming the expected shape', () => {
    for (const bad of [`rancher/${FILE}`, `s3://bucket/${FILE}`, 'backup.zip', '']) {
      assert.throws(() => checkBackupFilename(bad), /file name such as .*got/);
    }
    checkBackupFilename('manual-1-2026-01-31T06-00-00Z.tar.gz');
  });
});

describe('encryption configuration', () => {
  it('is an EncryptionConfiguration with one 32-byte secretbox key for every resource', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    const config = parse(encryptionProviderConfig(key)) as {
      apiVersion: string;
      kind: string;
      resources: {
        resources: string[];
        providers: { secretbox: { keys: { name: string; secret: string }[] } }[];
      }[];
    };
    assert.equal(config.apiVersion, 'apiserver.config.k8s.io/v1');
    assert.equal(config.kind, 'EncryptionConfiguration');
    assert.deepEqual(config.resources[0].resources, ['*.*']);
    assert.deepEqual(config.resources[0].providers[0].secretbox.keys, [
      { name: 'key1', secret: key },
    ]);
  });

  it('lives in cattle-resources-system under the key the operator reads', () => {
    // v11.0.1 pkg/util/encryptionconfig: the Secret's data key "encryption-provider-config.yaml",
    // read from the chart namespace.
    const { secret, valuePath } = encryptionConfigSecret();
    assert.equal(ENCRYPTION_CONFIG_KEY, 'encryption-provider-config.yaml');
    assert.equal(secret.metadata.namespace, 'cattle-resources-system');
    assert.equal(secret.metadata.name, 'rancher-backup-encryption');
    assert.deepEqual(secret.stringData, {});
    assert.match(valuePath, /encryption-provider-config\\\.yaml$/);
  });
});

describe('backupBucketStatements', () => {
  it('refuses a folder with slashes around it (the grant would miss the objects)', () => {
    for (const folder of ['', '/rancher', 'rancher/']) {
      assert.throws(() => backupBucketStatements('arn:aws:s3:::b', folder), /without slashes/);
    }
  });

  it('reaches servers only on RKE2, and only with a folder', () => {
    const base = { tokenSecretArn: 'arn:token', fullTokenSecretArn: 'arn:full' };
    assert.throws(
      () =>
        rke2NodeStatements({
          ...base,
          role: 'agent',
          backupBucketArn: 'arn:aws:s3:::b',
          backupFolder: 'rancher',
        }),
      /servers only/,
    );
    assert.throws(
      () => rke2NodeStatements({ ...base, role: 'server', backupBucketArn: 'arn:aws:s3:::b' }),
      /backupFolder is required/,
    );
  });
});
