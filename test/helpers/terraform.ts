import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { terraformCliConfigFile } from '../../lib/environments/terraform-cli';
import { killOnExit, stopGroup } from './process-group';

/** What one Terraform command did. */
export interface TerraformResult {
  /** The command line, e.g. `terraform apply -auto-approve -input=false -no-color`. */
  readonly command: string;
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
}

/** A `plan -detailed-exitcode` that succeeded: 0 = no changes, 2 = changes. */
export interface PlanResult extends TerraformResult {
  readonly exitCode: 0 | 2;
}

export interface TerraformOptions {
  /**
   * The emulator's base URL, also given to the provider as AWS_ENDPOINT_URL so that a service
   * the stack forgot to point at the emulator fails instead of reaching AWS.
   * @default - none
   */
  readonly emulatorEndpoint?: string;
  /**
   * Region for the AWS SDK inside the provider (the stacks set their own).
   * @default us-east-1
   */
  readonly region?: string;
  /**
   * More environment variables for every command.
   * @default - none
   */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Time limits in milliseconds, per command.
   * @default - init 3 min, plan 5 min, apply and destroy 15 min, output, state and show 1 min
   */
  readonly timeoutsMs?: Partial<Readonly<Record<TerraformCommand, number>>>;
}

export type TerraformCommand = 'init' | 'plan' | 'apply' | 'destroy' | 'output' | 'state' | 'show';

/** A command that is still running: wait for it, or stop it part-way. */
export interface RunningTerraform {
  /** Settles when the command exits, whatever its exit code; never rejects. */
  readonly done: Promise<TerraformResult>;
  /** Resolves once the command has printed a line matching `pattern`. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Ctrl-C: Terraform finishes the calls in flight, saves state and exits non-zero. */
  interrupt(graceMs?: number): Promise<TerraformResult>;
  /** SIGKILL to Terraform and its provider plugins: a crash, with state as last written. */
  kill(): Promise<TerraformResult>;
}

export class TerraformError extends Error {
  constructor(
    message: string,
    readonly result: TerraformResult,
  ) {
    super(message);
    this.name = 'TerraformError';
  }
}

const MINUTE = 60_000;
const DEFAULT_TIMEOUTS_MS: Readonly<Record<TerraformCommand, number>> = {
  init: 3 * MINUTE,
  plan: 5 * MINUTE,
  apply: 15 * MINUTE,
  destroy: 15 * MINUTE,
  output: MINUTE,
  state: MINUTE,
  show: MINUTE,
};
/** How much of a failed command's output goes into the error. */
const ERROR_OUTPUT_CHARS = 12_000;
/** Variables that could send the provider to a real account; the emulator gets fake keys. */
const AWS_VARIABLES_REMOVED = [
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'AWS_ROLE_ARN',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
];

let cliConfigFile: string | undefined;

/** The CLI config scripts/terraform-cli-config.sh chooses, asked once per test process. */
function cachedCliConfigFile(): string {
  cliConfigFile ??= terraformCliConfigFile();
  return cliConfigFile;
}

/** Environment for Terraform against the emulator: fake credentials, no metadata service. */
export function terraformEnvironment(options: TerraformOptions = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of AWS_VARIABLES_REMOVED) delete env[name];
  const region = options.region ?? 'us-east-1';
  Object.assign(env, {
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    CHECKPOINT_DISABLE: '1',
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
  });
  if (options.emulatorEndpoint) env.AWS_ENDPOINT_URL = options.emulatorEndpoint;
  const config = cachedCliConfigFile();
  if (config) env.TF_CLI_CONFIG_FILE = config;
  else delete env.TF_CLI_CONFIG_FILE;
  return { ...env, ...options.env };
}

/** Terraform commands in one synthesized stack directory (cdktf.out/stacks/<stack>). */
export class Terraform {
  private readonly env: NodeJS.ProcessEnv;
  private readonly timeouts: Readonly<Record<TerraformCommand, number>>;

  constructor(
    readonly dir: string,
    options: TerraformOptions = {},
  ) {
    this.env = terraformEnvironment(options);
    this.timeouts = { ...DEFAULT_TIMEOUTS_MS, ...options.timeoutsMs };
  }

  init(): Promise<TerraformResult> {
    return this.run('init', ['init', '-input=false', '-no-color']);
  }

  apply(): Promise<TerraformResult> {
    return this.run('apply', ['apply', '-auto-approve', '-input=false', '-no-color']);
  }

  /** Starts `apply` and returns at once, so a test can interrupt it part-way. */
  startApply(): RunningTerraform {
    return this.start('apply', ['apply', '-auto-approve', '-input=false', '-no-color']);
  }

  /** `plan -detailed-exitcode`: exitCode 0 means no changes, 2 means changes; 1 throws. */
  async plan(): Promise<PlanResult> {
    const args = ['plan', '-detailed-exitcode', '-input=false', '-no-color'];
    const result = await this.run('plan', args, { okExitCodes: [0, 2] });
    return result as PlanResult;
  }

