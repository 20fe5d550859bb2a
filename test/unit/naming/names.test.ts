import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NAME_LIMITS, resourceName, stackName } from '../../../lib/naming/names';
import { standardTags, TAG_KEYS } from '../../../lib/naming/tags';

describe('resourceName', () => {
  it('joins prefix and suffix', () => {
    assert.equal(resourceName('prod', 'ingress', 'loadBalancer'), 'prod-ingress');
  });

  it('accepts a name exactly at the limit and rejects one over it', () => {
    const prefix = 'a'.repeat(NAME_LIMITS.targetGroup - 5);
    assert.equal(resourceName(prefix, 'http', 'targetGroup').length, 32);
    assert.throws(
      () => resourceName(`${prefix}x`, 'http', 'targetGroup'),
      /targetGroup name ".*" is 33 characters; AWS allows 32/,
    );
  });

  it('fits the longest environment name into every fixed suffix the stacks use', () => {
    const longest = 'a'.repeat(20);
    assert.doesNotThrow(() => resourceName(longest, 'ingress', 'loadBalancer'));
    assert.doesNotThrow(() => resourceName(longest, 'https', 'targetGroup'));
    assert.doesNotThrow(() => resourceName(longest, 'supervisor', 'targetGroup'));
    assert.doesNotThrow(() => resourceName(`${longest}-management`, 'lb-controller', 'iamRole'));
  });

  it('rejects characters a load balancer name cannot hold', () => {
    assert.throws(
      () => resourceName('prod_1', 'lb', 'loadBalancer'),
      /only letters, digits and inner dashes/,
    );
    assert.throws(() => resourceName('Prod', 'state', 's3Bucket'), /lower-case/);
  });

  it('names stacks <env>-<part>', () => {
    assert.equal(stackName('prod', 'apps', 'agent'), 'prod-apps-agent');
  });
});

describe('standardTags', () => {
  it('tags environment, owner and managed-by; expiry only when set', () => {
    assert.deepEqual(standardTags({ environment: 'dev', owner: 'team' }), {
      [TAG_KEYS.environment]: 'dev',
      [TAG_KEYS.owner]: 'team',
      [TAG_KEYS.managedBy]: 'cdktf/rancher-on-aws',
    });
    const tags = standardTags({
      environment: 'pr-1',
      owner: 'ci',
      expiresAt: '2026-12-01T00:00:00Z',
    });
    assert.equal(tags[TAG_KEYS.expiresAt], '2026-12-01T00:00:00Z');
  });

  it('lets the standard keys win over extra tags', () => {
    const tags = standardTags({
      environment: 'dev',
      owner: 'team',
      extra: { [TAG_KEYS.environment]: 'prod', team: 'x' },
    });
    assert.equal(tags[TAG_KEYS.environment], 'dev');
    assert.equal(tags.team, 'x');
  });
});
