import assert from 'node:assert/strict';
import type { EnvironmentConfig } from '../../lib/config/schema';
import { leftoversOf } from './leftovers';
import type { Terraform } from './terraform';

/** The end of every emulator cycle, part 1: a second plan wants no changes. */
export async function assertEmptyReplan(terraform: Terraform): Promise<void> {
  const plan = await terraform.plan();
  assert.equal(plan.exitCode, 0, `a second plan wants changes:\n${plan.stdout.slice(-4000)}`);
}

/** Part 2: destroy empties the state, and nothing of the environment is left in the emulator. */
export async function destroyLeavingNothing(
  terraform: Terraform,
  config: EnvironmentConfig,
  emulatorEndpoint: string,
): Promise<void> {
  await terraform.destroy();
  assert.deepEqual(await terraform.stateList(), []);
  assert.deepEqual(await leftoversOf(config, emulatorEndpoint), []);
}
