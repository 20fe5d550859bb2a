import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { deployerBuildspec } from '../../../lib/deployer/buildspec';
import { scratchDir } from '../../helpers/scratch';

interface Buildspec {
  version: number;
  env: { shell: string; variables: Record<string, string> };
  phases: Record<
    string,
    { commands: string[]; 'on-failure'?: string; 'runtime-versions'?: Record<string, number> }
  >;
}

const spec = parse(deployerBuildspec({ stacks: ['prod-rancher', 'prod-apps-agent'] })) as Buildspec;

describe('deployerBuildspec', () => {
  it('is a buildspec 0.2 run with bash, aborting on the first failing phase', () => {
    assert.equal(spec.version, 0.2);
    assert.equal(spec.env.shell, 'bash');
    assert.deepEqual(Object.keys(spec.phases), ['install', 'build']);
    for (const phase of Object.values(spec.phases)) assert.equal(phase['on-failure'], 'ABORT');
  });

  it('selects Node.js 22, which the image offers and package.json engines (>= 20.9) accept', () => {
    // aws-codebuild-docker-images al/x86_64/standard/6.0/runtimes.yml: nodejs 22 and 24.
    assert.deepEqual(spec.phases.install['runtime-versions'], { nodejs: 22 });
  });

  it('installs Terraform 1.11.4 from HashiCorp and checks the published SHA-256 before unzipping', () => {
    const [download, check, unzip, version, npm] = spec.phases.install.commands;
    assert.match(
      download,
      /https:\/\/releases\.hashicorp\.com\/terraform\/1\.11\.4\/terraform_1\.11\.4_linux_amd64\.zip$/,
    );
    // terraform_1.11.4_SHA256SUMS (HashiCorp), the linux_amd64 line.
    assert.equal(
      check,
      'echo "1ce994251c00281d6845f0f268637ba50c0005657eb3cf096b92f753b42ef4dc  /tmp/terraform_1.11.4_linux_amd64.zip" | sha256sum -c -',
    );
    assert.match(
      unzip,
      /^unzip .*terraform_1\.11\.4_linux_amd64\.zip terraform -d \/usr\/local\/bin$/,
    );
    assert.equal(version, 'terraform version');
    assert.equal(npm, 'npm ci --no-audit --no-fund');
  });

  it('rejects a download whose checksum differs (sha256sum -c, as the build runs it)', () => {
    const dir = scratchDir('buildspec');
    const zip = path.join(dir, 'terraform_1.11.4_linux_amd64.zip');
    writeFileSync(zip, 'not the release');
    const check = spec.phases.install.commands[1].replace('/tmp/', `${dir}/`);
    assert.throws(() => execFileSync('bash', ['-c', check], { stdio: 'pipe' }), /Command failed/);
  });

  it('deploys the given stacks in order, or destroys them agents first, as DEPLOYER_ACTION says', () => {
    assert.equal(spec.phases.build.commands.length, 1);
    const dir = scratchDir('buildspec');
    // A stand-in npx that prints the command it was given.
    writeFileSync(path.join(dir, 'npx'), '#!/bin/sh\necho "npx $*"\n', { mode: 0o755 });
    const run = (action: string) =>
      spawnSync('bash', ['-c', spec.phases.build.commands[0]], {
        encoding: 'utf8',
        env: { PATH: `${dir}:${process.env.PATH}`, DEPLOYER_ACTION: action },
      });
    const deploy = run('deploy');
    assert.equal(deploy.status, 0, deploy.stderr);
    assert.equal(
      deploy.stdout.trim(),
      // cdktf-cli 0.21: without --ignore-missing-stack-dependencies, deploy refuses stacks whose
      // dependencies (the AWS-only stacks, applied before the build) are not selected.
      'npx cdktf deploy prod-rancher prod-apps-agent --auto-approve --parallelism 1 --ignore-missing-stack-dependencies --skip-provider-lock --no-color',
    );
    const destroy = run('destroy');
    assert.equal(destroy.status, 0, destroy.stderr);
    assert.equal(
      destroy.stdout.trim(),
      'npx cdktf destroy prod-apps-agent prod-rancher --auto-approve --parallelism 1 --skip-provider-lock --no-color',
    );
    const other = run('plan');
    assert.equal(other.status, 2);
    assert.match(other.stderr, /DEPLOYER_ACTION must be deploy or destroy; got plan/);
    assert.equal(spec.env.variables.DEPLOYER_ACTION, 'deploy');
  });

  it('tells the guard it runs inside the VPC and points the app at the bundled environment file', () => {
    assert.deepEqual(spec.env.variables, {
      DEPLOYER_ACTION: 'deploy',
      RANCHER_ENV_FILE: '.deployer/environment.yaml',
      TF_VAR_deploy_context: 'in-vpc',
      CHECKPOINT_DISABLE: '1',
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
    });
  });

  it('refuses no stacks and names that are not plain stack names', () => {
    assert.throws(() => deployerBuildspec({ stacks: [] }), /at least one stack/);
    assert.throws(
      () => deployerBuildspec({ stacks: ['prod-rancher; curl evil'] }),
      /Stack name "prod-rancher; curl evil" is not a plain stack name/,
    );
  });
});
