import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { sweep, SweepOptions } from '../../../lib/environments/sweep';
import { buildEnvironment } from '../../../stacks';
import { fakeAws } from '../../helpers/fake-aws';

const NOW = new Date('2026-09-01T12:00:00Z');
const work = mkdtempSync(path.join(tmpdir(), 'sweep-unit-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** A tagging API that holds one resource per [environment, expires-at, protected]. */
function tagging(environments: readonly [string, string, boolean?][]) {
  return fakeAws({
    tagging: {
      GetResources: () => ({
        ResourceTagMappingList: environments.map(([name, expiresAt, isProtected]) => ({
          ResourceARN: `arn:aws:ec2:us-east-1:111122223333:vpc/vpc-${name}`,
          Tags: [
            { Key: 'rancher-aws:environment', Value: name },
            { Key: 'rancher-aws:expires-at', Value: expiresAt },
            ...(isProtected ? [{ Key: 'rancher-aws:protected', Value: 'true' }] : []),
          ],
        })),
      }),
    },
  });
}

function environmentsDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(work, 'environments-'));
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(path.join(dir, `${name}.yaml`), text);
  }
  return dir;
}

const LOCAL_FILE = (name: string, extra = '') =>
  `name: ${name}\ntarget: local\nowner: ci\nexpiresAt: '2026-08-01T00:00:00Z'\n${extra}` +
  `dns:\n  hostname: rancher.${name}.internal\n`;

function options(fake: ReturnType<typeof fakeAws>, dir: string, lines: string[]): SweepOptions {
  return {
    buildEnvironment,
    searchClients: fake.clients,
    target: 'local',
    region: 'us-east-1',
    environmentsDir: dir,
    now: NOW,
    log: (line) => lines.push(line),
  };
}

describe('sweep', () => {
  it('keeps live, unreadable and protected environments and skips those without a file', async () => {
    const fake = tagging([
      ['pr-1', '2026-08-01T00:00:00Z'],
      ['pr-2', '2026-08-02T00:00:00Z', true],
      ['pr-3', '2026-08-03T00:00:00Z'],
      ['pr-4', '2026-10-01T00:00:00Z'],
      ['pr-5', 'soon'],
    ]);
    const dir = environmentsDir({ 'pr-1': LOCAL_FILE('pr-1'), 'pr-2': LOCAL_FILE('pr-2') });
    const lines: string[] = [];
    const result = await sweep({ ...options(fake, dir, lines), dryRun: true });
    assert.deepEqual(fake.inputsOf('tagging', 'GetResources'), [
      { TagFilters: [{ Key: 'rancher-aws:expires-at' }] },
    ]);
    assert.deepEqual(result.outcomes, [
      { name: 'pr-1', action: 'would-tear-down' },
      { name: 'pr-2', action: 'skipped-protected' },
      { name: 'pr-3', action: 'skipped-no-file', detail: path.join(dir, 'pr-3.yaml') },
    ]);
    assert.deepEqual(lines, [
      'pr-4: expires 2026-10-01T00:00:00Z; kept',
      'pr-5: rancher-aws:expires-at="soon" is not a date-time; kept',
      'pr-1: expired 2026-08-01T00:00:00Z; would tear down (dry run)',
      'pr-2: expired 2026-08-02T00:00:00Z; protected, kept',
      `pr-3: expired 2026-08-03T00:00:00Z; no ${path.join(dir, 'pr-3.yaml')}, cannot destroy it through Terraform: skipped`,
    ]);
  });

  it('reports a teardown that fails and goes on with the next environment', async () => {
    const fake = tagging([
      ['pr-6', '2026-08-01T00:00:00Z'],
      ['pr-7', '2026-08-01T00:00:00Z'],
    ]);
    // pr-6's file is not a valid environment; pr-7's file says protected although its tags do not.
    const dir = environmentsDir({
      'pr-6': 'name: PR-6\n',
      'pr-7': LOCAL_FILE('pr-7', 'protected: true\n'),
    });
    const lines: string[] = [];
    const result = await sweep(options(fake, dir, lines));
    assert.deepEqual(
      result.outcomes.map((o) => [o.name, o.action]),
      [
        ['pr-6', 'failed'],
        ['pr-7', 'failed'],
      ],
    );
    assert.match(
      result.outcomes[0].detail ?? '',
      /pr-6\.yaml: 3 problems; nothing was synthesized/,
    );
    assert.match(result.outcomes[1].detail ?? '', /^Environment "pr-7" is protected/);
    assert.equal(lines[0], 'pr-6: expired 2026-08-01T00:00:00Z; tearing down');
    assert.match(lines[1], /^pr-6: teardown failed: .*pr-6\.yaml: 3 problems/);
    assert.equal(lines[2], 'pr-7: expired 2026-08-01T00:00:00Z; tearing down');
    assert.match(lines[3], /^pr-7: teardown failed: Environment "pr-7" is protected/);
  });

  it('never touches a protected environment, even with a valid file and no dry run', async () => {
    // Three resources of pr-8; only the first says protected (the sweep must read them all).
    const resource = (id: string, tags: [string, string][]) => ({
      ResourceARN: `arn:aws:ec2:us-east-1:111122223333:vpc/${id}`,
      Tags: tags.map(([Key, Value]) => ({ Key, Value })),
    });
    const common: [string, string][] = [
      ['rancher-aws:environment', 'pr-8'],
      ['rancher-aws:expires-at', '2026-08-01T00:00:00Z'],
    ];
    const fake = fakeAws({
      tagging: {
        GetResources: () => ({
          ResourceTagMappingList: [
            resource('vpc-a', [...common, ['rancher-aws:protected', 'true']]),
            resource('vpc-b', common),
            resource('vpc-c', common),
          ],
        }),
      },
    });
    const dir = environmentsDir({ 'pr-8': LOCAL_FILE('pr-8') });
    const lines: string[] = [];
    const result = await sweep(options(fake, dir, lines));
    assert.deepEqual(result.outcomes, [{ name: 'pr-8', action: 'skipped-protected' }]);
    assert.deepEqual(lines, ['pr-8: expired 2026-08-01T00:00:00Z; protected, kept']);
    assert.deepEqual(
      fake.calls.map((c) => `${c.service}:${c.command}`),
      ['tagging:GetResources'],
      'the sweep called nothing else (no teardown started)',
    );
  });

  it('says so when nothing has expired', async () => {
    const lines: string[] = [];
    const result = await sweep(options(tagging([]), environmentsDir({}), lines));
    assert.deepEqual(result.outcomes, []);
    assert.deepEqual(lines, ['No expired environments.']);
  });
});
