/**
 * Synthesizing an environment's stacks as `cdktf synth` would, into a directory the Terraform
 * commands then run in.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App } from 'cdktf';
import type { EnvironmentConfig } from '../config/schema';
import { EmulatorEndpointOptions, emulatorEndpointFor } from './aws-clients';
import type { StackManifest } from './stack-order';

/** What stacks/index.ts `buildEnvironment` is given besides the app and the config. */
export interface EnvironmentBuildOptions {
  readonly emulatorEndpoint?: string;
  readonly localStateDir?: string;
  /** A backup file the rancher stack restores before Rancher (`npm run env:restore`). */
  readonly restoreBackup?: string;
  readonly restoreTimeoutSeconds?: number;
}

/**
 * Builds an environment's stacks into `app`: stacks/index.ts `buildEnvironment`. Callers pass it
 * in because lib/ does not depend on stacks/.
 */
export type EnvironmentBuilder = (
  app: App,
  config: EnvironmentConfig,
  options: EnvironmentBuildOptions,
) => unknown;

export interface SynthOptions extends EmulatorEndpointOptions {
  /** Builds the stacks: stacks/index.ts `buildEnvironment`. */
  readonly buildEnvironment: EnvironmentBuilder;
  /**
   * Where the stacks are synthesized.
   * @default - a new temporary directory
   */
  readonly outdir?: string;
  /**
   * Directory of local state files (local backend, bootstrap stack).
   * @default process.cwd()
   */
  readonly localStateDir?: string;
  /**
   * Restore this backup before Rancher, waiting at most `timeoutSeconds`.
   * @default - no restore
   */
  readonly restore?: { readonly backupFilename: string; readonly timeoutSeconds?: number };
}

export interface SynthesizedStacks {
  readonly outdir: string;
  readonly manifest: StackManifest;
}

/**
 * Synthesizes the environment's stacks as `cdktf synth` would, with local state files in
 * `localStateDir`.
 */
export function synthEnvironmentStacks(
  config: EnvironmentConfig,
  options: SynthOptions,
): SynthesizedStacks {
  const outdir = path.resolve(
    options.outdir ?? mkdtempSync(path.join(tmpdir(), `rancher-teardown-${config.name}-`)),
  );
  const emulatorEndpoint = config.target === 'local' ? emulatorEndpointFor(options) : undefined;
  const app = new App({ outdir });
  // buildEnvironment adds the bootstrap stack (S3 state) and every stack's backend.
  options.buildEnvironment(app, config, {
    emulatorEndpoint,
    localStateDir: options.localStateDir,
    restoreBackup: options.restore?.backupFilename,
    restoreTimeoutSeconds: options.restore?.timeoutSeconds,
  });
  app.synth();
  const manifest = JSON.parse(
    readFileSync(path.join(outdir, 'manifest.json'), 'utf8'),
  ) as StackManifest;
  return { outdir, manifest };
}

/** The directory of stack `name` in a synthesized output. */
export function stackDirectory(synthesized: SynthesizedStacks, name: string): string {
  return path.join(synthesized.outdir, synthesized.manifest.stacks[name].workingDirectory);
}
