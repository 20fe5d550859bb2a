import { App, LocalBackend, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { EnvironmentAwsProvider } from '../lib/aws/provider';
import type { EnvironmentConfig } from '../lib/config/schema';
import {
  bootstrapStackName,
  localStatePath,
  stateBucketName,
  stateRegion,
} from '../lib/state/backend';
import { StateBucket } from '../lib/state/state-bucket';

export interface BootstrapStackOptions {
  /**
   * Emulator base URL for the `local` target.
   * @default http://127.0.0.1:5000
   */
  readonly emulatorEndpoint?: string;
  /**
   * Directory of the bootstrap stack's own (always local) state file.
   * @default process.cwd()
   */
  readonly localStateDir?: string;
}

export interface BootstrapStackProps extends BootstrapStackOptions {
  readonly config: EnvironmentConfig;
}

/**
 * `<env>-bootstrap`: the S3 bucket every other stack of the environment keeps its state in. Its
 * own state is local: it cannot live in the bucket it creates.
 */
export class BootstrapStack extends TerraformStack {
  readonly stateBucket: StateBucket;

  constructor(scope: Construct, id: string, props: BootstrapStackProps) {
    super(scope, id);
    const { config } = props;
    new LocalBackend(this, { path: localStatePath(id, props.localStateDir) });
    new EnvironmentAwsProvider(this, 'aws', {
      config,
      emulatorEndpoint: props.emulatorEndpoint,
      region: stateRegion(config),
    });
    this.stateBucket = new StateBucket(this, 'state', {
      bucketName: stateBucketName(config),
      // Throw-away environments leave nothing behind; others keep their state history.
      forceDestroy: Boolean(config.expiresAt) && !config.protected,
      preventDestroy: config.protected,
    });
    new TerraformOutput(this, 'state_bucket', { value: this.stateBucket.bucket.bucket });
    new TerraformOutput(this, 'state_bucket_arn', { value: this.stateBucket.bucket.arn });
  }
}

/**
 * Adds `<env>-bootstrap` to `app` when the environment keeps its state in S3; returns undefined
 * for local state, which needs no bucket. Deploy it before every other stack of the environment.
 */
export function buildBootstrapStack(
  app: App,
  config: EnvironmentConfig,
  options: BootstrapStackOptions = {},
): BootstrapStack | undefined {
  if (config.state.backend !== 's3') return undefined;
  return new BootstrapStack(app, bootstrapStackName(config), { config, ...options });
}
