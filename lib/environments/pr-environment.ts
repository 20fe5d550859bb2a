/**
 * Throw-away pull-request environments: the environment file made from a template. Pure: no file
 * system, no cdktf; the CLI is scripts/env-create.ts.
 */
import { isMap, isNode, parseDocument, visit } from 'yaml';
import { ConfigError, parseEnvironment } from '../config/load';
import type { EnvironmentConfig } from '../config/schema';

/** Placeholder replaced by the environment name in every string value of the template. */
export const NAME_PLACEHOLDER = '${name}';
/** Hours a pull-request environment lives unless told otherwise. */
export const DEFAULT_TTL_HOURS = 72;
/** Longest life a throw-away environment may be given (30 days). */
export const MAX_TTL_HOURS = 720;

export interface PrEnvironmentOptions {
  /** The pull request number. */
  readonly prNumber: number;
  /** Who answers for the environment (`owner` and the owner tag). */
  readonly owner: string;
  /** The current time; `expiresAt` is this plus the TTL. */
  readonly now: Date;
  /**
   * Hours until the sweep may destroy the environment.
   * @default 72
   */
  readonly ttlHours?: number;
  /**
   * Where the environment runs.
   * @default - the template's target
   */
  readonly target?: 'aws' | 'local';
  /**
   * AWS account of an `aws` environment (names the default state bucket, guards credentials).
   * @default - the template's accountId
   */
  readonly accountId?: string;
  /**
   * Where the template came from, for error messages.
   * @default 'environments/templates/pr.yaml'
   */
  readonly templateSource?: string;
}

export interface PrEnvironment {
  readonly name: string;
  /** The environment file's text. */
  readonly yaml: string;
  /** The validated environment. */
  readonly config: EnvironmentConfig;
}

/** `pr-<n>` for a positive whole pull request number. */
export function prEnvironmentName(prNumber: number): string {
  if (!Number.isSafeInteger(prNumber) || prNumber < 1) {
    throw new Error(`The pull request number must be a positive whole number; got ${prNumber}.`);
  }
  return `pr-${prNumber}`;
}

/** `now` plus `ttlHours`, as ISO 8601 in UTC to the second (e.g. 2026-09-01T12:00:00Z). */
export function expiryFrom(now: Date, ttlHours: number): string {
  if (!Number.isFinite(ttlHours) || ttlHours <= 0 || ttlHours > MAX_TTL_HOURS) {
    throw new Error(`ttlHours must be more than 0 and at most ${MAX_TTL_HOURS}; got ${ttlHours}.`);
  }
  const expires = new Date(now.getTime() + Math.round(ttlHours * 3_600_000));
  return expires.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The environment file of pull request `prNumber`: the template with `${name}` filled in and
 * name, owner, expiresAt (and target, accountId when given) set, validated like any environment
 * file. Throws ConfigError naming the fields when the result is not a valid environment.
 */
export function renderPrEnvironment(
  template: string,
  options: PrEnvironmentOptions,
): PrEnvironment {
  const source = options.templateSource ?? 'environments/templates/pr.yaml';
  const name = prEnvironmentName(options.prNumber);
  const expiresAt = expiryFrom(options.now, options.ttlHours ?? DEFAULT_TTL_HOURS);
  const document = parseDocument(template, { uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new ConfigError(source, [
      { path: '', message: `not valid YAML: ${document.errors[0].message.split('\n')[0]}` },
    ]);
  }
  if (!isMap(document.contents)) {
    throw new ConfigError(source, [{ path: '', message: 'must be a mapping of fields' }]);
  }
  visit(document, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && node.value.includes(NAME_PLACEHOLDER)) {
        node.value = node.value.split(NAME_PLACEHOLDER).join(name);
      }
    },
  });
  document.set('name', name);
  document.set('owner', options.owner);
  document.set('expiresAt', expiresAt);
  document.set('protected', false);
  if (options.target) document.set('target', options.target);
  if (options.accountId) document.set('accountId', options.accountId);
  // The emulator has no accounts: an account id there would only mislead.
  if (document.get('target') === 'local') document.delete('accountId');
  // The template's own header explains the template, not the environment made from it.
  document.contents.commentBefore = null;
  const first = document.contents.items[0]?.key;
  if (isNode(first)) first.commentBefore = null;
  document.commentBefore =
    ` Throw-away environment of pull request #${options.prNumber}, made from ${source}.\n` +
    ` The sweep (npm run env:sweep) destroys it after ${expiresAt}.`;

  const yaml = document.toString({ lineWidth: 100 });
  const config = parseEnvironment(document.toJS(), `${name} (from ${source})`);
  return { name, yaml, config };
}
