import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { ProtectedEnvironmentError } from '../../../lib/environments/protection';
import { ObservedResource } from '../../../lib/environments/leftovers';
import {
  teardownEnvironment,
  teardownExitCode,
  verifyTeardown,
} from '../../../lib/environments/teardown';
import { buildEnvironment } from '../../../stacks';
import { emptyAccount } from '../../helpers/fake-aws-account';
import { fails, fakeAws, withAnswers } from '../../helpers/fake-aws';
import { environment } from '../../helpers/template';

const work = mkdtempSync(path.join(tmpdir(), 'teardown-unit-'));
after(() => rmSync(work, { recursive: true, force: true }));

describe('teardownEnvironment', () => {
  it('refuses a protected environment before it calls anything or synthesizes', async () => {
    const fake = fakeAws(emptyAccount());
    const outdir = path.join(work, 'protected.out');
    await assert.rejects(
      teardownEnvironment(environment({ name: 'prod', protected: true }), {
        buildEnvironment,
        clients: fake.clients,
        outdir,
        log: () => undefined,
      }),
      ProtectedEnvironmentError,
    );
    assert.deepEqual(fake.calls, []);
    assert.equal(existsSync(outdir), false);
  });

  it('refuses credentials of another account before it synthesizes or deletes anything', async () => {
    const fake = fakeAws({ sts: { GetCallerIdentity: () => ({ Account: '999988887777' }) } });
    const outdir = path.join(work, 'account.out');
    const config = environment({
      name: 'dev',
      target: 'aws',
      accountId: '111122223333',
      state: { backend: 's3' },
    });
    await assert.rejects(
      teardownEnvironment(config, { buildEnvironment, clients: fake.clients, outdir }),
      /belong to account 999988887777, but environment "dev" lives in account 111122223333 \(accountId\); nothing was destroyed\.$/,
    );
    assert.deepEqual(
      fake.calls.map((c) => `${c.service}.${c.command}`),
      ['sts.GetCallerIdentity'],
    );
    assert.equal(existsSync(outdir), false);
  });

  it('empties the state bucket before the bootstrap stack, skips stacks without state and verifies', async () => {
    const fake = fakeAws(
      withAnswers(emptyAccount(), {
        s3: {
          GetObject: fails('NoSuchKey'),
          ListObjectVersions: () => ({
            Versions: [{ Key: 'pr-8/pr-8-management.tfstate', VersionId: 'v1' }],
            DeleteMarkers: [{ Key: 'pr-8/pr-8-rancher.tfstate', VersionId: 'm1' }],
          }),
          DeleteObjects: () => ({}),
        },
      }),
    );
    const lines: string[] = [];
    const result = await teardownEnvironment(
      environment({ name: 'pr-8', state: { backend: 's3' } }),
      {
        buildEnvironment,
        clients: fake.clients,
        outdir: path.join(work, 'pr-8.out'),
        localStateDir: work,
        log: (line) => lines.push(line),
      },
    );
    assert.deepEqual(lines, [
      'Destroying pr-8: pr-8-rancher -> pr-8-management -> pr-8-bootstrap',
      '  pr-8-rancher: no resources in its state (never deployed or already destroyed); skipped',
      '  pr-8-management: no resources in its state (never deployed or already destroyed); skipped',
      '  removed 2 state object version(s) from s3://pr-8-tfstate/pr-8/',
      '  pr-8-bootstrap: no resources in its state (never deployed or already destroyed); skipped',
      'Nothing tagged rancher-aws:environment=pr-8 is left.',
    ]);
    assert.deepEqual(result.destroyed, []);
    assert.deepEqual(result.failedChecks, []);
    assert.deepEqual(result.report.leftovers, []);
    // Each S3-state stack's own state object was read; the bucket was emptied after those reads.
    const s3Calls = fake.calls.filter((c) => c.service === 's3' && c.command !== 'ListBuckets');
    assert.deepEqual(
      s3Calls.map((c) => `${c.command} ${JSON.stringify(c.input)}`),
      [
        'GetObject {"Bucket":"pr-8-tfstate","Key":"pr-8/pr-8-rancher.tfstate"}',
        'GetObject {"Bucket":"pr-8-tfstate","Key":"pr-8/pr-8-management.tfstate"}',
        'ListObjectVersions {"Bucket":"pr-8-tfstate","Prefix":"pr-8/"}',
        'DeleteObjects {"Bucket":"pr-8-tfstate","Delete":{"Objects":[{"Key":"pr-8/pr-8-management.tfstate","VersionId":"v1"},{"Key":"pr-8/pr-8-rancher.tfstate","VersionId":"m1"}],"Quiet":true}}',
      ],
    );
  });

  it('with verifyOnly destroys nothing and reports what is left and what it could not check', async () => {
    const vpc = 'arn:aws:ec2:us-east-1:111122223333:vpc/vpc-1';
    const fake = fakeAws(
      withAnswers(emptyAccount(), {
        tagging: {
          GetResources: () => ({
            ResourceTagMappingList: [
              { ResourceARN: vpc, Tags: [{ Key: 'rancher-aws:environment', Value: 'pr-9' }] },
            ],
          }),
        },
        kms: {
          ListKeys: fails('AccessDeniedException', 'not allowed'),
        },
      }),
    );
    const lines: string[] = [];
    const result = await teardownEnvironment(environment({ name: 'pr-9' }), {
      buildEnvironment,
      clients: fake.clients,
      outdir: path.join(work, 'verify.out'),
      verifyOnly: true,
      log: (line) => lines.push(line),
    });
    assert.deepEqual(result.destroyed, []);
    assert.equal(existsSync(path.join(work, 'verify.out')), false);
    assert.ok(!fake.calls.some((c) => c.service === 'sts' || c.command === 'GetObject'));
    assert.deepEqual(lines, [
      `1 resource tagged rancher-aws:environment=pr-9 is left:\n  - ec2:vpc ${vpc} [tagging:GetResources]`,
      '  could not check kms:ListResourceTags: AccessDeniedException: not allowed',
    ]);
    assert.deepEqual(result.failedChecks, [
      'kms:ListResourceTags: AccessDeniedException: not allowed',
    ]);
  });
});

