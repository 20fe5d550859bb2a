import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
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

  it('deploys exactly the given stacks in order, without their dependencies and without prompts', () => {
    assert.deepEqual(spec.phases.build.commands, [
      'npx cdktf deploy prod-rancher prod-apps-agent --auto-approve --parallelism 1 --ignore-missing-stack-dependencies --skip-provider-lock --no-color',
    ]);
  });

  it('tells the guard it runs inside the VPC and points the app at the bundled environment file', () => {
    assert.deepEqual(spec.env.variables, {
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
