/**
 * Running the Terraform CLI in a synthesized stack directory: its process environment (provider
 * mirror, the emulator's fake keys) and one command at a time with its output kept for errors.
 */
import { execFileSync, spawn } from 'node:child_process';
import * as path from 'node:path';
import type { EnvironmentConfig } from '../config/schema';
import { EMULATOR_CREDENTIALS } from './aws-clients';

const ROOT = path.resolve(__dirname, '..', '..');
/** How much of a failed command's output its error message carries. */
const ERROR_OUTPUT_CHARS = 8000;
/** Variables that could send the provider of a `local` environment to a real account. */
const AWS_VARIABLES_REMOVED_FOR_LOCAL = ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_ROLE_ARN'];

/** A Terraform command that failed, with its output. */
export class TerraformCommandError extends Error {
  constructor(
    message: string,
    readonly output: string,
  ) {
    super(message);
    this.name = 'TerraformCommandError';
  }
}

/**
 * The CLI config file scripts/terraform-cli-config.sh chooses: the provider mirror when there is
 * one, else empty (Terraform's own configuration).
 */
export function terraformCliConfigFile(): string {
  return execFileSync('bash', [path.join(ROOT, 'scripts', 'terraform-cli-config.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }).trim();
}

/** Environment of every Terraform command: the provider mirror, and fake keys for the emulator. */
export function terraformProcessEnv(
  config: Pick<EnvironmentConfig, 'target' | 'region'>,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CHECKPOINT_DISABLE: '1',
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
  };
  const cliConfig = terraformCliConfigFile();
  if (cliConfig) env.TF_CLI_CONFIG_FILE = cliConfig;
  else delete env.TF_CLI_CONFIG_FILE;
  if (config.target === 'local') {
    for (const name of AWS_VARIABLES_REMOVED_FOR_LOCAL) delete env[name];
    Object.assign(env, {
      AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
      AWS_REGION: config.region,
      AWS_EC2_METADATA_DISABLED: 'true',
    });
  }
  return env;
}

/** Runs one Terraform command in `dir`; resolves with its output, rejects when it fails. */
export function runTerraform(
  dir: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  onOutput?: (chunk: string) => void,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('terraform', [...args], {
      cwd: dir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      output += text;
      onOutput?.(text);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('error', (error) =>
      reject(new TerraformCommandError(`terraform could not be started: ${error.message}`, output)),
    );
    child.once('close', (code) => {
      if (code === 0) resolve(output);
      else {
        const command = ['terraform', ...args].join(' ');
        reject(
          new TerraformCommandError(
            `${command} in ${dir} failed with exit code ${code}:\n${output.trim().slice(-ERROR_OUTPUT_CHARS)}`,
            output,
          ),
        );
      }
    });
  });
}
