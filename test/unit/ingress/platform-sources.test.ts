import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { platformSources } from '../../../lib/ingress/platform-sources';

const NAT_IPS = ['198.51.100.7', '198.51.100.8'];

describe('platformSources', () => {
  // Clients in a VPC reach an internet-facing load balancer's public addresses through their NAT
  // gateway, so that is the source its security group sees.
  it('allows the NAT addresses beside a restricted allow-list of an internet-facing load balancer', () => {
    assert.deepEqual(
      platformSources({
        scheme: 'internet-facing',
        allowedCidrs: ['203.0.113.0/24'],
        natPublicIps: NAT_IPS,
        vpcCidr: '10.0.0.0/16',
      }),
      ['198.51.100.7/32', '198.51.100.8/32'],
    );
  });

  it('adds nothing when the allow-list already lets everyone in', () => {
    assert.deepEqual(
      platformSources({
        scheme: 'internet-facing',
        allowedCidrs: ['203.0.113.0/24', '0.0.0.0/0'],
        natPublicIps: NAT_IPS,
        vpcCidr: '10.0.0.0/16',
      }),
      [],
    );
  });

  it('allows the VPC to an internal load balancer unless the allow-list covers it', () => {
    const internal = {
      scheme: 'internal' as const,
      natPublicIps: NAT_IPS,
      vpcCidr: '10.101.0.0/16',
    };
    assert.deepEqual(platformSources({ ...internal, allowedCidrs: ['10.0.0.0/16'] }), [
      '10.101.0.0/16',
    ]);
    assert.deepEqual(platformSources({ ...internal, allowedCidrs: ['10.0.0.0/8'] }), []);
  });
});
