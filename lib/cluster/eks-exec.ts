/**
 * The `exec` setting of the helm and kubernetes providers for EKS: client-go runs
 * scripts/eks-token.mjs whenever it needs a token and again when the token expires, so an apply
 * longer than one token's 15 minutes keeps working. Pure: no cdktf imports.
 */
import * as path from 'node:path';

/**
 * The command that prints the token. Absolute: Terraform runs the providers from the synthesized
 * stack's directory (cdktf.out/stacks/<stack>), not from the project, so the path is resolved
 * where the app is synthesized, which is also where Terraform runs it.
 */
export const EKS_TOKEN_SCRIPT = path.resolve(__dirname, '..', '..', 'scripts', 'eks-token.mjs');
/** The ExecCredential version the command answers with (scripts/eks-token.mjs). */
export const EKS_EXEC_API_VERSION = 'client.authentication.k8s.io/v1beta1';

/**
 * Credentials for the token command of a `local` (emulator) environment: there is no EKS cluster
 * to reach, and the command must never sign with the operator's real credentials. The empty
 * values clear a session token and a profile inherited from Terraform's environment (a set
 * AWS_PROFILE would take precedence over the key pair). These are not secrets.
 */
export const EMULATOR_TOKEN_ENVIRONMENT: Readonly<Record<string, string>> = {
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_SESSION_TOKEN: '',
  AWS_PROFILE: '',
};

/** An exec credential plugin as the providers configure it (camelCase, as cdktf names them). */
export interface ExecPlugin {
  readonly apiVersion: string;
  readonly command: string;
  readonly args: string[];
  readonly env?: Record<string, string>;
}

export interface EksTokenExecOptions {
  /** The EKS cluster's name; may be a cross-stack reference. */
  readonly clusterName: string;
  /** The cluster's region (the token is signed for its STS endpoint). */
  readonly region: string;
  /**
   * Environment of the command on top of Terraform's own.
   * @default - Terraform's environment only (the default AWS credential chain)
   */
  readonly environment?: Readonly<Record<string, string>>;
  /** @default EKS_TOKEN_SCRIPT */
  readonly scriptPath?: string;
}

/** The providers' `exec` setting that gets EKS tokens from scripts/eks-token.mjs. */
export function eksTokenExec(options: EksTokenExecOptions): ExecPlugin {
  return {
    apiVersion: EKS_EXEC_API_VERSION,
    // `node` from the PATH Terraform passes on: cdktf itself needs it there.
    command: 'node',
    args: [
      options.scriptPath ?? EKS_TOKEN_SCRIPT,
      '--cluster-name',
      options.clusterName,
      '--region',
      options.region,
    ],
    ...(options.environment ? { env: { ...options.environment } } : {}),
  };
}
