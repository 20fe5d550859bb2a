import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { awsLoadBalancerControllerChartValues } from '../../../lib/addons/aws-load-balancer-controller-values';
import { certManagerChartValues } from '../../../lib/addons/cert-manager-values';
import { rancherBackupChartValues } from '../../../lib/addons/rancher-backup-values';
import { traefikChartValues } from '../../../lib/addons/traefik-values';
import { proxySettings } from '../../../lib/airgap/proxy';
import { registryHostProblem } from '../../../lib/airgap/registry';
import { rancherChartValues } from '../../../lib/rancher/values';
import { checkChartValues } from '../../helpers/chart-values';

const REGISTRY = 'registry.example.com:5000';
const PROXY = proxySettings({
  url: 'http://proxy.example.internal:3128',
  vpcCidrs: ['10.0.0.0/16'],
});
const LOCATION = { bucketName: 'test-rancher-backups', folder: 'test', region: 'us-east-1' };

describe('registry values of each chart', () => {
  it('Rancher: systemDefaultRegistry, proxy and noProxy, inside the pinned chart', () => {
    const values = rancherChartValues({
      hostname: 'rancher.example.com',
      systemDefaultRegistry: REGISTRY,
      proxy: PROXY,
    });
    // Rancher chart v2.15.0 deployment.yaml: HTTP_PROXY and HTTPS_PROXY from `proxy`, NO_PROXY
    // from `noProxy`, CATTLE_SYSTEM_DEFAULT_REGISTRY from `systemDefaultRegistry`.
    assert.equal(values.systemDefaultRegistry, REGISTRY);
    assert.equal(values.proxy, 'http://proxy.example.internal:3128');
    assert.equal(
      values.noProxy,
      '127.0.0.0/8,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,.svc,.cluster.local,localhost,0.0.0.0,cattle-system.svc,169.254.169.254,10.0.0.0/16,10.42.0.0/16,10.43.0.0/16',
    );
    // The server URL stays in extraEnv; the proxy is not passed there (the chart has values for it).
    assert.deepEqual(values.extraEnv, [
      { name: 'CATTLE_SERVER_URL', value: 'https://rancher.example.com' },
    ]);
    assert.deepEqual(checkChartValues('rancher', values), []);
  });

  it('Rancher without them: no registry or proxy value at all', () => {
    const values = rancherChartValues({ hostname: 'rancher.example.com' });
    for (const key of ['systemDefaultRegistry', 'proxy', 'noProxy']) {
      assert.equal(key in values, false, key);
    }
  });

  it('cert-manager: the global imageRegistry (v1.21 builds <registry>/jetstack/<name>)', () => {
    const values = certManagerChartValues({ systemDefaultRegistry: REGISTRY });
    assert.equal(values.imageRegistry, REGISTRY);
    assert.equal('image' in values, false);
    assert.deepEqual(checkChartValues('cert-manager', values), []);
  });

  it('Traefik: image.registry, the repository left at its default', () => {
    const values = traefikChartValues({ systemDefaultRegistry: REGISTRY });
    assert.deepEqual(values.image, { registry: REGISTRY });
    assert.deepEqual(checkChartValues('traefik', values), []);
  });

  it('Load Balancer Controller: the repository under the registry (the chart has no registry key)', () => {
    const values = awsLoadBalancerControllerChartValues({
      clusterName: 'test-management',
      region: 'us-east-1',
      vpcId: 'vpc-0123456789abcdef0',
      irsaRoleArn: 'arn:aws:iam::123456789012:role/test-lbc',
      systemDefaultRegistry: REGISTRY,
    });
    assert.deepEqual(values.image, {
      repository: 'registry.example.com:5000/eks/aws-load-balancer-controller',
    });
    assert.deepEqual(checkChartValues('aws-load-balancer-controller', values), []);
  });

  it('rancher-backup: global.cattle.systemDefaultRegistry, and the proxy for S3', () => {
    const values = rancherBackupChartValues({
      location: LOCATION,
      systemDefaultRegistry: REGISTRY,
      proxy: PROXY,
    });
    assert.deepEqual(values.global, { cattle: { systemDefaultRegistry: REGISTRY } });
    assert.equal(values.proxy, 'http://proxy.example.internal:3128');
    assert.equal(values.noProxy, PROXY.noProxy.join(','));
    assert.deepEqual(checkChartValues('rancher-backup', values), []);
  });

  it('user extra values still win over the registry', () => {
    const values = traefikChartValues({
      systemDefaultRegistry: REGISTRY,
      extraValues: { image: { registry: 'other.example.com' } },
    });
    assert.deepEqual(values.image, { registry: 'other.example.com' });
  });

  it('refuses a registry with a scheme or a path wherever it is given', () => {
    assert.throws(
      () => certManagerChartValues({ systemDefaultRegistry: 'https://registry.example.com' }),
      /^Error: systemDefaultRegistry must be a host without a scheme \(no https:\/\/\); got "https:\/\/registry.example.com"\.$/,
    );
    assert.equal(
      registryHostProblem('registry.example.com/library'),
      'must be a host with an optional port, without a path',
    );
    assert.equal(registryHostProblem('localhost:5000'), undefined);
    assert.equal(registryHostProblem('10.0.3.7:5000'), undefined);
  });
});
