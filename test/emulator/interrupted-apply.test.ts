import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { stackName } from '../../lib/naming/names';
import { assertEmptyReplan, destroyLeavingNothing } from '../helpers/cycle';
import { Emulator, startEmulator } from '../helpers/emulator';
import { stackDir, SynthesizedEnvironment, synthEnvironment } from '../helpers/synth';
import { environment } from '../helpers/template';
import { Terraform } from '../helpers/terraform';

/**
 * An apply stopped part-way (Ctrl-C, or a CI job cancelled: Terraform gets SIGINT, cancels what is
 * in flight and saves state) converges on the next apply, re-plans empty and destroys without
 * leftovers. A resource whose create call had reached AWS but not returned when the interrupt
 * landed is not in state; for security group rules the next apply then fails as a duplicate.
 * Such windows last milliseconds, so the interrupt here lands during the long waits.
 */
describe('an interrupted apply converges', () => {
  const config = environment({
    name: 'halt',
    network: { availabilityZones: 2, natGateways: 'single' },
    management: { eks: { nodeGroup: { minSize: 1, desiredSize: 1, maxSize: 2 } } },
    // Not needed to interrupt an apply (management-eks applies them): fewer resources to wait on.
    deployer: { enabled: false },
    backup: { enabled: false },
  });
  let emulator: Emulator | undefined;
  let synthesized: SynthesizedEnvironment | undefined;
  let terraform: Terraform;
  let resourcesAtInterrupt = 0;

  before(async () => {
    emulator = await startEmulator();
    synthesized = synthEnvironment(config, { emulatorEndpoint: emulator.endpoint });
    terraform = new Terraform(stackDir(synthesized, stackName(config.name, 'management')), {
      emulatorEndpoint: emulator.endpoint,
    });
    await terraform.init();
  });

  after(async () => {
    await emulator?.stop();
    if (synthesized) rmSync(synthesized.outdir, { recursive: true, force: true });
  });

  it('stops part-way with some resources in state', async () => {
    const running = terraform.startApply();
    // Most of an apply's wall time is spent waiting for long creations (load balancer, cluster,
    // node group); that is where a cancelled CI job or a Ctrl-C lands, with quick resources done.
    await running.waitForOutput(/aws_lb\.\S+: Still creating\.\.\. \[10s elapsed\]/, 240_000);
    const result = await running.interrupt(120_000);
    assert.notEqual(result.exitCode, 0, 'the apply finished before it could be interrupted');
    resourcesAtInterrupt = (await terraform.stateList()).length;
    assert.ok(resourcesAtInterrupt > 0, 'nothing was saved to state');
  });

  it('converges on the next apply', async () => {
    await terraform.apply();
    const total = (await terraform.stateList()).length;
    assert.ok(
      total > resourcesAtInterrupt,
      `${total} resources after converging, ${resourcesAtInterrupt} at the interrupt`,
    );
    await assertEmptyReplan(terraform);
  });

  it('destroys cleanly', async () => {
    await destroyLeavingNothing(terraform, config, emulator!.endpoint);
  });
});
