/**
 * Which environments teardown and the sweep may destroy. Pure: no AWS calls.
 */
import type { EnvironmentConfig } from '../config/schema';
import { TAG_KEYS } from '../naming/tags';
import { EXIT_PROTECTED } from './exit-codes';

export { EXIT_PROTECTED };

/** Teardown was asked for an environment marked `protected: true`. */
export class ProtectedEnvironmentError extends Error {
  readonly exitCode = EXIT_PROTECTED;

  constructor(readonly environment: string) {
    super(
      `Environment "${environment}" is protected (protected: true); teardown refuses to destroy ` +
        `it. Set protected: false in its environment file and deploy once if it really must go.`,
    );
    this.name = 'ProtectedEnvironmentError';
  }
}

/** Throws ProtectedEnvironmentError when the environment may not be torn down. */
export function assertTeardownAllowed(config: Pick<EnvironmentConfig, 'name' | 'protected'>): void {
  if (config.protected) throw new ProtectedEnvironmentError(config.name);
}

/** Days Secrets Manager keeps a deleted secret of a protected environment (its minimum). */
export const PROTECTED_SECRET_RECOVERY_DAYS = 7;

/**
 * Recovery window of the environment's secrets. Their names are fixed, and Secrets Manager refuses
 * a new secret under a name whose deletion is still pending: an unprotected environment deletes
 * them at once (0 means ForceDeleteWithoutRecovery), so it can be recreated the day it was
 * destroyed. A protected one keeps them recoverable for 7 days, and cannot be recreated under the
 * same name during that window.
 */
export function secretRecoveryWindowDays(config: Pick<EnvironmentConfig, 'protected'>): number {
  return config.protected ? PROTECTED_SECRET_RECOVERY_DAYS : 0;
}

/**
 * Whether an environment is disposable: the emulator, or one with an expiry, unless protected.
 * Disposable environments let destroy empty their buckets, so a teardown leaves nothing.
 */
export function isThrowAway(
  config: Pick<EnvironmentConfig, 'target' | 'expiresAt' | 'protected'>,
): boolean {
  return !config.protected && (config.target === 'local' || config.expiresAt !== undefined);
}

/** True when `expiresAt` is a valid date-time at or before `now`. */
export function isExpired(expiresAt: string | undefined, now: Date): boolean {
  if (!expiresAt) return false;
  const time = Date.parse(expiresAt);
  return !Number.isNaN(time) && time <= now.getTime();
}

/** A resource with its tags, as the tagging API (or a service's own list call) returns it. */
export interface TaggedResource {
  readonly id: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** One environment the sweep found through its resources' tags. */
export interface SweepCandidate {
  readonly name: string;
  /** The earliest `expires-at` tag among its resources. */
  readonly expiresAt: string;
  /** Any of its resources carries `protected=true`. */
  readonly protected: boolean;
  readonly resourceCount: number;
}

export interface SweepFindings {
  /** Expired environments, by name. */
  readonly expired: readonly SweepCandidate[];
  /** Environments whose expiry is still ahead, by name. */
  readonly live: readonly SweepCandidate[];
  /** Environments whose `expires-at` tag is not a date-time (never swept). */
  readonly unreadable: readonly { readonly name: string; readonly expiresAt: string }[];
}

/**
 * Groups tagged resources by environment and sorts the environments with an expiry into expired
 * and live. Resources without both the environment and the expires-at tag are ignored.
 */
export function findExpiredEnvironments(
  resources: readonly TaggedResource[],
  now: Date,
): SweepFindings {
  const byName = new Map<string, { expiries: string[]; protected: boolean; count: number }>();
  for (const resource of resources) {
    const name = resource.tags[TAG_KEYS.environment];
    const expiresAt = resource.tags[TAG_KEYS.expiresAt];
    if (!name || !expiresAt) continue;
    const entry = byName.get(name) ?? { expiries: [], protected: false, count: 0 };
    entry.expiries.push(expiresAt);
    entry.protected ||= resource.tags[TAG_KEYS.protected] === 'true';
    entry.count += 1;
    byName.set(name, entry);
  }
  const expired: SweepCandidate[] = [];
  const live: SweepCandidate[] = [];
  const unreadable: { name: string; expiresAt: string }[] = [];
  for (const name of [...byName.keys()].sort()) {
    const entry = byName.get(name)!;
    const bad = entry.expiries.find((value) => Number.isNaN(Date.parse(value)));
    if (bad !== undefined) {
      unreadable.push({ name, expiresAt: bad });
      continue;
    }
    const expiresAt = entry.expiries.reduce((a, b) => (Date.parse(a) <= Date.parse(b) ? a : b));
    const candidate = { name, expiresAt, protected: entry.protected, resourceCount: entry.count };
    (isExpired(expiresAt, now) ? expired : live).push(candidate);
  }
  return { expired, live, unreadable };
}
