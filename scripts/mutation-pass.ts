// Runs a mutation pass: applies each mutant of a JSON file alone, runs the unit and policy tiers,
// restores the file, and reports which mutants the tests caught. `npm run mutation -- --help`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import {
  applyMutant,
  figuresLine,
  firstFailingTest,
  Mutant,
  MutantResult,
  parseMutants,
  parseTiers,
  PassTier,
  passFigures,
  renderReport,
  selectMutants,
  typecheckRounds,
} from './mutation/pass';

const ROOT = path.resolve(__dirname, '..');
const WORK_DIR = path.join(ROOT, '.cache', 'mutation-pass');
/** The original text of the file under mutation, so a killed pass can be undone on the next run. */
const JOURNAL = path.join(WORK_DIR, 'restore.json');
const KILL_GRACE_MS = 5_000;

const USAGE = `Usage: node --import tsx scripts/mutation-pass.ts <mutants.json> [options]

Applies each mutant alone (its "find" text must occur exactly once in its file, else it is
reported stale and never applied), runs the test tiers one after the other, restores the file,
and prints a Markdown table of the results with the escape rate (escaped / tried).

Options:
  --only ID,...      run only these mutants
  --tiers LIST       tiers to run, in order (default unit,policy)
  --out FILE         also write the report to FILE
  --header LINE      a line above the report (repeatable)
  --no-bail          run every tier to its end (default: stop a tier at its first failing test)
  --skip-baseline    do not first check that the tiers pass without any mutant
  --typecheck        only check that every mutant compiles (tsc, bash -n, node --check)
  -h, --help         show this text

Exit codes: 0 the pass ran, 1 an error (including a failing baseline), 2 bad arguments.`;

interface Options {
  readonly mutantsFile: string;
  readonly only: string[];
  readonly tiers: PassTier[];
  readonly out?: string;
  readonly header: string[];
  readonly bail: boolean;
  readonly baseline: boolean;
  readonly typecheck: boolean;
}

function parse(argv: string[]): Options | 'help' {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      only: { type: 'string' },
      tiers: { type: 'string', default: 'unit,policy' },
      out: { type: 'string' },
      header: { type: 'string', multiple: true },
      'no-bail': { type: 'boolean', default: false },
      'skip-baseline': { type: 'boolean', default: false },
      typecheck: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  if (positionals.length !== 1) throw new Error('Give exactly one mutants file.');
  return {
    mutantsFile: path.resolve(positionals[0]),
    only: (values.only ?? '')
      .split(',')
      .map((id) => id.trim())
      .filter((id) => id !== ''),
    tiers: parseTiers(values.tiers),
    out: values.out,
    header: values.header ?? [],
    bail: !values['no-bail'],
    baseline: !values['skip-baseline'],
    typecheck: values.typecheck,
  };
}

/** Files under mutation and their original text; restored on every way out. */
const originals = new Map<string, string>();
let running: ReturnType<typeof spawn> | undefined;

function writeJournal(): void {
  mkdirSync(WORK_DIR, { recursive: true });
  writeFileSync(JOURNAL, JSON.stringify(Object.fromEntries(originals)));
}

function restoreAll(): void {
  for (const [file, text] of originals) writeFileSync(file, text);
  originals.clear();
  rmSync(JOURNAL, { force: true });
}

/** A pass killed with SIGKILL left its journal: put those files back before anything else. */
function recoverJournal(): void {
  if (!existsSync(JOURNAL)) return;
  const saved = JSON.parse(readFileSync(JOURNAL, 'utf8')) as Record<string, string>;
  for (const [file, text] of Object.entries(saved)) {
    writeFileSync(file, text);
    console.error(`mutation-pass: restored ${path.relative(ROOT, file)} left by an earlier pass`);
  }
  rmSync(JOURNAL, { force: true });
}

function killRunning(signal: NodeJS.Signals): void {
  if (running?.pid === undefined || running.exitCode !== null || running.signalCode !== null)
    return;
  try {
    process.kill(-running.pid, signal);
  } catch {
    // Already gone.
  }
}

function hookExits(): void {
  process.on('exit', () => {
    killRunning('SIGKILL');
    restoreAll();
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killRunning('SIGKILL');
      restoreAll();
      console.error(`mutation-pass: ${signal}; every file is restored`);
      process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
    });
  }
}

