import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { ConfigError, describeProblem } from '../../../lib/config/load';
import { synthesizeEnvironmentFile } from '../../../stacks';

const CORPUS = path.join(__dirname, '..', '..', 'fixtures', 'invalid-environments');

/**
 * A file states each problem it must produce, whole, in a `# expect: ...` line, and may state
 * text of the whole message (such as the problem count) in `# message: ...` lines.
 */
function directives(file: string, directive: 'expect' | 'message'): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith(`# ${directive}: `))
    .map((line) => line.slice(`# ${directive}: `.length).trim());
}

describe('invalid environment files', () => {
  const workdir = mkdtempSync(path.join(tmpdir(), 'invalid-env-'));
  after(() => rmSync(workdir, { recursive: true, force: true }));
  const files = readdirSync(CORPUS)
    .filter((f) => f.endsWith('.yaml'))
    .sort();

  it('has a corpus that covers the rules', () => {
    assert.ok(files.length >= 40, `only ${files.length} invalid files`);
  });

  for (const name of files) {
    it(`rejects ${name} with its message`, () => {
      const file = path.join(CORPUS, name);
      const expected = directives(file, 'expect');
      assert.ok(expected.length > 0, `${name} has no "# expect:" line`);
      const outdir = path.join(workdir, name);
      let error: unknown;
      try {
        // The same path as main.ts (`cdktf synth`), into a directory that must stay absent.
        synthesizeEnvironmentFile(file, { outdir, localStateDir: outdir });
      } catch (caught) {
        error = caught;
      }
      assert.ok(error instanceof ConfigError, `${name} was accepted`);
      assert.equal(existsSync(outdir), false, `${name} synthesized something`);
      assert.match(error.message, /nothing was synthesized/);
      // Every problem, whole: one `# expect:` line per problem the file has, nothing more.
      assert.deepEqual(
        error.problems.map(describeProblem).sort(),
        [...expected].sort(),
        `${name}: the problems differ from its "# expect:" lines`,
      );
      for (const text of directives(file, 'message')) {
        assert.ok(
          error.message.includes(text),
          `${name}: expected "${text}" in:\n${error.message}`,
        );
      }
    });
  }
});
