import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const HELPER = path.resolve(__dirname, '..', '..', 'helpers', 'process-group.ts');

// A child that ignores SIGTERM, unref'd as the emulator is: stopGroup must still wait for it.
const SCRIPT = `
const { spawn } = require('node:child_process');
const { stopGroup } = require(${JSON.stringify(HELPER)});
const child = spawn('bash', ['-c', 'trap "" TERM; sleep 30'], { detached: true, stdio: 'ignore' });
child.unref();
setTimeout(async () => {
  await stopGroup(child, 'SIGTERM', 300);
  console.log('stopped', child.signalCode);
}, 200);
`;

describe('stopGroup', () => {
  it('waits for an unref-ed child that outlives the grace period (SIGKILL path)', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', '-e', SCRIPT], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    // Without child.ref() node ends with exit 13 (unsettled top-level await) before the exit event.
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /stopped SIGKILL/);
  });
});
