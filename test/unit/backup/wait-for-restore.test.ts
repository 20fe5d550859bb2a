import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { waitForRestoreCommand, WAIT_FOR_RESTORE_SCRIPT } from '../../../lib/backup/restore-wait';
import { loopbackCertificate } from '../../helpers/loopback-tls';
import { runNodeScript } from '../../helpers/node-script';
import { scratchDir } from '../../helpers/scratch';

const BEARER = 'api-bearer-do-not-print-5d1c';
const RESTORE_PATH = '/apis/resources.cattle.io/v1/restores/restore-fca4f2147e';
const ARGS = ['--name', 'restore-fca4f2147e', '--interval', '1'];

// Status of a Restore as backup-restore-operator v11.0.1 pkg/controllers/restore/controller.go
// writes it: Reconciling carries errors while it retries, Ready "Completed" when done.
const RETRYING = {
  status: {
    conditions: [
      { type: 'Reconciling', status: 'True', reason: 'Error', message: 'error decrypting backup' },
    ],
  },
};
const COMPLETED = {
  status: {
    backupSource: 'rancher-recurring-x.tar.gz.enc',
    restoreCompletionTs: '2026-01-31T06:10:00Z',
    conditions: [{ type: 'Ready', status: 'True', message: 'Completed' }],
  },
};

describe('scripts/wait-for-restore.mjs against a loopback API server', () => {
  const dir = scratchDir('restore-wait');
  let server: Server | undefined;
  let env: Record<string, string> = {};
  let answers: Array<{ status: number; body?: unknown }> = [];

  before(async () => {
    const tls = loopbackCertificate(dir);
    server = createServer(tls, (req, res) => {
      const ok = req.headers.authorization === `Bearer ${BEARER}`;
      const answer =
        ok && req.url === RESTORE_PATH ? (answers.shift() ?? { status: 404 }) : { status: 401 };
      if (ok && answers.length === 0) answers.push(answer);
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.body ?? { kind: 'Status' }));
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    env = { KUBE_HOST: `https://127.0.0.1:${port}`, KUBE_CA_CERT: tls.cert, KUBE_TOKEN: BEARER };
  });

  after(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });

  it('waits while the Restore is missing or retrying, and ends when it has completed', async () => {
    answers = [{ status: 404 }, { status: 200, body: RETRYING }, { status: 200, body: COMPLETED }];
    const result = await runNodeScript(WAIT_FOR_RESTORE_SCRIPT, [...ARGS, '--timeout', '20'], env);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /no Restore yet/);
    assert.match(result.stdout, /the operator retries after: error decrypting backup/);
    assert.match(result.stdout, /Restore restore-fca4f2147e completed from rancher-recurring-x/);
    assert.doesNotMatch(result.stdout + result.stderr, new RegExp(BEARER));
  });

  it('times out naming the last error, and says Rancher was not installed', async () => {
    answers = [{ status: 200, body: RETRYING }];
    const result = await runNodeScript(WAIT_FOR_RESTORE_SCRIPT, [...ARGS, '--timeout', '3'], env);
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /did not complete within 3 s; the operator's last error: error decrypting backup\. Rancher was not installed/,
    );
  });

  it('stops at once when the credentials may not read Restores', async () => {
    const result = await runNodeScript(WAIT_FOR_RESTORE_SCRIPT, [...ARGS, '--timeout', '30'], {
      ...env,
      KUBE_TOKEN: 'wrong',
    });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /HTTP 401/);
  });

  it('refuses a name that is no Kubernetes name, with exit code 2', async () => {
    const result = await runNodeScript(
      WAIT_FOR_RESTORE_SCRIPT,
      ['--name', 'Bad Name', '--timeout', '3', '--interval', '1'],
      env,
    );
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--name must be a Kubernetes name/);
  });
});

describe('waitForRestoreCommand', () => {
  it('quotes the script and name and passes whole seconds', () => {
    assert.equal(
      waitForRestoreCommand({ restoreName: 'restore-1', scriptPath: '/x y/w.mjs' }),
      "node '/x y/w.mjs' --name 'restore-1' --timeout 1800 --interval 10",
    );
    assert.throws(() => waitForRestoreCommand({ restoreName: 'r', timeoutSeconds: 1.5 }));
  });
});
