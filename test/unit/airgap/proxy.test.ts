import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  noProxyEntryProblem,
  proxyEnvironment,
  proxyEnvVars,
  proxySettings,
  proxyUrlProblem,
} from '../../../lib/airgap/proxy';

describe('proxySettings', () => {
  it("starts from Rancher's default noProxy and adds localhost, IMDS, the VPCs and RKE2's CIDRs, then the operator's", () => {
    const proxy = proxySettings({
      url: 'http://proxy.example.internal:3128',
      vpcCidrs: ['10.0.0.0/16', '10.1.0.0/16'],
      extraNoProxy: ['.example.internal', '10.0.0.0/16'],
    });
    // Rancher chart v2.15.0 values.yaml: the default noProxy list; Rancher's v2.15 proxy page adds
    // localhost, 0.0.0.0 and cattle-system.svc.
    assert.deepEqual(proxy.noProxy, [
      '127.0.0.0/8',
      '10.0.0.0/8',
      '172.16.0.0/12',
      '192.168.0.0/16',
      '.svc',
      '.cluster.local',
      'localhost',
      '0.0.0.0',
      'cattle-system.svc',
      '169.254.169.254',
      '10.0.0.0/16',
      '10.1.0.0/16',
      '10.42.0.0/16',
      '10.43.0.0/16',
      '.example.internal',
    ]);
  });

  it('gives HTTP and HTTPS the same proxy, in both cases for the shell and upper case for pods', () => {
    const proxy = proxySettings({
      url: 'http://p.example.internal:3128',
      vpcCidrs: [],
      clusterCidrs: [],
    });
    const noProxy =
      '127.0.0.0/8,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,.svc,.cluster.local,localhost,0.0.0.0,cattle-system.svc,169.254.169.254';
    assert.deepEqual(proxyEnvironment(proxy), {
      HTTP_PROXY: 'http://p.example.internal:3128',
      HTTPS_PROXY: 'http://p.example.internal:3128',
      NO_PROXY: noProxy,
      http_proxy: 'http://p.example.internal:3128',
      https_proxy: 'http://p.example.internal:3128',
      no_proxy: noProxy,
    });
    assert.deepEqual(proxyEnvVars(proxy), [
      { name: 'HTTP_PROXY', value: 'http://p.example.internal:3128' },
      { name: 'HTTPS_PROXY', value: 'http://p.example.internal:3128' },
      { name: 'NO_PROXY', value: noProxy },
    ]);
  });

  it('refuses credentials in the URL, a missing port and a path', () => {
    assert.match(proxyUrlProblem('http://u:p@proxy:3128') ?? '', /^must not carry credentials/);
    assert.equal(
      proxyUrlProblem('http://proxy:3128/path'),
      'must be http://host:port or https://host:port, with no path',
    );
    assert.equal(
      proxyUrlProblem('socks5://proxy:1080'),
      'must be http://host:port or https://host:port, with no path',
    );
    assert.equal(proxyUrlProblem('https://proxy.example.internal:443'), undefined);
    assert.throws(
      () => proxySettings({ url: 'http://proxy:3128', vpcCidrs: [], extraNoProxy: ['a b'] }),
      /^Error: proxy noProxy entry must be a host name, a \.domain suffix, an IPv4 address or CIDR \(no scheme, path, comma or space\); got "a b"\.$/,
    );
  });

  it('refuses NO_PROXY entries that would break the comma-separated list or YAML', () => {
    for (const bad of ['*', 'a,b', 'https://x.example.com', 'x.example.com/path', '']) {
      assert.notEqual(noProxyEntryProblem(bad), undefined, bad);
    }
    for (const good of [
      '.svc',
      'registry.example.com',
      'host:5000',
      '10.0.0.0/8',
      '169.254.169.254',
    ]) {
      assert.equal(noProxyEntryProblem(good), undefined, good);
    }
  });
});
