/**
 * The clusters of an environment whose Kubernetes version its file sets, and where
 * `upgrade:check` reads what each runs now (lib/upgrades/version-step.ts checks the steps).
 */
import { managementRke2 } from '../config/management';
import type { EnvironmentConfig } from '../config/schema';
import { resourceName, rke2NodePoolLaunchTemplateName } from '../naming/names';
import type { ClusterVersionTarget } from '../upgrades/version-step';
import { DEFAULT_RKE2_VERSION } from '../versions';

/** The management cluster and every downstream cluster the environment creates. */
export function clusterVersionTargets(config: EnvironmentConfig): ClusterVersionTarget[] {
  const managementName = resourceName(config.name, 'management', 'eksCluster');
  const targets: ClusterVersionTarget[] = [];
  if (config.management.distribution === 'rke2') {
    targets.push({
      field: 'management.rke2.version',
      desired: managementRke2(config.management).version,
      // Every pool's template carries the release; the seed pool always exists.
      source: {
        kind: 'rke2',
        launchTemplateName: rke2NodePoolLaunchTemplateName(managementName, 'seed'),
      },
    });
  } else {
    targets.push({
      field: 'management.kubernetesVersion',
      desired: config.management.kubernetesVersion,
      source: { kind: 'eks', clusterName: managementName },
    });
  }
  config.downstream.forEach((entry, index) => {
    // `<env>-<name>`: the EKS cluster name and the RKE2 name prefix (stacks/downstream-plan.ts).
    const clusterName = resourceName(config.name, entry.name, 'eksCluster');
    targets.push(
      entry.distribution === 'rke2'
        ? {
            field: `downstream.${index}.rke2.version`,
            desired: entry.rke2?.version ?? DEFAULT_RKE2_VERSION,
            source: {
              kind: 'rke2',
              launchTemplateName: rke2NodePoolLaunchTemplateName(clusterName, 'seed'),
            },
          }
        : {
            field: `downstream.${index}.kubernetesVersion`,
            desired: entry.kubernetesVersion,
            source: { kind: 'eks', clusterName },
          },
    );
  });
  return targets;
}
