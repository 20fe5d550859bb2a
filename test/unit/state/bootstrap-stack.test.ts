import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TAG_KEYS } from '../../../lib/naming/tags';
import { denyInsecureTransportPolicy, StateBucket } from '../../../lib/state/state-bucket';
import { BootstrapStack, buildBootstrapStack } from '../../../stacks/bootstrap-stack';
import { environment, Json, mergeDeep, Template, testApp } from '../../helpers/template';
import type { EnvironmentInput } from '../../../lib/config/schema';
import { TerraformStack } from 'cdktf';

const EXPIRES = '2026-09-01T12:00:00Z';

function bootstrap(overrides: EnvironmentInput | Json = {}): {
  stack: BootstrapStack;
  template: Template;
} {
  const config = environment(
    mergeDeep(
      { name: 'pr-9', target: 'aws', accountId: '123456789012', state: { backend: 's3' } },
      overrides as Json,
    ),
  );
  const stack = buildBootstrapStack(testApp(), config, { localStateDir: '/state' });
  assert.ok(stack, 'a bootstrap stack for S3 state');
  return { stack, template: Template.fromStack(stack) };
}

describe('bootstrap stack', () => {
  it('is only built for S3 state', () => {
    assert.equal(
      buildBootstrapStack(testApp(), environment({ state: { backend: 'local' } })),
      undefined,
    );
  });

  it('is named <env>-bootstrap and keeps its own state locally', () => {
    const { stack, template } = bootstrap();
    assert.equal(stack.node.id, 'pr-9-bootstrap');
    assert.deepEqual((template.json.terraform as Json).backend, {
      local: { path: '/state/terraform.pr-9-bootstrap.tfstate' },
    });
  });

  it('creates the state bucket with versioning, AES256, owner-enforced ownership and all public access blocked', () => {
    const { template } = bootstrap();
    assert.equal(template.single('aws_s3_bucket').bucket, 'pr-9-tfstate-123456789012');
    template.hasResourceWithProperties('aws_s3_bucket_versioning', {
      versioning_configuration: { status: 'Enabled' },
    });
    template.hasResourceWithProperties('aws_s3_bucket_server_side_encryption_configuration', {
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } }],
    });
    template.hasResourceWithProperties('aws_s3_bucket_ownership_controls', {
      rule: { object_ownership: 'BucketOwnerEnforced' },
    });
    template.hasResourceWithProperties('aws_s3_bucket_public_access_block', {
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
  });

  it('expires old state versions and unfinished uploads', () => {
    const { template } = bootstrap();
    const rule = (template.single('aws_s3_bucket_lifecycle_configuration').rule as Json[])[0];
    assert.equal(rule.status, 'Enabled');
    assert.deepEqual(rule.noncurrent_version_expiration, [{ noncurrent_days: 90 }]);
    assert.deepEqual(rule.abort_incomplete_multipart_upload, [{ days_after_initiation: 7 }]);
  });

  it('denies every request without TLS, to the bucket and its objects', () => {
    const { template } = bootstrap();
    const policy = JSON.parse(template.single('aws_s3_bucket_policy').policy as string) as Json;
    const statements = policy.Statement as Json[];
    assert.equal(statements.length, 1);
    assert.equal(statements[0].Effect, 'Deny');
    assert.equal(statements[0].Principal, '*');
    assert.equal(statements[0].Action, 's3:*');
    assert.deepEqual(statements[0].Condition, { Bool: { 'aws:SecureTransport': 'false' } });
    const resources = statements[0].Resource as string[];
    assert.equal(resources.length, 2);
    assert.match(resources[0], /^\$\{aws_s3_bucket\.state_bucket_[0-9A-F]+\.arn\}$/);
    assert.equal(resources[1], `${resources[0]}/*`);
  });

  it('keeps the TLS-only policy on the emulator too (scripts/moto_server.py honours its condition)', () => {
    const config = environment({ name: 'pr-9', target: 'local', state: { backend: 's3' } });
    const stack = buildBootstrapStack(testApp(), config);
    assert.ok(stack);
    assert.equal(Template.fromStack(stack).resourceCount('aws_s3_bucket_policy'), 1);
  });

  it('lets destroy empty the bucket only for throw-away environments', () => {
    assert.equal(
      bootstrap({ expiresAt: EXPIRES }).template.single('aws_s3_bucket').force_destroy,
      true,
    );
    assert.equal(bootstrap().template.single('aws_s3_bucket').force_destroy, false);
  });

  it('refuses to destroy the bucket of a protected environment', () => {
    const bucket = bootstrap({ protected: true, expiresAt: EXPIRES }).template.single(
      'aws_s3_bucket',
    );
    assert.deepEqual(bucket.lifecycle, { prevent_destroy: true });
    assert.equal(bucket.force_destroy, false);
    assert.equal(bootstrap().template.single('aws_s3_bucket').lifecycle, undefined);
  });

  it('tags everything with the environment and, for throw-away environments, the expiry', () => {
    const { template } = bootstrap({ expiresAt: EXPIRES, owner: 'alice' });
    const provider = ((template.json.provider as Json).aws as Json[])[0];
    const tags = ((provider.default_tags as Json[])[0] as Json).tags as Json;
    assert.equal(tags[TAG_KEYS.environment], 'pr-9');
    assert.equal(tags[TAG_KEYS.owner], 'alice');
    assert.equal(tags[TAG_KEYS.expiresAt], EXPIRES);
    const permanent = ((bootstrap().template.json.provider as Json).aws as Json[])[0];
    const permanentTags = ((permanent.default_tags as Json[])[0] as Json).tags as Json;
    assert.equal(permanentTags[TAG_KEYS.expiresAt], undefined);
  });

  it('puts the bucket in state.region', () => {
    const { template } = bootstrap({
      region: 'eu-west-1',
      state: { backend: 's3', region: 'eu-central-1' },
    });
    const provider = ((template.json.provider as Json).aws as Json[])[0];
    assert.equal(provider.region, 'eu-central-1');
  });
});

describe('StateBucket', () => {
  it('rejects a noncurrent version lifetime below one day', () => {
    const stack = new TerraformStack(testApp(), 's');
    assert.throws(
      () => new StateBucket(stack, 'b', { bucketName: 'x-tfstate', noncurrentVersionDays: 0 }),
      /noncurrentVersionDays must be a whole number of days >= 1; got 0\./,
    );
  });
});

describe('denyInsecureTransportPolicy', () => {
  it('denies s3:* without TLS on the bucket and its objects', () => {
    assert.deepEqual(denyInsecureTransportPolicy('arn:aws:s3:::b'), {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ],
    });
  });
});
