import * as path from 'node:path';
import { LocalBackend, S3Backend, TerraformStack } from 'cdktf';
import type { S3BackendConfig } from 'cdktf';
import { DEFAULT_EMULATOR_ENDPOINT } from '../aws/provider';
import type { EnvironmentConfig } from '../config/schema';
import { resourceName, stackName } from '../naming/names';

/** Suffix of the default state bucket name. */
const STATE_BUCKET_SUFFIX = 'tfstate';

/** The emulator accepts any key pair; these are not secrets. */
const EMULATOR_ACCESS_KEY = 'testing';
const EMULATOR_SECRET_KEY = 'testing';

export interface StateBackendOptions {
  /**
   * Base URL of the AWS emulator, used when `config.target` is `local`.
   * @default http://127.0.0.1:5000
   */
  readonly emulatorEndpoint?: string;
  /**
   * Directory of local state files (`terraform.<stack>.tfstate`), for `state.backend: local` and
   * for the bootstrap stack. Terraform resolves relative paths from the stack directory, which a
   * fresh synth may replace, so the path written is always absolute.
   * @default process.cwd() (where cdktf keeps local state by default)
   */
  readonly localStateDir?: string;
}

/** Name of the bootstrap stack that owns the state bucket: `<env>-bootstrap`. */
export function bootstrapStackName(config: Pick<EnvironmentConfig, 'name'>): string {
  return stackName(config.name, 'bootstrap');
}

/**
 * The state bucket: `state.bucket` when given, else `<env>-tfstate` on the emulator and
 * `<env>-tfstate-<accountId>` on AWS (bucket names are global, so the account id keeps two
 * accounts' environments of the same name apart). A backend block cannot use values known only at
 * apply time, so on AWS the account id must be in the environment file.
 */
export function stateBucketName(
  config: Pick<EnvironmentConfig, 'name' | 'target' | 'accountId' | 'state'>,
): string {
  if (config.state.bucket) return resourceName(config.state.bucket, '', 's3Bucket');
  if (config.target === 'local') return resourceName(config.name, STATE_BUCKET_SUFFIX, 's3Bucket');
  if (!config.accountId) {
    throw new Error(
      `state.bucket or accountId is required when state.backend is s3 on target aws: the default ` +
        `state bucket is "${config.name}-${STATE_BUCKET_SUFFIX}-<accountId>" and S3 bucket names ` +
        `are global.`,
    );
  }
  return resourceName(config.name, `${STATE_BUCKET_SUFFIX}-${config.accountId}`, 's3Bucket');
}

/** Key prefix of the environment's state objects: `state.keyPrefix`, else the environment name. */
export function stateKeyPrefix(config: Pick<EnvironmentConfig, 'name' | 'state'>): string {
  return (config.state.keyPrefix ?? config.name).replace(/^\/+|\/+$/g, '');
}

/** The object key of one stack's state: `<keyPrefix>/<stack>.tfstate`. */
export function stateKey(config: Pick<EnvironmentConfig, 'name' | 'state'>, stack: string): string {
  return `${stateKeyPrefix(config)}/${stack}.tfstate`;
}

/** Region of the state bucket: `state.region`, else the environment's region. */
export function stateRegion(config: Pick<EnvironmentConfig, 'region' | 'state'>): string {
  return config.state.region ?? config.region;
}

/** Absolute path of a stack's local state file. */
export function localStatePath(stack: string, localStateDir?: string): string {
  return path.resolve(localStateDir ?? process.cwd(), `terraform.${stack}.tfstate`);
}

/**
 * Settings of the S3 backend for one stack. Pure: tested without a synth. Locking is Terraform's
 * own lock file next to the state (`use_lockfile`, Terraform >= 1.10), which cdktf 0.21 has no
 * property for, so it is added as an override by `configureStateBackend`.
 */
export function s3BackendConfig(
  config: EnvironmentConfig,
  stack: string,
  options: Pick<StateBackendOptions, 'emulatorEndpoint'> = {},
): S3BackendConfig {
  const common: S3BackendConfig = {
    bucket: stateBucketName(config),
    key: stateKey(config, stack),
    region: stateRegion(config),
    encrypt: true,
  };
  if (config.target === 'aws') {
    return config.accountId ? { ...common, allowedAccountIds: [config.accountId] } : common;
  }
  const endpoint = options.emulatorEndpoint ?? DEFAULT_EMULATOR_ENDPOINT;
  return {
    ...common,
    accessKey: EMULATOR_ACCESS_KEY,
    secretKey: EMULATOR_SECRET_KEY,
    endpoints: { s3: endpoint, sts: endpoint, iam: endpoint },
    usePathStyle: true,
    skipCredentialsValidation: true,
    skipRegionValidation: true,
    skipMetadataApiCheck: true,
    skipRequestingAccountId: true,
  };
}

/**
 * Gives `stack` the environment's state backend: a local file `terraform.<stack>.tfstate`, or the
 * environment's S3 bucket with key `<keyPrefix>/<stack>.tfstate`, encryption and native locking.
 * Call once per stack, right after creating it.
 */
export function configureStateBackend(
  stack: TerraformStack,
  config: EnvironmentConfig,
  options: StateBackendOptions = {},
): LocalBackend | S3Backend {
  const name = stack.node.id;
  if (config.state.backend === 'local') {
    return new LocalBackend(stack, { path: localStatePath(name, options.localStateDir) });
  }
  const backend = new S3Backend(stack, s3BackendConfig(config, name, options));
  backend.addOverride('use_lockfile', true);
  return backend;
}
