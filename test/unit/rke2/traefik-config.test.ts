import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import {
  RKE2_TRAEFIK_CONFIG_FILE,
  rke2TraefikManifests,
  rke2TraefikValues,
} from '../../../lib/rke2/traefik-config';
import {
  compressedUserDataBytes,
  RKE2_SERVER_MANIFESTS_DIR,
  renderRke2UserData,
  type Rke2UserDataOptions,
} from '../../../lib/rke2/user-data';
import { RKE2_BUNDLED_TRAEFIK_CHART, RKE2_VERSIONS } from '../../../lib/versions';
import { checkChartValues } from '../../helpers/chart-values';
import { expectedTlsOffloadMiddleware } from '../../helpers/traefik';

const TOKEN_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:dev-rke2-token-AbCdEf';
const KUBECONFIG_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:dev-kubeconfig-AbCdEf';
const FULL_TOKEN_ARN =
  'arn:aws:secretsmanager:eu-west-1:123456789012:secret:dev-rke2-full-token-AbCdEf';

function nodeOptions(overrides: Partial<Rke2UserDataOptions> = {}): Rke2UserDataOptions {
  return {
    role: 'seed',
    clusterName: 'dev',
    registrationAddress: 'dev-rke2-0123456789abcdef.elb.eu-west-1.amazonaws.com',
    tokenSecretArn: TOKEN_ARN,
    fullTokenSecretArn: FULL_TOKEN_ARN,
    kubeconfigSecretArn: KUBECONFIG_ARN,
    ...overrides,
  };
}

interface WriteFile {
  readonly path: string;
  readonly permissions: string;
  readonly content: string;
}

function writtenFiles(userData: string): WriteFile[] {
  return (parse(userData) as { write_files: WriteFile[] }).write_files;
}

describe('rke2TraefikManifests', () => {
  it('is empty without TLS offload: the bundled Traefik keeps RKE2 defaults', () => {
    assert.deepEqual(rke2TraefikManifests(), {});
    assert.deepEqual(rke2TraefikValues(), {});
  });

  // rke2 v1.36.3+rke2r1 charts/build-chart.sh: the bundled chart is HelmChart `rke2-traefik` in
  // kube-system; contrib/custom-image-kubelet writes `rke2-<chart>-config.yaml` HelmChartConfigs
  // into server/manifests, the same mechanism.
  it('with TLS offload: a HelmChartConfig named after the bundled chart, in kube-system', () => {
    const manifests = rke2TraefikManifests({ tlsOffload: true });
    assert.deepEqual(Object.keys(manifests), ['rke2-traefik-config.yaml']);
    assert.equal(RKE2_TRAEFIK_CONFIG_FILE, 'rke2-traefik-config.yaml');
    const config = parse(manifests['rke2-traefik-config.yaml']) as Record<string, unknown>;
    assert.deepEqual(
      { ...config, spec: undefined },
      {
        apiVersion: 'helm.cattle.io/v1',
        kind: 'HelmChartConfig',
        metadata: { name: 'rke2-traefik', namespace: 'kube-system' },
        spec: undefined,
      },
    );
    const values = parse((config.spec as { valuesContent: string }).valuesContent) as Record<
      string,
      unknown
    >;
    assert.deepEqual(values, rke2TraefikValues({ tlsOffload: true }));
    assert.deepEqual(values.extraObjects, [expectedTlsOffloadMiddleware('kube-system')]);
  });

  // rke2 charts/chart_versions.yaml at v1.36.3+rke2r1 and v1.35.7+rke2r1: rke2-traefik 40.1.009,
  // a DaemonSet with host ports 80/443 (rke2-charts values.yaml), no values schema of its own.
  it('fits the rke2-traefik chart every pinned RKE2 release bundles', () => {
    assert.deepEqual(RKE2_BUNDLED_TRAEFIK_CHART, {
      'v1.36.3+rke2r1': '40.1.009',
      'v1.35.7+rke2r1': '40.1.009',
    });
    for (const version of RKE2_VERSIONS) {
      assert.deepEqual(
        checkChartValues(
          'rke2-traefik',
          rke2TraefikValues({ tlsOffload: true }),
          RKE2_BUNDLED_TRAEFIK_CHART[version],
        ),
        [],
      );
    }
  });
});

describe('renderRke2UserData serverManifests', () => {
  const manifests = rke2TraefikManifests({ tlsOffload: true });

  for (const role of ['seed', 'server'] as const) {
    it(`${role}: writes each manifest (0600) into RKE2's manifests folder`, () => {
      const options = nodeOptions({
        role,
        kubeconfigSecretArn: role === 'seed' ? KUBECONFIG_ARN : undefined,
        serverManifests: manifests,
      });
      const written = writtenFiles(renderRke2UserData(options)).find(
        (f) => f.path === '/var/lib/rancher/rke2/server/manifests/rke2-traefik-config.yaml',
      );
      assert.ok(written, 'no manifest written');
      assert.equal(RKE2_SERVER_MANIFESTS_DIR, '/var/lib/rancher/rke2/server/manifests');
      assert.equal(written.permissions, '0600');
      assert.equal(written.content, manifests['rke2-traefik-config.yaml']);
    });
  }

  it('refuses manifests for agents and file names that are not plain .yaml names', () => {
    assert.throws(
      () =>
        renderRke2UserData(
          nodeOptions({
            role: 'agent',
            kubeconfigSecretArn: undefined,
            serverManifests: manifests,
          }),
        ),
      /serverManifests applies to servers only \(roles seed and server\); remove it for role agent\./,
    );
    assert.throws(
      () => renderRke2UserData(nodeOptions({ serverManifests: { '../etc/passwd': 'x' } })),
      /serverManifests file name must be a file name of lower-case letters, digits, "\." and "-" ending in \.yaml; got "\.\.\/etc\/passwd"\./,
    );
  });

  it('stays well inside the EC2 user data limit with the HelmChartConfig and long values', () => {
    const userData = renderRke2UserData(
      nodeOptions({
        clusterName: 'x'.repeat(63),
        registrationAddress: `${'a'.repeat(32)}-${'b'.repeat(16)}.elb.ap-southeast-2.amazonaws.com`,
        tokenSecretArn: `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${'t'.repeat(200)}`,
        kubeconfigSecretArn: `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${'k'.repeat(200)}`,
        tlsSans: [`${'r'.repeat(60)}.example.com`],
        etcdSnapshots: { bucket: 'b'.repeat(63), region: 'ap-southeast-2' },
        serverManifests: manifests,
      }),
    );
    const size = compressedUserDataBytes(userData);
    // Half the limit, as for the other user data: EC2's 16 KB apply to the gzip-compressed bytes.
    assert.ok(size <= 8 * 1024, `${size} bytes compressed leaves under half of 16 KB`);
  });
});
