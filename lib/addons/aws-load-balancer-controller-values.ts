/**
 * Helm values of the AWS Load Balancer Controller chart, cut down to its one job here: keep the
 * pod IPs behind Traefik's Service registered in Terraform-owned NLB target groups through
 * `TargetGroupBinding`s. Everything that would let it create or change AWS resources (Service
 * load balancers, Ingress ALBs, shared security groups, WAF/Shield associations) is off, which
 * also matches its IAM role (register/deregister targets only). Pure: no cdktf imports.
 */
import { deepMerge } from '../util/deep-merge';

/**
 * Chart pin. 1.6.1 (controller v2.6.1) is the newest chart whose values file the project's
 * offline source index holds; newer releases exist upstream. The values set below are long-lived
 * chart keys; re-check them against the newer chart's values before moving the pin.
 */
export const AWS_LOAD_BALANCER_CONTROLLER_CHART = {
  name: 'aws-load-balancer-controller',
  repository: 'https://aws.github.io/eks-charts',
  version: '1.6.1',
} as const;
export const AWS_LOAD_BALANCER_CONTROLLER_RELEASE_NAME = 'aws-load-balancer-controller';
export const AWS_LOAD_BALANCER_CONTROLLER_NAMESPACE = 'kube-system';
/** Must match the IRSA role's trust policy subject (lib/eks/load-balancer-controller-role.ts). */
export const AWS_LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT = 'aws-load-balancer-controller';

export const DEFAULT_AWS_LOAD_BALANCER_CONTROLLER_REPLICAS = 2;

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
    // No Service of type LoadBalancer becomes an NLB: no defaulting webhook, no Service reconciler.
    enableServiceMutatorWebhook: false,
    controllerConfig: { featureGates: { EnableServiceController: false } },
    // No Ingress becomes an ALB: no `alb` IngressClass or params, legacy class annotation ignored.
    createIngressClassResource: false,
    ingressClassParams: { create: false },
    disableIngressClassAnnotation: true,
    // Nothing to attach or create in AWS besides target registrations.
    enableShield: false,
    enableWaf: false,
    enableWafv2: false,
    enableBackendSecurityGroup: false,
    enableEndpointSlices: true,
    resources: { requests: { cpu: '50m', memory: '96Mi' }, limits: { memory: '384Mi' } },
  };
  return options.extraValues ? deepMerge(values, options.extraValues) : values;
}
