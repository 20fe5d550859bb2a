import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createdZoneName } from '../../../lib/config/schema';
import { environment, environmentProblems } from '../../helpers/template';

// Rules of lib/config/dns.ts that the invalid-environment corpus does not reach.
describe('dns rules', () => {
  it('refuses privateZoneName beside an existing hosted zone, where it would be ignored', () => {
    assert.deepEqual(
      environmentProblems({
        dns: { hostedZoneId: 'Z0123456789ABC', privateZoneName: 'test.internal' },
      }),
      [
        'dns.privateZoneName: is only used when the stack creates the zone (no hostedZoneId) (got "test.internal")',
      ],
    );
  });

  it('accepts a two-label hostname in an existing zone (only a created zone needs a parent)', () => {
    assert.deepEqual(
      environmentProblems({ dns: { hostname: 'example.com', hostedZoneId: 'Z0123456789ABC' } }),
      [],
    );
  });

  it('creates the zone for the hostname itself unless privateZoneName says otherwise', () => {
    assert.equal(createdZoneName(environment().dns), 'rancher.test.internal');
    assert.equal(
      createdZoneName(environment({ dns: { privateZoneName: 'test.internal' } }).dns),
      'test.internal',
    );
  });

  it('accepts a two-label hostname for a created zone (the zone is the hostname)', () => {
    assert.deepEqual(environmentProblems({ dns: { hostname: 'rancher.internal' } }), []);
  });
});
