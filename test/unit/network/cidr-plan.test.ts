import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  cidrContains,
  cidrsOverlap,
  downstreamVpcCidr,
  isCidr,
  planSubnets,
} from '../../../lib/network/cidr-plan';

describe('planSubnets', () => {
  it('lays out the quick start defaults', () => {
    assert.deepEqual(planSubnets('10.0.0.0/16', 3, 19, 20), {
      private: ['10.0.0.0/19', '10.0.32.0/19', '10.0.64.0/19'],
      public: ['10.0.128.0/20', '10.0.144.0/20', '10.0.160.0/20'],
    });
  });

  it('plans two zones in a smaller VPC', () => {
    assert.deepEqual(planSubnets('172.16.0.0/20', 2, 22, 24), {
      private: ['172.16.0.0/22', '172.16.4.0/22'],
      public: ['172.16.8.0/24', '172.16.9.0/24'],
    });
  });

  it('keeps every subnet inside the VPC and apart from the others', () => {
    const plan = planSubnets('10.8.0.0/16', 3, 19, 20);
    const all = [...plan.private, ...plan.public];
    for (const subnet of all) assert.ok(cidrContains('10.8.0.0/16', subnet), subnet);
    for (let i = 0; i < all.length; i++) {
      for (let j = i + 1; j < all.length; j++) assert.equal(cidrsOverlap(all[i], all[j]), false);
    }
  });

  it('rejects subnets that do not fit in their half', () => {
    assert.throws(
      () => planSubnets('10.0.0.0/16', 3, 18, 20),
      /3 private \/18 subnets do not fit in half of 10.0.0.0\/16/,
    );
    assert.throws(() => planSubnets('10.0.0.0/16', 3, 19, 17), /3 public \/17 subnets do not fit/);
  });
});

describe('CIDR helpers', () => {
  it('accepts only network addresses', () => {
    assert.equal(isCidr('10.0.0.0/16'), true);
    assert.equal(isCidr('10.0.0.1/16'), false);
    assert.equal(isCidr('10.0.0.0/33'), false);
    assert.equal(isCidr('256.0.0.0/8'), false);
    assert.equal(isCidr('10.0.0.0'), false);
  });

  it('detects overlap and containment', () => {
    assert.equal(cidrsOverlap('10.0.0.0/16', '10.0.128.0/17'), true);
    assert.equal(cidrsOverlap('10.0.0.0/16', '10.1.0.0/16'), false);
    assert.equal(cidrContains('10.0.0.0/16', '10.0.255.0/24'), true);
    assert.equal(cidrContains('10.0.0.0/16', '10.1.0.0/24'), false);
  });

  it('gives downstream clusters VPCs clear of the management default', () => {
    assert.equal(downstreamVpcCidr(0), '10.101.0.0/16');
    assert.equal(cidrsOverlap(downstreamVpcCidr(3), '10.0.0.0/16'), false);
    assert.throws(() => downstreamVpcCidr(200), /out of range/);
  });
});
