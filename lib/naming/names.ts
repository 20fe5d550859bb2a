/**
 * Resource names derived from the environment name, within AWS limits. Pure: no cdktf imports.
 * Limits checked here are the tightest ones the stacks use; config validation keeps environment
 * names short enough that the fixed suffixes always fit.
 */

/** AWS name limits the stacks run into. */
export const NAME_LIMITS = {
  loadBalancer: 32,
  targetGroup: 32,
  iamRole: 64,
  iamPolicy: 128,
  eksCluster: 100,
  eksNodeGroup: 63,
  s3Bucket: 63,
  secret: 512,
  securityGroup: 255,
  launchTemplate: 128,
  autoScalingGroup: 255,
  kmsAlias: 256,
} as const;

export type NameKind = keyof typeof NAME_LIMITS;

/**
 * `<prefix>-<suffix>`, checked against the limit of `kind`. Throws with the name and the limit,
 * so a too-long name fails at synth time instead of in the middle of an apply.
 */
export function resourceName(prefix: string, suffix: string, kind: NameKind): string {
  const name = suffix ? `${prefix}-${suffix}` : prefix;
  const limit = NAME_LIMITS[kind];
  if (name.length > limit) {
    throw new Error(`${kind} name "${name}" is ${name.length} characters; AWS allows ${limit}`);
  }
  if (kind === 'loadBalancer' || kind === 'targetGroup') {
    if (!/^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/.test(name)) {
      throw new Error(`${kind} name "${name}" may hold only letters, digits and inner dashes`);
    }
  }
  if (kind === 's3Bucket' && !/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) {
    throw new Error(
      `bucket name "${name}" may hold only lower-case letters, digits, dots and dashes`,
    );
  }
  return name;
}

/** Name of the Terraform stack `<env>-<part>`. */
export function stackName(environment: string, ...parts: string[]): string {
  return [environment, ...parts].join('-');
}
