import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { loadPriceList } from '../../../lib/cost/price-list';
import {
  architectureBlocks,
  architectureExampleFiles,
  ARCHITECTURE_DOC,
  costKey,
  stackGraphKey,
} from '../../../lib/docs/architecture';
import { generatedBlock, replaceGeneratedBlocks } from '../../../lib/docs/generated-blocks';
import { stackEdges, stackGraphMermaid } from '../../../lib/environments/stack-graph';
import type { StackManifest } from '../../../lib/environments/stack-order';
import { synthesizeToMemory } from '../../../scripts/synthesized';

const ROOT = path.resolve(__dirname, '..', '..', '..');

describe('generated blocks', () => {
  const document = 'intro\n<!-- generated:a -->\nold\n<!-- /generated:a -->\nend\n';

  it('replaces only the text between the markers of each key', () => {
    assert.equal(
      replaceGeneratedBlocks(document, { a: 'new' }),
      'intro\n<!-- generated:a -->\nnew\n<!-- /generated:a -->\nend\n',
    );
  });

  it('refuses a key the document has no markers for', () => {
    assert.throws(() => replaceGeneratedBlocks(document, { b: 'x' }), /no generated block "b"/);
  });
});

describe('stack graph', () => {
  it('draws direct dependencies only, dropping the ones a longer path implies', () => {
    const manifest: StackManifest = {
      stacks: {
        b: { name: 'b', dependencies: [], workingDirectory: 'stacks/b' },
        m: { name: 'm', dependencies: ['b'], workingDirectory: 'stacks/m' },
        r: { name: 'r', dependencies: ['m', 'b'], workingDirectory: 'stacks/r' },
      },
    };
    assert.equal(
      stackGraphMermaid(manifest),
      'flowchart TD\n  s0["b"]\n  s1["m"]\n  s2["r"]\n  s0 --> s1\n  s1 --> s2\n',
    );
  });
});

describe('docs/architecture.md against synthesized example environments', () => {
  const examples = Object.fromEntries(
    architectureExampleFiles().map((file) => [
      file,
      synthesizeToMemory(path.join(ROOT, 'environments', file)),
    ]),
  );
  const manifestOf = (file: string) => examples[file].manifest;

  // Read from stacks/index.ts and stacks/downstream-agent-stack.ts: with S3 state every stack
  // keeps its state in the bootstrap stack's bucket; rancher reads management's outputs; each
  // agent stack reads its cluster's and Rancher's; every cluster stack reads management's outputs
  // for the in-VPC deployer (peering route, API access of its role), so the bucket edge to a
  // cluster stack is implied by bootstrap -> management and not drawn.
  it('has the edges of with-downstream.yaml that the stack wiring implies', () => {
    const edges = stackEdges(manifestOf('with-downstream.yaml')).map((e) => `${e.from} -> ${e.to}`);
    assert.deepEqual(edges.sort(), [
      'rancher-fleet-apps-cluster -> rancher-fleet-apps-agent',
      'rancher-fleet-bootstrap -> rancher-fleet-management',
      'rancher-fleet-ci-cluster -> rancher-fleet-ci-agent',
      'rancher-fleet-legacy-cluster -> rancher-fleet-legacy-agent',
      'rancher-fleet-management -> rancher-fleet-apps-cluster',
      'rancher-fleet-management -> rancher-fleet-ci-cluster',
      'rancher-fleet-management -> rancher-fleet-legacy-cluster',
      'rancher-fleet-management -> rancher-fleet-rancher',
      'rancher-fleet-rancher -> rancher-fleet-apps-agent',
      'rancher-fleet-rancher -> rancher-fleet-ci-agent',
      'rancher-fleet-rancher -> rancher-fleet-legacy-agent',
    ]);
  });

  it('has rke2-single.yaml as management then rancher, no bootstrap with local state', () => {
    assert.deepEqual(stackEdges(manifestOf('rke2-single.yaml')), [
      { from: 'rke2-trial-management', to: 'rke2-trial-rancher' },
    ]);
  });

  it('embeds the generated diagrams and cost tables (update with: npm run docs:generate)', () => {
    const document = readFileSync(path.join(ROOT, ARCHITECTURE_DOC.path), 'utf8');
    const blocks = architectureBlocks(examples, loadPriceList());
    const keys = [
      ...ARCHITECTURE_DOC.graphFiles.map(stackGraphKey),
      ...ARCHITECTURE_DOC.costFiles.map(costKey),
    ];
    for (const key of keys) {
      assert.equal(
        generatedBlock(document, key),
        blocks[key],
        `${ARCHITECTURE_DOC.path} is out of date for ${key}: run npm run docs:generate`,
      );
    }
  });

  it('lists every example environment file in the cost section', () => {
    const files = readdirSync(path.join(ROOT, 'environments')).filter((f) => f.endsWith('.yaml'));
    assert.deepEqual([...ARCHITECTURE_DOC.costFiles].sort(), files.sort());
  });
});
