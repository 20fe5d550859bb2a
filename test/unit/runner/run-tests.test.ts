import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseTapSummary, strictnessProblems } from '../../../scripts/test-tier-summary.mjs';
import { scratchDir } from '../../helpers/scratch';
import { writeStubCommands } from '../../helpers/stub-commands';

const REPO = path.resolve(__dirname, '..', '..', '..');
const PASSING = "import { it } from 'node:test';\nit('passes', () => {});\n";
const FAILING =
  "import assert from 'node:assert/strict';\nimport { it } from 'node:test';\nit('fails', () => assert.fail('planted'));\n";

/**
 * A scratch copy of the repository's runner scripts with the given test files, so the real
 * scripts/run-tests.mjs and scripts/test.sh run over tiers whose outcome the test decides.
 */
function scratchRepo(tests: Readonly<Record<string, string>>): string {
  const root = scratchDir('runner');
  mkdirSync(path.join(root, 'scripts'));
  for (const script of ['run-tests.mjs', 'test-tier-summary.mjs', 'test.sh']) {
    copyFileSync(path.join(REPO, 'scripts', script), path.join(root, 'scripts', script));
  }
  // test.sh checks the machine and wires the Terraform mirror first; neither matters here.
  writeFileSync(path.join(root, 'scripts', 'check-prereqs.sh'), 'exit 0\n');
  writeFileSync(path.join(root, 'scripts', 'terraform-cli-config.sh'), 'true\n');
  symlinkSync(path.join(REPO, 'node_modules'), path.join(root, 'node_modules'));
  for (const [file, text] of Object.entries(tests)) {
    mkdirSync(path.dirname(path.join(root, 'test', file)), { recursive: true });
    writeFileSync(path.join(root, 'test', file), text);
  }
  return root;
}

function runTier(root: string, tier: string) {
  return spawnSync(process.execPath, [path.join(root, 'scripts', 'run-tests.mjs'), tier], {
    cwd: root,
    encoding: 'utf8',
    env: { PATH: process.env.PATH },
  });
}

describe('run-tests.mjs: a tier passes only when it ran tests and skipped none', () => {
  it('passes a tier whose tests all ran and passed', () => {
    const run = runTier(scratchRepo({ 'unit/a.test.ts': PASSING }), 'unit');
    assert.equal(run.status, 0, run.stderr);
  });

  it('fails a tier that skips a test, naming the test and its reason', () => {
    const root = scratchRepo({
      'unit/a.test.ts': `${PASSING}it('later', { skip: 'no tool here' }, () => {});\n`,
    });
    const run = runTier(root, 'unit');
    assert.equal(run.status, 1);
    assert.match(run.stderr, /the unit tier skipped 1 and left 0 as todo; every test must run/);
    assert.match(run.stderr, /later \(SKIP: no tool here\)/);
  });

  it('fails a tier with a todo test', () => {
    const root = scratchRepo({ 'policy/a.test.ts': `${PASSING}it('someday', { todo: true });\n` });
    const run = runTier(root, 'policy');
    assert.equal(run.status, 1);
    assert.match(run.stderr, /the policy tier skipped 0 and left 1 as todo/);
  });

  it('fails a tier whose files hold no test', () => {
    const run = runTier(scratchRepo({ 'unit/empty.test.ts': 'export {};\n' }), 'unit');
    assert.equal(run.status, 1);
    assert.match(run.stderr, /the unit tier ran 0 tests/);
    assert.match(run.stderr, /test files without a test:\n {2}\S+empty\.test\.ts/);
  });

  it('fails a tier whose runner is killed by a signal (OOM killer, CI timeout)', () => {
    // The test file kills the node:test runner (its parent) outright: spawnSync reports no status.
    const root = scratchRepo({
      'unit/kill.test.ts':
        "import { it } from 'node:test';\nit('kills', () => { process.kill(process.ppid, 'SIGKILL'); });\n",
    });
    const run = runTier(root, 'unit');
    assert.notEqual(run.status, 0);
    assert.equal(run.signal, null, 'run-tests itself must exit with a status');
  });

  it('fails a tier with a failing test with the runner status', () => {
    const run = runTier(scratchRepo({ 'unit/a.test.ts': FAILING }), 'unit');
    assert.equal(run.status, 1);
  });
});

describe('test-tier-summary: reading the TAP summary', () => {
  const tap = [
    'ok 1 - a',
    'ok 2 - b # SKIP no tool',
    '1..2',
    '# tests 2',
    '# skipped 1',
    '# todo 0',
  ];

  it('reads the counts', () => {
    assert.deepEqual(parseTapSummary(tap.join('\n')), { tests: 2, skipped: 1, todo: 0 });
  });

  it('a report without a summary is a problem of its own', () => {
    assert.deepEqual(strictnessProblems('unit', 'ok 1 - a\n'), [
      'the unit tier printed no "# tests" summary line; the runner did not finish',
    ]);
  });

  it('a clean summary has no problem', () => {
    assert.deepEqual(strictnessProblems('unit', '# tests 3\n# skipped 0\n# todo 0\n'), []);
  });
});

describe('scripts/test.sh (npm test): every tier, in order, stopping at the first failure', () => {
  const stubbedPath = (): string => {
    const bin = scratchDir('runner-bin');
    // lint, shellcheck and typecheck are other tools; they pass here so that the tiers run.
    writeStubCommands(bin, { npm: 'exit 0', shellcheck: 'exit 0' });
    return `${bin}:${process.env.PATH ?? ''}`;
  };
  const npmTest = (root: string) =>
    spawnSync('bash', [path.join(root, 'scripts', 'test.sh')], {
      cwd: root,
      encoding: 'utf8',
      env: { PATH: stubbedPath() },
    });

  /** npm test over one test file per tier, the policy one as given. */
  const npmTestWithPolicy = (policy: string) =>
    npmTest(
      scratchRepo({
        'unit/a.test.ts': PASSING,
        'policy/a.test.ts': policy,
        'emulator/a.test.ts': PASSING,
      }),
    );

  it('runs the unit, policy and emulator tiers in that order', () => {
    const run = npmTestWithPolicy(PASSING);
    assert.equal(run.status, 0, run.stderr);
    const phases = [...run.stdout.matchAll(/^==> (\w+):/gm)].map((m) => m[1]);
    assert.deepEqual(phases, ['lint', 'shellcheck', 'typecheck', 'unit', 'policy', 'emulator']);
  });

  it('fails in the policy phase when a policy test fails, and runs nothing after it', () => {
    const run = npmTestWithPolicy(FAILING);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /npm test failed in phase 'policy'; later phases did not run\./);
    assert.doesNotMatch(run.stdout, /==> emulator/);
  });
});
