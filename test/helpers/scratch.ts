import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

let root: string | undefined;

/** `KEEP=1` (as for `npm run local`) keeps the scratch directories for a look after the run. */
function keepScratch(): boolean {
  return process.env.KEEP === '1' || process.env.KEEP === 'true';
}

/**
 * A new empty directory for one test, under a per-process directory that is removed when the
 * test process exits (each test file runs in a process of its own), so repeated runs leave
 * nothing in the system's temp directory.
 */
export function scratchDir(prefix: string): string {
  if (!root) {
    const created = mkdtempSync(path.join(tmpdir(), 'rancher-test-'));
    root = created;
    process.once('exit', () => {
      if (keepScratch()) process.stderr.write(`KEEP: test files kept in ${created}\n`);
      else rmSync(created, { recursive: true, force: true });
    });
  }
  return mkdtempSync(path.join(root, `${prefix}-`));
}
