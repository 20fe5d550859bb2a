/**
 * Helm values of the Traefik chart (pinned 41.3.0) for EKS, where Traefik is the ingress
 * controller behind a Terraform-owned network load balancer. Pure: no cdktf imports.
 *
 * The NLB's target groups are `ip` targets on Traefik's container ports; a TargetGroupBinding
 * registers the pods behind Traefik's Service. So the Service is ClusterIP (set through
 * `service.spec.type`: Traefik 41 ignores a plain `service.type`), and nothing in the cluster
 * asks AWS for a load balancer.
 *
 * TLS ended at the load balancer (TLS mode `acm`) needs its own entrypoint, `tls-offload`: the
 * NLB's TLS listener forwards plain HTTP and, being layer 4, adds no `X-Forwarded-Proto`, so on
 * `web` Traefik would tell Rancher `http` (or `ws`) and Rancher would redirect every request to
 * https, forever. A Middleware on that entrypoint sets the header to `https` (see
 * `tlsOffloadEntrypointValues`). The RKE2 path reuses it for the bundled Traefik.
 */
import { TRAEFIK_CHART } from '../versions';
import { EKS_INGRESS_TARGET_PORTS } from '../ingress/ports';
import type { UntypedKubernetesObject } from '../k8s/types';
import { deepMerge } from '../util/deep-merge';
import { traefikRegistryValues } from '../airgap/registry';

export { TRAEFIK_CHART };
export const TRAEFIK_RELEASE_NAME = 'traefik';
export const TRAEFIK_NAMESPACE = 'traefik';
export const TRAEFIK_INGRESS_CLASS = 'traefik';

/** Entrypoint behind the load balancer's TLS listener: plain HTTP in, `https` to the backend. */
export const TLS_OFFLOAD_ENTRYPOINT = 'tls-offload';
/** The Middleware (in Traefik's namespace) that sets the forwarded headers on that entrypoint. */
export const TLS_OFFLOAD_MIDDLEWARE = 'tls-offload-forwarded-https';

/** Container ports of the entrypoints: the NLB target group ports. */
export const TRAEFIK_CONTAINER_PORTS = {
  web: EKS_INGRESS_TARGET_PORTS.http,
  websecure: EKS_INGRESS_TARGET_PORTS.https,
  [TLS_OFFLOAD_ENTRYPOINT]: EKS_INGRESS_TARGET_PORTS.tlsOffload,
} as const;

/**
 * Traefik's Service, which TargetGroupBindings reference (`serviceRef.name` / `serviceRef.port`);
 * the controller resolves the Service port to the pod IPs and container ports above.
 */
export const TRAEFIK_SERVICE = {
  name: 'traefik',
  namespace: TRAEFIK_NAMESPACE,
  ports: { web: 80, websecure: 443, [TLS_OFFLOAD_ENTRYPOINT]: EKS_INGRESS_TARGET_PORTS.tlsOffload },
} as const;

/** Labels on every Traefik pod (fixed through nameOverride/instanceLabelOverride below). */
export const TRAEFIK_POD_LABELS = {
  'app.kubernetes.io/name': 'traefik',
  'app.kubernetes.io/instance': 'traefik',
} as const;

export const DEFAULT_TRAEFIK_REPLICAS = 2;

export interface TraefikValuesOptions {
  /**
   * Traefik replicas. Two or more keep ingress up through node drains (a PodDisruptionBudget
   * allows one pod down at a time).
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Make `traefik` the cluster's default IngressClass. Off because every Ingress the project
   * creates names its class, and a default class silently claims other teams' class-less Ingresses.
   * @default false
   */
  readonly defaultIngressClass?: boolean;
  /**
   * DNS name of the load balancer in front (e.g. the Rancher hostname), reported in Ingress status
   * instead of the ClusterIP.
   * @default - Ingress status shows the Service address
   */
  readonly publishedHostname?: string;
  /**
   * Add the `tls-offload` entrypoint for a load balancer that ends TLS (TLS mode `acm`).
   * @default false
   */
  readonly tlsOffload?: boolean;
  /**
   * Registry host the chart's images come from (the environment's registry.systemDefault).
   * @default - the chart's own registry
   */
  readonly systemDefaultRegistry?: string;
  /**
   * Values merged last (deep merge: maps merge, lists and scalars replace; `extraObjects` are
   * appended to the ones these values create).
   * @default - none
   */
  readonly extraValues?: Record<string, unknown>;
}

export interface TlsOffloadEntrypointOptions {
  /** Namespace of the Traefik release, where the Middleware is created. */
  readonly namespace: string;
  /** Container port of the entrypoint. */
  readonly port: number;
  /**
   * Port on Traefik's Service (EKS: what a TargetGroupBinding's `serviceRef.port` names).
   * @default - the entrypoint is not on the Service
   */
  readonly servicePort?: number;
  /**
   * Port on every node (RKE2: the load balancer's instance targets).
   * @default - no host port
   */
  readonly hostPort?: number;
}

/**
 * Traefik chart values (`ports`, `extraObjects`) of the `tls-offload` entrypoint: plain HTTP from
 * the load balancer's TLS listener, with an entrypoint Middleware that sets `X-Forwarded-Proto:
 * https` and `X-Forwarded-Port: 443` after Traefik's own forwarded-headers handling (which sets
 * `http`/`ws` for a plain connection and drops caller-sent X-Forwarded-* headers from untrusted
 * addresses; no trusted IPs are configured, so a client cannot forge them). No TLS on the
 * entrypoint. Only the load balancer may reach the port (security group rules).
 */
