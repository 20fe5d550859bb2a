/**
 * Node scripts kept as commented shell files beside this module and rendered into user data with
 * their parameters filled in. Pure: no cdktf imports.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { shellQuote } from '../util/shell';

const PARAMETERS_MARKER = '# @@PARAMETERS@@';

/** The text of `lib/rke2/<file>`. */
export function readShellTemplate(file: string): string {
  return readFileSync(path.join(__dirname, file), 'utf8');
}

/**
 * The script with `readonly NAME='value'` lines in place of its parameter marker, and without
 * whole-line comments (not the shebang, not shellcheck directives): the comments live in
 * lib/rke2/<file>, and user data has a 16 KB budget.
 */
export function renderShellTemplate(
  file: string,
  template: string,
  parameters: ReadonlyArray<readonly [string, string]>,
): string {
  if (!template.includes(PARAMETERS_MARKER)) {
    throw new Error(`lib/rke2/${file} lost its parameter marker "${PARAMETERS_MARKER}".`);
  }
  const block = parameters
    .map(([name, value]) => `readonly ${name}=${shellQuote(value)}`)
    .join('\n');
  const [shebang, ...rest] = template.replace(PARAMETERS_MARKER, block).split('\n');
  const kept = rest.filter((line) => !/^\s*#(?! shellcheck )/.test(line));
  return [shebang, `# Rendered from lib/rke2/${file} (commented there).`, ...kept].join('\n');
}
