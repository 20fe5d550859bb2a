#!/usr/bin/env node
// Runs one tier of the test suite with Node's own test runner (TypeScript through tsx).
// Usage: node scripts/run-tests.mjs unit|emulator [file-filter]
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { strictnessProblems } from './test-tier-summary.mjs';

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
// Emulator tests each start their own emulator on a free port. A file spends most of its wall
// time in the AWS provider's fixed waits (a load balancer 60 s, a lifecycle rule 3 polls 10 s
// apart), so five at a time keep 2 cores busy; more only adds memory (about 1 GB per file).
const concurrency = tier === 'emulator' ? (process.env.EMULATOR_TEST_CONCURRENCY ?? '5') : '2';
// The AWS provider (a Go program the size of every AWS API) spends a quarter of its CPU time in
// garbage collection at Go's default GOGC=100; every Terraform command starts it at least once.
// Fewer collections for a little more memory (measured: a plan of an empty configuration 3.3 s ->
// 2.5 s of CPU; a whole management cycle 98 s -> 76 s). Only the tests set it.
const goGc = process.env.GOGC ?? '400';
// A second reporter writes TAP to a file so that the summary can be checked: a tier that runs
// nothing, or skips a test, is a failure even when every test that ran passed.
const scratch = mkdtempSync(path.join(tmpdir(), 'run-tests-'));
const report = path.join(scratch, 'report.tap');
const result = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    `--test-concurrency=${concurrency}`,
    `--test-reporter=${process.stdout.isTTY ? 'spec' : 'tap'}`,
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${report}`,
    ...files,
  ],
  { cwd: root, stdio: 'inherit', env: { ...process.env, CHECKPOINT_DISABLE: '1', GOGC: goGc } },
);
let tap = '';
try {
  tap = readFileSync(report, 'utf8');
} catch {
  // No report: the runner died before writing it; the status below says so.
}
rmSync(scratch, { recursive: true, force: true });
if (result.status !== 0) process.exit(result.status ?? 1);
const problems = strictnessProblems(tier, tap);
for (const problem of problems) console.error(`run-tests: ${problem}`);
process.exit(problems.length > 0 ? 1 : 0);
