import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import {
  kubernetesCredentialEnvironment,
  waitForKubernetesSecretCommand,
  WAIT_FOR_KUBERNETES_SECRET_SCRIPT,
} from '../../../lib/k8s/secret-wait';
import { loopbackCertificate } from '../../helpers/loopback-tls';
import { runNodeScript, ScriptResult } from '../../helpers/node-script';
import { scratchDir } from '../../helpers/scratch';

const TOKEN = 'registration-token-do-not-print-9c2e';
const BEARER = 'api-bearer-do-not-print-41aa';
const SECRET_PATH = '/api/v1/namespaces/c-m-abc12345/secrets/crt-token-default-token';

function runWait(args: readonly string[], env: Record<string, string>): Promise<ScriptResult> {
  return runNodeScript(WAIT_FOR_KUBERNETES_SECRET_SCRIPT, args, env);
}

const ARGS = [
  '--namespace',
  'c-m-abc12345',
  '--name',
  'crt-token-default-token',
  '--key',
  'token',
  '--interval',
  '1',
];

describe('scripts/wait-for-kubernetes-secret.mjs against a loopback API server', () => {
  const dir = scratchDir('secret-wait');
  let server: Server | undefined;
  let env: Record<string, string> = {};
  /** Answers by path; each GET of the Secret takes the next answer, the last one repeats. */
  let answers: Array<{ status: number; body?: unknown }> = [];
  let requests: Array<{ path?: string; authorization?: string }> = [];

  before(async () => {
    const tls = loopbackCertificate(dir);
    server = createServer(tls, (req, res) => {
      requests.push({ path: req.url, authorization: req.headers.authorization });
      const answer = req.url === SECRET_PATH ? (answers.shift() ?? { status: 404 }) : undefined;
      if (answer && answers.length === 0) answers.push(answer);
      res.writeHead(answer?.status ?? 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer?.body ?? { kind: 'Status', code: 404 }));
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    // An exec credential plugin as EKS clusters get one (scripts/eks-token.mjs prints the same).
    const tokenCommand = path.join(dir, 'token.mjs');
    writeFileSync(
      tokenCommand,
      `console.log(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential', status: { token: process.env.STUB_TOKEN } }));\n`,
    );
    env = {
      KUBE_HOST: `https://127.0.0.1:${port}`,
      KUBE_CA_CERT: tls.cert,
      KUBE_EXEC_COMMAND: process.execPath,
      KUBE_EXEC_ARGS: JSON.stringify([tokenCommand]),
      STUB_TOKEN: BEARER,
    };
  });

  after(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });

  it('times out with a clear error while Rancher has written no Secret', async () => {
    answers = [{ status: 404 }];
    requests = [];
    const started = Date.now();
    const result = await runWait([...ARGS, '--timeout', '3'], env);
    const elapsed = Date.now() - started;
    assert.equal(result.code, 1, result.stderr);
    assert.match(
      result.stderr,
      /key "token" of Secret c-m-abc12345\/crt-token-default-token got no value within 3 s\. Rancher creates the ClusterRegistrationToken default-token/,
    );
    assert.match(result.stdout, /no Secret yet \([0-3]\/3 s\)/);
    assert.ok(elapsed >= 3000, `gave up after ${elapsed} ms, before the 3 s timeout`);
    assert.ok(elapsed < 15_000, `took ${elapsed} ms for a 3 s timeout`);
    assert.ok(requests.length >= 2, 'polled only once');
    assert.ok(requests.every((r) => r.authorization === `Bearer ${BEARER}`));
    assert.ok(!`${result.stdout}${result.stderr}`.includes(BEARER), 'the credential was printed');
  });

  it('passes once the Secret holds the key, and never prints its value', async () => {
    const data = { token: Buffer.from(TOKEN).toString('base64') };
    answers = [
      { status: 404 },
      { status: 200, body: { kind: 'Secret', data: {} } },
      { status: 200, body: { kind: 'Secret', data } },
    ];
    const result = await runWait([...ARGS, '--timeout', '30'], env);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /the Secret has no "token" yet/);
    assert.match(
      result.stdout,
      /key "token" of Secret c-m-abc12345\/crt-token-default-token has a value/,
    );
    const printed = `${result.stdout}${result.stderr}`;
    assert.ok(!printed.includes(TOKEN) && !printed.includes(data.token), 'the token was printed');
  });

  it('stops at once when the credentials may not read the Secret', async () => {
    answers = [{ status: 403 }];
    const started = Date.now();
    const result = await runWait([...ARGS, '--timeout', '60'], env);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /HTTP 403: these credentials may not read Secret c-m-abc12345/);
    assert.ok(Date.now() - started < 10_000, 'waited on a permission error');
  });

  it('refuses an API server whose certificate the given CA did not sign', async () => {
    answers = [{ status: 200, body: { data: { token: 'eA==' } } }];
    const other = loopbackCertificate(scratchDir('secret-wait-other'));
    // 5 s, not 1: on a loaded machine the first TLS attempt may not end within 1 s (the run then
    // reports nothing it could assert on; the mutation pass saw it fail that way under load).
    const result = await runWait([...ARGS, '--timeout', '5'], { ...env, KUBE_CA_CERT: other.cert });
    assert.equal(result.code, 1);
    assert.match(result.stdout, /could not ask yet \(/);
  });

  it('passes a token from KUBE_TOKEN as it is', async () => {
    answers = [{ status: 200, body: { data: { token: 'eA==' } } }];
    requests = [];
    const { KUBE_HOST, KUBE_CA_CERT } = env;
    const result = await runWait([...ARGS, '--timeout', '5'], {
      KUBE_HOST,
      KUBE_CA_CERT,
      KUBE_TOKEN: 'plain-bearer',
    });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(requests[0].authorization, 'Bearer plain-bearer');
  });

  it('needs the API server and a credential in its environment', async () => {
    const result = await runWait([...ARGS, '--timeout', '2'], { KUBE_HOST: env.KUBE_HOST });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /KUBE_CA_CERT must hold the PEM of the cluster CA/);
  });
});

