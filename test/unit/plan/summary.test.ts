import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PLAN_SUMMARY_MARKER } from '../../../lib/plan/render';
import { summarizePlans } from '../../../lib/plan/summary';
import { classifyActions, summarizeStackPlan } from '../../../lib/plan/summarize';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'plans');

/** A real `terraform show -json` document captured by scripts/capture-plan-fixtures.sh. */
function fixture(name: 'changes' | 'empty' | 'initial' | 'destroy'): unknown {
  return JSON.parse(readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8'));
}

const addresses = (changes: readonly { address: string }[]): string[] =>
  changes.map((c) => c.address);

describe('classifyActions', () => {
  it('maps each action list Terraform prints', () => {
    assert.equal(classifyActions(['create']), 'create');
    assert.equal(classifyActions(['update']), 'update');
    assert.equal(classifyActions(['delete']), 'delete');
    assert.equal(classifyActions(['delete', 'create']), 'replace');
    assert.equal(classifyActions(['create', 'delete']), 'replace');
    assert.equal(classifyActions(['no-op']), 'none');
    assert.equal(classifyActions(['read']), 'none');
    assert.equal(classifyActions(['forget']), 'forget');
  });

  it('returns undefined for a list it does not know', () => {
    assert.equal(classifyActions(['update', 'delete']), undefined);
    assert.equal(classifyActions([]), undefined);
  });
});

describe('summarizeStackPlan on captured plans', () => {
  it('groups a plan with one of each change by what it does', () => {
    // Given the second configuration planned against the applied first one
    const summary = summarizeStackPlan('dev-management', fixture('changes'));

    // Then each resource lands in its group; the data read and the no-op subnet are ignored
    assert.deepEqual(addresses(summary.creates), ['aws_ssm_parameter.current']);
    assert.deepEqual(addresses(summary.updates), ['aws_vpc.main']);
    assert.deepEqual(addresses(summary.replacements), ['aws_security_group.web', 'aws_subnet.a']);
    assert.deepEqual(addresses(summary.deletes), ['aws_ssm_parameter.legacy']);
    assert.deepEqual(summary.forgets, []);
    assert.equal(summary.hasChanges, true);
    assert.equal(summary.errored, false);
    assert.equal(summary.complete, true);
  });

  it('keeps why a replacement happens and in which order', () => {
    const summary = summarizeStackPlan('s', fixture('changes'));
    const [sg, subnet] = summary.replacements;
    assert.deepEqual(sg.replacePaths, ['description']);
    assert.equal(sg.createBeforeDestroy, true);
    assert.deepEqual(subnet.replacePaths, ['cidr_block']);
    assert.equal(subnet.createBeforeDestroy, false);
    assert.equal(subnet.reason, 'replace_because_cannot_update');
    assert.equal(summary.deletes[0].reason, 'delete_because_no_resource_config');
  });

  it('lists output changes by name without no-op outputs', () => {
    const summary = summarizeStackPlan('s', fixture('changes'));
    assert.deepEqual(summary.outputs, [
      { name: 'current_parameter', action: 'create' },
      { name: 'legacy_parameter', action: 'delete' },
      { name: 'stage', action: 'update' },
      { name: 'vpc_cidr', action: 'update' },
    ]);
  });

  it('sees no changes in a plan of an applied configuration against itself', () => {
    const summary = summarizeStackPlan('s', fixture('empty'));
    assert.equal(summary.hasChanges, false);
    assert.deepEqual(summary.outputs, []);
    assert.equal(summary.creates.length + summary.updates.length, 0);
  });

  it('counts every resource of a destroy plan as a destroy', () => {
    const summary = summarizeStackPlan('s', fixture('destroy'));
    assert.deepEqual(addresses(summary.deletes), [
      'aws_security_group.web',
      'aws_ssm_parameter.legacy',
      'aws_subnet.a',
      'aws_subnet.b',
      'aws_vpc.main',
    ]);
    assert.equal(summary.replacements.length, 0);
  });
});

describe('summarizePlans', () => {
  it('warns at the top and lists destroys and replacements by address', () => {
    // Given one stack with destructive changes, one unchanged and one new
    const result = summarizePlans([
      { stack: 'dev-management', plan: fixture('changes') },
      { stack: 'dev-rancher', plan: fixture('empty') },
      { stack: 'dev-a-cluster', plan: fixture('initial') },
    ]);

    // Then the counts are those of the changes fixture
    assert.equal(result.destroys, 1);
    assert.equal(result.replacements, 2);
    const lines = result.markdown.split('\n');
    assert.equal(lines[0], '### Terraform plan');
    assert.equal(
      lines[2],
      '⚠️ **1 resource would be destroyed and 2 resources would be replaced** in 1 of 3 stacks. ' +
        'Check the addresses below before merging.',
    );
    assert.ok(lines.includes('| `dev-management` | 1 | 1 | 2 ⚠️ | 1 ⚠️ |'));
    assert.ok(lines.includes('| `dev-rancher` | no changes | – | – | – |'));
    assert.ok(lines.includes('| `dev-a-cluster` | 5 | 0 | 0 | 0 |'));
    assert.ok(lines.includes('**⚠️ Destroy (1)**'));
    assert.ok(lines.includes('- `aws_ssm_parameter.legacy` — no longer in the configuration'));
    assert.ok(lines.includes('**⚠️ Replace (2)**'));
    assert.ok(lines.includes('- `aws_subnet.a` — destroy, then create; forced by `cidr_block`'));
    assert.ok(
      lines.includes('- `aws_security_group.web` — create before destroy; forced by `description`'),
    );
    assert.ok(
      lines.includes(
        'Outputs: added `current_parameter`; changed `stage`, `vpc_cidr`; removed `legacy_parameter`.',
      ),
    );
    // An unchanged stack gets a row but no section
    assert.ok(!result.markdown.includes('#### `dev-rancher`'));
    assert.equal(lines.at(-2), PLAN_SUMMARY_MARKER);
  });

  it('says nothing is destroyed when a plan only adds', () => {
    const result = summarizePlans([{ stack: 'dev-management', plan: fixture('initial') }]);
    assert.equal(result.destroys, 0);
    assert.equal(result.replacements, 0);
    assert.match(
      result.markdown,
      /^✅ \*\*Nothing would be destroyed or replaced\.\*\* 5 to add, 0 to change in 1 of 1 stack\.$/m,
    );
    assert.doesNotMatch(result.markdown, /⚠️/);
  });

  it('shows every stack as "no changes" when nothing changes', () => {
    const result = summarizePlans(
      [
        { stack: 'a', plan: fixture('empty') },
        { stack: 'b', plan: fixture('empty') },
      ],
      { title: 'Plan of pr-7', marker: false },
    );
    assert.equal(
      result.markdown,
      [
        '### Plan of pr-7',
        '',
        '✅ **No changes.** Nothing would be destroyed; every stack matches its configuration.',
        '',
        '| Stack | Add | Change | Replace | Destroy |',
        '| --- | ---: | ---: | ---: | ---: |',
        '| `a` | no changes | – | – | – |',
        '| `b` | no changes | – | – | – |',
        '',
      ].join('\n'),
    );
  });

  it('never prints output or attribute values', () => {
    // The captured plan carries the values "legacy" and "current" of two parameters
    const result = summarizePlans([{ stack: 's', plan: fixture('changes') }]);
    assert.doesNotMatch(result.markdown, /"current"|"legacy"|10\.20\.3\.0/);
  });

  it('shortens long lists with a count of the rest', () => {
    const result = summarizePlans([{ stack: 's', plan: fixture('destroy') }], { maxListed: 2 });
    assert.equal(result.destroys, 5);
    assert.match(result.markdown, /- `aws_ssm_parameter.legacy`\n- …and 3 more\n/);
  });

  it('escapes pipes of addresses in the table and backticks in code spans', () => {
    const plan = {
      format_version: '1.2',
      resource_changes: [
        { address: 'aws_ssm_parameter.p["a`b"]', change: { actions: ['delete'] } },
      ],
    };
    const result = summarizePlans([{ stack: 'x|y', plan }]);
    assert.ok(result.markdown.includes('| `x\\|y` | 0 | 0 | 0 | 1 ⚠️ |'));
    assert.ok(result.markdown.includes('- `` aws_ssm_parameter.p["a`b"] ``'));
  });

  it('flags an errored plan in the headline and its section', () => {
    const plan = { format_version: '1.2', errored: true, resource_changes: [] };
    const result = summarizePlans([{ stack: 's', plan }]);
    assert.match(result.markdown, /⚠️ \*\*1 plan errored\*\*: the summary is incomplete\./);
    assert.match(
      result.markdown,
      /Terraform reported an error while planning; this list is partial\./,
    );
  });
});

describe('summarizePlans input errors', () => {
  it('rejects a document that is not a plan', () => {
    assert.throws(
      () => summarizePlans([{ stack: 'dev', plan: [] }]),
      /Plan of stack "dev" must be the JSON object printed by "terraform show -json <planfile>"; got \[\]\./,
    );
    assert.throws(
      () => summarizePlans([{ stack: 'dev', plan: { format_version: '2.0' } }]),
      /Plan of stack "dev": format_version must be a 1\.x version string .*got "2\.0"\./,
    );
    assert.throws(
      () => summarizePlans([{ stack: 'dev', plan: { format_version: '1.0', values: {} } }]),
      /looks like a state .* not a plan\./,
    );
  });

  it('names the resource whose actions are malformed or unknown', () => {
    const plan = (actions: unknown): unknown => ({
      format_version: '1.2',
      resource_changes: [{ address: 'aws_vpc.main', change: { actions } }],
    });
    assert.throws(
      () => summarizeStackPlan('dev', plan('create')),
      /resource_changes\[0\]\.change\.actions \(aws_vpc\.main\) must be a non-empty array of action names such as \["create"\]; got "create"\./,
    );
    assert.throws(
      () => summarizeStackPlan('dev', plan(['update', 'delete'])),
      /aws_vpc\.main has change\.actions \["update","delete"\], which is not one of/,
    );
  });

  it('rejects no plans, duplicate stacks and a bad maxListed', () => {
    assert.throws(() => summarizePlans([]), /needs at least one stack plan; got none\./);
    const plan = fixture('empty');
    assert.throws(
      () =>
        summarizePlans([
          { stack: 'a', plan },
          { stack: 'a', plan },
        ]),
      /Stack "a" is given twice; each stack may have one plan\./,
    );
    assert.throws(
      () => summarizePlans([{ stack: 'a', plan }], { maxListed: 0 }),
      /maxListed must be a positive integer; got 0\./,
    );
  });
});
