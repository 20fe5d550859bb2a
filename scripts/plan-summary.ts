// Prints the pull request summary of one or more `terraform show -json` plan documents.
// Run `npx tsx scripts/plan-summary.ts --help` for usage and exit codes.
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { StackPlanInput, summarizePlans } from '../lib/plan/summary';
import { PlanInputError } from '../lib/plan/summarize';

const USAGE = `Usage: npx tsx scripts/plan-summary.ts [options] <input>...

Prints a Markdown summary of Terraform plans, one table row per stack, destroys and
replacements listed by address, for a pull request comment.

Each <input> is one of:
  STACK=FILE   the JSON of "terraform show -json <planfile>" for stack STACK
  FILE.json    the same, stack named after the file (dev-management.json -> dev-management)
  DIRECTORY    every *.json file in it, sorted by name, each named after its file
Stacks appear in the order given.

Options:
  --out FILE     also write the Markdown to FILE
  --title TEXT   heading of the summary (default "Terraform plan")
  --no-marker    leave out the hidden marker that identifies the pull request comment
  -h, --help     show this text

Exit codes:
  0  nothing would be destroyed or replaced
  2  at least one resource would be destroyed or replaced (the summary is still printed)
  1  bad arguments or input (a message on stderr says which)
`;

/** Exit code when the plans destroy or replace something. */
const EXIT_DESTRUCTIVE = 2;
const EXIT_ERROR = 1;

class UsageError extends Error {}

interface CliOptions {
  readonly out?: string;
  readonly title?: string;
  readonly marker: boolean;
  readonly inputs: readonly string[];
}

function parseArgs(argv: readonly string[]): CliOptions | 'help' {
  let out: string | undefined;
  let title: string | undefined;
  let marker = true;
  const inputs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) {
        throw new UsageError(`${arg} needs a value.`);
      }
      i++;
      return next;
    };
    if (arg === '-h' || arg === '--help') return 'help';
    else if (arg === '--out') out = value();
    else if (arg === '--title') title = value();
    else if (arg === '--no-marker') marker = false;
    else if (arg.startsWith('-')) throw new UsageError(`Unknown option ${arg}; see --help.`);
    else inputs.push(arg);
  }
  if (inputs.length === 0) {
    throw new UsageError('Give at least one STACK=FILE, FILE.json or DIRECTORY; see --help.');
  }
  return { out, title, marker, inputs };
}

function readPlan(stack: string, file: string): StackPlanInput {
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new UsageError(`Plan file ${file} for stack "${stack}" does not exist or is not a file.`);
  }
  let plan: unknown;
  try {
    plan = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(
      `Plan file ${file} for stack "${stack}" is not JSON (${reason}); ` +
        'write it with "terraform show -json <planfile> > FILE".',
    );
  }
  return { stack, plan };
}

function expandInput(input: string): StackPlanInput[] {
  const eq = input.indexOf('=');
  if (eq > 0) return [readPlan(input.slice(0, eq), input.slice(eq + 1))];
  if (existsSync(input) && statSync(input).isDirectory()) {
    const files = readdirSync(input)
      .filter((f) => f.endsWith('.json'))
      .sort();
    if (files.length === 0) throw new UsageError(`Directory ${input} holds no *.json plan files.`);
    return files.map((f) => readPlan(path.basename(f, '.json'), path.join(input, f)));
  }
  if (input.endsWith('.json')) return [readPlan(path.basename(input, '.json'), input)];
  throw new UsageError(
    `Input "${input}" is neither STACK=FILE, a FILE.json nor a directory; see --help.`,
  );
}

function main(argv: readonly string[]): number {
  try {
    const options = parseArgs(argv);
    if (options === 'help') {
      process.stdout.write(USAGE);
      return 0;
    }
    const plans = options.inputs.flatMap(expandInput);
    const summary = summarizePlans(plans, {
      ...(options.title !== undefined ? { title: options.title } : {}),
      ...(options.marker ? {} : { marker: false as const }),
    });
    process.stdout.write(summary.markdown);
    if (options.out !== undefined) writeFileSync(options.out, summary.markdown);
    return summary.destroys > 0 || summary.replacements > 0 ? EXIT_DESTRUCTIVE : 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof PlanInputError) {
      process.stderr.write(`plan-summary: ${error.message}\n`);
      return EXIT_ERROR;
    }
    throw error;
  }
}

process.exitCode = main(process.argv.slice(2));
