/** Shell quoting for command lines Terraform runs. Pure: no cdktf imports. */

/** Single-quoted for sh; a quote inside becomes '\''. Tokens pass through unchanged. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
