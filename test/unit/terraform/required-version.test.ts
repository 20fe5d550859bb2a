import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { TerraformStack } from 'cdktf';
import { parse } from 'yaml';
import { buildEnvironment } from '../../../stacks';
import { scratchDir } from '../../helpers/scratch';
import { environment, Json, Template, testApp } from '../../helpers/template';

const ROOT = path.join(__dirname, '..', '..', '..');

// Terraform 1.11 added write-only arguments (set_wo, secret_string_wo), which the stacks use
// for the bootstrap password, the RKE2 join token, your TLS key and the registration token.
describe('Terraform >= 1.11', () => {
  it('is required by every stack of an environment', () => {
    const app = testApp();
    buildEnvironment(
      app,
      environment({
        state: { backend: 's3', bucket: 'test-tfstate' },
        downstream: [{ name: 'apps' }],
      }),
    );
    const stacks = app.node.children.filter(
      (c): c is TerraformStack => c instanceof TerraformStack,
    );
    assert.deepEqual(stacks.map((s) => s.node.id).sort(), [
      'test-apps-agent',
      'test-apps-cluster',
      'test-bootstrap',
      'test-management',
      'test-rancher',
    ]);
    for (const stack of stacks) {
      const terraform = Template.fromStack(stack).json.terraform as Json;
      assert.equal(terraform.required_version, '>= 1.11.0', stack.node.id);
    }
  });

  describe('scripts/check-prereqs.sh', () => {
    /** Runs the check with a stand-in `terraform` that reports `version` first on PATH. */
    function checkWith(version: string): { status: number | null; output: string } {
      const bin = scratchDir('fake-terraform');
      const fake = path.join(bin, 'terraform');
      writeFileSync(fake, `#!/bin/sh\necho "Terraform v${version}"\necho "on linux_amd64"\n`);
      chmodSync(fake, 0o755);
      const run = spawnSync(
        'bash',
        [path.join(ROOT, 'scripts', 'check-prereqs.sh'), '--no-install'],
        {
          cwd: ROOT,
          encoding: 'utf8',
          env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` },
        },
      );
      return { status: run.status, output: `${run.stdout}${run.stderr}` };
    }

    it('refuses Terraform 1.10, naming the version to install and why', () => {
      const result = checkWith('1.10.5');
      assert.equal(result.status, 1, result.output);
      assert.match(
        result.output,
        /Terraform 1\.10\.5 is too old: install Terraform >= 1\.11\.0 \(the stacks' write-only arguments need 1\.11\)\./,
      );
    });

    it('accepts Terraform 1.11.0', () => {
      const result = checkWith('1.11.0');
      assert.doesNotMatch(result.output, /Terraform/, result.output);
    });
  });

  it('is what every workflow installs', () => {
    const dir = path.join(ROOT, '.github', 'workflows');
    let checked = 0;
    for (const name of readdirSync(dir).filter((f) => f.endsWith('.yml'))) {
      const workflow = parse(readFileSync(path.join(dir, name), 'utf8')) as {
        jobs: Record<string, { steps?: { uses?: string; with?: Record<string, unknown> }[] }>;
      };
      for (const job of Object.values(workflow.jobs)) {
        for (const step of job.steps ?? []) {
          if (!step.uses?.startsWith('hashicorp/setup-terraform')) continue;
          const [major, minor] = String(step.with?.terraform_version).split('.').map(Number);
          assert.ok(
            major > 1 || (major === 1 && minor >= 11),
            `${name}: ${step.with?.terraform_version}`,
          );
          checked++;
        }
      }
    }
    assert.ok(checked >= 4, `only ${checked} setup-terraform steps found`);
  });
});
