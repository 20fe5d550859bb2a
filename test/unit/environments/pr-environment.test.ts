import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { ConfigError, parseEnvironmentYaml } from '../../../lib/config/load';
import {
  expiryFrom,
  prEnvironmentName,
  renderPrEnvironment,
} from '../../../lib/environments/pr-environment';
import {
  createPrEnvironment,
  PR_TEMPLATE_FILE,
} from '../../../lib/environments/pr-environment-file';

const NOW = new Date('2026-09-01T10:00:00.123Z');
const TEMPLATE = readFileSync(PR_TEMPLATE_FILE, 'utf8');

function render(options: Partial<Parameters<typeof renderPrEnvironment>[1]> = {}) {
  return renderPrEnvironment(TEMPLATE, {
    prNumber: 12,
    owner: 'alice',
    now: NOW,
    accountId: '123456789012',
    ...options,
  });
}

describe('pull-request environment names and expiry', () => {
  it('names the environment pr-<n>', () => {
    assert.equal(prEnvironmentName(12), 'pr-12');
  });

  it('rejects a number that is not a positive whole number', () => {
    for (const bad of [0, -3, 1.5, Number.NaN]) {
      assert.throws(
        () => prEnvironmentName(bad),
        /The pull request number must be a positive whole number; got/,
      );
    }
  });

  it('expires ttlHours after now, in UTC to the second', () => {
    assert.equal(expiryFrom(NOW, 72), '2026-09-04T10:00:00Z');
    assert.equal(expiryFrom(NOW, 0.5), '2026-09-01T10:30:00Z');
  });

  it('refuses a TTL of zero or beyond 30 days', () => {
    assert.throws(
      () => expiryFrom(NOW, 0),
      /ttlHours must be more than 0 and at most 720; got 0\./,
    );
    assert.throws(
      () => expiryFrom(NOW, 721),
      /ttlHours must be more than 0 and at most 720; got 721\./,
    );
  });
});

describe('renderPrEnvironment', () => {
  it('fills in name, owner, expiry (72 h by default) and the name placeholder', () => {
    const { name, config, yaml } = render();
    assert.equal(name, 'pr-12');
    assert.equal(config.name, 'pr-12');
    assert.equal(config.owner, 'alice');
    assert.equal(config.expiresAt, '2026-09-04T10:00:00Z');
    assert.equal(config.protected, false);
    assert.equal(config.dns.hostname, 'rancher.pr-12.ci.internal');
    assert.equal(yaml.includes('${name}'), false);
    assert.match(yaml, /^# Throw-away environment of pull request #12/);
  });

  it('targets a real account by default, with S3 state and a small footprint', () => {
    const { config } = render();
    assert.equal(config.target, 'aws');
    assert.equal(config.accountId, '123456789012');
    assert.equal(config.state.backend, 's3');
    assert.equal(config.network.natGateways, 'single');
    assert.equal(config.network.availabilityZones, 2);
  });

  it('makes an emulator environment with --target local, without an account id', () => {
    const { config } = render({ target: 'local' });
    assert.equal(config.target, 'local');
    assert.equal(config.accountId, undefined);
  });

  it('writes YAML that loads back to the same environment', () => {
    const { yaml, config } = render({ ttlHours: 5 });
    assert.deepEqual(parseEnvironmentYaml(yaml, 'pr-12.yaml'), config);
    assert.equal((parse(yaml) as { expiresAt: string }).expiresAt, '2026-09-01T15:00:00Z');
  });

  it('validates the result and names the bad field', () => {
    assert.throws(
      () => render({ owner: '' }),
      (error: unknown) =>
        error instanceof ConfigError &&
        /pr-12 \(from environments\/templates\/pr\.yaml\): 1 problem/.test(error.message) &&
        /owner: /.test(error.message),
    );
  });

  it('rejects a template that is not a mapping', () => {
    assert.throws(
      () => renderPrEnvironment('- a\n- b\n', { prNumber: 1, owner: 'x', now: NOW }),
      /<root>: must be a mapping of fields/,
    );
  });
});

describe('createPrEnvironment (env:create)', () => {
  it('writes environments/pr-<n>.yaml and refuses to overwrite it without force', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'env-create-'));
    try {
      const file = createPrEnvironment({
        prNumber: 5,
        owner: 'bob',
        target: 'local',
        outDir: dir,
        now: NOW,
      });
      assert.equal(file, path.join(dir, 'pr-5.yaml'));
      assert.equal(parseEnvironmentYaml(readFileSync(file, 'utf8')).owner, 'bob');
      assert.throws(
        () =>
          createPrEnvironment({
            prNumber: 5,
            owner: 'carol',
            target: 'local',
            outDir: dir,
            now: NOW,
          }),
        /pr-5\.yaml exists already; pass --force to overwrite it\./,
      );
      createPrEnvironment({
        prNumber: 5,
        owner: 'carol',
        target: 'local',
        outDir: dir,
        now: NOW,
        force: true,
      });
      assert.equal(parseEnvironmentYaml(readFileSync(file, 'utf8')).owner, 'carol');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses an AWS environment whose state bucket cannot be named, and writes nothing', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'env-create-'));
    try {
      const template = path.join(dir, 'pr.yaml');
      writeFileSync(template, TEMPLATE);
      assert.throws(
        () =>
          createPrEnvironment({
            prNumber: 6,
            owner: 'bob',
            outDir: dir,
            templateFile: template,
            now: NOW,
          }),
        /state\.bucket: is required for backend s3 on target aws unless accountId is set/,
      );
      assert.throws(() => readFileSync(path.join(dir, 'pr-6.yaml')), /ENOENT/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
