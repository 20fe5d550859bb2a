import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backupSettings } from '../../../lib/config/schema';
import { environment, environmentProblems } from '../../helpers/template';

// Rules and defaults of lib/config/backup.ts that the invalid-environment corpus does not reach.
describe('backup section', () => {
  it('is on by default: every 6 hours, 28 kept, the full resource set, 30 days of versions', () => {
    assert.deepEqual(backupSettings(environment().backup), {
      schedule: '0 */6 * * *',
      retentionCount: 28,
      resourceSet: 'full',
      noncurrentVersionDays: 30,
    });
  });

  it('takes the settings given', () => {
    const backup = environment({
      backup: { schedule: '@daily', retentionCount: 14, resourceSet: 'basic' },
    }).backup;
    assert.deepEqual(backupSettings(backup), {
      schedule: '@daily',
      retentionCount: 14,
      resourceSet: 'basic',
      noncurrentVersionDays: 30,
    });
  });

  it('has no settings when disabled', () => {
    assert.equal(backupSettings(environment({ backup: { enabled: false } }).backup), undefined);
  });

  it('reports every setting of a disabled backup, not only the first', () => {
    assert.deepEqual(
      environmentProblems({
        backup: { enabled: false, resourceSet: 'basic', noncurrentVersionDays: 7 },
      }),
      [
        'backup.resourceSet: is only read when backup.enabled is true; remove it or enable backups (got "basic")',
        'backup.noncurrentVersionDays: is only read when backup.enabled is true; remove it or enable backups (got 7)',
      ],
    );
  });

  it('refuses an @every shorter than a minute', () => {
    assert.deepEqual(environmentProblems({ backup: { schedule: '@every 45s' } }), [
      'backup.schedule: @every needs at least 1 minute between backups (got "@every 45s")',
    ]);
  });
});
