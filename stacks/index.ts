import { App } from 'cdktf';
import type { EnvironmentConfig } from '../lib/config/schema';
import { stackName } from '../lib/naming/names';
import { ManagementStack } from './management-stack';

export interface EnvironmentStacksOptions {
  /** Base URL of the AWS emulator for the `local` target (the emulator picks a free port). */
  readonly emulatorEndpoint?: string;
}

/** Every stack of one environment, in deployment order. */
export interface EnvironmentStacks {
  readonly management: ManagementStack;
}

/** Builds the stacks of one validated environment into `app`. */
export function buildEnvironment(
  app: App,
  config: EnvironmentConfig,
  options: EnvironmentStacksOptions = {},
): EnvironmentStacks {
  const management = new ManagementStack(app, stackName(config.name, 'management'), {
    config,
    emulatorEndpoint: options.emulatorEndpoint,
  });
  return { management };
}
