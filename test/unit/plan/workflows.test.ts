import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { scratchDir } from '../../helpers/scratch';

const ROOT = path.join(__dirname, '..', '..', '..');
const WORKFLOWS = path.join(ROOT, '.github', 'workflows');
const LINT = path.join(ROOT, 'scripts', 'lint-workflows.sh');

function lint(dir?: string): { status: number | null; output: string } {
  const result = spawnSync('bash', dir === undefined ? [LINT] : [LINT, dir], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  permissions?: Record<string, string>;
  steps: Step[];
  environment?: { name: string };
  concurrency?: { group: string };
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  concurrency?: { group: string };
  jobs: Record<string, Job>;
}

function workflow(name: string): Workflow {
  return parse(readFileSync(path.join(WORKFLOWS, name), 'utf8')) as Workflow;
}

describe('scripts/lint-workflows.sh', () => {
  it('passes the repository workflows', () => {
    const result = lint();
    assert.equal(result.status, 0, result.output);
    assert.match(result.output, /Checking 4 workflow file\(s\)/);
  });

  it('fails on a broken workflow and names the problems', () => {
    // Given a workflow with an unknown event, an undefined context property and a bad input
    const dir = scratchDir('workflows');
    writeFileSync(
      path.join(dir, 'broken.yml'),
      [
        'name: broken',
        'on:',
        '  pull_requests:',
        'jobs:',
        '  build:',
        '    runs-on: ubuntu-24.04',
        '    steps:',
        '      - uses: actions/checkout@v4',
        '        with:',
        '          fetch-deepth: 1',
        '      - run: echo "${{ github.event.pull_request.nubmer }}x${{ steps.nope.outputs.x }}"',
        '',
      ].join('\n'),
    );

    const result = lint(dir);

    assert.equal(result.status, 1, result.output);
    assert.match(result.output, /unknown Webhook event "pull_requests"/);
    assert.match(
      result.output,
      /input "fetch-deepth" is not defined in action "actions\/checkout@v4"/,
    );
    assert.match(result.output, /property "nope" is not defined/);
  });

  it('fails when there is no workflow to lint', () => {
    const dir = scratchDir('workflows');
    mkdirSync(path.join(dir, 'empty'));
    const result = lint(path.join(dir, 'empty'));
    assert.equal(result.status, 1);
    assert.match(result.output, /no \*\.yml or \*\.yaml workflow in .*empty\./);
  });
});

describe('workflows', () => {
  const files = readdirSync(WORKFLOWS).sort();

  it('are the four the project runs', () => {
    assert.deepEqual(files, ['deploy.yml', 'plan.yml', 'sweep.yml', 'teardown.yml']);
  });

  it('grant nothing by default and only what each job needs', () => {
    for (const file of files) {
      const wf = workflow(file);
      assert.deepEqual(wf.permissions, {}, `${file} starts from no permissions`);
      for (const [id, job] of Object.entries(wf.jobs)) {
        const usesAws = job.steps.some((s) =>
          s.uses?.startsWith('aws-actions/configure-aws-credentials'),
        );
        const expected: Record<string, string> = usesAws
          ? { contents: 'read', 'id-token': 'write' }
          : { 'pull-requests': 'write' };
        assert.deepEqual(job.permissions, expected, `${file} job ${id}`);
      }
    }
  });

  it('assume an AWS role from a repository variable through OIDC', () => {
    for (const file of files) {
      for (const job of Object.values(workflow(file).jobs)) {
        for (const step of job.steps) {
          if (!step.uses?.startsWith('aws-actions/configure-aws-credentials')) continue;
          assert.match(
            String(step.with?.['role-to-assume']),
            /^\$\{\{ vars\.AWS_[A-Z]+_ROLE_ARN \}\}$/,
          );
          assert.equal(step.with?.['aws-access-key-id'], undefined, `${file} uses no static keys`);
        }
      }
    }
  });

  it('plan comments once per pull request through a hidden marker', () => {
    const wf = workflow('plan.yml');
    assert.deepEqual(Object.keys(wf.on), ['pull_request']);
    const planSteps = wf.jobs.plan.steps.map((s) => s.run ?? '').join('\n');
    assert.match(planSteps, /npx cdktf synth/);
    assert.match(planSteps, /terraform -chdir="\$dir" plan .*-out=pr\.tfplan/);
    assert.match(planSteps, /terraform -chdir="\$dir" show -json pr\.tfplan/);
    assert.match(planSteps, /npx tsx scripts\/plan-summary\.ts/);
    const script = String(wf.jobs.comment.steps[1].with?.script);
    assert.match(script, /updateComment/);
    assert.match(script, /createComment/);
    const marker = (wf.jobs.comment.steps[1] as Step & { env: Record<string, string> }).env.MARKER;
    assert.equal(marker, '<!-- rancher-on-aws:plan-summary -->');
  });

  it('deploy waits for its GitHub environment and serializes per environment', () => {
    const job = workflow('deploy.yml').jobs.deploy;
    assert.match(job.environment?.name ?? '', /DEPLOY_ENVIRONMENT/);
    assert.match(job.concurrency?.group ?? '', /^env-/);
    assert.ok(
      job.steps.some((s) =>
        /npx cdktf deploy '\*' --auto-approve --parallelism 1/.test(s.run ?? ''),
      ),
    );
  });

  it('teardown and sweep call the environment scripts', () => {
    const teardown = workflow('teardown.yml');
    assert.deepEqual(teardown.on, { pull_request: { types: ['closed'] } });
    assert.ok(
      teardown.jobs.teardown.steps.some((s) => s.run === 'npm run env:teardown -- "pr-$PR_NUMBER"'),
    );
    const sweep = workflow('sweep.yml');
    assert.ok('schedule' in sweep.on);
    assert.ok(sweep.jobs.sweep.steps.some((s) => s.run === 'npm run env:sweep'));
  });
});