export function tlsOffloadEntrypointValues(options: TlsOffloadEntrypointOptions): {
  ports: Record<string, Record<string, unknown>>;
  extraObjects: UntypedKubernetesObject[];
} {
  for (const [field, value] of Object.entries({
    port: options.port,
    servicePort: options.servicePort,
    hostPort: options.hostPort,
  })) {
    if (value !== undefined && (!Number.isInteger(value) || value < 1 || value > 65535)) {
      throw new Error(`${field} must be a TCP port from 1 to 65535; got ${value}.`);
    }
  }
  if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(options.namespace)) {
    throw new Error(
      `namespace must be a Kubernetes namespace name (lower-case letters, digits and "-"); got "${options.namespace}".`,
    );
  }
  const middleware: UntypedKubernetesObject = {
    apiVersion: 'traefik.io/v1alpha1',
    kind: 'Middleware',
    metadata: { name: TLS_OFFLOAD_MIDDLEWARE, namespace: options.namespace },
    spec: {
      headers: {
        customRequestHeaders: { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Port': '443' },
      },
    },
  };
  const entrypoint: Record<string, unknown> = {
    port: options.port,
    protocol: 'TCP',
    expose: { default: options.servicePort !== undefined },
    ...(options.servicePort !== undefined ? { exposedPort: options.servicePort } : {}),
    ...(options.hostPort !== undefined ? { hostPort: options.hostPort } : {}),
    // The Kubernetes CRD provider names a Middleware `<namespace>-<name>`.
    http: { middlewares: [`${options.namespace}-${TLS_OFFLOAD_MIDDLEWARE}@kubernetescrd`] },
  };
  return { ports: { [TLS_OFFLOAD_ENTRYPOINT]: entrypoint }, extraObjects: [middleware] };
}

function spread(topologyKey: string) {
  return {
    maxSkew: 1,
    topologyKey,
    // ScheduleAnyway: a zone or node short of capacity must not keep ingress pods pending.
    whenUnsatisfiable: 'ScheduleAnyway',
    labelSelector: { matchLabels: { ...TRAEFIK_POD_LABELS } },
  };
}

export function traefikChartValues(options: TraefikValuesOptions = {}): Record<string, unknown> {
  const replicas = options.replicas ?? DEFAULT_TRAEFIK_REPLICAS;
  if (!Number.isInteger(replicas) || replicas < 1) {
    throw new Error(`replicas must be a whole number of at least 1; got ${replicas}.`);
  }
  if (options.publishedHostname !== undefined && options.publishedHostname.trim() === '') {
    throw new Error(
      'publishedHostname must not be empty; leave it out to report the Service address.',
    );
  }
  const values: Record<string, unknown> = {
    fullnameOverride: TRAEFIK_SERVICE.name,
    nameOverride: TRAEFIK_POD_LABELS['app.kubernetes.io/name'],
    instanceLabelOverride: TRAEFIK_POD_LABELS['app.kubernetes.io/instance'],
    deployment: { replicas },
    podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
    ingressClass: {
      enabled: true,
      name: TRAEFIK_INGRESS_CLASS,
      isDefaultClass: options.defaultIngressClass ?? false,
    },
    service: { spec: { type: 'ClusterIP' } },
    ports: {
      web: { port: TRAEFIK_CONTAINER_PORTS.web, exposedPort: TRAEFIK_SERVICE.ports.web },
      websecure: {
        port: TRAEFIK_CONTAINER_PORTS.websecure,
        exposedPort: TRAEFIK_SERVICE.ports.websecure,
      },
    },
    topologySpreadConstraints: [
      spread('topology.kubernetes.io/zone'),
      spread('kubernetes.io/hostname'),
    ],
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } },
    ...(options.publishedHostname
      ? {
          providers: {
            kubernetesIngress: {
              publishedService: { enabled: false },
              ingressEndpoint: { hostname: options.publishedHostname },
            },
          },
        }
      : {}),
  };
  const offload = options.tlsOffload
    ? tlsOffloadEntrypointValues({
        namespace: TRAEFIK_NAMESPACE,
        port: TRAEFIK_CONTAINER_PORTS[TLS_OFFLOAD_ENTRYPOINT],
        servicePort: TRAEFIK_SERVICE.ports[TLS_OFFLOAD_ENTRYPOINT],
      })
    : { ports: {}, extraObjects: [] };
  const registry = options.systemDefaultRegistry
    ? traefikRegistryValues(options.systemDefaultRegistry)
    : {};
  const merged = deepMerge(values, { ports: offload.ports }, registry, options.extraValues ?? {});
  // Lists replace in a deep merge: keep the Middleware when extra values bring objects too.
  const extra: unknown = options.extraValues?.extraObjects ?? [];
  if (!Array.isArray(extra)) {
    throw new Error(`extraValues.extraObjects must be a list of objects; got ${typeof extra}.`);
  }
  const extraObjects = [...offload.extraObjects, ...(extra as unknown[])];
  if (extraObjects.length > 0) merged.extraObjects = extraObjects;
  return merged;
}
