/**
 * Resource names derived from the environment name, and the AWS rules they must satisfy. Pure: no
 * cdktf imports. The same rules decide at synth time (`resourceName`) and in the config check
 * (environment-names.ts), so an environment file that would break one of them is refused before
 * anything is built.
 */

/** The kinds of AWS name the stacks set. */
export type NameKind =
  | 'loadBalancer'
  | 'targetGroup'
  | 'iamRole'
  | 'iamPolicy'
  | 'eksCluster'
  | 'eksNodeGroup'
  | 's3Bucket'
  | 'secret'
  | 'securityGroup'
  | 'launchTemplate'
  | 'autoScalingGroup'
  | 'kmsAlias';

/** What AWS accepts as the name of one kind of resource. */
export interface AwsNameRule {
  /** How a message names the kind: `load balancer`. */
  readonly label: string;
  readonly maxLength: number;
  /** @default 1 */
  readonly minLength?: number;
  /** Characters and shape AWS accepts ... */
  readonly pattern: RegExp;
  /** ... said in words. */
  readonly patternText: string;
  /** Starts AWS keeps for itself. @default - none */
  readonly reservedPrefixes?: readonly string[];
  /** Ends AWS keeps for itself. @default - none */
  readonly reservedSuffixes?: readonly string[];
}

const ELB_NAME = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/;
const ELB_NAME_TEXT = 'only letters, digits and inner hyphens';
const IAM_NAME = /^[\w+=,.@-]+$/;
const IAM_NAME_TEXT = 'only letters, digits and _+=,.@-';

/**
 * AWS's naming rules, from each service's API reference (CreateLoadBalancer, CreateTargetGroup,
 * CreateRole, CreatePolicy, CreateCluster, CreateNodegroup, the S3 bucket naming rules,
 * CreateSecret, CreateSecurityGroup, CreateLaunchTemplate, CreateAutoScalingGroup, CreateAlias).
 */
export const AWS_NAME_RULES: Readonly<Record<NameKind, AwsNameRule>> = {
  loadBalancer: {
    label: 'load balancer',
    maxLength: 32,
    pattern: ELB_NAME,
    patternText: ELB_NAME_TEXT,
    reservedPrefixes: ['internal-'],
  },
  targetGroup: {
    label: 'target group',
    maxLength: 32,
    pattern: ELB_NAME,
    patternText: ELB_NAME_TEXT,
  },
  iamRole: { label: 'IAM role', maxLength: 64, pattern: IAM_NAME, patternText: IAM_NAME_TEXT },
  iamPolicy: { label: 'IAM policy', maxLength: 128, pattern: IAM_NAME, patternText: IAM_NAME_TEXT },
  eksCluster: {
    label: 'EKS cluster',
    maxLength: 100,
    pattern: /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/,
    patternText: 'only letters, digits, hyphens and underscores, starting with a letter or digit',
  },
  eksNodeGroup: {
    label: 'EKS node group',
    maxLength: 63,
    pattern: /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/,
    patternText: 'only letters, digits, hyphens and underscores, starting with a letter or digit',
  },
  s3Bucket: {
    label: 'S3 bucket',
    maxLength: 63,
    minLength: 3,
    pattern: /^(?!\d+\.\d+\.\d+\.\d+$)[a-z0-9](?:(?!\.\.)[a-z0-9.-])*[a-z0-9]$/,
    patternText:
      'only lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit, no two dots in a row, not an IP address',
    reservedPrefixes: ['xn--', 'sthree-', 'amzn-s3-demo-'],
    reservedSuffixes: ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'],
  },
  secret: {
    label: 'Secrets Manager secret',
    maxLength: 512,
    pattern: /^[\w/+=.@-]+$/,
    patternText: 'only letters, digits and /_+=.@-',
  },
  securityGroup: {
    label: 'security group',
    maxLength: 255,
    pattern: /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]+$/,
    patternText: 'only letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*',
    reservedPrefixes: ['sg-'],
  },
  launchTemplate: {
    label: 'launch template',
    maxLength: 128,
    minLength: 3,
    pattern: /^[a-zA-Z0-9().\-/_]+$/,
    patternText: 'only letters, digits and ().-/_',
  },
  autoScalingGroup: {
    label: 'Auto Scaling group',
    maxLength: 255,
    pattern: /^[\x20-\x7e]+$/,
    patternText: 'only printable ASCII characters',
  },
  // The part after `alias/`; 250 leaves room for it in AWS's 256.
  kmsAlias: {
    label: 'KMS alias',
    maxLength: 250,
    pattern: /^[a-zA-Z0-9/_-]+$/,
    patternText: 'only letters, digits and /_-',
    reservedPrefixes: ['aws/'],
  },
};

/**
 * What is wrong with `name` as a name of `kind`, as the end of a sentence ("starts with internal-
 * (reserved by AWS)"); undefined when AWS accepts it.
 */
export function awsNameProblem(kind: NameKind, name: string): string | undefined {
  const rule = AWS_NAME_RULES[kind];
  if (name.length > rule.maxLength) {
    return `is ${name.length} characters (AWS allows ${rule.maxLength})`;
  }
  if (name.length < (rule.minLength ?? 1)) {
    return `is ${name.length} characters (AWS needs at least ${rule.minLength ?? 1})`;
  }
  const prefix = rule.reservedPrefixes?.find((reserved) => name.startsWith(reserved));
  if (prefix) return `starts with ${prefix} (reserved by AWS)`;
  const suffix = rule.reservedSuffixes?.find((reserved) => name.endsWith(reserved));
  if (suffix) return `ends with ${suffix} (reserved by AWS)`;
  if (!rule.pattern.test(name)) return `may hold ${rule.patternText}`;
  return undefined;
}

/**
 * `<prefix>-<suffix>`, checked against the rules of `kind`. Throws with the name and the rule, so
 * a name AWS would refuse fails at synth time instead of in the middle of an apply.
 */
export function resourceName(prefix: string, suffix: string, kind: NameKind): string {
  const name = suffix ? `${prefix}-${suffix}` : prefix;
  // A name holding a value known only at apply time (a cdktf token) is checked through the config.
  if (name.includes('${')) return name;
  const problem = awsNameProblem(kind, name);
  if (problem) throw new Error(`${AWS_NAME_RULES[kind].label} name "${name}" ${problem}`);
  return name;
}

/** Name of the Terraform stack `<env>-<part>`. */
export function stackName(environment: string, ...parts: string[]): string {
  return [environment, ...parts].join('-');
}

/** The launch template name of RKE2 node pool `pool` (`seed`, `servers`, `agents`) of a cluster. */
export function rke2NodePoolLaunchTemplateName(clusterName: string, pool: string): string {
  return resourceName(clusterName, pool, 'launchTemplate');
}
