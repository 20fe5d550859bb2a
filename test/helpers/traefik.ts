/**
 * The expected `tls-offload` Middleware (a literal, not built by the code under test) in the
 * namespace of a Traefik release. traefik-helm-chart v41.3.0 crds/traefik.io_middlewares.yaml:
 * `spec.headers.customRequestHeaders` is a map of strings set on the request.
 */
export function expectedTlsOffloadMiddleware(namespace: string): Record<string, unknown> {
  return {
    apiVersion: 'traefik.io/v1alpha1',
    kind: 'Middleware',
    metadata: { name: 'tls-offload-forwarded-https', namespace },
    spec: {
      headers: {
        customRequestHeaders: { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Port': '443' },
      },
    },
  };
}
