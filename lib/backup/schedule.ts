/**
 * The schedule of a recurring rancher-backup `Backup`. The operator parses `spec.schedule` with
 * robfig/cron v3 `ParseStandard` (backup-restore-operator v11.0.1
 * pkg/controllers/backup/controller.go; cron v3.0.1 parser.go): five fields (minute, hour, day of
 * month, month, day of week) or a descriptor (`@daily`, `@every 6h`, ...). This checks the same
 * grammar here, so a typo fails the config instead of a Backup the operator never runs. Pure.
 */

interface FieldBounds {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: Readonly<Record<string, number>>;
}

const MONTH_NAMES = [
  'jan',
  'feb',
  'mar',
  'apr',
  'may',
  'jun',
  'jul',
  'aug',
  'sep',
  'oct',
  'nov',
  'dec',
];
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** cron v3.0.1 spec.go `bounds` of the five standard fields. */
const FIELDS: readonly FieldBounds[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  {
    name: 'month',
    min: 1,
    max: 12,
    names: Object.fromEntries(MONTH_NAMES.map((n, i) => [n, i + 1])),
  },
  {
    name: 'day of week',
    min: 0,
    max: 6,
    names: Object.fromEntries(DAY_NAMES.map((n, i) => [n, i])),
  },
];

const DESCRIPTORS = [
  '@yearly',
  '@annually',
  '@monthly',
  '@weekly',
  '@daily',
  '@midnight',
  '@hourly',
];

/** Go `time.ParseDuration` units, in nanoseconds. */
const DURATION_UNITS: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/** The shortest `@every` interval accepted: one backup of Rancher takes longer than seconds. */
export const MIN_EVERY_MINUTES = 1;

function parseNumber(text: string, field: FieldBounds): number | string {
  const named = field.names?.[text.toLowerCase()];
  if (named !== undefined) return named;
  if (!/^\d+$/.test(text)) {
    const names = field.names ? ` or a name (${Object.keys(field.names).join(', ')})` : '';
    return `"${text}" in the ${field.name} field is not a number${names}`;
  }
  return Number(text);
}

/** One comma-separated part of a field: `*`, `?`, `a`, `a-b`, each optionally `/step`. */
function checkRange(expression: string, field: FieldBounds): string | undefined {
  const [range, step, ...extraSlashes] = expression.split('/');
  if (extraSlashes.length > 0) return `"${expression}" has more than one "/"`;
  if (step !== undefined && (!/^\d+$/.test(step) || Number(step) === 0)) {
    return `the step of "${expression}" must be a positive number`;
  }
  if (range === '*' || range === '?') return undefined;
  const [low, high, ...extraHyphens] = range.split('-');
  if (extraHyphens.length > 0) return `"${expression}" has more than one "-"`;
  const start = parseNumber(low, field);
  if (typeof start === 'string') return start;
  const end = high === undefined ? start : parseNumber(high, field);
  if (typeof end === 'string') return end;
  if (start < field.min || end > field.max) {
    return `"${expression}" is outside the ${field.name} field's range ${field.min}-${field.max}`;
  }
  if (start > end) return `"${expression}" starts after it ends`;
  return undefined;
}

/** Go duration text such as `6h`, `1h30m` or `1.5h`, in minutes; undefined when not one. */
export function goDurationMinutes(text: string): number | undefined {
  if (
    !/^(\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)((\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h))*$/.test(text)
  ) {
    return undefined;
  }
  let nanoseconds = 0;
  for (const match of text.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)) {
    nanoseconds += Number(match[1]) * DURATION_UNITS[match[2]];
  }
  return nanoseconds / 60e9;
}

/**
 * What is wrong with a Backup schedule, as a phrase; undefined when the operator accepts it.
 * Time-zone prefixes (`CRON_TZ=`) are refused: the schedule runs in the operator pod's zone (UTC).
 */
export function backupScheduleProblem(schedule: string): string | undefined {
  const text = schedule.trim();
  if (text === '') return 'must not be empty';
  if (/^(CRON_)?TZ=/.test(text)) {
    return "must not carry a time zone: the operator runs the schedule in its pod's zone (UTC)";
  }
  if (text.startsWith('@')) {
    if (DESCRIPTORS.includes(text)) return undefined;
    const every = /^@every (\S+)$/.exec(text);
    if (!every) {
      return `is not a known descriptor; use one of ${DESCRIPTORS.join(', ')} or @every <duration>`;
    }
    const minutes = goDurationMinutes(every[1]);
    if (minutes === undefined) return `"${every[1]}" is not a duration such as 6h or 1h30m`;
    if (minutes < MIN_EVERY_MINUTES) {
      return `@every needs at least ${MIN_EVERY_MINUTES} minute between backups`;
    }
    return undefined;
  }
  const fields = text.split(/\s+/);
  if (fields.length !== FIELDS.length) {
    return `must have 5 fields (minute hour day-of-month month day-of-week) or be a descriptor such as @daily; found ${fields.length}`;
  }
  for (const [index, field] of FIELDS.entries()) {
    for (const part of fields[index].split(',')) {
      if (part === '') return `the ${field.name} field "${fields[index]}" has an empty list item`;
      const problem = checkRange(part, field);
      if (problem) return problem;
    }
  }
  return undefined;
}
