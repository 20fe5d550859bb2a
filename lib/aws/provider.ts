import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import { standardTags } from '../naming/tags';
import type { EnvironmentConfig } from '../config/schema';

/** Services the stacks call; each is pointed at the emulator for the `local` target. */
export const EMULATED_SERVICES = [
  'acm',
  'autoscaling',
  'cloudwatchlogs',
  'codebuild',
  'ec2',
  'eks',
  'elbv2',
  'iam',
  'kms',
  'route53',
  's3',
  'secretsmanager',
  'ssm',
  'sts',
] as const;

export const DEFAULT_EMULATOR_ENDPOINT = 'http://127.0.0.1:5000';

export interface EnvironmentAwsProviderProps {
  readonly config: EnvironmentConfig;
  /**
   * Base URL of the AWS emulator, used when `config.target` is `local`.
   * @default http://127.0.0.1:5000
   */
  readonly emulatorEndpoint?: string;
  /** @default config.region */
  readonly region?: string;
  /** Provider alias, for a second region. @default - the default provider */
  readonly alias?: string;
}

/**
 * The AWS provider of one environment: default tags on every resource, the account pinned when
 * the config names one, and for `local` every endpoint at the emulator with fake credentials.
 */
export class EnvironmentAwsProvider extends AwsProvider {
  constructor(scope: Construct, id: string, props: EnvironmentAwsProviderProps) {
    const { config } = props;
    const tags = standardTags({
      environment: config.name,
      owner: config.owner,
      expiresAt: config.expiresAt,
      protected: config.protected,
      extra: config.tags,
    });
    const common = {
      region: props.region ?? config.region,
      alias: props.alias,
      defaultTags: [{ tags }],
    };
    if (config.target === 'local') {
      const endpoint = props.emulatorEndpoint ?? DEFAULT_EMULATOR_ENDPOINT;
      super(scope, id, {
        ...common,
        // The emulator accepts any key pair; these are not secrets.
        accessKey: 'testing',
        secretKey: 'testing',
        skipCredentialsValidation: true,
        skipMetadataApiCheck: 'true',
        s3UsePathStyle: true,
        endpoints: [Object.fromEntries(EMULATED_SERVICES.map((service) => [service, endpoint]))],
      });
    } else {
      super(scope, id, {
        ...common,
        allowedAccountIds: config.accountId ? [config.accountId] : undefined,
      });
    }
  }
}