/** Applies mutants (at most one per file) and records the originals first. */
function applyAll(mutants: readonly Mutant[]): { applied: Mutant[]; stale: MutantResult[] } {
  const applied: Mutant[] = [];
  const stale: MutantResult[] = [];
  for (const mutant of mutants) {
    const file = path.join(ROOT, mutant.file);
    if (!existsSync(file)) {
      stale.push({ mutant, outcome: 'stale', detail: 'file not found' });
      continue;
    }
    const source = readFileSync(file, 'utf8');
    const result = applyMutant(source, mutant);
    if (!result.applied) {
      stale.push({ mutant, outcome: 'stale', detail: result.reason });
      continue;
    }
    originals.set(file, source);
    writeJournal();
    writeFileSync(file, result.text);
    applied.push(mutant);
  }
  return { applied, stale };
}

interface TierRun {
  readonly failed: boolean;
  readonly failingTest?: string;
  readonly code: number | null;
}

/** Runs one tier in its own process group; with `bail`, stops it at the first failing test. */
function runTier(tier: PassTier, bail: boolean, log: string): Promise<TierRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join('scripts', 'run-tests.mjs'), tier], {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running = child;
    let output = '';
    let failingTest: string | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    const collect = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (failingTest === undefined && /not ok|✖/.test(output)) {
        failingTest = firstFailingTest(output);
        if (failingTest !== undefined && bail) {
          killRunning('SIGTERM');
          killTimer = setTimeout(() => killRunning('SIGKILL'), KILL_GRACE_MS);
        }
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(killTimer);
      running = undefined;
      writeFileSync(log, output);
      failingTest ??= firstFailingTest(`${output}\n`);
      resolve({ failed: code !== 0 || failingTest !== undefined, failingTest, code });
    });
  });
}

async function runTiers(
  tiers: readonly PassTier[],
  bail: boolean,
  logPrefix: string,
): Promise<string | undefined> {
  for (const tier of tiers) {
    const log = `${logPrefix}.${tier}.log`;
    const run = await runTier(tier, bail, log);
    if (run.failed) {
      return `${tier}: ${run.failingTest ?? `exit code ${run.code} without a failing test (see ${path.relative(ROOT, log)})`}`;
    }
  }
  return undefined;
}

async function runPass(options: Options, mutants: readonly Mutant[]): Promise<MutantResult[]> {
  const logs = path.join(WORK_DIR, 'logs');
  mkdirSync(logs, { recursive: true });
  if (options.baseline) {
    console.error(`mutation-pass: baseline (${options.tiers.join(', ')} without any mutant)`);
    const failure = await runTiers(options.tiers, options.bail, path.join(logs, 'baseline'));
    if (failure) throw new Error(`The baseline fails (${failure}); fix that before a pass.`);
  }
  const results: MutantResult[] = [];
  for (const [index, mutant] of mutants.entries()) {
    const prefix = `[${index + 1}/${mutants.length}] ${mutant.id}`;
    const { applied, stale } = applyAll([mutant]);
    if (applied.length === 0) {
      results.push(stale[0]);
      console.error(`${prefix}: stale (${stale[0].detail})`);
      continue;
    }
    const started = Date.now();
    let caughtBy: string | undefined;
    try {
      caughtBy = await runTiers(options.tiers, options.bail, path.join(logs, mutant.id));
    } finally {
      restoreAll();
    }
    const seconds = Math.round((Date.now() - started) / 1000);
    results.push(
      caughtBy === undefined
        ? { mutant, outcome: 'escaped', seconds }
        : { mutant, outcome: 'caught', detail: caughtBy, seconds },
    );
    console.error(
      `${prefix}: ${caughtBy === undefined ? 'ESCAPED' : `caught by ${caughtBy}`} (${seconds} s)`,
    );
  }
  return results;
}

/** First lines of a failed check's output, for the report. */
function firstLines(text: string, count = 3): string {
  return text.trim().split('\n').slice(0, count).join(' / ');
}

/** bash -n for shell scripts, node --check for JavaScript; undefined when fine. */
function checkSyntax(file: string): string | undefined {
  const command = file.endsWith('.sh')
    ? spawnSync('bash', ['-n', file], { encoding: 'utf8' })
    : file.endsWith('.mjs') || file.endsWith('.js')
      ? spawnSync(process.execPath, ['--check', file], { encoding: 'utf8' })
      : undefined;
  if (!command || command.status === 0) return undefined;
  return firstLines(`${command.stdout}${command.stderr}`);
}

