/** Exit codes of the environment commands (env:teardown, env:sweep, env:restore). */

/** An error: a failed command, an invalid environment file, a skipped environment. */
export const EXIT_ERROR = 1;
/** Bad arguments. */
export const EXIT_USAGE = 2;
/** Teardown refused: the environment is protected. */
export const EXIT_PROTECTED = 3;
/** Restore refused before anything changed (Rancher runs, no backups, a bad file name). */
export const EXIT_REFUSED = 3;
/** Resources are left after a teardown, or a check could not run. */
export const EXIT_LEFTOVERS = 4;

/**
 * The arguments of a command, or the code to exit with at once: 0 after printing `usage` for
 * `--help` (`parse` returns 'help'), EXIT_USAGE after printing why and the usage when `parse` throws.
 */
export function commandArguments<T extends object>(
  parse: (argv: string[]) => T | 'help',
  argv: string[],
  usage: string,
): T | number {
  let args: T | 'help';
  try {
    args = parse(argv);
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    return EXIT_USAGE;
  }
  if (args === 'help') {
    console.log(usage);
    return 0;
  }
  return args;
}
