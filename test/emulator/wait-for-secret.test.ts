import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import {
  CreateSecretCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { Emulator, startEmulator } from '../helpers/emulator';
import { runNodeScript, ScriptResult } from '../helpers/node-script';

const ROOT = path.resolve(__dirname, '..', '..');
const SCRIPT = path.join(ROOT, 'scripts', 'wait-for-secret.mjs');
const REGION = 'eu-west-1';
const FAKE_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_SESSION_TOKEN: 'testing',
};
const KUBECONFIG =
  'apiVersion: v1\nkind: Config\nusers:\n- name: default\n  user:\n    token: do-not-print-me-7f3a\n';

function runWait(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  onStdout?: (stdout: string) => void,
): Promise<ScriptResult> {
  return runNodeScript(SCRIPT, args, { ...FAKE_CREDENTIALS, ...env }, ROOT, onStdout);
}

describe('scripts/wait-for-secret.mjs against the emulator', () => {
  let emulator: Emulator | undefined;
  let endpoint = '';
  let client: SecretsManagerClient;

  before(async () => {
    emulator = await startEmulator();
    endpoint = emulator.endpoint;
    client = new SecretsManagerClient({
      region: REGION,
      endpoint,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
  });

  after(async () => {
    client?.destroy();
    await emulator?.stop();
  });

  async function emptySecret(name: string): Promise<string> {
    const created = await client.send(new CreateSecretCommand({ Name: name }));
    assert.ok(created.ARN, 'the emulator returned no ARN');
    return created.ARN;
  }

  it('times out with a clear error while the secret has no value', async () => {
    const arn = await emptySecret('dev-kubeconfig-empty');
    const started = Date.now();
    const result = await runWait([
      '--secret-id',
      arn,
      '--region',
      REGION,
      '--endpoint',
      endpoint,
      '--timeout',
      '3',
      '--interval',
      '1',
    ]);
    const elapsed = Date.now() - started;
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      new RegExp(
        `no kubeconfig was published to ${arn.replace(/[.*+?^$()|[\]\\]/g, '\\$&')} within 3 s; check the seed server's cloud-init log via SSM: aws ssm start-session`,
      ),
    );
    // Every poll is reported, the last too; its second depends on the machine's load.
    assert.match(result.stdout, /no value yet \(\d+\/3 s\)/);
    assert.ok(elapsed >= 3000, `gave up after ${elapsed} ms, before the 3 s timeout`);
    assert.ok(elapsed < 15_000, `took ${elapsed} ms for a 3 s timeout`);
  });

  it('passes once a server has published a value, and never prints it', async () => {
    const arn = await emptySecret('dev-kubeconfig-published');
    await client.send(new PutSecretValueCommand({ SecretId: arn, SecretString: KUBECONFIG }));
    const result = await runWait([
      '--secret-id',
      arn,
      '--region',
      REGION,
      '--endpoint',
      endpoint,
      '--timeout',
      '10',
      '--interval',
      '1',
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`has a value \\(after \\d+ s\\)`));
    assert.doesNotMatch(result.stdout + result.stderr, /do-not-print-me/);
  });

  it('passes when the value arrives while it waits (endpoint from AWS_ENDPOINT_URL_SECRETS_MANAGER)', async () => {
    const arn = await emptySecret('dev-kubeconfig-late');
    // The value goes in once the script has seen the secret empty (a fixed delay raced a slow start).
    let sawEmpty: () => void = () => undefined;
    const empty = new Promise<void>((resolve) => (sawEmpty = resolve));
    const waiting = runWait(
      ['--secret-id', arn, '--region', REGION, '--timeout', '30', '--interval', '1'],
      { AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoint },
      (stdout) => {
        if (/no value yet/.test(stdout)) sawEmpty();
      },
    );
    await Promise.race([empty, waiting]);
    await client.send(new PutSecretValueCommand({ SecretId: arn, SecretString: KUBECONFIG }));
    const result = await waiting;
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /no value yet/);
    assert.match(result.stdout, /has a value/);
    assert.doesNotMatch(result.stdout + result.stderr, /do-not-print-me/);
  });

  it('rejects missing or bad arguments with exit code 2 and the usage', async () => {
    const missing = await runWait(['--secret-id', 'x', '--region', REGION, '--interval', '1']);
    assert.equal(missing.code, 2);
    assert.match(
      missing.stderr,
      /--timeout is required \(a number of seconds\)\.\nusage: node scripts\/wait-for-secret\.mjs/,
    );
    const bad = await runWait([
      '--secret-id',
      'x',
      '--region',
      REGION,
      '--timeout',
      'soon',
      '--interval',
      '1',
    ]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--timeout must be a positive number of seconds; got "soon"\./);
  });
});
