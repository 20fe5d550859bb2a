import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { scratchDir } from '../../helpers/scratch';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** A loopback port nothing listens on: bound once by this process, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('env:teardown (CLI): exit codes', () => {
  it('exits 4, not 0, when it could not check what is left (verification calls fail)', async () => {
    const dir = scratchDir('teardown-cli');
    const file = path.join(dir, 'pr-9.yaml');
    writeFileSync(
      file,
      "name: pr-9\ntarget: local\nowner: ci\nexpiresAt: '2026-08-01T00:00:00Z'\ndns:\n  hostname: rancher.pr-9.internal\n",
    );
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'scripts', 'env-teardown.ts'), file, '--verify-only'],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: {
          PATH: process.env.PATH,
          RANCHER_EMULATOR_ENDPOINT: `http://127.0.0.1:${await closedPort()}`,
        },
      },
    );
    assert.equal(run.status, 4, `${run.stdout}\n${run.stderr}`);
    assert.match(`${run.stdout}${run.stderr}`, /could not check secretsmanager:ListSecrets/);
  });
});
