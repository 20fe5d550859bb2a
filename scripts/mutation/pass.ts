/**
 * The pure parts of a mutation pass (scripts/mutation-pass.ts): reading the mutants file,
 * applying one mutant exactly once, naming the first failing test in a runner's output, and the
 * Markdown report. No file system, no processes.
 */

/** One deliberate defect: replace the only occurrence of `find` in `file` with `replace`. */
export interface Mutant {
  /** Unique id, e.g. `network-private-route-igw`. */
  readonly id: string;
  /** Escape family the defect belongs to (issue #13), e.g. `iam-trust`. */
  readonly family: string;
  /** Path relative to the repository root. */
  readonly file: string;
  /** Text that must occur exactly once in the file. */
  readonly find: string;
  /** Its replacement; empty deletes it. */
  readonly replace: string;
  /** The bug a developer would have made, in one line. */
  readonly description: string;
}

export type MutantOutcome = 'caught' | 'escaped' | 'stale';

export interface MutantResult {
  readonly mutant: Mutant;
  readonly outcome: MutantOutcome;
  /** Caught: `<tier>: <first failing test>`. Stale: why the mutant was not applied. */
  readonly detail?: string;
  /** Wall time of the tiers run for it. */
  readonly seconds?: number;
}

/** The test tiers a pass may run (the emulator tier is too slow and needs the shared lock). */
export const PASS_TIERS = ['unit', 'policy'] as const;
export type PassTier = (typeof PASS_TIERS)[number];

const MUTANT_FIELDS = ['id', 'family', 'file', 'find', 'replace', 'description'] as const;
const ID_PATTERN = /^[a-z0-9][a-z0-9.-]*$/;

/** Parses and checks a mutants file: a JSON array of mutants with unique ids. */
export function parseMutants(text: string, source = 'mutants file'): Mutant[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source} is not JSON: ${(error as Error).message}`, { cause: error });
  }
  if (!Array.isArray(data)) {
    throw new Error(`${source} must hold a JSON array of mutants; got ${typeof data}.`);
  }
  const seen = new Set<string>();
  return data.map((entry: unknown, index) => {
    const where = `${source}[${index}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw new Error(`${where} must be an object with ${MUTANT_FIELDS.join(', ')}.`);
    }
    const record = entry as Record<string, unknown>;
    const unknown = Object.keys(record).filter(
      (key) => !(MUTANT_FIELDS as readonly string[]).includes(key),
    );
    if (unknown.length > 0) {
      throw new Error(`${where} has unknown field(s) ${unknown.join(', ')}.`);
    }
    for (const field of MUTANT_FIELDS) {
      const value = record[field];
      if (typeof value !== 'string') {
        throw new Error(`${where}.${field} must be a string; got ${JSON.stringify(value)}.`);
      }
      if (field !== 'replace' && value.trim() === '') {
        throw new Error(`${where}.${field} must not be empty.`);
      }
    }
    const mutant = record as unknown as Mutant;
    if (!ID_PATTERN.test(mutant.id)) {
      throw new Error(
        `${where}.id must be lower-case letters, digits, dots and dashes; got "${mutant.id}".`,
      );
    }
    if (seen.has(mutant.id)) throw new Error(`${where}.id "${mutant.id}" is used twice.`);
    seen.add(mutant.id);
    if (mutant.find === mutant.replace) {
      throw new Error(`${where} (${mutant.id}) replaces its text with the same text.`);
    }
    if (mutant.file.startsWith('/') || mutant.file.split('/').includes('..')) {
      throw new Error(`${where}.file must be a path inside the repository; got "${mutant.file}".`);
    }
    return {
      id: mutant.id,
      family: mutant.family,
      file: mutant.file,
      find: mutant.find,
      replace: mutant.replace,
      description: mutant.description,
    };
  });
}

/** The mutants named in `only` (all when it is empty), in file order; unknown ids are an error. */
export function selectMutants(mutants: readonly Mutant[], only: readonly string[] = []): Mutant[] {
  if (only.length === 0) return [...mutants];
  const known = new Set(mutants.map((m) => m.id));
  const missing = only.filter((id) => !known.has(id));
  if (missing.length > 0) throw new Error(`Unknown mutant id(s): ${missing.join(', ')}.`);
  const wanted = new Set(only);
  return mutants.filter((m) => wanted.has(m.id));
}

/** `unit,policy` → the tiers, in the order given; anything else is an error. */
export function parseTiers(text: string): PassTier[] {
  const tiers = text
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  if (tiers.length === 0) throw new Error('--tiers needs at least one tier (unit, policy).');
  for (const tier of tiers) {
    if (!(PASS_TIERS as readonly string[]).includes(tier)) {
      throw new Error(`Unknown tier "${tier}"; a pass runs ${PASS_TIERS.join(' and/or ')}.`);
    }
  }
  if (new Set(tiers).size !== tiers.length) throw new Error(`--tiers repeats a tier: ${text}.`);
  return tiers as PassTier[];
}

/** Occurrences of `needle` in `haystack`, overlapping ones included. */
export function countOccurrences(haystack: string, needle: string): number {
  if (needle === '') return 0;
  let count = 0;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) {
    count++;
  }
  return count;
}

export type Application =
  | { readonly applied: true; readonly text: string }
  | { readonly applied: false; readonly reason: string };

/**
 * The file's text with the mutant applied, or why it cannot be: `find` must occur exactly once.
 * The replacement is inserted literally (`$&` or `$1` in it are text, not patterns).
 */
export function applyMutant(source: string, mutant: Pick<Mutant, 'find' | 'replace'>): Application {
  const count = countOccurrences(source, mutant.find);
  if (count !== 1) {
    return {
      applied: false,
      reason: count === 0 ? 'find text not found' : `find text occurs ${count} times`,
    };
  }
  const at = source.indexOf(mutant.find);
  return {
    applied: true,
    text: source.slice(0, at) + mutant.replace + source.slice(at + mutant.find.length),
  };
}

