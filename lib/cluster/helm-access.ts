import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { Construct } from 'constructs';
import { ClusterAccess, ClusterCredentials, clusterCredentials } from './credentials';

export type { ClusterAccess } from './credentials';

export interface ClusterHelmProviderProps {
  readonly access: ClusterAccess;
  /** @default - the default helm provider */
  readonly alias?: string;
}

/** A helm provider configured only from another stack's outputs; no credential in state. */
export class ClusterHelmProvider extends Construct {
  readonly provider: HelmProvider;
  /** The provider's credentials, for scripts that wait on the same API server. */
  readonly credentials: ClusterCredentials;

  constructor(scope: Construct, id: string, props: ClusterHelmProviderProps) {
    super(scope, id);
    this.credentials = clusterCredentials(this, props.access);
    const { execEnv, ...credentials } = this.credentials;
    this.provider = new HelmProvider(this, 'helm', { alias: props.alias, kubernetes: credentials });
    if (execEnv) this.provider.addOverride('kubernetes.exec.env', execEnv);
  }
}
