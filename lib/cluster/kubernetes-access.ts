import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { Construct } from 'constructs';
import { ClusterAccess, clusterCredentials } from './credentials';

export interface ClusterKubernetesProviderProps {
  readonly access: ClusterAccess;
  /** @default - the default kubernetes provider */
  readonly alias?: string;
}

/** A kubernetes provider configured only from another stack's outputs, with ephemeral credentials. */
export class ClusterKubernetesProvider extends Construct {
  readonly provider: KubernetesProvider;

  constructor(scope: Construct, id: string, props: ClusterKubernetesProviderProps) {
    super(scope, id);
    this.provider = new KubernetesProvider(this, 'kubernetes', {
      alias: props.alias,
      ...clusterCredentials(this, props.access),
    });
  }
}
