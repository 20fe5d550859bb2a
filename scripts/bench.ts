// `npm run bench`: prints how long the everyday steps take on this machine. Figures only, no
// thresholds. Usage: npm run bench [-- --synth-runs N] [--skip-unit] [--skip-emulator]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import * as path from 'node:path';
import { environmentFileFromProcess, loadEnvironmentFile } from '../lib/config/load';
import { stackName } from '../lib/naming/names';
import { startEmulator } from '../test/helpers/emulator';
import { synthEnvironment } from '../test/helpers/synth';
import { Terraform } from '../test/helpers/terraform';

const ROOT = path.resolve(__dirname, '..');

interface ChildRun {
  readonly exitCode: number;
  readonly wallMs: number;
  readonly stdout: string;
}

function runChild(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<ChildRun> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.once('error', reject);
    child.once('close', (code) =>
      resolve({ exitCode: code ?? 1, wallMs: performance.now() - started, stdout }),
    );
  });
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * The default app's synth in a fresh Node process each time, as `cdktf synth` runs it: wall time
 * of the whole process, time spent loading and synthesizing main.ts, and the process's peak RSS.
 */
async function benchSynth(runs: number): Promise<void> {
  // Loads main.ts (which synthesizes on import) and reports from inside the child.
  const probe = [
    'const started = performance.now();',
    `require(${JSON.stringify(path.join(ROOT, 'main.ts'))});`,
    'const synthMs = performance.now() - started;',
    'console.log(JSON.stringify({ synthMs, maxRssKiB: process.resourceUsage().maxRSS }));',
  ].join('\n');
  const rows: { wallMs: number; synthMs: number; maxRssKiB: number }[] = [];
  for (let i = 0; i < runs; i++) {
    const dir = mkdtempSync(path.join(tmpdir(), 'rancher-bench-synth-'));
    try {
      const env = {
        ...process.env,
        CDKTF_OUTDIR: path.join(dir, 'cdktf.out'),
        RANCHER_EMULATOR_ENDPOINT: 'http://127.0.0.1:5000',
      };
      // Run from the project, so `--import tsx` resolves; the output goes to the temporary dir.
      const run = await runChild(['--import', 'tsx', '-e', probe], ROOT, env);
      if (run.exitCode !== 0)
        throw new Error(`synth run ${i + 1} failed with exit code ${run.exitCode}`);
      const last = run.stdout.trim().split('\n').pop() ?? '{}';
      const figures = JSON.parse(last) as { synthMs: number; maxRssKiB: number };
      rows.push({ wallMs: run.wallMs, ...figures });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log(`synth (default environment, ${runs} fresh processes)`);
  rows.forEach((r, i) =>
    console.log(
      `  run ${i + 1}: wall ${seconds(r.wallMs)}, load+synth ${seconds(r.synthMs)}, peak RSS ${(r.maxRssKiB / 1024).toFixed(0)} MiB`,
    ),
  );
  console.log(
    `  median: wall ${seconds(median(rows.map((r) => r.wallMs)))}, peak RSS ${(median(rows.map((r) => r.maxRssKiB)) / 1024).toFixed(0)} MiB`,
  );
}

async function benchUnit(): Promise<void> {
  const run = await runChild(
    [path.join(ROOT, 'scripts', 'run-tests.mjs'), 'unit'],
    ROOT,
    process.env,
  );
  const summary = run.stdout.match(/^# (pass|fail) \d+$/gm)?.join(', ') ?? 'no summary';
  console.log(
    `unit suite: wall ${seconds(run.wallMs)} (exit ${run.exitCode}; ${summary.replace(/# /g, '')})`,
  );
}

/** One emulator cycle of the default environment's management stack, step by step. */
async function benchEmulatorCycle(): Promise<void> {
  const config = loadEnvironmentFile(environmentFileFromProcess());
  const started = performance.now();
  const emulator = await startEmulator();
  const steps: [string, number][] = [['emulator start', performance.now() - started]];
  let outdir: string | undefined;
  try {
    const synthStarted = performance.now();
    const synthesized = synthEnvironment(config, { emulatorEndpoint: emulator.endpoint });
    outdir = synthesized.outdir;
    steps.push(['synth (in process)', performance.now() - synthStarted]);
    const terraform = new Terraform(synthesized.stackDirs[stackName(config.name, 'management')], {
      emulatorEndpoint: emulator.endpoint,
      region: config.region,
    });
    steps.push(['terraform init', (await terraform.init()).durationMs]);
    steps.push(['terraform apply', (await terraform.apply()).durationMs]);
    const plan = await terraform.plan();
    steps.push([
      `terraform plan (${plan.exitCode === 0 ? 'no changes' : 'CHANGES'})`,
      plan.durationMs,
    ]);
    steps.push(['terraform destroy', (await terraform.destroy()).durationMs]);
  } finally {
    const stopStarted = performance.now();
    await emulator.stop();
    steps.push(['emulator stop', performance.now() - stopStarted]);
    if (outdir) rmSync(outdir, { recursive: true, force: true });
  }
  console.log(`emulator cycle (${stackName(config.name, 'management')})`);
  for (const [name, ms] of steps) console.log(`  ${name.padEnd(30)} ${seconds(ms)}`);
  console.log(`  ${'total'.padEnd(30)} ${seconds(performance.now() - started)}`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const runsAt = args.indexOf('--synth-runs');
  const synthRuns = runsAt >= 0 ? Number(args[runsAt + 1]) : 3;
  if (!Number.isInteger(synthRuns) || synthRuns < 1) {
    throw new Error(`--synth-runs must be a whole number >= 1; got ${args[runsAt + 1]}`);
  }
  console.log(
    `machine: ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}\n`,
  );
  await benchSynth(synthRuns);
  if (!args.includes('--skip-unit')) await benchUnit();
  if (!args.includes('--skip-emulator')) await benchEmulatorCycle();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
