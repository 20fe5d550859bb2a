import { Fn, TerraformLocal, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';

export interface EphemeralResourceProps {
  /** Terraform type, e.g. `aws_secretsmanager_secret_version`. */
  readonly type: string;
  /** Arguments with Terraform (snake_case) names; values may be tokens. */
  readonly config: Record<string, unknown>;
}

/**
 * A Terraform ephemeral resource (Terraform >= 1.10): its values exist only during a run and are
 * never written to state or plan files. cdktf 0.21 has no class for ephemeral blocks, so the block
 * is added to the stack's JSON directly; `get` returns a reference usable in provider
 * configuration and write-only arguments (the only places Terraform accepts ephemeral values).
 */
export class EphemeralResource extends Construct {
  readonly type: string;
  readonly name: string;

  constructor(scope: Construct, id: string, props: EphemeralResourceProps) {
    super(scope, id);
    this.type = props.type;
    this.name = this.node.path
      .split('/')
      .slice(1)
      .join('_')
      .replace(/[^A-Za-z0-9_-]/g, '_');
    // Arguments pass through a local: cdktf turns references to other stacks into remote-state
    // lookups only while resolving real constructs, not raw overrides.
    const input = new TerraformLocal(this, 'input', props.config);
    const config = Object.fromEntries(
      Object.keys(props.config).map((key) => [key, Fn.lookup(input.expression, key)]),
    );
    TerraformStack.of(this).addOverride(`ephemeral.${props.type}.${this.name}`, config);
  }

  /** A reference to one attribute, e.g. `token`. */
  get(attribute: string): string {
    return `\${${this.reference(attribute)}}`;
  }

  /** The bare reference, for use inside a larger expression (`jsondecode(...)`). */
  reference(attribute: string): string {
    return `ephemeral.${this.type}.${this.name}.${attribute}`;
  }
}
