import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { EphemeralResource } from '../terraform/ephemeral';

/** How a stack reaches a cluster's Kubernetes API. */
export type ClusterAccess =
  /** EKS: endpoint and CA from the cluster stack, a short-lived token from the AWS API. */
  | {
      readonly kind: 'eks';
      readonly clusterName: string;
      readonly endpoint: string;
      readonly certificateAuthorityData: string;
    }
  /** RKE2: the kubeconfig the first server published to Secrets Manager. */
  | { readonly kind: 'kubeconfigSecret'; readonly secretArn: string };

export interface ClusterHelmProviderProps {
  readonly access: ClusterAccess;
  /** @default - the default helm provider */
  readonly alias?: string;
}

/**
 * A helm provider configured only from another stack's outputs. Credentials come from ephemeral
 * resources (Terraform >= 1.10), so no token or client key is written to this stack's state, and
 * no `aws` CLI or kubeconfig file is needed on the machine that deploys.
 */
export class ClusterHelmProvider extends Construct {
  readonly provider: HelmProvider;

  constructor(scope: Construct, id: string, props: ClusterHelmProviderProps) {
    super(scope, id);
    const access = props.access;
    if (access.kind === 'eks') {
      const auth = new EphemeralResource(this, 'auth', {
        type: 'aws_eks_cluster_auth',
        config: { name: access.clusterName },
      });
      this.provider = new HelmProvider(this, 'helm', {
        alias: props.alias,
        kubernetes: {
          host: access.endpoint,
          clusterCaCertificate: Fn.base64decode(access.certificateAuthorityData),
          token: auth.get('token'),
        },
      });
    } else {
      const kubeconfig = new EphemeralResource(this, 'kubeconfig', {
        type: 'aws_secretsmanager_secret_version',
        config: { secret_id: access.secretArn },
      });
      const doc = `yamldecode(${kubeconfig.reference('secret_string')})`;
      this.provider = new HelmProvider(this, 'helm', {
        alias: props.alias,
        kubernetes: {
          host: `\${${doc}.clusters[0].cluster.server}`,
          clusterCaCertificate: `\${base64decode(${doc}.clusters[0].cluster["certificate-authority-data"])}`,
          clientCertificate: `\${base64decode(${doc}.users[0].user["client-certificate-data"])}`,
          clientKey: `\${base64decode(${doc}.users[0].user["client-key-data"])}`,
        },
      });
    }
  }
}
