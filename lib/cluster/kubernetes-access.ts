import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { Construct } from 'constructs';
import { ClusterAccess, clusterCredentials } from './credentials';

export interface ClusterKubernetesProviderProps {
  readonly access: ClusterAccess;
  /** @default - the default kubernetes provider */
  readonly alias?: string;
}

/** A kubernetes provider configured only from another stack's outputs; no credential in state. */
export class ClusterKubernetesProvider extends Construct {
  readonly provider: KubernetesProvider;

  constructor(scope: Construct, id: string, props: ClusterKubernetesProviderProps) {
    super(scope, id);
    const { exec, execEnv, ...credentials } = clusterCredentials(this, props.access);
    this.provider = new KubernetesProvider(this, 'kubernetes', {
      alias: props.alias,
      ...credentials,
      // A block in this provider's schema (a one-element list), an attribute in helm's.
      exec: exec ? [exec] : undefined,
    });
    if (execEnv) this.provider.addOverride('exec.0.env', execEnv);
  }
}
