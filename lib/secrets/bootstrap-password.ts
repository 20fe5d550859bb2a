import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import { Construct } from 'constructs';
import { EphemeralResource } from '../terraform/ephemeral';

export const DEFAULT_PASSWORD_LENGTH = 32;

export interface GeneratedSecretProps {
  /** Secret name, e.g. `<env>/rancher/bootstrap-password`. */
  readonly name: string;
  readonly description: string;
  /** @default 32 */
  readonly length?: number;
  /**
   * Days Secrets Manager keeps a deleted secret. 0 deletes at once, so a throw-away environment
   * leaves nothing and can be recreated under the same name.
   * @default 7
   */
  readonly recoveryWindowDays?: number;
  /** Customer-managed KMS key. @default - the account's aws/secretsmanager key */
  readonly kmsKeyId?: string;
  /** Bump to make AWS generate and store a new value on the next apply. @default 1 */
  readonly rotationGeneration?: number;
}

/**
 * A secret whose value AWS generates (Secrets Manager GetRandomPassword) and Terraform never
 * stores: the value comes from an ephemeral resource and is written through the write-only
 * `secret_string_wo`. It stays stable across plans because only `secret_string_wo_version`
 * decides when it is written again.
 */
export class GeneratedSecret extends Construct {
  readonly secret: SecretsmanagerSecret;
  readonly version: SecretsmanagerSecretVersion;

  constructor(scope: Construct, id: string, props: GeneratedSecretProps) {
    super(scope, id);
    this.secret = new SecretsmanagerSecret(this, 'secret', {
      name: props.name,
      description: props.description,
      recoveryWindowInDays: props.recoveryWindowDays ?? 7,
      kmsKeyId: props.kmsKeyId,
    });
    const random = new EphemeralResource(this, 'random', {
      type: 'aws_secretsmanager_random_password',
      config: {
        password_length: props.length ?? DEFAULT_PASSWORD_LENGTH,
        // Quotes, backslashes and the like trip shell and YAML users of the value.
        exclude_punctuation: true,
        require_each_included_type: true,
      },
    });
    this.version = new SecretsmanagerSecretVersion(this, 'value', {
      secretId: this.secret.id,
      secretStringWo: random.get('random_password'),
      secretStringWoVersion: props.rotationGeneration ?? 1,
    });
  }
}
