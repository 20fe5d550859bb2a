/**
 * What docs/architecture.md generates, from the manifests of synthesized example environments.
 * Pure: the synthesis happens in scripts/docs-generate.ts and in the test.
 */
import type { StackManifest } from '../environments/stack-order';
import { stackGraphMermaid } from '../environments/stack-graph';
import { mermaidBlock } from './generated-blocks';

export const ARCHITECTURE_DOC = {
  path: 'docs/architecture.md',
  /** Example files under environments/ whose stack graph the document shows. */
  environmentFiles: ['with-downstream.yaml', 'rke2-single.yaml'],
} as const;

/** Manifest (`cdktf.out/manifest.json`) by example file name. */
export type EnvironmentManifests = Readonly<Record<string, StackManifest>>;

/** Block key of the stack graph of one example file. */
export function stackGraphKey(file: string): string {
  return `stack-graph:${file}`;
}

/** Every generated block of the document by key. */
export function architectureBlocks(manifests: EnvironmentManifests): Record<string, string> {
  return Object.fromEntries(
    Object.entries(manifests).map(([file, manifest]) => [
      stackGraphKey(file),
      mermaidBlock(stackGraphMermaid(manifest)),
    ]),
  );
}
