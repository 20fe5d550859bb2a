import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  findLeftovers,
  formatLeftoverReport,
  ObservedResource,
  resourceKey,
} from '../../../lib/environments/leftovers';
import { TAG_KEYS } from '../../../lib/naming/tags';

function resource(
  kind: string,
  id: string,
  environment: string | undefined,
  extra: Partial<ObservedResource> = {},
): ObservedResource {
  return {
    kind,
    id,
    tags: environment ? { [TAG_KEYS.environment]: environment } : {},
    source: 'test',
    ...extra,
  };
}

describe('resourceKey', () => {
  it('matches an EC2 ARN with the id the EC2 calls report', () => {
    assert.equal(resourceKey('arn:aws:ec2:us-east-1:123456789012:vpc/vpc-0abc'), 'vpc-0abc');
    assert.equal(resourceKey('vpc-0abc'), 'vpc-0abc');
  });

  it('matches a log group ARN with and without the trailing :*', () => {
    const arn = 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/eks/pr-1-management/cluster';
    assert.equal(resourceKey(`${arn}:*`), arn);
  });
});

describe('findLeftovers', () => {
  it('reports nothing when nothing of the environment is observed', () => {
    const report = findLeftovers('pr-1', [
      resource('ec2:vpc', 'vpc-other', 'pr-2'),
      resource('s3:bucket', 'arn:aws:s3:::untagged', undefined),
    ]);
    assert.deepEqual(report, { leftovers: [], scheduledForDeletion: [] });
  });

  it('lists what is left once, sorted, whichever call saw it', () => {
    const report = findLeftovers('pr-1', [
      resource('iam:role', 'arn:aws:iam::123456789012:role/pr-1-cluster', 'pr-1'),
      resource('ec2:vpc', 'arn:aws:ec2:us-east-1:123456789012:vpc/vpc-1', 'pr-1', {
        source: 'tagging:GetResources',
      }),
      resource('ec2:vpc', 'vpc-1', 'pr-1', { source: 'ec2:DescribeVpcs' }),
    ]);
    assert.deepEqual(
      report.leftovers.map((r) => [r.kind, r.id, r.source]),
      [
        ['ec2:vpc', 'arn:aws:ec2:us-east-1:123456789012:vpc/vpc-1', 'tagging:GetResources'],
        ['iam:role', 'arn:aws:iam::123456789012:role/pr-1-cluster', 'test'],
      ],
    );
  });

  it('counts KMS keys pending deletion and secrets in their recovery window as scheduled, not left', () => {
    const report = findLeftovers('pr-1', [
      resource('kms:key', 'arn:aws:kms:us-east-1:1:key/k1', 'pr-1', { state: 'PendingDeletion' }),
      resource('secretsmanager:secret', 'arn:s1', 'pr-1', { state: 'scheduled-for-deletion' }),
      resource('kms:key', 'arn:aws:kms:us-east-1:1:key/k2', 'pr-1', { state: 'Enabled' }),
    ]);
    assert.deepEqual(
      report.scheduledForDeletion.map((r) => r.id),
      ['arn:aws:kms:us-east-1:1:key/k1', 'arn:s1'],
    );
    assert.deepEqual(
      report.leftovers.map((r) => r.id),
      ['arn:aws:kms:us-east-1:1:key/k2'],
    );
  });

  it('ignores resources that are already gone but still listed', () => {
    const report = findLeftovers('pr-1', [
      resource('ec2:natgateway', 'nat-1', 'pr-1', { state: 'deleted' }),
      resource('ec2:instance', 'i-1', 'pr-1', { state: 'terminated' }),
      resource('ec2:natgateway', 'nat-2', 'pr-1', { state: 'deleting' }),
    ]);
    assert.deepEqual(
      report.leftovers.map((r) => r.id),
      ['nat-2'],
    );
  });
});

describe('findLeftovers with the same resource from two calls', () => {
  const NAT_ARN = 'arn:aws:ec2:us-east-1:123456789012:natgateway/nat-1';
  const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/k1';

  it('trusts the call that knows the state over the tagging API, in either order', () => {
    const tagging = [
      resource('ec2:natgateway', NAT_ARN, 'pr-1', { source: 'tagging:GetResources' }),
      resource('kms:key', KEY_ARN, 'pr-1', { source: 'tagging:GetResources' }),
    ];
    const direct = [
      resource('ec2:natgateway', 'nat-1', 'pr-1', { state: 'deleted' }),
      resource('kms:key', KEY_ARN, 'pr-1', { state: 'PendingDeletion' }),
    ];
    for (const observed of [
      [...tagging, ...direct],
      [...direct, ...tagging],
    ]) {
      const report = findLeftovers('pr-1', observed);
      assert.deepEqual(report.leftovers, []);
      assert.deepEqual(
        report.scheduledForDeletion.map((r) => [r.id, r.state]),
        [[KEY_ARN, 'PendingDeletion']],
      );
    }
  });
});

describe('formatLeftoverReport', () => {
  it('says nothing is left, and lists what is scheduled', () => {
    const text = formatLeftoverReport('pr-1', {
      leftovers: [],
      scheduledForDeletion: [
        resource('kms:key', 'arn:k', 'pr-1', { source: 'kms:ListResourceTags' }),
      ],
    });
    assert.equal(
      text,
      'Nothing tagged rancher-aws:environment=pr-1 is left.\n  scheduled for deletion: kms:key arn:k [kms:ListResourceTags]',
    );
  });

  it('lists each leftover with its state and the call that saw it', () => {
    const text = formatLeftoverReport('pr-1', {
      leftovers: [
        resource('eks:cluster', 'arn:c', 'pr-1', {
          state: 'DELETING',
          source: 'eks:DescribeCluster',
        }),
      ],
      scheduledForDeletion: [],
    });
    assert.equal(
      text,
      '1 resource tagged rancher-aws:environment=pr-1 is left:\n  - eks:cluster arn:c (DELETING) [eks:DescribeCluster]',
    );
  });
});
