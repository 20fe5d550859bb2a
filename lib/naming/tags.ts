/** Tags every taggable resource carries (through the AWS provider's default_tags). */
export interface StandardTagOptions {
  readonly environment: string;
  readonly owner: string;
  /** ISO date-time after which a throw-away environment may be swept. */
  readonly expiresAt?: string;
  readonly protected?: boolean;
  /** Extra tags from the environment file; the standard keys win on conflict. */
  readonly extra?: Readonly<Record<string, string>>;
}

/** Prefix of the standard tag keys; `tags:` may not use it. */
export const STANDARD_TAG_PREFIX = 'rancher-aws:';

export const TAG_KEYS = {
  environment: `${STANDARD_TAG_PREFIX}environment`,
  owner: `${STANDARD_TAG_PREFIX}owner`,
  managedBy: `${STANDARD_TAG_PREFIX}managed-by`,
  expiresAt: `${STANDARD_TAG_PREFIX}expires-at`,
  protected: `${STANDARD_TAG_PREFIX}protected`,
} as const;

/** On each RKE2 launch template: the RKE2 release its user data installs (read by upgrade:check). */
export const RKE2_VERSION_TAG = 'rancher-aws:rke2-version';

export const MANAGED_BY = 'cdktf/rancher-on-aws';

export function standardTags(options: StandardTagOptions): Record<string, string> {
  const tags: Record<string, string> = {
    ...(options.extra ?? {}),
    [TAG_KEYS.environment]: options.environment,
    [TAG_KEYS.owner]: options.owner,
    [TAG_KEYS.managedBy]: MANAGED_BY,
  };
  if (options.expiresAt) tags[TAG_KEYS.expiresAt] = options.expiresAt;
  if (options.protected) tags[TAG_KEYS.protected] = 'true';
  return tags;
}

/**
 * AWS tag rules (the tagging guide of every service): at most 50 tags per resource, keys up to 128
 * and values up to 256 characters, letters, digits, spaces and `+ - = . _ : / @`, and the `aws:`
 * prefix (any case) reserved for AWS in keys and values. IAM, one of the services that takes the
 * provider's default tags, enforces the character set.
 */
export const TAG_RULES = {
  maxTagsPerResource: 50,
  maxKeyLength: 128,
  maxValueLength: 256,
  characters: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u,
  charactersText: 'letters, digits, spaces and _.:/=+-@',
  reservedPrefix: /^aws:/i,
} as const;

/**
 * Tags a resource of this project carries besides the provider's default tags: `Name`, the
 * `kubernetes.io/cluster/<name>` tag of subnets and node security groups, a subnet or RKE2 role
 * tag. The policy tier checks that no resource carries more.
 */
export const OWN_TAGS_PER_RESOURCE = 3;

/**
 * Room for the tags AWS services add to what they launch for us (node instances of an EKS managed
 * node group or an Auto Scaling group); they count towards the 50 like ours.
 */
export const SERVICE_TAG_ROOM = 5;

/** How many `tags:` an environment may add on top of `standard` tags of its own. */
export function maxExtraTags(standard: number): number {
  return TAG_RULES.maxTagsPerResource - standard - OWN_TAGS_PER_RESOURCE - SERVICE_TAG_ROOM;
}

/** What is wrong with one tag key or value as the end of a sentence; undefined when AWS accepts it. */
export function tagTextProblem(text: string, part: 'key' | 'value'): string | undefined {
  const max = part === 'key' ? TAG_RULES.maxKeyLength : TAG_RULES.maxValueLength;
  if (part === 'key' && text.length === 0) return 'must not be empty';
  if (text.length > max) return `is ${text.length} characters (AWS allows ${max} in a tag ${part})`;
  if (TAG_RULES.reservedPrefix.test(text))
    return `starts with aws: (reserved by AWS in tag ${part}s)`;
  if (!TAG_RULES.characters.test(text))
    return `may hold only ${TAG_RULES.charactersText} (AWS's tag character set)`;
  return undefined;
}
