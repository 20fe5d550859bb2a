/**
 * `registry:` and `proxy:` — the private registry system images come from, and the HTTP proxy
 * the clusters go out through (docs/air-gap.md). Neither has a default: without them images come
 * from their public registries and traffic leaves through the NAT gateway.
 *
 * Rules go in `checkAirGap`: registry credentials need RKE2 nodes (the bootstrap writes them into
 * registries.yaml; EKS managed nodes would need launch-template user data the project does not
 * build), in the environment's region (the nodes read them there); a proxy needs RKE2 nodes for
 * the same reason (kubelet and containerd on EKS nodes read it from nodeadm configuration).
 */
import { z } from 'zod';
import { noProxyEntryProblem, proxyUrlProblem } from '../airgap/proxy';
import { registryHostProblem } from '../airgap/registry';
import { reportProblem, SECRETS_MANAGER_ARN } from './fields';
import type { EnvironmentConfig } from './schema';

function problemRefinement(problemOf: (value: string) => string | undefined) {
  return (value: string, ctx: z.RefinementCtx) => {
    const problem = problemOf(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, input: value });
  };
}

export const registrySchema = z
  .object({
    /** Host[:port] every system image is pulled from (Rancher's systemDefaultRegistry). */
    systemDefault: z.string().superRefine(problemRefinement(registryHostProblem)),
    /**
     * Secrets Manager secret with JSON {"username", "password"} for that registry; RKE2 nodes
     * read it at boot into registries.yaml. @default - the registry needs no credentials
     */
    credentialsSecretArn: z
      .string()
      .regex(SECRETS_MANAGER_ARN, { message: 'expected a Secrets Manager secret ARN' })
      .optional(),
  })
  .strict();

export const proxySchema = z
  .object({
    /** http(s)://host:port of the proxy, for HTTP and HTTPS alike (as Rancher's chart uses it). */
    url: z.string().superRefine(problemRefinement(proxyUrlProblem)),
    /** Destinations that bypass the proxy besides the required ones the stacks add. @default [] */
    noProxy: z.array(z.string().superRefine(problemRefinement(noProxyEntryProblem))).default([]),
  })
  .strict();

/** Variables the Rancher chart sets from its `proxy` and `noProxy` values. */
const PROXY_VARIABLES = ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY'];

export type RegistryConfig = z.output<typeof registrySchema>;
export type ProxyConfig = z.output<typeof proxySchema>;

/** The EKS clusters of an environment, by the field that makes them EKS. */
function eksClusterPaths(env: EnvironmentConfig): (string | number)[][] {
  const paths: (string | number)[][] = [];
  if (env.management.distribution === 'eks') paths.push(['management', 'distribution']);
  env.downstream.forEach((cluster, index) => {
    if (cluster.distribution === 'eks') paths.push(['downstream', index, 'distribution']);
  });
  return paths;
}

/** Rules of the registry and proxy blocks against the clusters that would use them. */
export function checkAirGap(env: EnvironmentConfig, ctx: z.RefinementCtx): void {
  const eks = eksClusterPaths(env);
  const credentials = env.registry?.credentialsSecretArn;
  if (credentials !== undefined) {
    const region = credentials.split(':')[3];
    if (region !== env.region) {
      reportProblem(
        ctx,
        ['registry', 'credentialsSecretArn'],
        `must be a secret in the environment's region ${env.region} (the nodes read it there); got one in ${region}`,
        credentials,
      );
    }
    for (const path of eks) {
      reportProblem(
        ctx,
        path,
        'is eks, but registry.credentialsSecretArn is set: EKS managed nodes would need the credentials in launch-template user data (nodeadm containerd configuration), which the project does not build; use RKE2, or a registry the nodes may pull from without credentials (an ECR pull-through cache)',
        'eks',
      );
    }
  }
  if (env.proxy) {
    const extraEnv = env.rancher.extraValues.extraEnv;
    (Array.isArray(extraEnv) ? extraEnv : []).forEach((entry: unknown, index) => {
      const name = typeof entry === 'object' && entry !== null && 'name' in entry ? entry.name : '';
      if (typeof name === 'string' && PROXY_VARIABLES.includes(name)) {
        reportProblem(
          ctx,
          ['rancher', 'extraValues', 'extraEnv', index],
          `must not set ${name} while proxy is set: the chart sets it from proxy.url and the NO_PROXY list (docs/air-gap.md)`,
          entry,
        );
      }
    });
    for (const path of eks) {
      reportProblem(
        ctx,
        path,
        'is eks, but proxy is set: kubelet and containerd on EKS managed nodes read a proxy from launch-template user data (nodeadm), which the project does not build; use RKE2 for clusters behind a proxy',
        'eks',
      );
    }
  }
}
