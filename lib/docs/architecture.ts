/**
 * What docs/architecture.md generates, from synthesized example environments: stack graphs and
 * monthly cost tables. Pure: the synthesis happens in scripts/docs-generate.ts and in the test.
 */
import { costInventory, SynthesizedStackJson } from '../cost/inventory';
import { estimateMonthlyCost, PriceList, renderCostTable } from '../cost/model';
import { stackGraphMermaid } from '../environments/stack-graph';
import type { StackManifest } from '../environments/stack-order';
import { mermaidBlock } from './generated-blocks';

export const ARCHITECTURE_DOC = {
  path: 'docs/architecture.md',
  /** Example files under environments/ whose stack graph the document shows. */
  graphFiles: ['with-downstream.yaml', 'rke2-single.yaml'],
  /** Example files under environments/ whose monthly cost the document shows. */
  costFiles: [
    'local.yaml',
    'eks-acm.yaml',
    'eks-letsencrypt-http.yaml',
    'eks-own-certificate.yaml',
    'eks-production.yaml',
    'rke2-single.yaml',
    'rke2-ha.yaml',
    'with-downstream.yaml',
  ],
} as const;

/** A synthesized example: its manifest and each stack's JSON. */
export interface SynthesizedExample {
  readonly manifest: StackManifest;
  readonly stacks: Readonly<Record<string, SynthesizedStackJson>>;
}

export function stackGraphKey(file: string): string {
  return `stack-graph:${file}`;
}

export function costKey(file: string): string {
  return `cost:${file}`;
}

/** Every generated block of the document by key, from the examples by file name. */
export function architectureBlocks(
  examples: Readonly<Record<string, SynthesizedExample>>,
  prices: PriceList,
): Record<string, string> {
  const blocks: Record<string, string> = {};
  for (const [file, example] of Object.entries(examples)) {
    if ((ARCHITECTURE_DOC.graphFiles as readonly string[]).includes(file)) {
      blocks[stackGraphKey(file)] = mermaidBlock(stackGraphMermaid(example.manifest));
    }
    if ((ARCHITECTURE_DOC.costFiles as readonly string[]).includes(file)) {
      const estimate = estimateMonthlyCost(costInventory(Object.values(example.stacks)), prices);
      blocks[costKey(file)] = `\n${renderCostTable(estimate, prices)}\n`;
    }
  }
  return blocks;
}

/** Every example file the document needs synthesized. */
export function architectureExampleFiles(): string[] {
  return [...new Set([...ARCHITECTURE_DOC.graphFiles, ...ARCHITECTURE_DOC.costFiles])];
}