describe('waitForKubernetesSecretCommand', () => {
  it('quotes every value and rejects bad numbers', () => {
    assert.equal(
      waitForKubernetesSecretCommand({
        namespace: "c-m-x'1",
        name: 'crt-token-default-token',
        key: 'token',
        scriptPath: '/s.mjs',
      }),
      "node '/s.mjs' --namespace 'c-m-x'\\''1' --name 'crt-token-default-token' --key 'token' --timeout 300 --interval 5",
    );
    assert.throws(
      () =>
        waitForKubernetesSecretCommand({ namespace: 'n', name: 's', key: 'k', timeoutSeconds: 0 }),
      /timeoutSeconds must be a whole number of seconds >= 1; got 0\./,
    );
  });

  it("passes the EKS token command (the providers' exec) and its environment", () => {
    const env = kubernetesCredentialEnvironment({
      host: 'https://h',
      clusterCaCertificate: 'CA',
      exec: {
        apiVersion: 'client.authentication.k8s.io/v1beta1',
        command: 'node',
        args: ['t.mjs'],
      },
      execEnv: { AWS_PROFILE: '' },
    });
    assert.equal(env.KUBE_EXEC_COMMAND, 'node');
    assert.equal(env.AWS_PROFILE, '');
    assert.equal(env.KUBE_CLIENT_KEY, undefined);
  });

  it('passes a client certificate instead of a token when the cluster uses one (RKE2)', () => {
    assert.deepEqual(
      kubernetesCredentialEnvironment({
        host: 'https://h',
        clusterCaCertificate: 'CA',
        clientCertificate: 'CERT',
        clientKey: 'KEY',
      }),
      {
        KUBE_HOST: 'https://h',
        KUBE_CA_CERT: 'CA',
        KUBE_CLIENT_CERT: 'CERT',
        KUBE_CLIENT_KEY: 'KEY',
      },
    );
  });
});
