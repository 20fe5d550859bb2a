import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { buildEnvironment } from '../../../stacks';
import { checkChartValues } from '../../helpers/chart-values';
import { referenceCrdValidator } from '../../helpers/crd-schema';
import { environment, Json, Template, testApp } from '../../helpers/template';

const FILE = 'rancher-recurring-7c5d3b1e-2026-01-31T06-00-00Z.tar.gz.enc';
// CRDs of rancher/backup-restore-operator v11.0.1 charts/rancher-backup-crd/templates.
const validateBackup = referenceCrdValidator('rancher-backup/crd-backup-v11.0.1.yaml');
const validateRestore = referenceCrdValidator('rancher-backup/crd-restore-v11.0.1.yaml');

function synth(overrides: Json = {}, restoreBackup?: string) {
  const stacks = buildEnvironment(testApp(), environment(overrides), { restoreBackup });
  const rancher = Template.fromStack(stacks.rancher);
  const releases: Record<string, Json> = {};
  const ids: Record<string, string> = {};
  for (const [id, release] of Object.entries(rancher.resources('helm_release'))) {
    releases[String(release.name)] = release;
    ids[`helm_release.${id}`] = String(release.name);
  }
  for (const id of Object.keys(rancher.resources('terraform_data'))) {
    ids[`terraform_data.${id}`] = id.includes('restore-wait') ? 'restore-wait' : id;
  }
  // Every cluster resource also waits for the in-VPC guard (test/unit/deployer pins that): left
  // out here, where the order among the backup releases is what is checked.
  const dependsOn = (resource: Json) =>
    ((resource.depends_on as string[] | undefined) ?? [])
      .map((d) => ids[d] ?? d)
      .filter((d) => !d.startsWith('in-vpc-guard'))
      .sort();
  return {
    stacks,
    management: Template.fromStack(stacks.management),
    rancher,
    releases,
    dependsOn,
  };
}

function objects(release: Json): Json[] {
  const values = parse((release.values as string[])[0]) as { objects: Record<string, Json> };
  return Object.values(values.objects);
}

function values(release: Json): Json {
  return parse((release.values as string[])[0]) as Json;
}

