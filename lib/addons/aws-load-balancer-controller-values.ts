/**
 * Helm values of the AWS Load Balancer Controller chart, cut down to its one job here: keep the
 * pod IPs behind Traefik's Service registered in Terraform-owned NLB target groups through
 * `TargetGroupBinding`s. Everything that would let it create or change AWS resources (Service
 * NLBs, Ingress ALBs, Gateways, accelerators, certificates, shared security groups, WAF/Shield
 * associations) is off, which also matches its IAM role (register/deregister targets in the
 * given target groups only). Pure: no cdktf imports.
 */
import { deepMerge } from '../util/deep-merge';
import { loadBalancerControllerRegistryValues } from '../airgap/registry';

/**
 * Chart pin: 3.5.0 (controller v3.5.0), values in ../shared/reference/aws-load-balancer-controller.
 * The controller serves `elbv2.k8s.aws/v1beta1` TargetGroupBindings and admission webhooks of
 * `admissionregistration.k8s.io/v1`, and supports Kubernetes 1.22 and later.
 */
export const AWS_LOAD_BALANCER_CONTROLLER_CHART = {
  name: 'aws-load-balancer-controller',
  repository: 'https://aws.github.io/eks-charts',
  version: '3.5.0',
} as const;
export const AWS_LOAD_BALANCER_CONTROLLER_RELEASE_NAME = 'aws-load-balancer-controller';
export const AWS_LOAD_BALANCER_CONTROLLER_NAMESPACE = 'kube-system';
/** Must match the IRSA role's trust policy subject (lib/eks/load-balancer-controller-role.ts). */
export const AWS_LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT = 'aws-load-balancer-controller';

export const DEFAULT_AWS_LOAD_BALANCER_CONTROLLER_REPLICAS = 2;

/**
 * Controller feature gates (`--feature-gates`) that are turned off: every gated controller besides
 * TargetGroupBindings (the Ingress controller has no gate; the values below leave it nothing to
 * do). The off-by-default gates are set too, so that a new default cannot turn them on. The names
 * are the controller's own: an unknown one stops it from starting.
 */
export const AWS_LOAD_BALANCER_CONTROLLER_FEATURE_GATES = {
  /** Services of type LoadBalancer (NLBs). */
  EnableServiceController: false,
  /** Gateway API Gateways as NLBs and ALBs, and their listener sets. */
  NLBGatewayAPI: false,
  ALBGatewayAPI: false,
  GatewayListenerSet: false,
  /** Global Accelerator accelerators from custom resources. */
  GlobalAcceleratorController: false,
  /** ACM certificates requested for Ingresses. */
  EnableCertificateManagement: false,
  /** Sidecar injection into pods for ALB target control. */
  ALBTargetControlAgent: false,
} as const;

/**
 * The namespace label that makes the controller's pod webhook inject target-health readiness
 * gates (pods behind a TargetGroupBinding become Ready only once healthy in the target group).
 */
export const POD_READINESS_GATE_INJECT_LABEL = {
  'elbv2.k8s.aws/pod-readiness-gate-inject': 'enabled',
} as const;

export interface AwsLoadBalancerControllerValuesOptions {
  /** EKS cluster name (the controller refuses to start without it). */
  readonly clusterName: string;
  /** AWS region of the cluster; set so the controller needs no instance metadata. */
  readonly region: string;
  /** VPC of the cluster; set so the controller needs no instance metadata. */
  readonly vpcId: string;
  /** IAM role the controller assumes through IRSA. */
  readonly irsaRoleArn: string;
  /**
   * Controller replicas (leader election: one works, the other takes over).
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Registry host the chart's images come from (the environment's registry.systemDefault).
   * @default - the chart's own registry
   */
  readonly systemDefaultRegistry?: string;
  /**
   * Values merged last (deep merge: maps merge, lists and scalars replace).
   * @default - none
   */
  readonly extraValues?: Record<string, unknown>;
}

function requireText(field: string, value: string, example: string): void {
  if (value.trim() === '') throw new Error(`${field} must not be empty; expected e.g. ${example}.`);
}

export function awsLoadBalancerControllerChartValues(
  options: AwsLoadBalancerControllerValuesOptions,
): Record<string, unknown> {
  requireText('clusterName', options.clusterName, 'dev-management');
  requireText('region', options.region, 'eu-west-1');
  requireText('vpcId', options.vpcId, 'vpc-0123456789abcdef0');
  requireText('irsaRoleArn', options.irsaRoleArn, 'arn:aws:iam::123456789012:role/name');
  const replicas = options.replicas ?? DEFAULT_AWS_LOAD_BALANCER_CONTROLLER_REPLICAS;
  if (!Number.isInteger(replicas) || replicas < 1) {
    throw new Error(`replicas must be a whole number of at least 1; got ${replicas}.`);
  }
  const values: Record<string, unknown> = {
    clusterName: options.clusterName,
    region: options.region,
    vpcId: options.vpcId,
    replicaCount: replicas,
    serviceAccount: {
      create: true,
      name: AWS_LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT,
      annotations: { 'eks.amazonaws.com/role-arn': options.irsaRoleArn },
    },
    controllerConfig: { featureGates: { ...AWS_LOAD_BALANCER_CONTROLLER_FEATURE_GATES } },
    // No Service of type LoadBalancer becomes an NLB: no defaulting webhook on Services.
    enableServiceMutatorWebhook: false,
    // No Ingress becomes an ALB: no `alb` IngressClass or params, and the Ingress webhook refuses
    // the class and group annotations. The webhook fails open, so that a controller outage does
    // not block Rancher's or cert-manager's Ingresses (the IAM role could not create an ALB).
    createIngressClassResource: false,
    ingressClassParams: { create: false },
    disableIngressClassAnnotation: true,
    disableIngressGroupNameAnnotation: true,
    webhookConfig: { ingressValdationFailurePolicy: 'Ignore' },
    // Nothing to attach or create in AWS besides target registrations.
    enableShield: false,
    enableWaf: false,
    enableWafv2: false,
    enableBackendSecurityGroup: false,
    enableManageBackendSecurityGroupRules: false,
    // Traefik's pods get a readiness gate per binding in namespaces labelled for it, so a
    // rollout waits for the NLB to see the new pods healthy. A controller outage must not stop
    // pods from starting: the webhook fails open.
    enablePodReadinessGateInject: true,
    podMutatorWebhookConfig: { failurePolicy: 'Ignore' },
    enableEndpointSlices: true,
    resources: { requests: { cpu: '50m', memory: '96Mi' }, limits: { memory: '384Mi' } },
  };
  const registry = options.systemDefaultRegistry
    ? loadBalancerControllerRegistryValues(options.systemDefaultRegistry)
    : {};
  return deepMerge(values, registry, options.extraValues ?? {});
}
