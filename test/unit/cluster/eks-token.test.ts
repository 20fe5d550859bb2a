import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import {
  createEksToken,
  execCredential,
  execCredentialApiVersion,
  stsHostname,
} from '../../../lib/cluster/eks-token.mjs';
import { sigV4Signature, verifyEksToken } from '../../helpers/eks-token';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const SCRIPT = path.join(ROOT, 'scripts', 'eks-token.mjs');
// AWS's documentation key pair (not a credential).
const ACCESS_KEY_ID = 'AKIDEXAMPLE';
const SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const SIGNED_AT = new Date('2026-03-04T05:06:07Z');

describe('the independent SigV4 check used by these tests', () => {
  // AWS's worked example ("Create a signed AWS API request": IAM ListUsers, 2015-08-30): if the
  // test's own signer drifted from the spec, every signature assertion below would be worthless.
  it('reproduces the signature of the AWS documentation example', () => {
    const canonicalRequest = [
      'GET',
      '/',
      'Action=ListUsers&Version=2010-05-08',
      'content-type:application/x-www-form-urlencoded; charset=utf-8',
      'host:iam.amazonaws.com',
      'x-amz-date:20150830T123600Z',
      '',
      'content-type;host;x-amz-date',
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    ].join('\n');
    assert.equal(
      sigV4Signature({
        secretAccessKey: SECRET_ACCESS_KEY,
        amzDate: '20150830T123600Z',
        region: 'us-east-1',
        service: 'iam',
        canonicalRequest,
      }),
      '5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
    );
  });
});

describe('createEksToken (aws-iam-authenticator v0.7.18 pkg/token/token.go)', () => {
  const expected = {
    clusterName: 'prod-management',
    host: 'sts.eu-west-1.amazonaws.com',
    region: 'eu-west-1',
    accessKeyId: ACCESS_KEY_ID,
    secretAccessKey: SECRET_ACCESS_KEY,
  };
  const credentials = { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY };
  /** A token for prod-management in eu-west-1, signed at SIGNED_AT. */
  const sign = (overrides: Partial<Parameters<typeof createEksToken>[0]> = {}) =>
    createEksToken({
      clusterName: 'prod-management',
      region: 'eu-west-1',
      credentials,
      signingDate: SIGNED_AT,
      ...overrides,
    });

  it('is k8s-aws-v1. and a presigned GetCallerIdentity URL the verifier accepts, signed correctly', async () => {
    const token = await sign();
    const { parameters } = verifyEksToken(token.token, expected);
    assert.equal(parameters['X-Amz-Date'], '20260304T050607Z');
    // The authenticator sends 60 (servers up to 0.3.0 accept at most 60).
    assert.equal(parameters['X-Amz-Expires'], '60');
    assert.equal(parameters['X-Amz-SignedHeaders'], 'host;x-k8s-aws-id');
    assert.equal(parameters['X-Amz-Security-Token'], undefined);
  });

  it('expires a minute before the 15 minutes STS honours a presigned URL', async () => {
    const token = await sign();
    assert.equal(token.expirationTimestamp, '2026-03-04T05:20:07Z');
  });

  it('signs a session token into the URL (assumed roles, SSO)', async () => {
    const sessionToken = 'IQoJb3JpZ2luX2VjEXAMPLE/+session==';
    const token = await sign({ credentials: { ...credentials, sessionToken } });
    verifyEksToken(token.token, { ...expected, sessionToken });
  });

  it('binds the token to its cluster: the signature fails for another cluster name', async () => {
    const token = await sign();
    assert.throws(
      () => verifyEksToken(token.token, { ...expected, clusterName: 'prod-apps' }),
      /the SigV4 signature does not verify/,
    );
  });

  it("signs for the region's own STS endpoint in every partition", () => {
    // Hosts from aws-iam-authenticator v0.7.18 pkg/token/token_test.go and pkg/endpoints/partitions.go.
    assert.equal(stsHostname('us-east-1'), 'sts.us-east-1.amazonaws.com');
    assert.equal(stsHostname('us-gov-west-1'), 'sts.us-gov-west-1.amazonaws.com');
    assert.equal(stsHostname('cn-northwest-1'), 'sts.cn-northwest-1.amazonaws.com.cn');
    assert.equal(stsHostname('us-iso-east-1'), 'sts.us-iso-east-1.c2s.ic.gov');
    assert.equal(stsHostname('us-isob-east-1'), 'sts.us-isob-east-1.sc2s.sgov.gov');
  });

  it('rejects a bad region or cluster name with a sentence naming the field', async () => {
    assert.throws(
      () => stsHostname('europe'),
      /^Error: region must be an AWS region such as eu-west-1; got "europe"\.$/,
    );
    await assert.rejects(
      sign({ clusterName: 'prod management' }),
      /clusterName must be an EKS cluster name \(letters, digits, - and _, at most 100\); got "prod management"\./,
    );
  });
});

