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
