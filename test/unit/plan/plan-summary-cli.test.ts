import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { scratchDir } from '../../helpers/scratch';

const ROOT = path.join(__dirname, '..', '..', '..');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'plans');
const CLI = path.join(ROOT, 'scripts', 'plan-summary.ts');

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('scripts/plan-summary.ts', () => {
  it('exits 2 and prints the summary when a plan destroys or replaces', () => {
    const result = run(`dev-management=${path.join(FIXTURES, 'changes.json')}`);
    assert.equal(result.status, 2);
    assert.match(result.stdout, /^### Terraform plan\n/);
    assert.match(result.stdout, /\| `dev-management` \| 1 \| 1 \| 2 ⚠️ \| 1 ⚠️ \|/);
    assert.equal(result.stderr, '');
  });

  it('exits 0 when nothing would be destroyed, naming stacks after their files', () => {
    const dir = scratchDir('plan-summary');
    copyFileSync(path.join(FIXTURES, 'initial.json'), path.join(dir, 'b-cluster.json'));
    copyFileSync(path.join(FIXTURES, 'empty.json'), path.join(dir, 'a-management.json'));
    writeFileSync(path.join(dir, 'notes.txt'), 'not a plan');
    const out = path.join(dir, 'summary.md');

    const result = run('--out', out, '--title', 'Plan of pr-7', '--no-marker', dir);

    assert.equal(result.status, 0);
    assert.equal(readFileSync(out, 'utf8'), result.stdout);
    assert.match(result.stdout, /^### Plan of pr-7\n/);
    // Directory entries come sorted by name
    assert.ok(
      result.stdout.indexOf('`a-management`') < result.stdout.indexOf('`b-cluster`'),
      'a-management is listed before b-cluster',
    );
    assert.doesNotMatch(result.stdout, /rancher-on-aws:plan-summary/);
  });

  it('exits 1 with a clear message on bad input', () => {
    const dir = scratchDir('plan-summary');
    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, '{"format_version": ');
    const notJson = run(`dev=${broken}`);
    assert.equal(notJson.status, 1);
    assert.match(
      notJson.stderr,
      /^plan-summary: Plan file .*broken\.json for stack "dev" is not JSON/,
    );
    assert.equal(notJson.stdout, '');

    const missing = run(path.join(dir, 'missing.json'));
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /Plan file .*missing\.json for stack "missing" does not exist/);

    const state = path.join(dir, 'state.json');
    writeFileSync(state, JSON.stringify({ format_version: '1.0', values: {} }));
    const notPlan = run(state);
    assert.equal(notPlan.status, 1);
    assert.match(notPlan.stderr, /looks like a state .* not a plan\./);

    const emptyDir = path.join(dir, 'none');
    mkdirSync(emptyDir);
    const none = run(emptyDir);
    assert.equal(none.status, 1);
    assert.match(none.stderr, /Directory .*none holds no \*\.json plan files\./);

    const noArgs = run();
    assert.equal(noArgs.status, 1);
    assert.match(
      noArgs.stderr,
      /Give at least one STACK=FILE, FILE\.json or DIRECTORY; see --help\./,
    );

    const unknown = run('--frobnicate');
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /Unknown option --frobnicate; see --help\./);
  });

  it('documents inputs and exit codes in --help', () => {
    const result = run('--help');
    assert.equal(result.status, 0);
    assert.match(result.stdout, /STACK=FILE/);
    assert.match(result.stdout, /DIRECTORY/);
    assert.match(result.stdout, /0 {2}nothing would be destroyed or replaced/);
    assert.match(result.stdout, /2 {2}at least one resource would be destroyed or replaced/);
    assert.match(result.stdout, /1 {2}bad arguments or input/);
  });
});