describe('verifyTeardown', () => {
  it('reports the leftovers of the environment only, and its failed checks', async () => {
    const fake = fakeAws(
      withAnswers(emptyAccount(), {
        ec2: {
          DescribeVolumes: () => ({
            Volumes: [
              {
                VolumeId: 'vol-1',
                State: 'available',
                Tags: [{ Key: 'rancher-aws:environment', Value: 'pr-2' }],
              },
              {
                VolumeId: 'vol-9',
                State: 'available',
                Tags: [{ Key: 'rancher-aws:environment', Value: 'pr-22' }],
              },
            ],
          }),
        },
      }),
    );
    const report = await verifyTeardown(environment({ name: 'pr-2' }), { clients: fake.clients });
    assert.deepEqual(
      report.leftovers.map((r) => `${r.kind} ${r.id} ${r.state}`),
      ['ec2:volume vol-1 available'],
    );
    assert.deepEqual(report.failedChecks, []);
  });
});

describe('teardownExitCode', () => {
  const vpc: ObservedResource = {
    kind: 'ec2:vpc',
    id: 'vpc-1',
    tags: {},
    source: 'ec2:DescribeVpcs',
  };
  const key: ObservedResource = {
    kind: 'kms:key',
    id: 'k-1',
    tags: {},
    state: 'PendingDeletion',
    source: 'kms:ListResourceTags',
  };
  const report = (
    leftovers: ObservedResource[],
    scheduledForDeletion: ObservedResource[] = [],
  ) => ({
    leftovers,
    scheduledForDeletion,
  });

  // README, teardown: anything still tagged with the environment is reported with exit 4.
  it('exits 4 when a resource is left, even when every check ran', () => {
    assert.equal(teardownExitCode({ report: report([vpc]), failedChecks: [] }), 4);
  });

  it('exits 4 when a check could not run, even when nothing was found', () => {
    assert.equal(
      teardownExitCode({ report: report([]), failedChecks: ['kms:ListKeys: denied'] }),
      4,
    );
  });

  it('exits 0 when nothing is left, resources AWS deletes later aside', () => {
    assert.equal(teardownExitCode({ report: report([], [key]), failedChecks: [] }), 0);
  });
});
