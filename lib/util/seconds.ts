/** Checks of durations given in seconds. Pure: no cdktf imports. */

/** Throws unless `value` is a whole number of seconds >= 1, naming `field`. */
export function requireWholeSeconds(field: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${field} must be a whole number of seconds >= 1; got ${value}.`);
  }
}
