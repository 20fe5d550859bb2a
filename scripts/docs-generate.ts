// Regenerates the generated blocks of docs/architecture.md (the stack graph of an example
// environment) from a synthesis of the example files. `npm run docs:generate`; `--check` exits 1
// when the committed text differs instead of writing.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  architectureBlocks,
  ARCHITECTURE_DOC,
  EnvironmentManifests,
} from '../lib/docs/architecture';
import type { StackManifest } from '../lib/environments/stack-order';
import { replaceGeneratedBlocks } from '../lib/docs/generated-blocks';
import { synthesizeEnvironmentFile } from '../stacks';

const ROOT = path.resolve(__dirname, '..');

function synthesizedManifests(files: readonly string[]): EnvironmentManifests {
  const manifests: Record<string, StackManifest> = {};
  for (const file of files) {
    const outdir = mkdtempSync(path.join(tmpdir(), 'rancher-docs-'));
    try {
      synthesizeEnvironmentFile(path.join(ROOT, 'environments', file), { outdir });
      manifests[file] = JSON.parse(
        readFileSync(path.join(outdir, 'manifest.json'), 'utf8'),
      ) as StackManifest;
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  }
  return manifests;
}

const check = process.argv.includes('--check');
const docPath = path.join(ROOT, ARCHITECTURE_DOC.path);
const current = readFileSync(docPath, 'utf8');
const next = replaceGeneratedBlocks(
  current,
  architectureBlocks(synthesizedManifests(ARCHITECTURE_DOC.environmentFiles)),
);
if (check) {
  if (next !== current) {
    console.error(`${ARCHITECTURE_DOC.path} is out of date: run npm run docs:generate`);
    process.exit(1);
  }
} else if (next !== current) {
  writeFileSync(docPath, next);
  console.log(`updated ${ARCHITECTURE_DOC.path}`);
}
