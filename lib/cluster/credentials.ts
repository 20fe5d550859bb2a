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

/** The connection arguments the helm and kubernetes providers share (camelCase, as cdktf names them). */
export interface ClusterCredentials {
  readonly host: string;
  readonly clusterCaCertificate: string;
  readonly token?: string;
  readonly clientCertificate?: string;
  readonly clientKey?: string;
}

/**
 * Connection arguments for a provider block, read through ephemeral resources (Terraform >= 1.10):
 * no token or client key is written to state, and the machine that deploys needs no `aws` CLI or
 * kubeconfig file.
 */
export function clusterCredentials(scope: Construct, access: ClusterAccess): ClusterCredentials {
  if (access.kind === 'eks') {
    const auth = new EphemeralResource(scope, 'auth', {
      type: 'aws_eks_cluster_auth',
      config: { name: access.clusterName },
    });
    return {
      host: access.endpoint,
      clusterCaCertificate: Fn.base64decode(access.certificateAuthorityData),
      token: auth.get('token'),
    };
  }
  const kubeconfig = new EphemeralResource(scope, 'kubeconfig', {
    type: 'aws_secretsmanager_secret_version',
    config: { secret_id: access.secretArn },
  });
  const doc = `yamldecode(${kubeconfig.reference('secret_string')})`;
  return {
    host: `\${${doc}.clusters[0].cluster.server}`,
    clusterCaCertificate: `\${base64decode(${doc}.clusters[0].cluster["certificate-authority-data"])}`,
    clientCertificate: `\${base64decode(${doc}.users[0].user["client-certificate-data"])}`,
    clientKey: `\${base64decode(${doc}.users[0].user["client-key-data"])}`,
  };
}