function typecheck(): string | undefined {
  const result = spawnSync('npx', ['tsc', '--noEmit'], { cwd: ROOT, encoding: 'utf8' });
  return result.status === 0 ? undefined : firstLines(`${result.stdout}${result.stderr}`);
}

interface CompileCheck {
  readonly mutant: Mutant;
  /** Why the mutant cannot be used: stale, or the compiler's first lines. */
  readonly problem?: string;
}

/** Type-checks TypeScript mutants in distinct files together; a failing group is halved. */
function typecheckGroup(mutants: readonly Mutant[], checks: Map<string, CompileCheck>): void {
  applyAll(mutants);
  let error: string | undefined;
  try {
    error = typecheck();
  } finally {
    restoreAll();
  }
  if (error === undefined || mutants.length === 1) {
    for (const mutant of mutants)
      checks.set(mutant.id, { mutant, problem: error && `tsc: ${error}` });
    return;
  }
  const half = Math.ceil(mutants.length / 2);
  typecheckGroup(mutants.slice(0, half), checks);
  typecheckGroup(mutants.slice(half), checks);
}

/** Checks every mutant applies and compiles; one tsc run per round of mutants in distinct files. */
function typecheckPass(mutants: readonly Mutant[]): CompileCheck[] {
  const baseline = typecheck();
  if (baseline !== undefined) {
    throw new Error(`The code does not compile without any mutant (${baseline}); fix that first.`);
  }
  const checks = new Map<string, CompileCheck>();
  const rounds = typecheckRounds(mutants);
  for (const [index, round] of rounds.entries()) {
    console.error(`mutation-pass: typecheck round ${index + 1}/${rounds.length} (${round.length})`);
    const { applied, stale } = applyAll(round);
    restoreAll();
    for (const s of stale)
      checks.set(s.mutant.id, { mutant: s.mutant, problem: `stale: ${s.detail}` });
    for (const mutant of applied.filter((m) => !m.file.endsWith('.ts'))) {
      applyAll([mutant]);
      try {
        const error = checkSyntax(path.join(ROOT, mutant.file));
        checks.set(mutant.id, { mutant, problem: error && `syntax: ${error}` });
      } finally {
        restoreAll();
      }
    }
    const tsMutants = applied.filter((m) => m.file.endsWith('.ts'));
    if (tsMutants.length > 0) typecheckGroup(tsMutants, checks);
  }
  return mutants.map((m) => checks.get(m.id)!);
}

/** Lines naming what was measured: commit (and whether the tree had changes), command, date. */
function reportHeader(options: Options): string[] {
  const git = (...args: string[]) =>
    spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
  const dirty = git(
    'status',
    '--porcelain',
    '--untracked-files=no',
    '--',
    'lib',
    'stacks',
    'scripts',
  );
  return [
    `- Commit measured: \`${git('rev-parse', 'HEAD')}\` (${git('log', '-1', '--format=%s')})` +
      (dirty ? ' with uncommitted changes under lib/, stacks/ or scripts/' : ''),
    `- Command: \`node --import tsx scripts/mutation-pass.ts ${process.argv.slice(2).join(' ')}\``,
    `- Date: ${new Date().toISOString()}`,
    `- Tiers: ${options.tiers.join(', ')}${options.bail ? ' (each stopped at its first failing test)' : ''}`,
    ...options.header,
  ];
}

async function main(): Promise<number> {
  let options: Options | 'help';
  try {
    options = parse(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  hookExits();
  recoverJournal();
  try {
    const mutants = selectMutants(
      parseMutants(
        readFileSync(options.mutantsFile, 'utf8'),
        path.relative(ROOT, options.mutantsFile),
      ),
      options.only,
    );
    if (options.typecheck) {
      const checks = typecheckPass(mutants);
      const broken = checks.filter((c) => c.problem !== undefined);
      for (const c of broken) console.log(`${c.mutant.id}: ${c.problem}`);
      console.log(
        `${checks.length - broken.length} of ${checks.length} mutants apply and compile.`,
      );
      return broken.length > 0 ? 1 : 0;
    }
    const header = reportHeader(options);
    const results = await runPass(options, mutants);
    const report = renderReport(results, header);
    console.log(report);
    console.log(figuresLine(passFigures(results)));
    if (options.out) writeFileSync(path.resolve(options.out), report);
    return 0;
  } catch (error) {
    console.error(`mutation-pass: ${(error as Error).message}`);
    return 1;
  } finally {
    restoreAll();
  }
}

if (require.main === module) {
  void main().then((code) => process.exit(code));
}
