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

export const TAG_KEYS = {
  environment: 'rancher-aws:environment',
  owner: 'rancher-aws:owner',
  managedBy: 'rancher-aws:managed-by',
  expiresAt: 'rancher-aws:expires-at',
  protected: 'rancher-aws:protected',
} as const;

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
