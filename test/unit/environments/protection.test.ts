import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  assertTeardownAllowed,
  EXIT_PROTECTED,
  findExpiredEnvironments,
  isExpired,
  ProtectedEnvironmentError,
  secretRecoveryWindowDays,
} from '../../../lib/environments/protection';
import { TAG_KEYS } from '../../../lib/naming/tags';

const NOW = new Date('2026-09-01T12:00:00Z');

function tagged(id: string, environment: string, expiresAt?: string, isProtected = false) {
  const tags: Record<string, string> = { [TAG_KEYS.environment]: environment };
  if (expiresAt) tags[TAG_KEYS.expiresAt] = expiresAt;
  if (isProtected) tags[TAG_KEYS.protected] = 'true';
  return { id, tags };
}

describe('teardown protection', () => {
  it('refuses a protected environment with a clear message and exit code 3', () => {
    assert.throws(
      () => assertTeardownAllowed({ name: 'prod', protected: true }),
      (error: unknown) =>
        error instanceof ProtectedEnvironmentError &&
        error.exitCode === 3 &&
        /Environment "prod" is protected \(protected: true\); teardown refuses to destroy it\./.test(
          error.message,
        ),
    );
    assert.equal(EXIT_PROTECTED, 3);
  });

  it('allows an unprotected environment', () => {
    assert.doesNotThrow(() => assertTeardownAllowed({ name: 'pr-1', protected: false }));
  });
});

describe('secretRecoveryWindowDays', () => {
  // DeleteSecret: a recovery window of 7 to 30 days, or none (ForceDeleteWithoutRecovery, which the
  // provider uses for 0); a name stays taken while its deletion is pending.
  it('is 0 unless the environment is protected, then 7', () => {
    assert.equal(secretRecoveryWindowDays({ protected: false }), 0);
    assert.equal(secretRecoveryWindowDays({ protected: true }), 7);
  });
});

describe('isExpired', () => {
  it('is true at and after the expiry, false before and without one', () => {
    assert.equal(isExpired('2026-09-01T12:00:00Z', NOW), true);
    assert.equal(isExpired('2026-09-01T11:59:59Z', NOW), true);
    assert.equal(isExpired('2026-09-01T12:00:01Z', NOW), false);
    assert.equal(isExpired('2026-09-01T14:00:00+02:00', NOW), true);
    assert.equal(isExpired(undefined, NOW), false);
    assert.equal(isExpired('not a date', NOW), false);
  });
});

describe('findExpiredEnvironments', () => {
  it('groups resources by environment and sorts them into expired and live', () => {
    const findings = findExpiredEnvironments(
      [
        tagged('vpc-1', 'pr-1', '2026-09-01T00:00:00Z'),
        tagged('subnet-1', 'pr-1', '2026-09-01T00:00:00Z'),
        tagged('vpc-2', 'pr-2', '2026-09-02T00:00:00Z'),
        tagged('vpc-3', 'prod'),
      ],
      NOW,
    );
    assert.deepEqual(findings.expired, [
      { name: 'pr-1', expiresAt: '2026-09-01T00:00:00Z', protected: false, resourceCount: 2 },
    ]);
    assert.deepEqual(findings.live, [
      { name: 'pr-2', expiresAt: '2026-09-02T00:00:00Z', protected: false, resourceCount: 1 },
    ]);
    assert.deepEqual(findings.unreadable, []);
  });

  it('takes the earliest expiry and marks the environment protected when any resource says so', () => {
    const findings = findExpiredEnvironments(
      [
        tagged('a', 'pr-3', '2026-09-05T00:00:00Z'),
        tagged('b', 'pr-3', '2026-08-30T00:00:00Z', true),
      ],
      NOW,
    );
    assert.deepEqual(findings.expired, [
      { name: 'pr-3', expiresAt: '2026-08-30T00:00:00Z', protected: true, resourceCount: 2 },
    ]);
  });

  it('never sweeps an environment whose expiry cannot be read', () => {
    const findings = findExpiredEnvironments([tagged('a', 'pr-4', 'tomorrow')], NOW);
    assert.deepEqual(findings.expired, []);
    assert.deepEqual(findings.unreadable, [{ name: 'pr-4', expiresAt: 'tomorrow' }]);
  });
});
