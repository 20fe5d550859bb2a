import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { S3Client } from '@aws-sdk/client-s3';
import { deleteStateObjects, stackHasState } from '../../../lib/environments/state';
import { fails, fakeAws } from '../../helpers/fake-aws';

const work = mkdtempSync(path.join(tmpdir(), 'state-unit-'));
after(() => rmSync(work, { recursive: true, force: true }));

// Never called for local state; a client that could not reach anything if it were.
const s3 = new S3Client({
  region: 'us-east-1',
  endpoint: 'http://127.0.0.1:9',
  credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
});

describe('stackHasState', () => {
  function stack(state: unknown | undefined): string {
    const dir = mkdtempSync(path.join(work, 'stack-'));
    const statePath = path.join(dir, 'state.tfstate');
    writeFileSync(
      path.join(dir, 'cdk.tf.json'),
      JSON.stringify({ terraform: { backend: { local: { path: statePath } } } }),
    );
    if (state !== undefined) writeFileSync(statePath, JSON.stringify(state));
    return dir;
  }

  it('is false without a state file or with no resources in it', async () => {
    assert.equal(await stackHasState(stack(undefined), s3), false);
    assert.equal(await stackHasState(stack({ version: 4, resources: [] }), s3), false);
  });

  it('is true when the state holds resources', async () => {
    assert.equal(
      await stackHasState(stack({ version: 4, resources: [{ type: 'aws_vpc' }] }), s3),
      true,
    );
  });

  describe('with S3 state', () => {
    function s3Stack(): string {
      const dir = mkdtempSync(path.join(work, 's3-stack-'));
      const backend = { s3: { bucket: 'pr-1-tfstate', key: 'pr-1/pr-1-management.tfstate' } };
      writeFileSync(path.join(dir, 'cdk.tf.json'), JSON.stringify({ terraform: { backend } }));
      return dir;
    }
    const body = (state: unknown) => ({
      Body: { transformToString: async () => JSON.stringify(state) },
    });

    it('reads the object the backend block names', async () => {
      const fake = fakeAws({ s3: { GetObject: () => body({ resources: [{ type: 'aws_vpc' }] }) } });
      assert.equal(await stackHasState(s3Stack(), fake.clients.s3), true);
      assert.deepEqual(fake.inputsOf('s3', 'GetObject'), [
        { Bucket: 'pr-1-tfstate', Key: 'pr-1/pr-1-management.tfstate' },
      ]);
    });

    it('is false for an empty state, a missing object or a missing bucket', async () => {
      const empty = fakeAws({ s3: { GetObject: () => body({ resources: [] }) } });
      assert.equal(await stackHasState(s3Stack(), empty.clients.s3), false);
      for (const name of ['NoSuchKey', 'NoSuchBucket']) {
        const missing = fakeAws({
          s3: {
            GetObject: fails(name),
          },
        });
        assert.equal(await stackHasState(s3Stack(), missing.clients.s3), false, name);
      }
    });

    it('is true when the state cannot be read for another reason, so that Terraform decides', async () => {
      const denied = fakeAws({
        s3: {
          GetObject: fails('AccessDenied'),
        },
      });
      assert.equal(await stackHasState(s3Stack(), denied.clients.s3), true);
    });
  });
});

describe('deleteStateObjects', () => {
  const version = (key: string, id: string) => ({ Key: key, VersionId: id });

  it('deletes every version and delete marker under the prefix, page by page', async () => {
    const pages = [
      {
        Versions: [version('pr-1/a.tfstate', 'v1'), version('pr-1/a.tfstate', 'v2')],
        DeleteMarkers: [version('pr-1/b.tfstate', 'm1')],
        IsTruncated: true,
        NextKeyMarker: 'pr-1/b.tfstate',
        NextVersionIdMarker: 'm1',
      },
      { Versions: [version('pr-1/c.tfstate', 'v3')], IsTruncated: false },
    ];
    const fake = fakeAws({
      s3: { ListObjectVersions: () => pages.shift(), DeleteObjects: () => ({}) },
    });
    assert.equal(await deleteStateObjects(fake.clients.s3, 'pr-1-tfstate', 'pr-1'), 4);
    assert.deepEqual(fake.inputsOf('s3', 'ListObjectVersions'), [
      { Bucket: 'pr-1-tfstate', Prefix: 'pr-1/' },
      {
        Bucket: 'pr-1-tfstate',
        Prefix: 'pr-1/',
        KeyMarker: 'pr-1/b.tfstate',
        VersionIdMarker: 'm1',
      },
    ]);
    assert.deepEqual(fake.inputsOf('s3', 'DeleteObjects'), [
      {
        Bucket: 'pr-1-tfstate',
        Delete: {
          Objects: [
            version('pr-1/a.tfstate', 'v1'),
            version('pr-1/a.tfstate', 'v2'),
            version('pr-1/b.tfstate', 'm1'),
          ],
          Quiet: true,
        },
      },
      {
        Bucket: 'pr-1-tfstate',
        Delete: { Objects: [version('pr-1/c.tfstate', 'v3')], Quiet: true },
      },
    ]);
  });

  // S3 DeleteObjects takes at most 1,000 keys a request (@aws-sdk/client-s3 DeleteObjectsCommand).
  it('deletes in batches of at most 1000 keys', async () => {
    const versions = Array.from({ length: 1001 }, (_, i) => version(`pr-1/s${i}.tfstate`, `v${i}`));
    const fake = fakeAws({
      s3: { ListObjectVersions: () => ({ Versions: versions }), DeleteObjects: () => ({}) },
    });
    assert.equal(await deleteStateObjects(fake.clients.s3, 'b', 'pr-1'), 1001);
    const batches = fake
      .inputsOf('s3', 'DeleteObjects')
      .map((input) => (input.Delete as { Objects: unknown[] }).Objects.length);
    assert.deepEqual(batches, [1000, 1]);
  });

  it('removes nothing when the bucket does not exist, and passes other errors on', async () => {
    const gone = fakeAws({
      s3: {
        ListObjectVersions: fails('NoSuchBucket'),
      },
    });
    assert.equal(await deleteStateObjects(gone.clients.s3, 'b', 'pr-1'), 0);
    const denied = fakeAws({
      s3: {
        ListObjectVersions: fails('AccessDenied', 'Access Denied'),
      },
    });
    await assert.rejects(deleteStateObjects(denied.clients.s3, 'b', 'pr-1'), /Access Denied/);
  });
});
