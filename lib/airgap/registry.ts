/**
 * The private registry that system images come from, and the image settings of each chart that
 * point at it. Pure: no cdktf imports.
 *
 * Facts this rests on (chart values at the pinned versions, test/fixtures/charts):
 * - Rancher v2.15.0: `systemDefaultRegistry` prefixes Rancher's own image (_helpers.tpl) and is
 *   passed to Rancher as CATTLE_SYSTEM_DEFAULT_REGISTRY, which prefixes what Rancher deploys
 *   (webhook, Fleet, cluster agents).
 * - rancher-backup v11.0.1: `global.cattle.systemDefaultRegistry` prefixes both of its images.
 * - cert-manager v1.21.1: `imageRegistry` (default quay.io) + `imageNamespace` (jetstack) +
 *   the image name make every component's image.
 * - Traefik chart 41.3.0: `image.registry` (default docker.io) + `image.repository` (traefik).
 * - AWS Load Balancer Controller chart 3.5.0: only `image.repository`
 *   (public.ecr.aws/eks/aws-load-balancer-controller), so the registry replaces its host part.
 * - RKE2 v1.36: `system-default-registry` prefixes RKE2's own system images (bundled Traefik
 *   included); credentials go in /etc/rancher/rke2/registries.yaml under configs.<host>.auth.
 */

/** A registry host with an optional port: no scheme, no path (`registry.example.com:5000`). */
export const REGISTRY_HOST_PATTERN =
  /^(?=.{1,253}(:|$))[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*(:\d{1,5})?$/;

/** The Load Balancer Controller's repository below its upstream host (public.ecr.aws). */
export const LOAD_BALANCER_CONTROLLER_IMAGE_PATH = 'eks/aws-load-balancer-controller';

/** Why `host` is not a registry host, or undefined when it is. */
export function registryHostProblem(host: string): string | undefined {
  if (/^[a-z]+:\/\//i.test(host)) return 'must be a host without a scheme (no https://)';
  if (host.includes('/')) return 'must be a host with an optional port, without a path';
  if (!REGISTRY_HOST_PATTERN.test(host)) {
    return 'must be a lower-case DNS name with an optional port, such as registry.example.com:5000';
  }
  return undefined;
}

function checkedHost(host: string): string {
  const problem = registryHostProblem(host);
  if (problem) throw new Error(`systemDefaultRegistry ${problem}; got "${host}".`);
  return host;
}

/** Rancher chart values that send it and what it deploys to the registry. */
export function rancherRegistryValues(host: string): Record<string, unknown> {
  return { systemDefaultRegistry: checkedHost(host) };
}

/** rancher-backup chart values for the registry. */
export function rancherBackupRegistryValues(host: string): Record<string, unknown> {
  return { global: { cattle: { systemDefaultRegistry: checkedHost(host) } } };
}

/** cert-manager chart values: `<host>/jetstack/cert-manager-*`. */
export function certManagerRegistryValues(host: string): Record<string, unknown> {
  return { imageRegistry: checkedHost(host) };
}

/** Traefik chart values: `<host>/traefik:<tag>`. */
export function traefikRegistryValues(host: string): Record<string, unknown> {
  return { image: { registry: checkedHost(host) } };
}

/** Load Balancer Controller chart values: `<host>/eks/aws-load-balancer-controller:<tag>`. */
export function loadBalancerControllerRegistryValues(host: string): Record<string, unknown> {
  return { image: { repository: `${checkedHost(host)}/${LOAD_BALANCER_CONTROLLER_IMAGE_PATH}` } };
}
