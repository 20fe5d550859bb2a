/**
 * The source bundle the deployer builds from: the repository's tracked files as they are in the
 * working tree, plus the environment file at a fixed path. Untracked files (local state,
 * certificates, `.env` files, node_modules) never leave the machine.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { zipSync, Zippable } from 'fflate';
import { BUNDLED_ENVIRONMENT_FILE } from './names';

/** A bundle larger than this is a sign that something big got tracked by mistake. */
export const MAX_BUNDLE_BYTES = 100 * 1024 * 1024;

/** Tracked files of the git checkout at `root` that exist in the working tree. */
export function trackedFiles(root: string): string[] {
  let listing: string;
  try {
    listing = execFileSync('git', ['ls-files', '-z', '--cached'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    throw new Error(
      `${root} is not a git checkout: env:deploy sends the repository's tracked files to the deployer (${(error as Error).message.split('\n')[0]}).`,
      { cause: error },
    );
  }
  // A file deleted in the working tree but still in the index is left out, as the build would see it.
  return listing
    .split('\0')
    .filter((file) => file !== '' && existsSync(path.join(root, file)))
    .filter((file) => statSync(path.join(root, file)).isFile());
}

export interface SourceBundle {
  readonly zip: Uint8Array;
  readonly files: readonly string[];
}

/** Zips the tracked files of `root` and `environmentFile` (as `.deployer/environment.yaml`). */
export function packBundle(root: string, environmentFile: string): SourceBundle {
  const files = trackedFiles(root);
  const entries: Zippable = {};
  let size = 0;
  for (const file of files) {
    const content = readFileSync(path.join(root, file));
    size += content.length;
    entries[file] = content;
  }
  entries[BUNDLED_ENVIRONMENT_FILE] = readFileSync(environmentFile);
  if (size > MAX_BUNDLE_BYTES) {
    throw new Error(
      `The tracked files of ${root} add up to ${Math.round(size / 1024 / 1024)} MiB (more than ${MAX_BUNDLE_BYTES / 1024 / 1024} MiB): check what git tracks.`,
    );
  }
  return { zip: zipSync(entries, { level: 6 }), files: [...files, BUNDLED_ENVIRONMENT_FILE] };
}
