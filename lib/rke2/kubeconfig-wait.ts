import { DataResource, ITerraformDependable } from 'cdktf';
import * as path from 'node:path';
import { Construct } from 'constructs';
import { requireWholeSeconds } from '../util/seconds';
import { shellQuote } from '../util/shell';

/** The script that polls Secrets Manager (no network path into the VPC needed). */
export const WAIT_FOR_SECRET_SCRIPT = path.resolve(
  __dirname,
  '..',
  '..',
  'scripts',
  'wait-for-secret.mjs',
);
export const DEFAULT_WAIT_INTERVAL_SECONDS = 10;

export interface WaitCommandOptions {
  readonly secretArn: string;
  readonly region: string;
  readonly timeoutSeconds: number;
  /** @default 10 */
  readonly intervalSeconds?: number;
  /**
   * AWS emulator base URL (target `local`).
   * @default - the real Secrets Manager endpoint of the region
   */
  readonly endpoint?: string;
  /** @default WAIT_FOR_SECRET_SCRIPT */
  readonly scriptPath?: string;
}

/** The command line of the bounded wait. Pure. */
export function waitForSecretCommand(options: WaitCommandOptions): string {
  const interval = options.intervalSeconds ?? DEFAULT_WAIT_INTERVAL_SECONDS;
  requireWholeSeconds('timeoutSeconds', options.timeoutSeconds);
  requireWholeSeconds('intervalSeconds', interval);
  if (options.endpoint !== undefined && !/^https?:\/\/\S+$/.test(options.endpoint)) {
    throw new Error(`endpoint must be an http(s) URL; got ${JSON.stringify(options.endpoint)}.`);
  }
  return [
    'node',
    shellQuote(options.scriptPath ?? WAIT_FOR_SECRET_SCRIPT),
    '--secret-id',
    shellQuote(options.secretArn),
    '--region',
    shellQuote(options.region),
    ...(options.endpoint ? ['--endpoint', shellQuote(options.endpoint)] : []),
    '--timeout',
    String(options.timeoutSeconds),
    '--interval',
    String(interval),
  ].join(' ');
}

export interface KubeconfigWaitProps extends WaitCommandOptions {
  /** What has to exist before waiting makes sense (the node groups). */
  readonly dependsOn: ITerraformDependable[];
  /**
   * Environment of the command, e.g. the emulator's fake credentials.
   * @default - Terraform's own environment
   */
  readonly environment?: Record<string, string>;
}

/**
 * A `terraform_data` whose creation runs the bounded wait for the kubeconfig the seed server
 * publishes: the apply of the management stack ends only once the cluster answers, so the rancher
 * stack (which reads the kubeconfig while planning) never races the nodes' boot. It runs once per
 * kubeconfig secret; a failed wait taints it, and the next apply waits again.
 */
export class KubeconfigWait extends Construct {
  readonly resource: DataResource;

  constructor(scope: Construct, id: string, props: KubeconfigWaitProps) {
    super(scope, id);
    this.resource = new DataResource(this, 'wait', {
      triggersReplace: { kubeconfig_secret_arn: props.secretArn },
      dependsOn: props.dependsOn,
      provisioners: [
        {
          type: 'local-exec',
          command: waitForSecretCommand(props),
          environment: props.environment,
        },
      ],
    });
  }
}
