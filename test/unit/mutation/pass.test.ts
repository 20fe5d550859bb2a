import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  applyMutant,
  countOccurrences,
  firstFailingTest,
  Mutant,
  MutantResult,
  parseMutants,
  parseTiers,
  passFigures,
  renderReport,
  selectMutants,
  typecheckRounds,
} from '../../../scripts/mutation/pass';

function mutant(overrides: Partial<Mutant> = {}): Mutant {
  return {
    id: 'network-nat',
    family: 'routes-tags-sg',
    file: 'lib/network/network.ts',
    find: 'natGatewayId',
    replace: 'gatewayId',
    description: 'private default route through the internet gateway',
    ...overrides,
  };
}

describe('parseMutants', () => {
  it('reads a list of mutants, an empty replacement included (a deleted statement)', () => {
    const text = JSON.stringify([mutant(), mutant({ id: 'drop-line', replace: '' })]);
    assert.deepEqual(parseMutants(text), [mutant(), mutant({ id: 'drop-line', replace: '' })]);
  });

  // Bug: results keyed by id would silently merge two mutants.
  it('rejects an id used twice', () => {
    const text = JSON.stringify([mutant(), mutant({ replace: 'other' })]);
    assert.throws(
      () => parseMutants(text, 'm.json'),
      /m\.json\[1\]\.id "network-nat" is used twice/,
    );
  });

  // Bug: a missing field would become "undefined" text in the file or the report.
  it('names the entry and field that is missing or not a string', () => {
    const noFind = Object.fromEntries(Object.entries(mutant()).filter(([key]) => key !== 'find'));
    assert.throws(
      () => parseMutants(JSON.stringify([noFind]), 'm.json'),
      /^Error: m\.json\[0\]\.find must be a string; got undefined\.$/,
    );
    assert.throws(
      () => parseMutants(JSON.stringify([mutant({ description: ' ' })])),
      /\[0\]\.description must not be empty/,
    );
  });

  // Bug: a mutant that changes nothing always "escapes" and lowers the measured rate.
  it('rejects a replacement equal to the text it replaces', () => {
    assert.throws(
      () => parseMutants(JSON.stringify([mutant({ replace: 'natGatewayId' })])),
      /\(network-nat\) replaces its text with the same text/,
    );
  });

  it('rejects unknown fields, paths outside the repository and non-arrays', () => {
    assert.throws(
      () => parseMutants(JSON.stringify([{ ...mutant(), replcae: 'x' }])),
      /unknown field\(s\) replcae/,
    );
    assert.throws(
      () => parseMutants(JSON.stringify([mutant({ file: '../other/lib/x.ts' })])),
      /must be a path inside the repository/,
    );
    assert.throws(() => parseMutants('{}', 'm.json'), /m\.json must hold a JSON array/);
    assert.throws(() => parseMutants('[', 'm.json'), /^Error: m\.json is not JSON/);
  });
});

describe('selectMutants and parseTiers', () => {
  const all = [mutant({ id: 'a' }), mutant({ id: 'b' }), mutant({ id: 'c' })];

  // Bug: following --only's order, or ignoring it, would run other mutants than asked.
  it('keeps the file order of the mutants --only names, and all without --only', () => {
    assert.deepEqual(
      selectMutants(all, ['c', 'a']).map((m) => m.id),
      ['a', 'c'],
    );
    assert.deepEqual(
      selectMutants(all).map((m) => m.id),
      ['a', 'b', 'c'],
    );
  });

  // Bug: a typo in --only would run nothing and report an empty pass.
  it('rejects unknown ids', () => {
    assert.throws(() => selectMutants(all, ['a', 'zz']), /Unknown mutant id\(s\): zz\./);
  });

  it('reads tiers in the order given and refuses others', () => {
    assert.deepEqual(parseTiers('policy, unit'), ['policy', 'unit']);
    assert.throws(() => parseTiers('unit,emulator'), /Unknown tier "emulator"/);
    assert.throws(() => parseTiers('unit,unit'), /repeats a tier/);
    assert.throws(() => parseTiers(' , '), /at least one tier/);
  });
});

describe('applyMutant', () => {
  it('replaces the one occurrence', () => {
    assert.deepEqual(applyMutant('a natGatewayId: x', mutant()), {
      applied: true,
      text: 'a gatewayId: x',
    });
  });

  // Bug: String.replace would apply the first of several matches, or read `$&` as a pattern.
  it('refuses text found twice or not at all, and inserts `$&` literally', () => {
    assert.deepEqual(applyMutant('natGatewayId natGatewayId', mutant()), {
      applied: false,
      reason: 'find text occurs 2 times',
    });
    assert.deepEqual(applyMutant('gatewayId', mutant()), {
      applied: false,
      reason: 'find text not found',
    });
    assert.deepEqual(applyMutant('x = 1;', { find: '1', replace: '$& + $1' }), {
      applied: true,
      text: 'x = $& + $1;',
    });
  });

  // Bug: counting with indexOf(needle, at + needle.length) misses overlapping occurrences.
  it('counts overlapping occurrences', () => {
    assert.equal(countOccurrences('aaa', 'aa'), 2);
    assert.equal(countOccurrences('abc', ''), 0);
  });
});

