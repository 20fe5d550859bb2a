#!/usr/bin/env node
// Runs one tier of the test suite with Node's own test runner (TypeScript through tsx).
// Usage: node scripts/run-tests.mjs unit|emulator [file-filter]
import { readdirSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const tier = process.argv[2];
const filter = process.argv[3];
if (!['unit', 'emulator', 'policy'].includes(tier)) {
  console.error('usage: node scripts/run-tests.mjs unit|emulator|policy [file-filter]');
  process.exit(2);
}

function findTests(dir) {
  let found = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) found = found.concat(findTests(full));
    else if (entry.endsWith('.test.ts')) found.push(full);
  }
  return found.sort();
}

const files = findTests(path.join(root, 'test', tier)).filter((f) => !filter || f.includes(filter));
if (files.length === 0) {
  console.error(`no test files under test/${tier}${filter ? ` matching ${filter}` : ''}`);
  process.exit(1);
}
// Emulator tests each start their own emulator on a free port; they mostly wait on AWS provider
// polling, so three at a time fit 2 cores.
const concurrency = tier === 'emulator' ? (process.env.EMULATOR_TEST_CONCURRENCY ?? '3') : '2';
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...files],
  { cwd: root, stdio: 'inherit', env: { ...process.env, CHECKPOINT_DISABLE: '1' } },
);
process.exit(result.status ?? 1);
