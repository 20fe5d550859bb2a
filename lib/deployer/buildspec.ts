/**
 * The buildspec of the in-VPC deployer: install a pinned Terraform (checksum verified) and the
 * project's locked npm dependencies, then `cdktf deploy` the in-cluster stacks in order. It lives
 * in the CodeBuild project (Terraform-owned and reviewed), not in the uploaded bundle. Pure.
 */
import { stringify } from 'yaml';
import { BUNDLED_ENVIRONMENT_FILE } from './names';
import { DEPLOY_CONTEXT_ENV, IN_VPC_CONTEXT } from './deploy-context';

/** Terraform release the deployer installs (write-only arguments need >= 1.11). */
export const TERRAFORM_VERSION = '1.11.4';
/** SHA-256 of terraform_1.11.4_linux_amd64.zip, from HashiCorp's terraform_1.11.4_SHA256SUMS. */
export const TERRAFORM_LINUX_AMD64_SHA256 =
  '1ce994251c00281d6845f0f268637ba50c0005657eb3cf096b92f753b42ef4dc';
/**
 * CodeBuild's current Amazon Linux 2023 x86_64 image; its runtimes.yml (aws-codebuild-docker-
 * images, al/x86_64/standard/6.0) offers Node.js 22 and 24.
 */
export const DEPLOYER_IMAGE = 'aws/codebuild/amazonlinux-x86_64-standard:6.0';
/** Node.js major the build selects (package.json engines: >= 20.9; 22 is an LTS line). */
export const DEPLOYER_NODE_VERSION = 22;

/** The build's environment variable that says what to do; StartBuild overrides it. */
export const DEPLOYER_ACTION_VARIABLE = 'DEPLOYER_ACTION';
export type DeployerAction = 'deploy' | 'destroy';

export interface DeployerBuildspecOptions {
  /** In-cluster stacks to apply, in deployment order. */
  readonly stacks: readonly string[];
}

function cdktf(command: DeployerAction, stacks: readonly string[], extra: string[]): string {
  return [
    `npx cdktf ${command}`,
    ...stacks,
    '--auto-approve',
    '--parallelism 1',
    ...extra,
    '--skip-provider-lock',
    '--no-color',
  ].join(' ');
}

/** The build's commands: the YAML CodeBuild runs (buildspec version 0.2). */
export function deployerBuildspec(options: DeployerBuildspecOptions): string {
  if (options.stacks.length === 0) {
    throw new Error('The deployer buildspec needs at least one stack to apply.');
  }
  for (const stack of options.stacks) {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(stack)) {
      throw new Error(`Stack name "${stack}" is not a plain stack name; the buildspec refuses it.`);
    }
  }
  const zip = `terraform_${TERRAFORM_VERSION}_linux_amd64.zip`;
  const buildspec = {
    version: 0.2,
    env: {
      shell: 'bash',
      variables: {
        [DEPLOYER_ACTION_VARIABLE]: 'deploy',
        RANCHER_ENV_FILE: BUNDLED_ENVIRONMENT_FILE,
        [DEPLOY_CONTEXT_ENV]: IN_VPC_CONTEXT,
        CHECKPOINT_DISABLE: '1',
        TF_IN_AUTOMATION: '1',
        TF_INPUT: '0',
      },
    },
    phases: {
      install: {
        'runtime-versions': { nodejs: DEPLOYER_NODE_VERSION },
        'on-failure': 'ABORT',
        commands: [
          `curl -fsSL --retry 3 -o /tmp/${zip} https://releases.hashicorp.com/terraform/${TERRAFORM_VERSION}/${zip}`,
          `echo "${TERRAFORM_LINUX_AMD64_SHA256}  /tmp/${zip}" | sha256sum -c -`,
          `unzip -o -q /tmp/${zip} terraform -d /usr/local/bin`,
          'terraform version',
          'npm ci --no-audit --no-fund',
        ],
      },
      build: {
        'on-failure': 'ABORT',
        commands: [
          [
            `case "$${DEPLOYER_ACTION_VARIABLE}" in`,
            // --ignore-missing-stack-dependencies: the AWS-only stacks these read were applied
            // before the build (cdktf then keeps the given stacks in synth order);
            // --skip-provider-lock: a fresh container has no lock file to update, and
            // `terraform init` records the hashes of what it installs anyway.
            `  deploy) ${cdktf('deploy', options.stacks, ['--ignore-missing-stack-dependencies'])} ;;`,
            // Without the flag cdktf destroys dependants first (the agents before rancher).
            `  destroy) ${cdktf('destroy', [...options.stacks].reverse(), [])} ;;`,
            `  *) echo "${DEPLOYER_ACTION_VARIABLE} must be deploy or destroy; got $${DEPLOYER_ACTION_VARIABLE}" >&2; exit 2 ;;`,
            'esac',
          ].join('\n'),
        ],
      },
    },
  };
  return stringify(buildspec, { lineWidth: 0 });
}
