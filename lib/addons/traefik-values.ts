/**
 * Helm values of the Traefik chart (pinned 41.3.0) for EKS, where Traefik is the ingress
 * controller behind a Terraform-owned network load balancer. Pure: no cdktf imports.
 *
 * The NLB's target groups are `ip` targets on Traefik's container ports; a TargetGroupBinding
 * registers the pods behind Traefik's Service. So the Service is ClusterIP (set through
 * `service.spec.type`: Traefik 41 ignores a plain `service.type`), and nothing in the cluster
 * asks AWS for a load balancer.
 */
import { TRAEFIK_CHART } from '../versions';
import { EKS_INGRESS_TARGET_PORTS } from '../ingress/ports';
import { deepMerge } from '../util/deep-merge';

export { TRAEFIK_CHART };
export const TRAEFIK_RELEASE_NAME = 'traefik';
export const TRAEFIK_NAMESPACE = 'traefik';
export const TRAEFIK_INGRESS_CLASS = 'traefik';

/** Container ports of the `web` and `websecure` entrypoints: the NLB target group ports. */
export const TRAEFIK_CONTAINER_PORTS = {
  web: EKS_INGRESS_TARGET_PORTS.http,
  websecure: EKS_INGRESS_TARGET_PORTS.https,
} as const;

/**
 * Traefik's Service, which TargetGroupBindings reference (`serviceRef.name` / `serviceRef.port`);
 * the controller resolves the Service port to the pod IPs and container ports above.
 */
export const TRAEFIK_SERVICE = {
  name: 'traefik',
  namespace: TRAEFIK_NAMESPACE,
  ports: { web: 80, websecure: 443 },
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
   * Values merged last (deep merge: maps merge, lists and scalars replace).
   * @default - none
   */
  readonly extraValues?: Record<string, unknown>;
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
  return options.extraValues ? deepMerge(values, options.extraValues) : values;
}
