import { Release, ReleaseSetWo } from '@cdktf/provider-helm/lib/release';
import {
  AssetType,
  DataResource,
  ITerraformDependable,
  TerraformAsset,
  TerraformProvider,
} from 'cdktf';
import { Construct } from 'constructs';
import { stringify } from 'yaml';

export const DEFAULT_RELEASE_TIMEOUT_SECONDS = 600;
export const DEFAULT_MAX_HISTORY = 5;
/**
 * Folder name of an install-once release's chart asset instead of the content hash: a later plan
 * loads the chart from the path in state (every argument is ignored), so that path must survive a
 * change of the chart's files.
 */
export const INSTALL_ONCE_ASSET_FOLDER = 'install-once';

/** Where a chart comes from: a repository, or a chart directory shipped with the stacks. */
export type ChartSource =
  | { readonly repository: string; readonly name: string; readonly version: string }
  | { readonly localPath: string };

/** A release without its cluster (aws-cdk-lib's HelmChartOptions). */
export interface ChartReleaseOptions {
  readonly releaseName: string;
  readonly namespace: string;
  readonly source: ChartSource;
  /** @default true */
  readonly createNamespace?: boolean;
  /** Rendered to one YAML document; values may hold tokens (resolved by Terraform). */
  readonly values?: Record<string, unknown>;
  /**
   * Values that must never reach state or plans (helm `set_wo`, written only when
   * `writeOnlyRevision` changes); the value is usually an ephemeral reference.
   */
  readonly writeOnlyValues?: { readonly name: string; readonly value: string }[];
  /** Bump to push changed write-only values. @default 1 */
  readonly writeOnlyRevision?: number;
  /**
   * Terraform installs the release once and never upgrades it: `lifecycle.ignore_changes = all`,
   * so no plan ever sends Helm an upgrade (whose write-only values would be empty unless the
   * revision grew). Another controller owns the objects from then on. Changing the number
   * replaces the release: `helm uninstall`, then a fresh install with the current write-only
   * values.
   * @default - Terraform upgrades the release whenever its arguments change
   */
  readonly installOnce?: { readonly reinstallRevision: number };
  /** @default 600 */
  readonly timeoutSeconds?: number;
  readonly dependsOn?: ITerraformDependable[];
}

/** A release on one cluster (aws-cdk-lib's HelmChartProps): options plus the helm provider. */
export interface ChartReleaseProps extends ChartReleaseOptions {
  readonly provider: TerraformProvider;
}

/**
 * One Helm release with the settings a real cluster wants: wait for readiness, roll back a failed
 * install or upgrade (atomic), clean up on failure, bounded history. No sleeps: ordering comes from
 * `dependsOn` and readiness from `wait`.
 */
export class ChartRelease extends Construct {
  readonly release: Release;

  constructor(scope: Construct, id: string, props: ChartReleaseProps) {
    super(scope, id);
    const source = props.source;
    let chart: { chart: string; repository?: string; version?: string };
    if ('localPath' in source) {
      const asset = new TerraformAsset(this, 'chart', {
        path: source.localPath,
        type: AssetType.DIRECTORY,
        assetHash: props.installOnce ? INSTALL_ONCE_ASSET_FOLDER : undefined,
      });
      chart = { chart: asset.path };
    } else {
      chart = { chart: source.name, repository: source.repository, version: source.version };
    }
    const writeOnly: ReleaseSetWo[] = (props.writeOnlyValues ?? []).map((v) => ({
      name: v.name,
      value: v.value,
      type: 'string',
    }));
    const installOnce = props.installOnce;
    if (
      installOnce &&
      (!Number.isInteger(installOnce.reinstallRevision) || installOnce.reinstallRevision < 1)
    ) {
      throw new Error(
        `installOnce.reinstallRevision of release ${props.releaseName} must be a whole number >= 1; got ${installOnce.reinstallRevision}.`,
      );
    }
    if (installOnce && props.writeOnlyRevision !== undefined) {
      throw new Error(
        `writeOnlyRevision of release ${props.releaseName} has no effect with installOnce (an install always sends the write-only values); raise installOnce.reinstallRevision instead.`,
      );
    }
    // Any change of its input replaces the release (replace_triggered_by).
    const reinstall = installOnce
      ? new DataResource(this, 'reinstall', { input: { revision: installOnce.reinstallRevision } })
      : undefined;
    this.release = new Release(this, 'release', {
      provider: props.provider,
      name: props.releaseName,
      namespace: props.namespace,
      createNamespace: props.createNamespace ?? true,
      ...chart,
      values: props.values
        ? [stringify(props.values, { sortMapEntries: true, aliasDuplicateObjects: false })]
        : undefined,
      setWo: writeOnly.length > 0 ? writeOnly : undefined,
      // An install always sends the write-only values; install-once never upgrades.
      setWoRevision:
        writeOnly.length > 0 ? (installOnce ? 1 : (props.writeOnlyRevision ?? 1)) : undefined,
      wait: true,
      atomic: true,
      cleanupOnFail: true,
      maxHistory: DEFAULT_MAX_HISTORY,
      timeout: props.timeoutSeconds ?? DEFAULT_RELEASE_TIMEOUT_SECONDS,
      dependsOn: props.dependsOn,
      lifecycle: reinstall ? { ignoreChanges: 'all', replaceTriggeredBy: [reinstall] } : undefined,
    });
  }
}