const TAP_SUBTEST = /^(\s*)# Subtest: (.*)$/;
const TAP_NOT_OK = /^(\s*)not ok \d+ - (.*?)\s*$/;
const TAP_DIRECTIVE = /\s#\s*(TODO|SKIP)\b/i;
const SPEC_FAILED = /^\s*✖ (.+?)\s*$/;
const SPEC_DURATION = / \(\d+(?:\.\d+)?m?s\)$/;

/**
 * The first failing test in node:test output, as `describe > test`: TAP `not ok` lines (with the
 * enclosing `# Subtest:` names), else spec `✖` lines. TODO and SKIP results are not failures.
 * Only whole lines are read, so partial output is safe to pass.
 */
export function firstFailingTest(output: string): string | undefined {
  const complete = output.slice(0, output.lastIndexOf('\n') + 1);
  const lines = complete.split('\n');
  const open = new Map<number, string>();
  for (const line of lines) {
    const subtest = TAP_SUBTEST.exec(line);
    if (subtest) {
      const depth = subtest[1].length;
      for (const key of [...open.keys()]) if (key >= depth) open.delete(key);
      open.set(depth, unescapeTap(subtest[2]));
      continue;
    }
    const failed = TAP_NOT_OK.exec(line);
    if (failed && !TAP_DIRECTIVE.test(failed[2])) {
      const depth = failed[1].length;
      const parents = [...open.entries()]
        .filter(([key]) => key < depth)
        .sort(([a], [b]) => a - b)
        .map(([, name]) => name);
      return [...parents, unescapeTap(failed[2])].join(' > ');
    }
  }
  for (const line of lines) {
    const failed = SPEC_FAILED.exec(line);
    if (failed && !TAP_DIRECTIVE.test(failed[1])) return failed[1].replace(SPEC_DURATION, '');
  }
  return undefined;
}

/** TAP escapes `#` and `\` in test names. */
function unescapeTap(name: string): string {
  return name.replace(/\\([#\\])/g, '$1');
}

export interface PassFigures {
  /** Mutants applied and run. */
  readonly tried: number;
  readonly caught: number;
  readonly escaped: number;
  /** Mutants whose find text no longer occurs exactly once (not applied, not counted). */
  readonly stale: number;
  /** escaped / tried, 0 when nothing was tried. */
  readonly escapeRate: number;
}

export function passFigures(results: readonly MutantResult[]): PassFigures {
  const count = (outcome: MutantOutcome) => results.filter((r) => r.outcome === outcome).length;
  const caught = count('caught');
  const escaped = count('escaped');
  const tried = caught + escaped;
  return { tried, caught, escaped, stale: count('stale'), escapeRate: tried ? escaped / tried : 0 };
}

/** `12.5%` from 0.125. */
export function percent(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

/** A table cell: one line, pipes escaped. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

/** A code span for a table cell that survives backticks in the text. */
function codeCell(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  const padded = fence === '``' ? ` ${text} ` : text;
  return cell(`${fence}${padded}${fence}`);
}

/** The per-family counts, families in first-seen order. */
export function familyFigures(
  results: readonly MutantResult[],
): { family: string; figures: PassFigures }[] {
  const families = [...new Set(results.map((r) => r.mutant.family))];
  return families.map((family) => ({
    family,
    figures: passFigures(results.filter((r) => r.mutant.family === family)),
  }));
}

/** The figures as one line: `tried 80, caught 60, escaped 20, stale 0, escape rate 25.0%`. */
export function figuresLine(figures: PassFigures): string {
  return (
    `tried ${figures.tried}, caught ${figures.caught}, escaped ${figures.escaped}, ` +
    `stale ${figures.stale}, escape rate ${percent(figures.escapeRate)}`
  );
}

/** The Markdown report: figures, a per-family table, and one row per mutant. */
export function renderReport(
  results: readonly MutantResult[],
  header: readonly string[] = [],
): string {
  const figures = passFigures(results);
  const lines = [...header];
  if (header.length > 0) lines.push('');
  lines.push(
    `**Figures:** ${figuresLine(figures)} (escaped / tried; stale mutants are not counted).`,
    '',
    '| family | tried | caught | escaped | stale | escape rate |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const { family, figures: f } of familyFigures(results)) {
    lines.push(
      `| ${cell(family)} | ${f.tried} | ${f.caught} | ${f.escaped} | ${f.stale} | ${percent(f.escapeRate)} |`,
    );
  }
  lines.push(
    '',
    '| id | family | file | description | result | caught by |',
    '| --- | --- | --- | --- | --- | --- |',
  );
  for (const r of results) {
    const by = r.outcome === 'escaped' ? '' : cell(r.detail ?? '');
    lines.push(
      `| ${codeCell(r.mutant.id)} | ${cell(r.mutant.family)} | ${codeCell(r.mutant.file)} | ` +
        `${cell(r.mutant.description)} | ${r.outcome === 'escaped' ? '**escaped**' : r.outcome} | ${by} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Groups mutants into rounds with at most one mutant per file, so that one type check can judge a
 * whole round (each file holds at most one defect at a time). Order is kept within each file.
 */
export function typecheckRounds(mutants: readonly Mutant[]): Mutant[][] {
  const rounds: Mutant[][] = [];
  const perFile = new Map<string, number>();
  for (const mutant of mutants) {
    const round = perFile.get(mutant.file) ?? 0;
    perFile.set(mutant.file, round + 1);
    (rounds[round] ??= []).push(mutant);
  }
  return rounds;
}
