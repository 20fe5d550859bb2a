import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backupScheduleProblem, goDurationMinutes } from '../../../lib/backup/schedule';

// The grammar is robfig/cron v3.0.1 ParseStandard (parser.go, spec.go), which
// backup-restore-operator v11.0.1 pkg/controllers/backup/controller.go runs on spec.schedule.
describe('backupScheduleProblem', () => {
  it('accepts what ParseStandard accepts: five fields, names, ranges, steps, lists, descriptors', () => {
    for (const schedule of [
      '0 */6 * * *',
      '30 2 * * *',
      '*/15 1-5 * jan-mar mon-fri',
      '0 0 1,15 * ?',
      '5/10 * * * *',
      '0 3 * * SUN',
      '@daily',
      '@midnight',
      '@hourly',
      '@weekly',
      '@monthly',
      '@yearly',
      '@annually',
      '@every 6h',
      '@every 1h30m',
      '@every 1.5h',
      '@every 90m',
    ]) {
      assert.equal(backupScheduleProblem(schedule), undefined, schedule);
    }
  });

  it('refuses the wrong number of fields (ParseStandard has no seconds field)', () => {
    assert.match(backupScheduleProblem('0 0 */6 * * *') ?? '', /must have 5 fields.*found 6/);
    assert.match(backupScheduleProblem('0 */6 * *') ?? '', /found 4/);
  });

  it('refuses values outside a field range, with the field named', () => {
    assert.equal(
      backupScheduleProblem('60 * * * *'),
      '"60" is outside the minute field\'s range 0-59',
    );
    assert.equal(
      backupScheduleProblem('0 0 0 * *'),
      '"0" is outside the day of month field\'s range 1-31',
    );
    assert.equal(
      backupScheduleProblem('0 0 * 13 *'),
      '"13" is outside the month field\'s range 1-12',
    );
    // cron v3 numbers the days of the week 0-6 (Sunday is 0, 7 is not accepted).
    assert.equal(
      backupScheduleProblem('0 0 * * 7'),
      '"7" is outside the day of week field\'s range 0-6',
    );
  });

  it('refuses malformed ranges, steps and names', () => {
    assert.equal(backupScheduleProblem('0 5-2 * * *'), '"5-2" starts after it ends');
    assert.equal(
      backupScheduleProblem('*/0 * * * *'),
      'the step of "*/0" must be a positive number',
    );
    assert.equal(backupScheduleProblem('1-2-3 * * * *'), '"1-2-3" has more than one "-"');
    assert.match(backupScheduleProblem('0 0 * * funday') ?? '', /"funday" in the day of week/);
    assert.match(backupScheduleProblem('0 noon * * *') ?? '', /"noon" in the hour field/);
  });

  it('refuses unknown descriptors, bad or too short @every durations, and time zones', () => {
    assert.match(backupScheduleProblem('@nightly') ?? '', /not a known descriptor/);
    assert.equal(
      backupScheduleProblem('@every six'),
      '"six" is not a duration such as 6h or 1h30m',
    );
    assert.equal(
      backupScheduleProblem('@every 30s'),
      '@every needs at least 1 minute between backups',
    );
    assert.match(backupScheduleProblem('TZ=UTC 0 1 * * *') ?? '', /must not carry a time zone/);
    assert.equal(backupScheduleProblem('  '), 'must not be empty');
  });
});

describe('goDurationMinutes', () => {
  it('reads Go duration text as time.ParseDuration does', () => {
    assert.equal(goDurationMinutes('6h'), 360);
    assert.equal(goDurationMinutes('1h30m'), 90);
    assert.equal(goDurationMinutes('1.5h'), 90);
    assert.equal(goDurationMinutes('90s'), 1.5);
    assert.equal(goDurationMinutes('6'), undefined);
    assert.equal(goDurationMinutes('h'), undefined);
    assert.equal(goDurationMinutes('1d'), undefined);
  });
});
