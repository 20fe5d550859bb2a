import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  RestoreRefusedError,
  runRestore,
  RestoreRunSteps,
  stateHasRancher,
} from '../../../lib/environments/restore';
import { environment } from '../../helpers/template';

const FILE = 'rancher-recurring-7c5d3b1e-2026-01-31T06-00-00Z.tar.gz.enc';

/** Fakes at the boundary: records every deploy, in order. */
function fakeSteps(
  installed: boolean | 'unknown',
  failOn?: string,
): RestoreRunSteps & { calls: string[]; lines: string[] } {
  const calls: string[] = [];
  const lines: string[] = [];
  return {
    calls,
    lines,
    rancherInstalled: () => Promise.resolve(installed),
    deployOrder: () => ['test-management', 'test-rancher', 'test-a-cluster', 'test-a-agent'],
    deploy(stack, restore) {
      calls.push(restore ? `${stack}:${restore.backupFilename}:${restore.timeoutSeconds}` : stack);
      if (stack === failOn) {
        return Promise.reject(new Error('Restore restore-1 did not complete within 1800 s'));
      }
      return Promise.resolve();
    },
    log: (line) => lines.push(line),
  };
}

describe('runRestore', () => {
  it('deploys management first, then the rancher stack with the restore, nothing after it', async () => {
    const steps = fakeSteps(false);
    await runRestore({ config: environment(), backupFilename: FILE }, steps);
    assert.deepEqual(steps.calls, ['test-management', `test-rancher:${FILE}:1800`]);
    assert.match(
      steps.lines.at(-1) ?? '',
      /Not deployed by the restore.*test-a-cluster, test-a-agent/,
    );
  });

  it('refuses an environment that already runs Rancher, changing nothing, unless forced', async () => {
    const steps = fakeSteps(true);
    await assert.rejects(
      runRestore({ config: environment(), backupFilename: FILE }, steps),
      (error: Error) =>
        error instanceof RestoreRefusedError && /already runs Rancher.*--force/.test(error.message),
    );
    assert.deepEqual(steps.calls, []);
    const forced = fakeSteps(true);
    await runRestore({ config: environment(), backupFilename: FILE, force: true }, forced);
    assert.equal(forced.calls.length, 2);
  });

  it('refuses when the rancher state cannot be read', async () => {
    const steps = fakeSteps('unknown');
    await assert.rejects(
      runRestore({ config: environment(), backupFilename: FILE }, steps),
      /cannot be read.*--force/,
    );
    assert.deepEqual(steps.calls, []);
  });

  it('refuses a path instead of a file name, and an environment without backups', async () => {
    const steps = fakeSteps(false);
    await assert.rejects(
      runRestore({ config: environment(), backupFilename: `rancher/${FILE}` }, steps),
      RestoreRefusedError,
    );
    await assert.rejects(
      runRestore(
        { config: environment({ backup: { enabled: false } }), backupFilename: FILE },
        steps,
      ),
      /backup\.enabled: false/,
    );
    assert.deepEqual(steps.calls, []);
  });

  it('passes the bounded wait and says Rancher was not installed when the restore times out', async () => {
    const steps = fakeSteps(false, 'test-rancher');
    await assert.rejects(
      runRestore({ config: environment(), backupFilename: FILE, timeoutSeconds: 600 }, steps),
      /test-rancher failed; if the Restore did not complete, Rancher was not installed[\s\S]*did not complete within/,
    );
    assert.deepEqual(steps.calls, ['test-management', `test-rancher:${FILE}:600`]);
    await assert.rejects(
      runRestore(
        { config: environment(), backupFilename: FILE, timeoutSeconds: 5 },
        fakeSteps(false),
      ),
      /at least 60; got 5/,
    );
  });
});

describe('stateHasRancher', () => {
  const release = (name: string, namespace: string) => ({
    type: 'helm_release',
    instances: [{ attributes: { name, namespace } }],
  });

  it('finds the Rancher release, not the operator or a partial restore', () => {
    assert.equal(stateHasRancher({ resources: [release('rancher', 'cattle-system')] }), true);
    assert.equal(
      stateHasRancher({
        resources: [
          release('rancher-backup', 'cattle-resources-system'),
          release('rancher-restore', 'cattle-resources-system'),
        ],
      }),
      false,
    );
    assert.equal(stateHasRancher(undefined), false);
  });
});
