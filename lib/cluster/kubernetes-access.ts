import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { EphemeralResource } from '../terraform/ephemeral';
import type { ClusterAccess } from './helm-access';

export interface ClusterKubernetesProviderProps {
  readonly access: ClusterAccess;
  /** @default - the default kubernetes provider */
  readonly alias?: string;
}

/**
 * A kubernetes provider configured only from another stack's outputs, the sibling of
 * `ClusterHelmProvider`: credentials come from ephemeral resources, so no token or client key
 * reaches this stack's state and no kubeconfig file is needed where Terraform runs.
 */
export class ClusterKubernetesProvider extends Construct {
  readonly provider: KubernetesProvider;

  constructor(scope: Construct, id: string, props: ClusterKubernetesProviderProps) {
    super(scope, id);
    const access = props.access;
    if (access.kind === 'eks') {
      const auth = new EphemeralResource(this, 'auth', {
        type: 'aws_eks_cluster_auth',
        config: { name: access.clusterName },
      });
      this.provider = new KubernetesProvider(this, 'kubernetes', {
        alias: props.alias,
        host: access.endpoint,
        clusterCaCertificate: Fn.base64decode(access.certificateAuthorityData),
        token: auth.get('token'),
      });
    } else {
      const kubeconfig = new EphemeralResource(this, 'kubeconfig', {
        type: 'aws_secretsmanager_secret_version',
        config: { secret_id: access.secretArn },
      });
      const doc = `yamldecode(${kubeconfig.reference('secret_string')})`;
      this.provider = new KubernetesProvider(this, 'kubernetes', {
        alias: props.alias,
        host: `\${${doc}.clusters[0].cluster.server}`,
        clusterCaCertificate: `\${base64decode(${doc}.clusters[0].cluster["certificate-authority-data"])}`,
        clientCertificate: `\${base64decode(${doc}.users[0].user["client-certificate-data"])}`,
        clientKey: `\${base64decode(${doc}.users[0].user["client-key-data"])}`,
      });
    }
  }
}
