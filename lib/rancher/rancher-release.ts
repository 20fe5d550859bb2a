import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { RANCHER_CHART_REPOSITORY } from '../versions';
import { ChartRelease, ChartReleaseOptions } from '../helm/chart-release';
import { EphemeralResource } from '../terraform/ephemeral';
import {
  RANCHER_BOOTSTRAP_PASSWORD_VALUE,
  RANCHER_NAMESPACE,
  RANCHER_RELEASE_NAME,
  rancherChartValues,
  RancherValuesOptions,
} from './values';

/** Rancher needs the most time of all releases on first install (CRDs, webhooks, 3 replicas). */
export const RANCHER_RELEASE_TIMEOUT_SECONDS = 1200;

export interface RancherReleaseProps extends RancherValuesOptions {
  readonly provider: TerraformProvider;
  /** Chart version = Rancher version, e.g. 2.15.0. */
  readonly version: string;
  /** Secrets Manager secret holding the bootstrap admin password. */
  readonly bootstrapPasswordSecretArn: string;
  readonly dependsOn?: ChartReleaseOptions['dependsOn'];
}

/**
 * Rancher in `cattle-system` as release `rancher`. The bootstrap password is read from Secrets
 * Manager by an ephemeral resource and passed as a write-only value: it is in no plan, state or
 * values file.
 */
export class RancherRelease extends ChartRelease {
  constructor(scope: Construct, id: string, props: RancherReleaseProps) {
    const password = new EphemeralResource(scope, `${id}-bootstrap-password`, {
      type: 'aws_secretsmanager_secret_version',
      config: { secret_id: props.bootstrapPasswordSecretArn },
    });
    super(scope, id, {
      provider: props.provider,
      dependsOn: props.dependsOn,
      releaseName: RANCHER_RELEASE_NAME,
      namespace: RANCHER_NAMESPACE,
      source: { repository: RANCHER_CHART_REPOSITORY, name: 'rancher', version: props.version },
      values: rancherChartValues(props),
      writeOnlyValues: [
        { name: RANCHER_BOOTSTRAP_PASSWORD_VALUE, value: password.get('secret_string') },
      ],
      timeoutSeconds: RANCHER_RELEASE_TIMEOUT_SECONDS,
    });
  }
}
