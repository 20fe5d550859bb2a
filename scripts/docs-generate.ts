// Regenerates the generated blocks of docs/architecture.md (stack graphs and monthly cost tables
// of the example environments) from a synthesis of the example files. `npm run docs:generate`;
// `--check` exits 1 when the committed text differs instead of writing.
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  architectureBlocks,
  architectureExampleFiles,
  ARCHITECTURE_DOC,
} from '../lib/docs/architecture';
import { replaceGeneratedBlocks } from '../lib/docs/generated-blocks';
import { loadPriceList } from '../lib/cost/price-list';
import { synthesizeToMemory } from './synthesized';

const ROOT = path.resolve(__dirname, '..');
const examples = Object.fromEntries(
  architectureExampleFiles().map((file) => [
    file,
    synthesizeToMemory(path.join(ROOT, 'environments', file)),
  ]),
);
const docPath = path.join(ROOT, ARCHITECTURE_DOC.path);
const current = readFileSync(docPath, 'utf8');
const next = replaceGeneratedBlocks(current, architectureBlocks(examples, loadPriceList()));
if (process.argv.includes('--check')) {
  if (next !== current) {
    console.error(`${ARCHITECTURE_DOC.path} is out of date: run npm run docs:generate`);
    process.exit(1);
  }
} else if (next !== current) {
  writeFileSync(docPath, next);
  console.log(`updated ${ARCHITECTURE_DOC.path}`);
}
