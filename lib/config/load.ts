import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { EnvironmentConfig, environmentSchema } from './schema';

/** Environment variable naming the environment file; unset means the embedded default. */
export const ENV_FILE_VARIABLE = 'RANCHER_ENV_FILE';
export const DEFAULT_ENVIRONMENT_FILE = path.join(
  __dirname,
  '..',
  '..',
  'environments',
  'local.yaml',
);

/** One rule an environment file broke: where, what was there, what is accepted. */
export interface ConfigProblem {
  readonly path: string;
  readonly message: string;
  readonly value?: unknown;
}

/** Every problem of one environment file, reported together. */
export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(
      `${source}: ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was synthesized:\n` +
        problems.map((p) => `  - ${describeProblem(p)}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

export function describeProblem(problem: ConfigProblem): string {
  const got = problem.value === undefined ? '' : ` (got ${formatValue(problem.value)})`;
  return `${problem.path || '<root>'}: ${problem.message}${got}`;
}

function formatValue(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function toProblem(issue: z.core.$ZodIssue): ConfigProblem {
  const fieldPath = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys;
    return {
      path: fieldPath,
      message: `unknown field${keys.length > 1 ? 's' : ''} ${keys.map((k) => `"${k}"`).join(', ')} (check the spelling; see README "Environment files")`,
    };
  }
  const input = (issue as { input?: unknown }).input;
  const message =
    issue.code === 'invalid_type' && input === undefined
      ? `is required (${issue.message.replace(/^Invalid input: /, '')})`
      : issue.message.replace(/^Invalid input: /, '').replace(/^Invalid option: /, '');
  return { path: fieldPath, message, value: input };
}

/** Validates parsed YAML; throws ConfigError with every problem at once. */
export function parseEnvironment(data: unknown, source = '<environment>'): EnvironmentConfig {
  const result = environmentSchema.safeParse(data, { reportInput: true });
  if (!result.success) throw new ConfigError(source, result.error.issues.map(toProblem));
  return result.data;
}

export function parseEnvironmentYaml(text: string, source = '<environment>'): EnvironmentConfig {
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new ConfigError(
      source,
      document.errors.map((e) => ({
        path: '',
        message: `not valid YAML: ${e.message.split('\n')[0]}`,
      })),
    );
  }
  return parseEnvironment(document.toJS(), source);
}

export function loadEnvironmentFile(file: string): EnvironmentConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(file, [
      { path: '', message: `cannot read the file: ${(error as Error).message}` },
    ]);
  }
  return parseEnvironmentYaml(text, file);
}

/** The file named by RANCHER_ENV_FILE, else environments/local.yaml. */
export function environmentFileFromProcess(env: NodeJS.ProcessEnv = process.env): string {
  const named = env[ENV_FILE_VARIABLE];
  return named && named.trim() !== '' ? path.resolve(named) : DEFAULT_ENVIRONMENT_FILE;
}
