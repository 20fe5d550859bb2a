/**
 * Where the ingress controller listens, as targets of the Terraform-owned load balancer.
 * EKS: Traefik's container ports (pod IPs registered by a TargetGroupBinding).
 * RKE2: the bundled Traefik's host ports on every node (instances registered by their ASG).
 *
 * `tlsOffload` is the plain-HTTP entrypoint behind the load balancer's TLS listener (TLS mode
 * `acm`): it exists only in that mode and tells Rancher the client used HTTPS.
 */
export const EKS_INGRESS_TARGET_PORTS = { http: 8000, https: 8443, tlsOffload: 8001 } as const;
export const RKE2_INGRESS_TARGET_PORTS = { http: 80, https: 443, tlsOffload: 8001 } as const;