describe('ExecCredential output (client-go v0.36.3 plugin/pkg/client/auth/exec/exec.go)', () => {
  it('answers in the version client-go asked for, v1beta1 unless it asked for v1', () => {
    assert.equal(execCredentialApiVersion(undefined), 'client.authentication.k8s.io/v1beta1');
    assert.equal(
      execCredentialApiVersion(
        '{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false}}',
      ),
      'client.authentication.k8s.io/v1',
    );
    // client-go no longer accepts v1alpha1 answers.
    assert.equal(
      execCredentialApiVersion('{"apiVersion":"client.authentication.k8s.io/v1alpha1"}'),
      'client.authentication.k8s.io/v1beta1',
    );
    assert.equal(execCredentialApiVersion('not json'), 'client.authentication.k8s.io/v1beta1');
  });

  it('carries the token and its expiry in status', () => {
    assert.deepEqual(
      execCredential(
        { token: 'k8s-aws-v1.abc', expirationTimestamp: '2026-03-04T05:20:07Z' },
        'client.authentication.k8s.io/v1beta1',
      ),
      {
        kind: 'ExecCredential',
        apiVersion: 'client.authentication.k8s.io/v1beta1',
        spec: {},
        status: { token: 'k8s-aws-v1.abc', expirationTimestamp: '2026-03-04T05:20:07Z' },
      },
    );
  });
});

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the command as client-go does: a child process with the caller's environment plus the
 * plugin's, from an unrelated directory, with no AWS config files and no instance metadata.
 */
function runCommand(args: string[], env: Record<string, string>): Run {
  const home = mkdtempSync(path.join(tmpdir(), 'eks-token-home-'));
  try {
    const result = spawnSync(process.execPath, [SCRIPT, ...args], {
      cwd: home,
      encoding: 'utf8',
      timeout: 30_000,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: home,
        AWS_EC2_METADATA_DISABLED: 'true',
        ...env,
      },
    });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

describe('scripts/eks-token.mjs', () => {
  const staticCredentials = {
    AWS_ACCESS_KEY_ID: ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY,
  };

  it('prints an ExecCredential whose token verifies, with static credentials from the environment', () => {
    const before = Date.now();
    const run = runCommand(
      ['--cluster-name', 'prod-management', '--region', 'eu-west-1'],
      staticCredentials,
    );
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '');
    const credential = JSON.parse(run.stdout) as {
      kind: string;
      apiVersion: string;
      status: { token: string; expirationTimestamp: string };
    };
    assert.equal(credential.kind, 'ExecCredential');
    assert.equal(credential.apiVersion, 'client.authentication.k8s.io/v1beta1');
    const { signedAt } = verifyEksToken(credential.status.token, {
      clusterName: 'prod-management',
      host: 'sts.eu-west-1.amazonaws.com',
      region: 'eu-west-1',
      accessKeyId: ACCESS_KEY_ID,
      secretAccessKey: SECRET_ACCESS_KEY,
    });
    assert.ok(
      signedAt.getTime() >= Math.floor(before / 1000) * 1000 && signedAt.getTime() <= Date.now(),
      `signed at ${signedAt.toISOString()}, not now`,
    );
    // RFC 3339 without fractions (metav1.Time), 14 minutes after X-Amz-Date.
    assert.match(credential.status.expirationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(
      new Date(credential.status.expirationTimestamp).getTime() - signedAt.getTime(),
      14 * 60 * 1000,
    );
    assert.ok(!run.stdout.includes(SECRET_ACCESS_KEY), 'the secret key reached stdout');
  });

  it('answers in the API version client-go passes in KUBERNETES_EXEC_INFO', () => {
    const run = runCommand(['--cluster-name', 'c', '--region', 'us-east-1'], {
      ...staticCredentials,
      KUBERNETES_EXEC_INFO:
        '{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false}}',
    });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout).apiVersion, 'client.authentication.k8s.io/v1');
  });

  it('fails with exit code 1 and a message when no credentials can be found', () => {
    const run = runCommand(['--cluster-name', 'c', '--region', 'us-east-1'], {});
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /^eks-token: no token for cluster c in us-east-1: /);
  });

  it('fails with exit code 2 and the usage on bad arguments', () => {
    const missing = runCommand(['--region', 'us-east-1'], staticCredentials);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--cluster-name is required/);
    const unknown = runCommand(['--cluster', 'c', '--region', 'us-east-1'], staticCredentials);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /usage: node scripts\/eks-token\.mjs/);
  });
});
