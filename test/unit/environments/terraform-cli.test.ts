import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import {
  runTerraform,
  TerraformCommandError,
  terraformProcessEnv,
} from '../../../lib/environments/terraform-cli';
import { writeStubCommands } from '../../helpers/stub-commands';

const work = mkdtempSync(path.join(tmpdir(), 'terraform-cli-unit-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** Sets process environment variables for one test and puts the old values back. */
function withProcessEnv(values: Record<string, string | undefined>) {
  const saved: Record<string, string | undefined> = {};
  beforeEach(() => {
    for (const [name, value] of Object.entries(values)) {
      saved[name] = process.env[name];
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
}

describe('terraformProcessEnv', () => {
  const mirror = path.join(work, 'mirror');
  mkdirSync(mirror);
  withProcessEnv({
    AWS_PROFILE: 'production-admin',
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SESSION_TOKEN: 'session',
    AWS_ROLE_ARN: 'arn:aws:iam::111122223333:role/admin',
    RANCHER_TF_PLUGIN_MIRROR: mirror,
  });

  it('gives a local environment the emulator keys and none of the machine credentials', () => {
    const env = terraformProcessEnv({ target: 'local', region: 'eu-west-1' });
    assert.equal(env.AWS_PROFILE, undefined);
    assert.equal(env.AWS_SESSION_TOKEN, undefined);
    assert.equal(env.AWS_ROLE_ARN, undefined);
    assert.equal(env.AWS_ACCESS_KEY_ID, 'testing');
    assert.equal(env.AWS_SECRET_ACCESS_KEY, 'testing');
    assert.equal(env.AWS_REGION, 'eu-west-1');
    assert.equal(env.AWS_EC2_METADATA_DISABLED, 'true');
  });

  it('leaves the credential chain of an aws environment alone', () => {
    const env = terraformProcessEnv({ target: 'aws', region: 'eu-west-1' });
    assert.equal(env.AWS_PROFILE, 'production-admin');
    assert.equal(env.AWS_ROLE_ARN, 'arn:aws:iam::111122223333:role/admin');
    assert.equal(env.AWS_ACCESS_KEY_ID, 'AKIDEXAMPLE');
  });

  it('runs Terraform unattended with the provider mirror of RANCHER_TF_PLUGIN_MIRROR', () => {
    const env = terraformProcessEnv({ target: 'aws', region: 'us-east-1' });
    assert.equal(env.TF_IN_AUTOMATION, '1');
    assert.equal(env.TF_INPUT, '0');
    assert.equal(env.CHECKPOINT_DISABLE, '1');
    const config = readFileSync(env.TF_CLI_CONFIG_FILE ?? '', 'utf8');
    assert.match(config, new RegExp(`filesystem_mirror \\{\\s+path\\s+= "${mirror}"`));
  });
});

describe('runTerraform', () => {
  // A stand-in `terraform` first on PATH: prints its arguments, exits with $FAKE_EXIT.
  const bin = path.join(work, 'bin');
  mkdirSync(bin);
  writeStubCommands(bin, {
    terraform: 'echo "args: $*"\necho "from stderr" >&2\nexit "${FAKE_EXIT:-0}"',
  });
  const env = (exit: number) => ({
    ...process.env,
    PATH: `${bin}:${process.env.PATH}`,
    FAKE_EXIT: String(exit),
  });

  it('resolves with stdout and stderr, passing each chunk on as it arrives', async () => {
    const chunks: string[] = [];
    const output = await runTerraform(work, ['init', '-input=false'], env(0), (c) =>
      chunks.push(c),
    );
    assert.match(output, /^args: init -input=false$/m);
    assert.match(output, /^from stderr$/m);
    assert.equal(chunks.join(''), output);
  });

  it('rejects a failed command with the command, directory, exit code and output', async () => {
    await assert.rejects(runTerraform(work, ['destroy', '-auto-approve'], env(3)), (error) => {
      assert.ok(error instanceof TerraformCommandError);
      assert.match(
        error.message,
        new RegExp(`^terraform destroy -auto-approve in ${work} failed with exit code 3:\\n`),
      );
      assert.match(error.message, /args: destroy -auto-approve/);
      assert.match(error.output, /from stderr/);
      return true;
    });
  });

  it('rejects when terraform cannot be started', async () => {
    await assert.rejects(
      runTerraform(work, ['version'], { ...process.env, PATH: path.join(work, 'empty') }),
      (error) =>
        error instanceof TerraformCommandError &&
        /^terraform could not be started: spawn terraform ENOENT/.test(error.message),
    );
  });
});
