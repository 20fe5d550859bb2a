/**
 * The environment file's schema: the top-level fields (name, target, region, account, owner,
 * tags, expiry) and the sections, each defined with its cross-field rules in its own module:
 *
 * - network.ts     `network:` and a downstream cluster's `network:` block
 * - management.ts  `management:` (EKS, RKE2)
 * - dns.ts         `ingress:` and `dns:`
 * - tls.ts         `rancher.tls:`
 * - rancher.ts     `rancher:`
 * - downstream.ts  `downstream:`
 * - state.ts       `state:`
 * - deployer.ts    `deployer:` (the in-VPC deployer; no cross-field rules)
 * - backup.ts      `backup:`
 * - airgap.ts      `registry:` and `proxy:`
 *
 * A new rule goes in the check function of the section it guards; a new section adds its check
 * to CROSS_FIELD_CHECKS below, and so does a rule across the top-level fields defined here.
 */
import { z } from 'zod';
import { checkAirGap, proxySchema, registrySchema } from './airgap';
import { backupSchema, checkBackup } from './backup';
import { deployerSchema } from './deployer';
import { checkDns, dnsSchema, ingressSchema } from './dns';
import { checkDownstream, downstreamSchema } from './downstream';
import { managementNames } from '../naming/environment-names';
import { maxExtraTags, STANDARD_TAG_PREFIX, standardTags, tagTextProblem } from '../naming/tags';
import { awsRegion, checkDerivedNames, reportProblem } from './fields';
import { checkManagement, checkUnusedRke2Block, managementSchema } from './management';
import { checkNetwork, networkSchema } from './network';
import { checkRancher, rancherSchema } from './rancher';
import { checkState, stateSchema } from './state';
import { checkTls } from './tls';

export type { ProxyConfig, RegistryConfig } from './airgap';
export { backupSettings, type BackupSettings } from './backup';
export { createdZoneName } from './dns';
export { DOWNSTREAM_NAME_PATTERN, type DownstreamConfig } from './downstream';
export type { EksConfig, Rke2Config } from './management';
export type { NetworkConfig } from './network';
export type { TlsConfig } from './tls';

/** Environment names become prefixes of AWS names (NLB and target group names allow 32 chars). */
export const ENVIRONMENT_NAME_PATTERN = /^[a-z][a-z0-9-]{0,18}[a-z0-9]$/;

/** Text that becomes a tag value on every resource (`owner`, the `tags:` values). */
const tagValue = z.string().superRefine((value, ctx) => {
  const problem = tagTextProblem(value, 'value');
  if (problem) ctx.addIssue({ code: 'custom', message: problem, input: value });
});

const tagMap = z.record(z.string(), tagValue).superRefine((tags, ctx) => {
  for (const key of Object.keys(tags)) {
    const problem = key.startsWith(STANDARD_TAG_PREFIX)
      ? `starts with ${STANDARD_TAG_PREFIX} (reserved for the standard tags, which would overwrite it)`
      : tagTextProblem(key, 'key');
    if (problem)
      ctx.addIssue({ code: 'custom', path: [key], message: `key ${problem}`, input: key });
  }
});

const environmentObject = z
  .object({
    /** Environment name: prefix of every resource name and the `environment` tag. */
    name: z.string().regex(ENVIRONMENT_NAME_PATTERN, {
      message:
        'expected 2-20 characters: lower-case letters, digits and dashes, starting with a letter',
    }),
    /** `aws`: a real account (default credential chain). `local`: the AWS emulator on loopback. */
    target: z.enum(['aws', 'local']).default('aws'),
    region: awsRegion.default('us-east-1'),
    /** AWS account the stacks may touch (guards against the wrong credentials). */
    accountId: z
      .string()
      .regex(/^\d{12}$/, { message: 'expected a 12-digit AWS account id' })
      .optional(),
    owner: tagValue.pipe(z.string().min(1).max(128)),
    /** Refuse teardown; enable deletion protection where AWS offers it. @default false */
    protected: z.boolean().default(false),
    /** Throw-away environments: when the sweep may destroy it (ISO 8601). */
    expiresAt: z.iso
      .datetime({
        offset: true,
        message: 'expected an ISO 8601 date-time such as 2026-12-31T00:00:00Z',
      })
      .optional(),
    tags: tagMap.default({}),
    network: networkSchema.default(networkSchema.parse({})),
    management: managementSchema.default(managementSchema.parse({})),
    ingress: ingressSchema.default(ingressSchema.parse({})),
    dns: dnsSchema,
    rancher: rancherSchema.default(rancherSchema.parse({})),
    downstream: z.array(downstreamSchema).max(50).default([]),
    state: stateSchema.default(stateSchema.parse({})),
    deployer: deployerSchema.default(deployerSchema.parse({})),
    backup: backupSchema.default(backupSchema.parse({})),
    /** The private registry system images come from. @default - public registries */
    registry: registrySchema.optional(),
    /** The HTTP proxy the clusters go out through. @default - no proxy (NAT gateway) */
    proxy: proxySchema.optional(),
  })
  .strict();

/** An environment with its defaults applied, as the cross-field rules and the stacks read it. */
export type EnvironmentConfig = z.output<typeof environmentObject>;

/**
 * The rules that need more than one field, run once every field is valid. A report lists their
 * problems in this order.
 */
const CROSS_FIELD_CHECKS: readonly ((env: EnvironmentConfig, ctx: z.RefinementCtx) => void)[] = [
  checkEnvironmentName,
  checkTagCount,
  checkNetwork,
  checkManagement,
  checkDns,
  checkTls,
  checkRancher,
  checkDownstream,
  checkState,
  checkBackup,
  checkAirGap,
  checkUnusedRke2Block,
];

/**
 * The AWS names made from `name` (management stack, state bucket, deployer) must be names AWS
 * accepts; a name that breaks its own rule is reported once, by that rule.
 */
function checkEnvironmentName(env: EnvironmentConfig, ctx: z.RefinementCtx): void {
  if (!ENVIRONMENT_NAME_PATTERN.test(env.name)) return;
  checkDerivedNames(ctx, ['name'], managementNames(env), env.name);
}

/** Extra tags, the standard ones and a resource's own stay within AWS's 50 tags per resource. */
function checkTagCount(env: EnvironmentConfig, ctx: z.RefinementCtx): void {
  const standard = Object.keys(
    standardTags({
      environment: env.name,
      owner: env.owner,
      expiresAt: env.expiresAt,
      protected: env.protected,
    }),
  ).length;
  const allowed = maxExtraTags(standard);
  const count = Object.keys(env.tags).length;
  if (count > allowed) {
    reportProblem(
      ctx,
      ['tags'],
      `lists ${count} tags; at most ${allowed} fit beside the ${standard} standard tags and the ones resources carry of their own (AWS allows 50 per resource)`,
      undefined,
    );
  }
}

export const environmentSchema = environmentObject.superRefine((env, ctx) => {
  for (const check of CROSS_FIELD_CHECKS) check(env, ctx);
});

export type EnvironmentInput = z.input<typeof environmentSchema>;
