import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { EphemeralResource } from '../terraform/ephemeral';
import { ExecPlugin, eksTokenExec } from './eks-exec';

/** How a stack reaches a cluster's Kubernetes API. */
export type ClusterAccess =
  /** EKS: endpoint and CA from the cluster stack, tokens from scripts/eks-token.mjs. */
  | {
      readonly kind: 'eks';
      readonly clusterName: string;
      /** The cluster's region: tokens are signed for its STS endpoint. */
      readonly region: string;
      readonly endpoint: string;
      readonly certificateAuthorityData: string;
      /**
       * Environment of the token command, e.g. the emulator's fake credentials.
       * @default - Terraform's environment (the default AWS credential chain)
       */
      readonly tokenEnvironment?: Readonly<Record<string, string>>;
    }
  /** RKE2: the kubeconfig the first server published to Secrets Manager. */
  | { readonly kind: 'kubeconfigSecret'; readonly secretArn: string };

/** The connection arguments the helm and kubernetes providers share (camelCase, as cdktf names them). */
export interface ClusterCredentials {
  readonly host: string;
  readonly clusterCaCertificate: string;
  /** EKS: a token command run whenever a client needs a token (a token lasts 15 minutes). */
  readonly exec?: Omit<ExecPlugin, 'env'>;
  /**
   * Environment of `exec`, for the caller to set with `addOverride`: cdktf would turn variable
   * names such as AWS_PROFILE into snake_case keys.
   */
  readonly execEnv?: Readonly<Record<string, string>>;
  readonly clientCertificate?: string;
  readonly clientKey?: string;
}

/**
 * Connection arguments for a provider block. Nothing secret is written to state: EKS tokens come
 * from a command the providers run themselves (fresh ones for as long as an apply lasts), the RKE2
 * kubeconfig through an ephemeral resource (Terraform >= 1.10) read anew on every run. The machine
 * that deploys needs no `aws` CLI or kubeconfig file.
 */
export function clusterCredentials(scope: Construct, access: ClusterAccess): ClusterCredentials {
  if (access.kind === 'eks') {
    const { env, ...exec } = eksTokenExec({
      clusterName: access.clusterName,
      region: access.region,
      environment: access.tokenEnvironment,
    });
    return {
      host: access.endpoint,
      clusterCaCertificate: Fn.base64decode(access.certificateAuthorityData),
      exec,
      execEnv: env,
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
