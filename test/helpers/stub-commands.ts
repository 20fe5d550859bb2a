import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/** Writes each stub as an executable bash script named after the command it stands in for. */
export function writeStubCommands(dir: string, stubs: Readonly<Record<string, string>>): void {
  for (const [name, body] of Object.entries(stubs)) {
    writeFileSync(path.join(dir, name), `#!/bin/bash\n${body}\n`);
    chmodSync(path.join(dir, name), 0o755);
  }
}

/** The script with each `from` replaced by `to`; fails when the script no longer has a `from`. */
export function redirectPaths(
  script: string,
  replacements: ReadonlyArray<[string, string]>,
): string {
  let result = script;
  for (const [from, to] of replacements) {
    assert.ok(result.includes(from), `the script no longer mentions ${from}; update this test`);
    result = result.split(from).join(to);
  }
  return result;
}
