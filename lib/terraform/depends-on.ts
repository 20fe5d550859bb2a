import { TerraformResource } from 'cdktf';

/**
 * Adds `dependency` to `resource`'s depends_on after the resource was created (constructs such
 * as security group rules made by a helper, or every resource an aspect visits). The address is
 * written out: `fqn` is a reference and renders as `${...}`, which depends_on does not accept.
 */
export function addDependsOn(resource: TerraformResource, dependency: TerraformResource): void {
  const address = `${dependency.terraformResourceType}.${dependency.friendlyUniqueId}`;
  const existing = resource.dependsOn ?? [];
  if (!existing.includes(address)) resource.dependsOn = [...existing, address];
}
