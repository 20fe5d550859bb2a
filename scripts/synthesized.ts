// Synthesis of an environment file into a temporary directory, for the scripts that read the
// result (docs-generate, cost). The directory is removed before the function returns.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { SynthesizedStackJson } from '../lib/cost/inventory';
import type { StackManifest } from '../lib/environments/stack-order';
import { synthesizeEnvironmentFile } from '../stacks';

export interface SynthesizedFiles {
  readonly manifest: StackManifest;
  /** Each stack's `cdk.tf.json`, by stack name. */
  readonly stacks: Readonly<Record<string, SynthesizedStackJson>>;
}

export function synthesizeToMemory(environmentFile: string): SynthesizedFiles {
  const outdir = mkdtempSync(path.join(tmpdir(), 'rancher-synth-'));
  try {
    synthesizeEnvironmentFile(environmentFile, { outdir });
    const read = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8'));
    const manifest = read(path.join(outdir, 'manifest.json')) as StackManifest;
    const stacks = Object.fromEntries(
      Object.values(manifest.stacks).map((s) => [
        s.name,
        read(path.join(outdir, s.workingDirectory, 'cdk.tf.json')) as SynthesizedStackJson,
      ]),
    );
    return { manifest, stacks };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
