import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { loadEnvironmentFile } from '../../../lib/config/load';
import {
  architectureBlocks,
  ARCHITECTURE_DOC,
  stackGraphKey,
} from '../../../lib/docs/architecture';
import { generatedBlock, replaceGeneratedBlocks } from '../../../lib/docs/generated-blocks';
import { stackEdges, stackGraphMermaid } from '../../../lib/environments/stack-graph';
import type { StackManifest } from '../../../lib/environments/stack-order';
import { synthEnvironment } from '../../helpers/synth';

const ROOT = path.resolve(__dirname, '..', '..', '..');

function synthesizedManifest(file: string): { manifest: StackManifest; outdir: string } {
  const config = loadEnvironmentFile(path.join(ROOT, 'environments', file));
  const { outdir } = synthEnvironment(config);
  const manifest = JSON.parse(
    readFileSync(path.join(outdir, 'manifest.json'), 'utf8'),
  ) as StackManifest;
  return { manifest, outdir };
}

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
  const synthesized = ARCHITECTURE_DOC.environmentFiles.map((file) => ({
    file,
    ...synthesizedManifest(file),
  }));
  after(() => {
    for (const { outdir } of synthesized) rmSync(outdir, { recursive: true, force: true });
  });
  const manifestOf = (file: string) => synthesized.find((s) => s.file === file)!.manifest;

  // Read from stacks/index.ts and stacks/downstream-agent-stack.ts: with S3 state every stack
  // keeps its state in the bootstrap stack's bucket; rancher reads management's outputs; each
  // agent stack reads its cluster's and Rancher's; a cluster stack with no private Rancher zone
  // to join needs nothing but the bucket.
  it('has the edges of with-downstream.yaml that the stack wiring implies', () => {
    const edges = stackEdges(manifestOf('with-downstream.yaml')).map((e) => `${e.from} -> ${e.to}`);
    assert.deepEqual(edges.sort(), [
      'rancher-fleet-apps-cluster -> rancher-fleet-apps-agent',
      'rancher-fleet-bootstrap -> rancher-fleet-apps-cluster',
      'rancher-fleet-bootstrap -> rancher-fleet-ci-cluster',
      'rancher-fleet-bootstrap -> rancher-fleet-legacy-cluster',
      'rancher-fleet-bootstrap -> rancher-fleet-management',
      'rancher-fleet-ci-cluster -> rancher-fleet-ci-agent',
      'rancher-fleet-legacy-cluster -> rancher-fleet-legacy-agent',
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

  it('embeds the generated diagrams (update with: npm run docs:generate)', () => {
    const document = readFileSync(path.join(ROOT, ARCHITECTURE_DOC.path), 'utf8');
    const blocks = architectureBlocks(
      Object.fromEntries(synthesized.map((s) => [s.file, s.manifest])),
    );
    for (const file of ARCHITECTURE_DOC.environmentFiles) {
      assert.equal(
        generatedBlock(document, stackGraphKey(file)),
        blocks[stackGraphKey(file)],
        `${ARCHITECTURE_DOC.path} is out of date for ${file}: run npm run docs:generate`,
      );
    }
  });
});
