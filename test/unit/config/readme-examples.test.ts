import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const ROOT = path.join(__dirname, '..', '..', '..');
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

describe('README examples', () => {
  const examples = [...README.matchAll(/<!-- example: (\S+) -->\n+```yaml\n([\s\S]*?)```/g)];

  it('embeds the example environment files', () => {
    assert.ok(examples.length >= 8, `only ${examples.length} embedded examples`);
  });

  for (const [, file, text] of examples) {
    it(`shows ${file} exactly as it is`, () => {
      assert.equal(text, readFileSync(path.join(ROOT, file), 'utf8'));
    });
  }
});
