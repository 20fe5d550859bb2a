import { TerraformStack } from 'cdktf';

/**
 * Oldest Terraform the stacks run on: 1.11 brought write-only arguments (`set_wo` of the helm
 * provider, `secret_string_wo` of Secrets Manager), which hold the bootstrap password, the RKE2
 * join token, your TLS key and the agents' registration token. scripts/check-prereqs.sh checks
 * the same version.
 */
export const MIN_TERRAFORM_VERSION = '1.11.0';

/** Makes `terraform init` refuse an older Terraform with its own clear error. */
export function requireTerraformVersion(stack: TerraformStack): void {
  stack.addOverride('terraform.required_version', `>= ${MIN_TERRAFORM_VERSION}`);
}
