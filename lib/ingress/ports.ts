/**
 * Where the ingress controller listens, as targets of the Terraform-owned load balancer.
 * EKS: Traefik's container ports (pod IPs registered by a TargetGroupBinding).
 * RKE2: the bundled Traefik's host ports on every node (instances registered by their ASG).
 */
export const EKS_INGRESS_TARGET_PORTS = { http: 8000, https: 8443 } as const;
export const RKE2_INGRESS_TARGET_PORTS = { http: 80, https: 443 } as const;
