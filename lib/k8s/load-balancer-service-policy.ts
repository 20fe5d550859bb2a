/**
 * An admission policy that refuses Services of type LoadBalancer. On EKS the cloud controller
 * manager that runs with the control plane answers such a Service with a load balancer and
 * security group rules of its own, outside Terraform, whatever the subnet tags say; RKE2 clusters
 * get the same policy so that adding a cloud provider later cannot change that. A
 * ValidatingAdmissionPolicy (admissionregistration.k8s.io/v1, GA in Kubernetes 1.30) runs in the
 * API server itself: no webhook that could be down. Pure: no cdktf imports.
 */
import type { ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding } from './types';

export const LOAD_BALANCER_SERVICE_POLICY_NAME = 'rancher-aws-no-load-balancer-services';

/** Kubernetes namespace names (RFC 1123 labels). */
const NAMESPACE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export interface LoadBalancerServicePolicyOptions {
  /**
   * Namespaces where Services of type LoadBalancer are still allowed. In them the cluster may
   * create load balancers that Terraform does not own (and that can keep `destroy` from deleting
   * the VPC).
   * @default - none
   */
  readonly allowedNamespaces?: readonly string[];
}

/** The policy and its binding, for the manifests chart. */
export function loadBalancerServicePolicyObjects(
  options: LoadBalancerServicePolicyOptions = {},
): [ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding] {
  const allowed = [...new Set(options.allowedNamespaces ?? [])].sort();
  for (const namespace of allowed) {
    if (namespace.length > 63 || !NAMESPACE_NAME.test(namespace)) {
      throw new Error(
        `allowedNamespaces must hold Kubernetes namespace names (up to 63 lower-case letters, digits and "-", starting and ending with a letter or digit); got "${namespace}".`,
      );
    }
  }
  const policy: ValidatingAdmissionPolicy = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name: LOAD_BALANCER_SERVICE_POLICY_NAME },
    spec: {
      failurePolicy: 'Fail',
      matchConstraints: {
        // `services` alone: status updates (services/status) stay possible.
        resourceRules: [
          {
            apiGroups: [''],
            apiVersions: ['v1'],
            operations: ['CREATE', 'UPDATE'],
            resources: ['services'],
          },
        ],
      },
      validations: [
        {
          expression: "!has(object.spec.type) || object.spec.type != 'LoadBalancer'",
          message:
            'Services of type LoadBalancer are not allowed: every AWS load balancer of this cluster is created by Terraform. Use a ClusterIP Service behind the ingress controller.',
          reason: 'Forbidden',
        },
      ],
    },
  };
  const binding: ValidatingAdmissionPolicyBinding = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: { name: LOAD_BALANCER_SERVICE_POLICY_NAME },
    spec: {
      policyName: LOAD_BALANCER_SERVICE_POLICY_NAME,
      validationActions: ['Deny'],
      ...(allowed.length > 0
        ? {
            matchResources: {
              namespaceSelector: {
                matchExpressions: [
                  { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: allowed },
                ],
              },
            },
          }
        : {}),
    },
  };
  return [policy, binding];
}
