import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TerraformStack, Testing } from 'cdktf';
import type { EnvironmentConfig } from '../../../lib/config/schema';
import {
  configureStateBackend,
  localStatePath,
  s3BackendConfig,
  stateBucketName,
  stateKey,
} from '../../../lib/state/backend';
import { environment, Json, testApp } from '../../helpers/template';

/** The longest environment name the schema accepts (20 characters). */
const LONGEST_NAME = 'abcdefghij-klmnopq-z';
const ACCOUNT = '123456789012';

function backendOf(config: EnvironmentConfig, options = {}): Json {
  const app = testApp();
  const stack = new TerraformStack(app, `${config.name}-management`);
  configureStateBackend(stack, config, options);
  const json = JSON.parse(Testing.synth(stack)) as { terraform: { backend: Json } };
  return json.terraform.backend;
}

describe('state bucket name', () => {
  it('is <env>-tfstate on the emulator', () => {
    assert.equal(stateBucketName(environment({ name: 'pr-12' })), 'pr-12-tfstate');
  });

  it('is <env>-tfstate-<account> on AWS', () => {
    const config = environment({ name: 'dev', target: 'aws', accountId: ACCOUNT });
    assert.equal(stateBucketName(config), `dev-tfstate-${ACCOUNT}`);
  });

  it('takes state.bucket as given', () => {
    const config = environment({ target: 'aws', state: { backend: 's3', bucket: 'my-state' } });
    assert.equal(stateBucketName(config), 'my-state');
  });

  it('needs state.bucket or accountId on AWS, saying why', () => {
    assert.throws(
      () => environment({ name: 'dev', target: 'aws', state: { backend: 's3' } }),
      /state\.bucket: is required for backend s3 on target aws unless accountId is set \(the default name is <env>-tfstate-<accountId>\)/,
    );
  });

  it('fits S3 limits (63 characters, lower case) at the longest environment name', () => {
    assert.equal(LONGEST_NAME.length, 20);
    const aws = stateBucketName(
      environment({ name: LONGEST_NAME, target: 'aws', accountId: ACCOUNT }),
    );
    const local = stateBucketName(environment({ name: LONGEST_NAME }));
    assert.equal(aws, `${LONGEST_NAME}-tfstate-${ACCOUNT}`);
    assert.equal(aws.length, 41);
    assert.equal(local, `${LONGEST_NAME}-tfstate`);
    for (const name of [aws, local]) {
      assert.ok(name.length <= 63, `${name} is ${name.length} characters`);
      assert.match(name, /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/);
      assert.equal(name, name.toLowerCase());
    }
  });
});

describe('state key', () => {
  it('is <env>/<stack>.tfstate by default', () => {
    assert.equal(
      stateKey(environment({ name: 'dev' }), 'dev-management'),
      'dev/dev-management.tfstate',
    );
  });

  it('uses state.keyPrefix without doubled slashes', () => {
    const config = environment({ state: { backend: 's3', keyPrefix: '/teams/platform/' } });
    assert.equal(stateKey(config, 'test-rancher'), 'teams/platform/test-rancher.tfstate');
  });
});

describe('configureStateBackend', () => {
  it('writes a local backend with an absolute terraform.<stack>.tfstate path', () => {
    const backend = backendOf(environment({ name: 'dev' }), { localStateDir: '/var/state' });
    assert.deepEqual(backend, { local: { path: '/var/state/terraform.dev-management.tfstate' } });
  });

  it('defaults the local state directory to the working directory, as cdktf does', () => {
    assert.equal(
      localStatePath('dev-management'),
      `${process.cwd()}/terraform.dev-management.tfstate`,
    );
  });

  it('points the S3 backend of a local environment at the emulator, with native locking', () => {
    const config = environment({ name: 'pr-7', state: { backend: 's3' } });
    const backend = backendOf(config, { emulatorEndpoint: 'http://127.0.0.1:45678' });
    assert.deepEqual(backend, {
      s3: {
        bucket: 'pr-7-tfstate',
        key: 'pr-7/pr-7-management.tfstate',
        region: 'us-east-1',
        encrypt: true,
        use_lockfile: true,
        access_key: 'testing',
        secret_key: 'testing',
        endpoints: {
          s3: 'http://127.0.0.1:45678',
          sts: 'http://127.0.0.1:45678',
          iam: 'http://127.0.0.1:45678',
        },
        use_path_style: true,
        skip_credentials_validation: true,
        skip_region_validation: true,
        skip_metadata_api_check: true,
        skip_requesting_account_id: true,
      },
    });
  });

  it('gives the S3 backend of an AWS environment its region and account, and no endpoints', () => {
    const config = environment({
      name: 'prod',
      target: 'aws',
      accountId: ACCOUNT,
      region: 'eu-west-1',
      state: { backend: 's3', region: 'eu-central-1' },
    });
    const backend = backendOf(config);
    assert.deepEqual(backend, {
      s3: {
        bucket: `prod-tfstate-${ACCOUNT}`,
        key: 'prod/prod-management.tfstate',
        region: 'eu-central-1',
        encrypt: true,
        use_lockfile: true,
        allowed_account_ids: [ACCOUNT],
      },
    });
  });

  it('never uses DynamoDB locking', () => {
    const config = environment({ target: 'aws', accountId: ACCOUNT, state: { backend: 's3' } });
    const settings = s3BackendConfig(config, 'test-management');
    assert.equal(settings.dynamodbTable, undefined);
    assert.equal(JSON.stringify(backendOf(config)).includes('dynamodb'), false);
  });
});
