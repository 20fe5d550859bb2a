import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { environmentProblems } from '../../helpers/template';

// Rules of lib/config/management.ts that the invalid-environment corpus does not reach.
describe('management rules', () => {
  it('refuses publicAccessCidrs on a private EKS endpoint, where they would be ignored', () => {
    assert.deepEqual(
      environmentProblems({ management: { eks: { publicAccessCidrs: ['203.0.113.0/24'] } } }),
      [
        'management.eks.publicAccessCidrs: is only used when endpointAccess is both (got ["203.0.113.0/24"])',
      ],
    );
  });

  // EKS: a cluster's public endpoint takes at most 40 CIDR blocks (aws/containers-roadmap#2174).
  it('refuses more than 40 public access CIDRs', () => {
    const cidrs = Array.from({ length: 41 }, (_, i) => `203.0.${i}.0/24`);
    assert.deepEqual(
      environmentProblems({
        management: { eks: { endpointAccess: 'both', publicAccessCidrs: cidrs } },
      }).map((line) => line.replace(/ \(got .*\)$/, '')),
      ['management.eks.publicAccessCidrs: EKS allows at most 40 public access CIDRs'],
    );
  });

  // EKS "Create access entries": a role ARN may include a path; SSO roles live under one.
  it('accepts an SSO role ARN with its full path', () => {
    assert.deepEqual(
      environmentProblems({
        management: {
          eks: {
            adminRoleArns: [
              'arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123456789abcdef',
            ],
          },
        },
      }),
      [],
    );
  });

  it('gives the rke2 ha profile three servers when serverCount is left out', () => {
    assert.deepEqual(
      environmentProblems({ management: { distribution: 'rke2', rke2: { profile: 'ha' } } }),
      [],
    );
  });
});