describe('backups (EKS, default environment)', () => {
  const { management, rancher, releases, dependsOn, stacks } = synth();
  const bucketRef = (attr: string) => `\${aws_s3_bucket.rancher-backup_bucket_B94461DC.${attr}}`;

  it('keeps backups in a private, versioned, TLS-only bucket that expires pruned versions', () => {
    const bucket = management
      .resourceList('aws_s3_bucket')
      .find((b) => String(b.bucket).startsWith('test-rancher-backups-'));
    assert.ok(bucket);
    // Throw-away (target local): destroy may empty it, like the RKE2 snapshot bucket.
    assert.equal(bucket.force_destroy, true);
    const of = (type: string) =>
      management.resourceList(type).filter((r) => r.bucket === bucketRef('id'));
    assert.deepEqual(of('aws_s3_bucket_versioning')[0].versioning_configuration, {
      status: 'Enabled',
    });
    assert.deepEqual(of('aws_s3_bucket_public_access_block')[0], {
      bucket: bucketRef('id'),
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    assert.match(String(of('aws_s3_bucket_policy')[0].policy), /"aws:SecureTransport":"false"/);
    const rule = (of('aws_s3_bucket_lifecycle_configuration')[0].rule as Json[])[0];
    assert.deepEqual(rule.noncurrent_version_expiration, [{ noncurrent_days: 30 }]);
  });

  it('keeps the bucket on destroy in a protected environment', () => {
    const prod = synth({ target: 'aws', protected: true }).management;
    const bucket = prod
      .resourceList('aws_s3_bucket')
      .find((b) => String(b.bucket).startsWith('test-rancher-backups-'));
    assert.ok(bucket);
    assert.equal(bucket.force_destroy, false);
    assert.deepEqual(bucket.lifecycle, { prevent_destroy: true });
  });

  it('has AWS generate the encryption key into Secrets Manager, never into state', () => {
    const secret = management.find('aws_secretsmanager_secret', {
      name: 'test/rancher/backup-encryption-key',
    });
    assert.equal(secret.length, 1);
    for (const version of management.resourceList('aws_secretsmanager_secret_version')) {
      assert.equal(version.secret_string, undefined);
      assert.match(String(version.secret_string_wo), /^\$\{ephemeral\.|^\$\{local\./);
    }
    for (const [name, output] of Object.entries(management.outputs())) {
      assert.doesNotMatch(JSON.stringify(output.value), /secret_string|random_password/, name);
    }
  });

  it('lets only the operator service account of this cluster assume the IRSA role', () => {
    const role = management.find('aws_iam_role', { name: 'test-management-rancher-backup' })[0];
    assert.ok(role);
    const trustId = /aws_iam_policy_document\.([\w-]+)\.json/.exec(
      String(role.assume_role_policy),
    )?.[1];
    const trust = management.dataSources('aws_iam_policy_document')[String(trustId)];
    const conditions = ((trust.statement as Json[])[0].condition as Json[]).map((c) => [
      c.test,
      String(c.variable).split(':').pop(),
      c.values,
    ]);
    assert.deepEqual(conditions, [
      ['StringEquals', 'sub', ['system:serviceaccount:cattle-resources-system:rancher-backup']],
      ['StringEquals', 'aud', ['sts.amazonaws.com']],
    ]);
  });

  it('scopes the IRSA role to the backup bucket and its folder', () => {
    const policy = management
      .resourceList('aws_iam_role_policy')
      .find((p) => String(p.policy).includes('BackupObjects'));
    assert.ok(policy);
    assert.deepEqual(JSON.parse(String(policy.policy)).Statement, [
      {
        Sid: 'BackupBucket',
        Effect: 'Allow',
        Action: ['s3:ListBucket', 's3:GetBucketLocation'],
        Resource: bucketRef('arn'),
      },
      {
        Sid: 'BackupObjects',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        Resource: `${bucketRef('arn')}/rancher/*`,
      },
    ]);
  });

  it('installs rancher-backup-crd, then rancher-backup 110.0.1+up11.0.1 from charts.rancher.io', () => {
    // Rancher v2.15 docs "Installing the Rancher Backup Operator": CRD chart first, namespace
    // cattle-resources-system.
    for (const name of ['rancher-backup-crd', 'rancher-backup']) {
      assert.equal(releases[name].repository, 'https://charts.rancher.io');
      assert.equal(releases[name].chart, name);
      assert.equal(releases[name].version, '110.0.1+up11.0.1');
      assert.equal(releases[name].namespace, 'cattle-resources-system');
    }
    assert.deepEqual(dependsOn(releases['rancher-backup']), ['rancher-backup-crd']);
    assert.deepEqual(checkChartValues('rancher-backup', values(releases['rancher-backup'])), []);
    const sa = values(releases['rancher-backup']).serviceAccount as Json;
    assert.match(
      String((sa.annotations as Json)['eks.amazonaws.com/role-arn']),
      /rancher-backup-role_irsa_role/,
    );
  });

  it('schedules an encrypted Backup valid against the CRD, after Rancher', () => {
    const release = releases['rancher-backup-schedule'];
    assert.deepEqual(dependsOn(release), [
      'rancher',
      'rancher-backup',
      'rancher-backup-encryption',
    ]);
    const [backup] = objects(release);
    assert.equal(validateBackup(backup), true, JSON.stringify(validateBackup.errors));
    assert.deepEqual((backup.spec as Json).schedule, '0 */6 * * *');
    assert.deepEqual((backup.spec as Json).retentionCount, 28);
    assert.deepEqual((backup.spec as Json).resourceSetName, 'rancher-resource-set-full');
    // Rancher itself does not wait for backups.
    assert.ok(!dependsOn(releases.rancher).some((d) => d.includes('backup')));
  });

  it('writes the encryption key only as a write-only value of the Secret', () => {
    const release = releases['rancher-backup-encryption'];
    const [secret] = objects(release);
    assert.deepEqual(secret.stringData, {});
    const [wo] = release.set_wo as Json[];
    assert.equal(
      wo.name,
      'objects.secret_cattle-resources-system_rancher-backup-encryption.stringData.encryption-provider-config\\.yaml',
    );
    assert.match(
      String(wo.value),
      /secret: \$\{base64encode\(ephemeral\.aws_secretsmanager_secret_version\.[\w-]+\.secret_string\)\}/,
    );
    assert.doesNotMatch(JSON.stringify(release.values), /secret_string/);
    const ephemeral = rancher.json.ephemeral as Record<string, Record<string, Json>>;
    const key = ephemeral.aws_secretsmanager_secret_version['rancher-backup_key'];
    const locals = rancher.json.locals as Json;
    const input = /local\.([\w-]+)\.secret_id/.exec(String(key.secret_id))?.[1];
    assert.match(
      JSON.stringify(locals[String(input)]),
      /aws_secretsmanager_secretrancher-backup_encryption-key/,
    );
    assert.equal(stacks.management.outputs.backup?.folder, 'rancher');
  });
});

describe('backups, restore onto a fresh cluster', () => {
  const { releases, dependsOn, rancher } = synth({}, FILE);

  it('applies a Restore (prune false) valid against the CRD after the operator', () => {
    const release = releases['rancher-restore'];
    assert.deepEqual(dependsOn(release), ['rancher-backup', 'rancher-backup-encryption']);
    const [restore] = objects(release);
    assert.equal(validateRestore(restore), true, JSON.stringify(validateRestore.errors));
    assert.equal((restore.spec as Json).prune, false);
    assert.equal((restore.spec as Json).backupFilename, FILE);
  });

  it('installs Rancher only after the restore has completed (Rancher v2.15 migration order)', () => {
    assert.ok(dependsOn(releases.rancher).includes('restore-wait'));
    const [wait] = Object.entries(rancher.resources('terraform_data'))
      .filter(([id]) => id.includes('restore-wait'))
      .map(([, resource]) => resource);
    assert.deepEqual(dependsOn(wait), ['rancher-restore']);
    const command = String(((wait.provisioner as Json[])[0]['local-exec'] as Json).command);
    assert.match(command, /wait-for-restore\.mjs' --name 'restore-[0-9a-f]{10}' --timeout 1800/);
    // Nothing restored is installed by the operator chart before its own CRDs.
    assert.deepEqual(dependsOn(releases['rancher-backup']), ['rancher-backup-crd']);
  });

  it('refuses a restore when backups are off', () => {
    assert.throws(() => synth({ backup: { enabled: false } }, FILE), /needs backup\.enabled: true/);
  });
});

describe('backups off', () => {
  const { management, releases } = synth({ backup: { enabled: false } });

  it('creates no bucket, key, role or release', () => {
    assert.equal(
      management.resourceList('aws_s3_bucket').filter((b) => String(b.bucket).includes('backups'))
        .length,
      0,
    );
    assert.equal(
      management.find('aws_iam_role', { name: 'test-management-rancher-backup' }).length,
      0,
    );
    assert.ok(!Object.keys(releases).some((n) => n.includes('backup')));
    assert.equal(management.outputs().backup_bucket, undefined);
  });
});

describe('backups on RKE2', () => {
  const { releases } = synth({
    network: { availabilityZones: 3 },
    management: { distribution: 'rke2', rke2: {} },
  });

  it('runs the operator on servers, tolerating their taint, without an IRSA annotation', () => {
    const v = values(releases['rancher-backup']);
    assert.equal(v.serviceAccount, undefined);
    assert.deepEqual(v.nodeSelector, { 'node-role.kubernetes.io/control-plane': 'true' });
    assert.deepEqual(v.tolerations, [
      { key: 'CriticalAddonsOnly', operator: 'Equal', value: 'true', effect: 'NoExecute' },
    ]);
    assert.deepEqual(checkChartValues('rancher-backup', v), []);
  });
});
