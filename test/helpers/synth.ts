import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App } from 'cdktf';
import type { EnvironmentConfig } from '../../lib/config/schema';
import { buildEnvironment, EnvironmentStacks } from '../../stacks';

export interface SynthEnvironmentOptions {
  /**
   * The emulator's base URL, baked into the AWS provider of a `local` environment.
   * @default - the provider's default emulator URL
   */
  readonly emulatorEndpoint?: string;
  /**
   * Where to write `manifest.json` and `stacks/<name>/cdk.tf.json`.
   * @default - a new temporary directory
   */
  readonly outdir?: string;
  /**
   * Skip cdktf's construct validation (as `cdktf synth` does with skipValidation).
   * @default false
   */
  readonly skipValidation?: boolean;
}

export interface SynthesizedEnvironment {
  readonly outdir: string;
  /** Absolute stack directory by stack name, e.g. `local-management`. */
  readonly stackDirs: Readonly<Record<string, string>>;
  /** The constructs, for assertions that need more than the JSON. */
  readonly stacks: EnvironmentStacks;
}

/** Synthesizes one environment with a real App, as `cdktf synth` would. */
export function synthEnvironment(
  config: EnvironmentConfig,
  options: SynthEnvironmentOptions = {},
): SynthesizedEnvironment {
  const outdir = path.resolve(
    options.outdir ?? mkdtempSync(path.join(tmpdir(), `rancher-synth-${config.name}-`)),
  );
  const app = new App({ outdir, skipValidation: options.skipValidation ?? false });
  // Local state files beside the stack directories, never in the repository's working directory
  // (cdktf's default), where parallel tests and `npm run local` would share them.
  const stacks = buildEnvironment(app, config, {
    emulatorEndpoint: options.emulatorEndpoint,
    localStateDir: outdir,
  });
  app.synth();
  const stackDirs = Object.fromEntries(
    Object.values(app.manifest.stacks).map((s) => [s.name, path.join(outdir, s.workingDirectory)]),
  );
  return { outdir, stackDirs, stacks };
}

/** The directory of one stack, with an error naming the stacks there are when it is missing. */
export function stackDir(synthesized: SynthesizedEnvironment, name: string): string {
  const dir = synthesized.stackDirs[name];
  if (!dir) {
    const known = Object.keys(synthesized.stackDirs).join(', ') || 'none';
    throw new Error(`No stack named "${name}" was synthesized; stacks: ${known}.`);
  }
  return dir;
}
