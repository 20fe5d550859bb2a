/**
 * What `npm run local` deploys: the management stack of an environment that targets the emulator.
 * The emulator endpoint is ignored for `target: aws`, so deploying such a file there would reach
 * a real account.
 */
import type { EnvironmentConfig } from '../config/schema';
import { stackName } from '../naming/names';

/** `npm run local` was given an environment that does not target the emulator. */
export class NotLocalTargetError extends Error {
  constructor(file: string, target: string) {
    super(
      `${file}: target is "${target}"; npm run local deploys only environments with target: local (the AWS emulator). Use cdktf deploy for a real account.`,
    );
    this.name = 'NotLocalTargetError';
  }
}

/** The stack `npm run local` deploys and its region; throws NotLocalTargetError for `aws`. */
export function localDeployTarget(
  config: Pick<EnvironmentConfig, 'name' | 'target' | 'region'>,
  file: string,
): { readonly stack: string; readonly region: string } {
  if (config.target !== 'local') throw new NotLocalTargetError(file, config.target);
  return { stack: stackName(config.name, 'management'), region: config.region };
}
