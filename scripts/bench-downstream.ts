// Synth time and peak memory of an environment with many downstream clusters (default 25), each in
// a fresh Node process as `cdktf synth` runs it. Figures only, no thresholds.
// Usage: node --import tsx scripts/bench-downstream.ts [--clusters N] [--runs N]
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import * as path from 'node:path';
import { App } from 'cdktf';
import { parseEnvironment } from '../lib/config/load';
import { buildEnvironment } from '../stacks';

const CHILD_FLAG = '--child';
const DEFAULT_CLUSTERS = 25;
const DEFAULT_RUNS = 3;

interface Figures {
  readonly stacks: number;
  readonly synthMs: number;
  readonly maxRssKiB: number;
}

/** The embedded-default shape (local target) with `count` downstream EKS clusters. */
function benchEnvironment(count: number) {
  return parseEnvironment(
    {
      name: 'bench',
      target: 'local',
      owner: 'bench',
      dns: { hostname: 'rancher.bench.internal' },
      downstream: Array.from({ length: count }, (_, i) => ({ name: `ds${i + 1}` })),
    },
    '<bench>',
  );
}

/** In the child: build and synthesize, then report from inside the process. */
function child(count: number, outdir: string): void {
  const started = performance.now();
  const app = new App({ outdir });
  buildEnvironment(app, benchEnvironment(count), { emulatorEndpoint: 'http://127.0.0.1:5000' });
  app.synth();
  const synthMs = performance.now() - started;
  const stacks = readdirSync(path.join(outdir, 'stacks')).length;
  const figures: Figures = { stacks, synthMs, maxRssKiB: process.resourceUsage().maxRSS };
  console.log(JSON.stringify(figures));
}

function runChild(count: number): Promise<Figures & { wallMs: number }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'rancher-bench-downstream-'));
  const started = performance.now();
  return new Promise<Figures & { wallMs: number }>((resolve, reject) => {
    const args = ['--import', 'tsx', __filename, CHILD_FLAG, String(count), path.join(dir, 'out')];
    const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    proc.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    proc.once('error', reject);
    proc.once('close', (code) => {
      if (code !== 0) return reject(new Error(`synth child exited with code ${code}`));
      const figures = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Figures;
      resolve({ ...figures, wallMs: performance.now() - started });
    });
  }).finally(() => rmSync(dir, { recursive: true, force: true }));
}

function numberArgument(args: readonly string[], flag: string, fallback: number): number {
  const at = args.indexOf(flag);
  if (at < 0) return fallback;
  const value = Number(args[at + 1]);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${flag} must be a whole number >= 1; got ${args[at + 1]}`);
  }
  return value;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === CHILD_FLAG) return child(Number(args[1]), args[2]);
  const clusters = numberArgument(args, '--clusters', DEFAULT_CLUSTERS);
  const runs = numberArgument(args, '--runs', DEFAULT_RUNS);
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const mib = (kib: number) => `${(kib / 1024).toFixed(0)} MiB`;
  console.log(
    `machine: ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), ${mib(totalmem() / 1024)} RAM, Node ${process.version}`,
  );
  console.log(`synth with ${clusters} downstream clusters (${runs} fresh processes)`);
  const rows = [];
  for (let i = 0; i < runs; i++) {
    const row = await runChild(clusters);
    rows.push(row);
    console.log(
      `  run ${i + 1}: ${row.stacks} stacks, wall ${seconds(row.wallMs)}, build+synth ${seconds(row.synthMs)}, peak RSS ${mib(row.maxRssKiB)}`,
    );
  }
  const median = (values: number[]) =>
    [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  console.log(
    `  median: wall ${seconds(median(rows.map((r) => r.wallMs)))}, build+synth ${seconds(median(rows.map((r) => r.synthMs)))}, peak RSS ${mib(median(rows.map((r) => r.maxRssKiB)))}`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