describe('firstFailingTest', () => {
  // TAP as node 20's runner prints it when stdout is not a terminal.
  const tap = [
    'TAP version 13',
    '# Subtest: outer',
    '    # Subtest: passes',
    '    ok 1 - passes',
    '    # Subtest: inner \\#2',
    '        # Subtest: fails \\#1 here',
    '        not ok 1 - fails \\#1 here',
    '          ---',
    '          duration_ms: 2.3',
    '          ...',
    '        1..1',
    '    not ok 2 - inner \\#2',
    'not ok 1 - outer',
    '',
  ].join('\n');

  // Bug: reporting the enclosing suite, or the escaped TAP text, names the wrong test.
  it('names the innermost failing TAP test with its suites', () => {
    assert.equal(firstFailingTest(tap), 'outer > inner #2 > fails #1 here');
  });

  // Bug: a TODO test that throws is not a failure; counting it would mark every mutant caught.
  it('skips TODO and SKIP results', () => {
    const todo = ['# Subtest: s', '    not ok 1 - later # TODO', 'not ok 2 - real one', ''];
    assert.equal(firstFailingTest(todo.join('\n')), 'real one');
    assert.equal(firstFailingTest('    not ok 1 - x # SKIP\nok 1 - s\n'), undefined);
  });

  it('reads spec output, dropping the duration', () => {
    const spec = [
      '▶ outer',
      '  ✔ passes (1.4ms)',
      '  ✖ later (2.7ms) # TODO',
      '    ✖ fails #1 here (2.371259ms)',
      '  ✖ outer (3ms)',
      '',
    ];
    assert.equal(firstFailingTest(spec.join('\n')), 'fails #1 here');
  });

  // Bug: a name cut at a chunk boundary ("not ok 1 - rej") would be reported as the test.
  it('ignores a last line that is not complete yet, and passing output', () => {
    assert.equal(firstFailingTest('# Subtest: s\n    not ok 1 - rej'), undefined);
    assert.equal(firstFailingTest('# Subtest: s\nok 1 - s\n'), undefined);
  });
});

describe('figures and report', () => {
  const results: MutantResult[] = [
    { mutant: mutant({ id: 'a' }), outcome: 'caught', detail: 'unit: network > routes' },
    { mutant: mutant({ id: 'b', description: 'x | y' }), outcome: 'escaped' },
    { mutant: mutant({ id: 'c', family: 'tls-mode' }), outcome: 'escaped' },
    { mutant: mutant({ id: 'd', family: 'tls-mode' }), outcome: 'stale', detail: 'gone' },
  ];

  // Bug: counting stale mutants as tried (or as caught) would flatter the rate.
  it('counts escaped over tried, stale apart', () => {
    assert.deepEqual(passFigures(results), {
      tried: 3,
      caught: 1,
      escaped: 2,
      stale: 1,
      escapeRate: 2 / 3,
    });
    assert.equal(passFigures([]).escapeRate, 0);
  });

  it('renders the figures, a row per family and per mutant, with pipes escaped', () => {
    const report = renderReport(results, ['# Pass 1']);
    const lines = report.split('\n');
    assert.equal(lines[0], '# Pass 1');
    assert.ok(
      lines.includes(
        '**Figures:** tried 3, caught 1, escaped 2, stale 1, escape rate 66.7% (escaped / tried; stale mutants are not counted).',
      ),
    );
    assert.ok(lines.includes('| routes-tags-sg | 2 | 1 | 1 | 0 | 50.0% |'));
    assert.ok(lines.includes('| tls-mode | 1 | 0 | 1 | 1 | 100.0% |'));
    assert.ok(
      lines.includes(
        '| `a` | routes-tags-sg | `lib/network/network.ts` | private default route through the internet gateway | caught | unit: network > routes |',
      ),
    );
    assert.ok(
      lines.includes(
        '| `b` | routes-tags-sg | `lib/network/network.ts` | x \\| y | **escaped** |  |',
      ),
    );
    assert.ok(
      lines.includes(
        '| `d` | tls-mode | `lib/network/network.ts` | private default route through the internet gateway | stale | gone |',
      ),
    );
  });
});

describe('typecheckRounds', () => {
  // Bug: two mutants of one file in a round would be applied on top of each other.
  it('puts at most one mutant of a file in each round, keeping their order', () => {
    const rounds = typecheckRounds([
      mutant({ id: 'a1', file: 'a.ts' }),
      mutant({ id: 'b1', file: 'b.ts' }),
      mutant({ id: 'a2', file: 'a.ts' }),
      mutant({ id: 'a3', file: 'a.ts' }),
    ]);
    assert.deepEqual(
      rounds.map((round) => round.map((m) => m.id)),
      [['a1', 'b1'], ['a2'], ['a3']],
    );
  });
});
