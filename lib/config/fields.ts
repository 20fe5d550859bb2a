/**
 * Field schemas that more than one section uses, and the one way a cross-field rule reports a
 * problem. A field that only one section has belongs in that section's module.
 */
import { z } from 'zod';
import { type DerivedName, derivedNamesProblem } from '../naming/environment-names';
import { isCidr } from '../network/cidr-plan';

export const cidr = z
  .string()
  .refine(isCidr, { message: 'expected an IPv4 CIDR such as 10.0.0.0/16' });

/** A Secrets Manager secret ARN (the TLS certificate, the registry credentials). */
export const SECRETS_MANAGER_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/;

/** The environment's region and the state bucket's. */
export const awsRegion = z
  .string()
  .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, { message: 'expected an AWS region such as us-east-1' });

/** Where a problem is, as zod reports it: `['downstream', 0, 'name']`. */
export type FieldPath = readonly (string | number)[];

/** Reports a cross-field problem at `path`; `input` is the value found there (undefined: missing). */
export function reportProblem(
  ctx: z.RefinementCtx,
  path: FieldPath,
  message: string,
  input: unknown,
): void {
  ctx.addIssue({ code: 'custom', path: [...path], message, input });
}

/**
 * Reports at `path` (the field they come from) the first AWS name in `names` that AWS would
 * refuse. Returns whether there was one.
 */
export function checkDerivedNames(
  ctx: z.RefinementCtx,
  path: FieldPath,
  names: readonly DerivedName[],
  value: string,
): boolean {
  const problem = derivedNamesProblem(names);
  if (problem) reportProblem(ctx, path, problem, value);
  return problem !== undefined;
}
