import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { environment, environmentProblems } from '../../helpers/template';

const RKE2 = { management: { distribution: 'rke2' } };
const CREDENTIALS =
  'arn:aws:secretsmanager:us-east-1:123456789012:secret:test/registry-credentials-AbCdEf';

// Rules of lib/config/airgap.ts beyond the invalid-environment corpus.
describe('registry and proxy sections', () => {
  it('have no default: public registries, no proxy', () => {
    const env = environment();
    assert.equal(env.registry, undefined);
    assert.equal(env.proxy, undefined);
  });

  it('accept a registry with credentials and a proxy on RKE2', () => {
    const env = environment({
      ...RKE2,
      registry: { systemDefault: 'registry.example.com:5000', credentialsSecretArn: CREDENTIALS },
      proxy: { url: 'http://proxy.example.internal:3128', noProxy: ['.example.internal'] },
    });
    assert.deepEqual(env.registry, {
      systemDefault: 'registry.example.com:5000',
      credentialsSecretArn: CREDENTIALS,
    });
    assert.deepEqual(env.proxy, {
      url: 'http://proxy.example.internal:3128',
      noProxy: ['.example.internal'],
    });
  });

  it('accept a registry without credentials on EKS (an ECR pull-through cache)', () => {
    const env = environment({
      registry: { systemDefault: '123456789012.dkr.ecr.us-east-1.amazonaws.com' },
    });
    assert.equal(env.registry?.systemDefault, '123456789012.dkr.ecr.us-east-1.amazonaws.com');
  });

  it('reject a proxy for every EKS cluster, downstream ones included', () => {
    assert.deepEqual(
      environmentProblems({
        ...RKE2,
        proxy: { url: 'http://proxy.example.internal:3128' },
        downstream: [{ name: 'apps', distribution: 'eks' }],
      }),
      [
        'downstream.0.distribution: is eks, but proxy is set: kubelet and containerd on EKS managed nodes read a proxy from launch-template user data (nodeadm), which the project does not build; use RKE2 for clusters behind a proxy (got "eks")',
      ],
    );
  });

  it('reject registry credentials in another region than the environment', () => {
    assert.deepEqual(
      environmentProblems({
        ...RKE2,
        registry: {
          systemDefault: 'registry.example.com',
          credentialsSecretArn: CREDENTIALS.replace('us-east-1', 'eu-west-1'),
        },
      }),
      [
        `registry.credentialsSecretArn: must be a secret in the environment's region us-east-1 (the nodes read it there); got one in eu-west-1 (got "arn:aws:secretsmanager:eu-west-1:123456789012:secret:test/registry-credentia...)`,
      ],
    );
  });

  it('reject proxy URLs and noProxy entries the components cannot use', () => {
    const problems = (url: string, noProxy: string[] = []) =>
      environmentProblems({ ...RKE2, proxy: { url, noProxy } });
    assert.deepEqual(problems('proxy.example.internal:3128'), [
      'proxy.url: must be http://host:port or https://host:port, with no path (got "proxy.example.internal:3128")',
    ]);
    assert.deepEqual(problems('http://proxy.example.internal'), [
      'proxy.url: must be http://host:port or https://host:port, with no path (got "http://proxy.example.internal")',
    ]);
    assert.deepEqual(problems('http://proxy.example.internal:70000'), [
      'proxy.url: has a port outside 1-65535 (got "http://proxy.example.internal:70000")',
    ]);
    assert.deepEqual(
      problems('http://proxy.example.internal:3128', ['a.example.com,b.example.com']),
      [
        'proxy.noProxy.0: must be a host name, a .domain suffix, an IPv4 address or CIDR (no scheme, path, comma or space) (got "a.example.com,b.example.com")',
      ],
    );
    assert.deepEqual(
      problems('https://proxy.example.internal:3129/', ['10.1.0.0/16', '.corp', 'host:8443']),
      [],
    );
  });

  it('reject a registry given as a URL or with a path', () => {
    const problem = (systemDefault: string) =>
      environmentProblems({ ...RKE2, registry: { systemDefault } });
    assert.deepEqual(problem('https://registry.example.com'), [
      'registry.systemDefault: must be a host without a scheme (no https://) (got "https://registry.example.com")',
    ]);
    assert.deepEqual(problem('registry.example.com/rancher'), [
      'registry.systemDefault: must be a host with an optional port, without a path (got "registry.example.com/rancher")',
    ]);
    assert.deepEqual(problem('Registry.Example.com'), [
      'registry.systemDefault: must be a lower-case DNS name with an optional port, such as registry.example.com:5000 (got "Registry.Example.com")',
    ]);
  });
});
