import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { Construct } from 'constructs';
import { ClusterAccess, ClusterCredentials, clusterCredentials } from './credentials';

export interface ClusterKubernetesProviderProps {
  readonly access: ClusterAccess;
  /** @default - the default kubernetes provider */
  readonly alias?: string;
}

/** A kubernetes provider configured only from another stack's outputs; no credential in state. */
export class ClusterKubernetesProvider extends Construct {
  readonly provider: KubernetesProvider;
  /** The provider's connection arguments, for a local-exec that talks to the same API. */
  readonly credentials: ClusterCredentials;

  constructor(scope: Construct, id: string, props: ClusterKubernetesProviderProps) {
    super(scope, id);
    this.credentials = clusterCredentials(this, props.access);
    const { exec, execEnv, ...connection } = this.credentials;
    this.provider = new KubernetesProvider(this, 'kubernetes', {
      alias: props.alias,
      ...connection,
      // A block in this provider's schema (a one-element list), an attribute in helm's.
      exec: exec ? [exec] : undefined,
    });
    if (execEnv) this.provider.addOverride('exec.0.env', execEnv);
  }
}
