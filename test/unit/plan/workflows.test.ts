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

  it('deploy waits for its GitHub environment, serializes per environment, and uses env:deploy', () => {
    const job = workflow('deploy.yml').jobs.deploy;
    assert.match(job.environment?.name ?? '', /DEPLOY_ENVIRONMENT/);
    assert.match(job.concurrency?.group ?? '', /^env-/);
    const runs = job.steps.map((s) => s.run ?? '');
    // The in-cluster stacks go through the in-VPC deployer: a hosted runner reaches no private API.
    assert.ok(runs.includes('npm run env:deploy -- "$DEPLOY_ENVIRONMENT"'));
    // The bootstrap stack's local state would be lost with the runner: never deployed here.
    assert.ok(!runs.some((run) => /cdktf deploy/.test(run)), 'no direct cdktf deploy');
  });

  it('plan plans only the AWS-only stacks and says why the others are left out', () => {
    const steps = workflow('plan.yml').jobs.plan.steps;
    const planStep = steps.find((s) => s.run?.includes('terraform -chdir'));
    const summary = steps.find((s) => s.run?.includes('plan-summary.ts'))?.run ?? '';
    assert.ok(planStep?.run);
    // Run the step with stand-ins for npm and terraform: which stacks does it plan?
    const dir = scratchDir('plan-step');
    const bin = path.join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(
      path.join(bin, 'npm'),
      '#!/bin/sh\nprintf "bootstrap e-bootstrap\\naws e-management\\naws e-apps-cluster\\nin-cluster e-rancher\\nin-cluster e-apps-agent\\n"\n',
      { mode: 0o755 },
    );
    writeFileSync(
      path.join(bin, 'terraform'),
      `#!/bin/sh\necho "$1 $2" >> "${dir}/terraform.log"\n[ "$2" = show ] && echo '{}'\nexit 0\n`,
      { mode: 0o755 },
    );
    const result = spawnSync('bash', ['-c', planStep.run], {
      cwd: dir,
      encoding: 'utf8',
      env: {
        ...process.env,
        PATH: `${bin}:${process.env.PATH}`,
        RUNNER_TEMP: dir,
        PLAN_ENVIRONMENT: 'e',
      },
    });
    assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
    const chdirs = readFileSync(path.join(dir, 'terraform.log'), 'utf8')
      .split('\n')
      .filter((line) => line.endsWith(' init'))
      .map((line) => line.split(' ')[0]);
    assert.deepEqual(chdirs, [
      '-chdir=cdktf.out/stacks/e-management',
      '-chdir=cdktf.out/stacks/e-apps-cluster',
    ]);
    assert.deepEqual(
      readFileSync(path.join(dir, 'skipped-stacks.txt'), 'utf8').trim().split('\n'),
      ['e-bootstrap', 'e-rancher', 'e-apps-agent'],
    );
    // The reason, as verified in docs/deploying.md: Helm's release state lives in Secrets, which
    // AmazonEKSViewPolicy (EKS access policy reference) does not grant.
    assert.match(summary, /Not planned here/);
    assert.match(summary, /Secrets.*AmazonEKSViewPolicy/);
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
