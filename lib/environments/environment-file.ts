/**
 * Where an environment's file is: the commands take a name (`pr-12`) or a path.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';

/** The repository's environments/ directory, where names are looked up by default. */
export const ENVIRONMENTS_DIR = path.resolve(__dirname, '..', '..', 'environments');

/** `<environmentsDir>/<name>.yaml`. */
export function environmentFileOf(environmentsDir: string, name: string): string {
  return path.join(environmentsDir, `${name}.yaml`);
}

/** `environments/<name>.yaml` for a bare name, else the path as given. */
export function resolveEnvironmentFile(argument: string, environmentsDir: string): string {
  const isName = /^[a-z][a-z0-9-]*$/.test(argument) && !existsSync(argument);
  return path.resolve(isName ? environmentFileOf(environmentsDir, argument) : argument);
}