  /** `plan -out` then `show -json`: the machine-readable plan (resource_changes, ...). */
  async planJson(): Promise<unknown> {
    const planFile = 'terraform.plan';
    await this.run('plan', ['plan', '-input=false', '-no-color', `-out=${planFile}`]);
    const shown = await this.run('show', ['show', '-json', '-no-color', planFile], {
      quiet: true,
    });
    return JSON.parse(shown.stdout) as unknown;
  }

  destroy(): Promise<TerraformResult> {
    return this.run('destroy', ['destroy', '-auto-approve', '-input=false', '-no-color']);
  }

  /** Output values by name. Sensitive ones are included: assert on them, never print them. */
  async outputs(): Promise<Record<string, unknown>> {
    const result = await this.run('output', ['output', '-json', '-no-color'], { quiet: true });
    const parsed = JSON.parse(result.stdout) as Record<string, { value: unknown }>;
    return Object.fromEntries(Object.entries(parsed).map(([name, o]) => [name, o.value]));
  }

  /** Addresses in the state, e.g. `aws_vpc.network_vpc_4E8F0223`. */
  async stateList(): Promise<string[]> {
    const result = await this.run('state', ['state', 'list']);
    return result.stdout.split('\n').filter((line) => line.trim() !== '');
  }

  private async run(
    command: TerraformCommand,
    args: readonly string[],
    options: { readonly okExitCodes?: readonly number[]; readonly quiet?: boolean } = {},
  ): Promise<TerraformResult> {
    const running = this.start(command, args);
    const timeoutMs = this.timeouts[command];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      void running.interrupt(30_000);
    }, timeoutMs);
    const result = await running.done.finally(() => clearTimeout(timer));
    const ok = options.okExitCodes ?? [0];
    if (timedOut || !ok.includes(result.exitCode)) {
      const why = timedOut
        ? `did not finish within ${timeoutMs / 1000} s`
        : `failed with exit code ${result.exitCode}`;
      // `output -json` prints values, sensitive ones included: only its stderr is shown.
      const shown = options.quiet ? result.stderr : `${result.stdout}\n${result.stderr}`;
      throw new TerraformError(
        `${result.command} in ${this.dir} ${why}:\n${shown.trim().slice(-ERROR_OUTPUT_CHARS)}`,
        result,
      );
    }
    return result;
  }

  private start(_command: TerraformCommand, args: readonly string[]): RunningTerraform {
    const commandLine = ['terraform', ...args].join(' ');
    const started = Date.now();
    // Own process group: interrupt and kill reach the provider plugins too.
    const child = spawn('terraform', args, {
      cwd: this.dir,
      env: this.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    killOnExit(child);
    let stdout = '';
    let stderr = '';
    const watchers = new Set<() => void>();
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      for (const check of watchers) check();
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      for (const check of watchers) check();
    });
    const done = new Promise<TerraformResult>((resolve) => {
      const finish = (exitCode: number) =>
        resolve({
          command: commandLine,
          exitCode,
          stdout,
          stderr,
          durationMs: Date.now() - started,
        });
      child.once('error', (error) => {
        stderr += `\n${error.message}`;
        finish(127);
      });
      // 'close' (not 'exit'): all output has been read by then.
      child.once('close', (code, signal) =>
        // Killed by a signal: 128 + its number, as a shell reports it (SIGKILL: 137).
        finish(code ?? 128 + (signal ? constants.signals[signal] : 0)),
      );
    });

    return {
      done,
      waitForOutput: (pattern, timeoutMs = 10 * MINUTE) =>
        new Promise<void>((resolve, reject) => {
          const check = () => {
            if (pattern.test(stdout) || pattern.test(stderr)) {
              cleanup();
              resolve();
            }
          };
          const timer = setTimeout(() => {
            cleanup();
            reject(
              new Error(
                `${commandLine} printed nothing matching ${pattern} within ${timeoutMs} ms`,
              ),
            );
          }, timeoutMs);
          const cleanup = () => {
            clearTimeout(timer);
            watchers.delete(check);
          };
          void done.then((result) => {
            if (!watchers.has(check)) return;
            cleanup();
            const tail = `${result.stdout}\n${result.stderr}`.trim().slice(-ERROR_OUTPUT_CHARS);
            reject(
              new Error(
                `${commandLine} exited (${result.exitCode}) before printing anything matching ${pattern}:\n${tail}`,
              ),
            );
          });
          watchers.add(check);
          check();
        }),
      interrupt: async (graceMs = 60_000) => {
        await stopGroup(child, 'SIGINT', graceMs);
        return done;
      },
      kill: async () => {
        await stopGroup(child, 'SIGKILL', 0);
        return done;
      },
    };
  }
}
