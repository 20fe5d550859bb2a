import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { App, TerraformStack } from 'cdktf';
import { InVpcGuard } from '../../../lib/deployer/guard';
import { buildEnvironment } from '../../../stacks';
import { scratchDir } from '../../helpers/scratch';
import { environment, Json, Template, testApp } from '../../helpers/template';
import { terraformEnvironment } from '../../helpers/terraform';

const MESSAGE =
  'Stack guarded cannot be applied from here: management.eks.endpointAccess is private. Run `npm run env:deploy -- guarded`.';

function terraform(dir: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync('terraform', [...args, '-no-color', '-input=false'], {
    cwd: dir,
    env: { ...terraformEnvironment(), ...env },
    encoding: 'utf8',
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('the in-VPC guard, planned by the real Terraform CLI', () => {
  let dir: string;

  before(() => {
    // A stack holding only the guard: terraform_data is built in, so nothing is downloaded.
    const outdir = scratchDir('guard');
    const app = new App({ outdir });
    const stack = new TerraformStack(app, 'guarded');
    new InVpcGuard(stack, 'in-vpc-guard', { message: MESSAGE });
    app.synth();
    dir = path.join(outdir, 'stacks', 'guarded');
    const init = terraform(dir, ['init']);
    assert.equal(init.status, 0, init.output);
  });

  it('fails the plan outside the deployer with the message, before any change', () => {
    const plan = terraform(dir, ['plan']);
    assert.equal(plan.status, 1, plan.output);
    assert.match(plan.output, /Resource precondition failed/);
    // Terraform wraps long messages: compare without line breaks.
    const flat = plan.output.replace(/\s*│\s*/g, ' ').replace(/\s+/g, ' ');
    assert.ok(flat.includes(MESSAGE), flat);
    assert.doesNotMatch(plan.output, /Plan: \d+ to add/);
  });

  it('fails with any other deploy context', () => {
    const plan = terraform(dir, ['plan'], { TF_VAR_deploy_context: 'laptop' });
    assert.equal(plan.status, 1, plan.output);
    assert.match(plan.output, /Resource precondition failed/);
  });

  it('plans inside the deployer (TF_VAR_deploy_context=in-vpc, as its buildspec sets it)', () => {
    const plan = terraform(dir, ['plan', '-detailed-exitcode'], {
      TF_VAR_deploy_context: 'in-vpc',
    });
    assert.equal(plan.status, 2, plan.output);
    assert.match(plan.output, /Plan: 1 to add, 0 to change, 0 to destroy/);
  });
});

function guards(template: Template): Json[] {
  return Object.entries(template.resources('terraform_data'))
    .filter(([id]) => id.startsWith('in-vpc-guard_'))
    .map(([, resource]) => resource);
}

function guardMessage(template: Template): string {
  const [guard] = guards(template);
  assert.ok(guard, 'no in-VPC guard');
  const lifecycle = guard.lifecycle as { precondition: { error_message: string }[] };
  return lifecycle.precondition[0].error_message;
}

describe('which in-cluster stacks get the guard', () => {
  it('private EKS endpoint (default): rancher and agent stacks, naming the setting and the commands', () => {
    const stacks = buildEnvironment(testApp(), environment({ downstream: [{ name: 'apps' }] }));
    const rancher = Template.fromStack(stacks.rancher);
    assert.deepEqual(rancher.json.variable, {
      deploy_context: {
        type: 'string',
        default: '',
        description: 'Where this stack is applied from; "in-vpc" inside the deployer',
      },
    });
    const message = guardMessage(rancher);
    assert.match(message, /^Stack test-rancher cannot be applied from here: /);
    assert.match(message, /management\.eks\.endpointAccess is private/);
    assert.match(message, /`npm run env:deploy -- test`/);
    assert.match(message, /`npm run env:deploy -- test --direct`/);
    const agent = guardMessage(Template.fromStack(stacks.downstream[0].agent));
    assert.match(agent, /^Stack test-apps-agent cannot be applied from here: /);
    assert.match(agent, /downstream\[0\]\.eks\.endpointAccess is private/);
  });

  it('puts the guard before every helm and kubernetes resource of the stack', () => {
    const stacks = buildEnvironment(testApp(), environment({ downstream: [{ name: 'apps' }] }));
    for (const stack of [stacks.rancher, stacks.downstream[0].agent]) {
      const template = Template.fromStack(stack);
      const resources = Object.entries(
        template.json.resource as Record<string, Record<string, Json>>,
      )
        .filter(([type]) => type.startsWith('helm_') || type.startsWith('kubernetes_'))
        .flatMap(([, byId]) => Object.values(byId));
      assert.ok(resources.length > 0);
      for (const resource of resources) {
        assert.ok(
          (resource.depends_on as string[]).some((d) =>
            d.startsWith('terraform_data.in-vpc-guard_'),
          ),
          `${String(resource.name)} does not wait for the guard`,
        );
      }
    }
  });

  it('public management endpoint with CIDRs: no guard on rancher, still on a private downstream', () => {
    const stacks = buildEnvironment(
      testApp(),
      environment({
        management: { eks: { endpointAccess: 'both', publicAccessCidrs: ['203.0.113.0/24'] } },
        downstream: [
          { name: 'apps' },
          { name: 'ci', eks: { endpointAccess: 'both', publicAccessCidrs: ['203.0.113.0/24'] } },
        ],
      }),
    );
    const rancher = Template.fromStack(stacks.rancher);
    assert.deepEqual(guards(rancher), []);
    assert.equal(rancher.json.variable, undefined);
    assert.equal(guards(Template.fromStack(stacks.downstream[0].agent)).length, 1);
    assert.deepEqual(guards(Template.fromStack(stacks.downstream[1].agent)), []);
  });

  it('RKE2: guarded whatever the settings, and the message offers no direct path', () => {
    const stacks = buildEnvironment(
      testApp(),
      environment({ management: { distribution: 'rke2', rke2: {} } }),
    );
    const message = guardMessage(Template.fromStack(stacks.rancher));
    assert.match(message, /management\.distribution is rke2/);
    assert.doesNotMatch(message, /--direct/);
  });

  it('without the deployer: says how to apply from inside the network', () => {
    const stacks = buildEnvironment(testApp(), environment({ deployer: { enabled: false } }));
    const message = guardMessage(Template.fromStack(stacks.rancher));
    assert.match(message, /deployer\.enabled: true/);
    assert.match(message, /TF_VAR_deploy_context=in-vpc/);
  });
});
