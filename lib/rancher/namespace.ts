/**
 * Where the project's own manifest releases keep their Helm records, and Rancher's namespace as
 * an object of a release of its own. Pure: no cdktf imports.
 *
 * Rancher chart 2.15.0's post-delete hook runs `helm uninstall` on every release listed in
 * `cattle-fleet-system`, `cattle-system` and `rancher-operator-system`, and Helm runs that hook
 * when an atomic first install of Rancher fails. A project release recorded in `cattle-system`
 * (the certificate objects) would vanish from the cluster while Terraform still holds it. So
 * their records live in `rancher-aws-releases`; their objects still go to `cattle-system` (each
 * object names its namespace). That namespace must exist before them, and has one owner: the
 * `rancher-namespace` release, which keeps it on uninstall (deleting it would delete Rancher).
 */
import type { Namespace } from '../k8s/types';
import { RANCHER_NAMESPACE } from './values';

/** Namespace of the Helm records of the project's manifest releases on the management cluster. */
export const PROJECT_RELEASES_NAMESPACE = 'rancher-aws-releases';
/** The release that owns Rancher's namespace. */
export const RANCHER_NAMESPACE_RELEASE_NAME = 'rancher-namespace';

/** `cattle-system`, kept when its release is uninstalled. */
export function rancherNamespaceObject(): Namespace {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: RANCHER_NAMESPACE,
      // Helm leaves a resource with this policy in place on uninstall and upgrade.
      annotations: { 'helm.sh/resource-policy': 'keep' },
    },
  };
}
