/**
 * Generated parts of a Markdown file, between `<!-- generated:<key> -->` and
 * `<!-- /generated:<key> -->`: the generator rewrites them, a test compares them.
 *
 * Pure: text in, text out.
 */

function markers(key: string): [string, string] {
  return [`<!-- generated:${key} -->`, `<!-- /generated:${key} -->`];
}

/** The text between the markers of `key`; throws when they are missing. */
export function generatedBlock(document: string, key: string): string {
  const [open, close] = markers(key);
  const start = document.indexOf(open);
  const end = document.indexOf(close);
  if (start < 0 || end < start) {
    throw new Error(`The document has no generated block "${key}" (${open} ... ${close}).`);
  }
  return document.slice(start + open.length, end).replace(/^\n/, '');
}

/** `document` with the block of each key replaced by its content. */
export function replaceGeneratedBlocks(
  document: string,
  contents: Readonly<Record<string, string>>,
): string {
  let result = document;
  for (const [key, content] of Object.entries(contents)) {
    const [open, close] = markers(key);
    const current = generatedBlock(result, key);
    const body = content.endsWith('\n') ? content : `${content}\n`;
    result = result.replace(`${open}\n${current}${close}`, `${open}\n${body}${close}`);
  }
  return result;
}

/** A Mermaid diagram as a fenced Markdown block, blank lines around it as Prettier keeps them. */
export function mermaidBlock(diagram: string): string {
  return `\n\`\`\`mermaid\n${diagram.trimEnd()}\n\`\`\`\n\n`;
}
