import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { Construct } from 'constructs';
import { ClusterAccess, clusterCredentials } from './credentials';

export type { ClusterAccess } from './credentials';

export interface ClusterHelmProviderProps {
  readonly access: ClusterAccess;
  /** @default - the default helm provider */
  readonly alias?: string;
}

/** A helm provider configured only from another stack's outputs, with ephemeral credentials. */
export class ClusterHelmProvider extends Construct {
  readonly provider: HelmProvider;

  constructor(scope: Construct, id: string, props: ClusterHelmProviderProps) {
    super(scope, id);
    this.provider = new HelmProvider(this, 'helm', {
      alias: props.alias,
      kubernetes: clusterCredentials(this, props.access),
    });
  }
}
