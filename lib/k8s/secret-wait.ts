import * as path from 'node:path';
import { DataResource, Fn, ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { ClusterCredentials } from '../cluster/credentials';
import { requireWholeSeconds } from '../util/seconds';
import { shellQuote } from '../util/shell';

/** The script that polls the Kubernetes API for a Secret's key. */
export const WAIT_FOR_KUBERNETES_SECRET_SCRIPT = path.resolve(
  __dirname,
  '..',
  '..',
  'scripts',
  'wait-for-kubernetes-secret.mjs',
);
export const DEFAULT_SECRET_WAIT_TIMEOUT_SECONDS = 300;
export const DEFAULT_SECRET_WAIT_INTERVAL_SECONDS = 5;

export interface KubernetesSecretWaitOptions {
  /** Namespace of the Secret; may be a Terraform reference. */
  readonly namespace: string;
  readonly name: string;
  /** The key that must hold a non-empty value. */
  readonly key: string;
  /** @default 300 */
  readonly timeoutSeconds?: number;
  /** @default 5 */
  readonly intervalSeconds?: number;
  /** @default WAIT_FOR_KUBERNETES_SECRET_SCRIPT */
  readonly scriptPath?: string;
}

/** The command line of the bounded wait; the credentials travel in its environment. Pure. */
export function waitForKubernetesSecretCommand(options: KubernetesSecretWaitOptions): string {
  const timeout = options.timeoutSeconds ?? DEFAULT_SECRET_WAIT_TIMEOUT_SECONDS;
  const interval = options.intervalSeconds ?? DEFAULT_SECRET_WAIT_INTERVAL_SECONDS;
  requireWholeSeconds('timeoutSeconds', timeout);
  requireWholeSeconds('intervalSeconds', interval);
  return [
    'node',
    shellQuote(options.scriptPath ?? WAIT_FOR_KUBERNETES_SECRET_SCRIPT),
    '--namespace',
    shellQuote(options.namespace),
    '--name',
    shellQuote(options.name),
    '--key',
    shellQuote(options.key),
    '--timeout',
    String(timeout),
    '--interval',
    String(interval),
  ].join(' ');
}

/**
 * The environment the script reads its API server and credentials from: the provider's own. An
 * RKE2 client key is an ephemeral reference, which Terraform (>= 1.10) accepts in a provisioner,
 * writes to neither plan nor state, and whose presence suppresses the provisioner's live output.
 * An EKS cluster gives a token command instead (the providers' `exec`): the script runs it, with
 * its environment, for a fresh token.
 */
export function kubernetesCredentialEnvironment(
  credentials: ClusterCredentials,
): Record<string, string> {
  const { exec, execEnv } = credentials;
  return {
    ...execEnv,
    KUBE_HOST: credentials.host,
    KUBE_CA_CERT: credentials.clusterCaCertificate,
    ...(exec ? { KUBE_EXEC_COMMAND: exec.command, KUBE_EXEC_ARGS: Fn.jsonencode(exec.args) } : {}),
    ...(credentials.clientCertificate ? { KUBE_CLIENT_CERT: credentials.clientCertificate } : {}),
    ...(credentials.clientKey ? { KUBE_CLIENT_KEY: credentials.clientKey } : {}),
  };
}

export interface KubernetesApiWaitProps {
  /** The command line of the bounded wait (a script of this project). */
  readonly command: string;
  /** A change of any of these waits again (the resource is replaced). */
  readonly triggers: Readonly<Record<string, string>>;
  /** How the script reaches the API server (the providers' own credentials). */
  readonly credentials: ClusterCredentials;
  /** What has to exist before waiting makes sense. */
  readonly dependsOn: ITerraformDependable[];
}

/**
 * A `terraform_data` whose creation runs a bounded wait on the Kubernetes API, with the
 * credentials in the command's environment. A failed wait taints it and the next apply waits
 * again.
 */
export class KubernetesApiWait extends Construct {
  readonly resource: DataResource;

  constructor(scope: Construct, id: string, props: KubernetesApiWaitProps) {
    super(scope, id);
    this.resource = new DataResource(this, 'wait', {
      triggersReplace: props.triggers,
      dependsOn: props.dependsOn,
      provisioners: [
        {
          type: 'local-exec',
          command: props.command,
          environment: kubernetesCredentialEnvironment(props.credentials),
        },
      ],
    });
  }
}

export interface KubernetesSecretWaitProps extends KubernetesSecretWaitOptions {
  /** How the script reaches the API server (the kubernetes provider's own credentials). */
  readonly credentials: ClusterCredentials;
  /** What has to exist before waiting makes sense. */
  readonly dependsOn: ITerraformDependable[];
}

/**
 * The bounded wait for one key of a Secret that a controller in the cluster writes. It waits again
 * whenever the namespace changes. Read the Secret with a data source that depends on it.
 */
export class KubernetesSecretWait extends KubernetesApiWait {
  constructor(scope: Construct, id: string, props: KubernetesSecretWaitProps) {
    super(scope, id, {
      command: waitForKubernetesSecretCommand(props),
      triggers: { namespace: props.namespace, name: props.name, key: props.key },
      credentials: props.credentials,
      dependsOn: props.dependsOn,
    });
  }
}
