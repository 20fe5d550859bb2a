import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadChartFixture } from '../../helpers/chart-values';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const referenceDir = path.resolve(repoRoot, '..', 'shared', 'reference');
const LOCAL_FIXTURES = [
  'rancher-2.15.0',
  'cert-manager-v1.21.1',
  'traefik-41.3.0',
  'aws-load-balancer-controller-3.5.0',
  'rancher-backup-11.0.1',
];

describe('chart fixtures', () => {
  it('regenerate byte-identically from the reference files', () => {
    // CI checks out ../shared/reference beside the repository too: a missing copy is an error.
    assert.ok(
      existsSync(path.join(referenceDir, 'SOURCES.yaml')),
      `the upstream reference files are missing: ${referenceDir}/SOURCES.yaml does not exist`,
    );
    const out = mkdtempSync(path.join(tmpdir(), 'chart-fixtures-'));
    try {
      const run = spawnSync(
        process.execPath,
        ['--import', 'tsx', 'scripts/gen-chart-fixtures.ts', referenceDir, '--out', out],
        { cwd: repoRoot, encoding: 'utf8' },
      );
      assert.equal(run.status, 0, run.stderr);
      for (const name of LOCAL_FIXTURES) {
        const committed = readFileSync(
          path.join(repoRoot, 'test', 'fixtures', 'charts', `${name}.json`),
        );
        const fresh = readFileSync(path.join(out, `${name}.json`));
        assert.ok(committed.equals(fresh), `${name}.json differs from a fresh generation`);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('record the upstream sources and checksums', () => {
    const { fixture } = loadChartFixture('rancher');
    const source = (fixture as unknown as { source: Record<string, string> }).source;
    assert.equal(source.repo, 'rancher/rancher');
    assert.equal(source.tag, 'v2.15.0');
    assert.equal(source.sha256, '010064352012922ccfe9d8c43b0f4402a96347531ce01d629393493f0ce8e300');
  });

  it('record where the rke2-traefik values and the schema checking them come from', () => {
    const { fixture, validate } = loadChartFixture('rke2-traefik');
    const source = (fixture as unknown as { source: Record<string, string> }).source;
    assert.equal(source.repo, 'rancher/rke2-charts');
    assert.equal(source.upstreamPath, 'charts/rke2-traefik/rke2-traefik/40.1.009/values.yaml');
    assert.equal(source.schemaRepo, 'traefik/traefik-helm-chart');
    assert.equal(source.schemaTag, 'v40.1.0');
    assert.ok(validate, 'no schema to validate with');
    // RKE2's own defaults (DaemonSet, host ports 80 and 443) are in the fixture.
    assert.equal((fixture.defaults.deployment as { kind: string }).kind, 'DaemonSet');
    const ports = fixture.defaults.ports as Record<string, { hostPort?: number }>;
    assert.deepEqual([ports.web.hostPort, ports.websecure.hostPort], [80, 443]);
  });

  it('record the AWS Load Balancer Controller chart, its CRDs and its IAM policy from eks-charts', () => {
    const { fixture } = loadChartFixture('aws-load-balancer-controller');
    const source = (fixture as unknown as { source: Record<string, string | null> }).source;
    assert.equal(fixture.version, '3.5.0');
    assert.equal(source.repo, 'aws/eks-charts');
    assert.equal(source.commit, '5239609242f3430be50fb0b714a24d3ef2b47983');
    assert.equal(source.appVersion, 'v3.5.0');
    // The chart has no values.schema.json: only value paths are checked.
    assert.equal(fixture.schema, null);
    assert.ok(fixture.valuePaths.includes('enableServiceMutatorWebhook'));
    assert.ok(fixture.freeFormPaths.includes('controllerConfig.featureGates'));
    assert.deepEqual(Object.keys(fixture.crds ?? {}), ['targetgroupbindings.elbv2.k8s.aws']);
    assert.ok(fixture.iamPolicy?.actions.includes('elasticloadbalancing:RegisterTargets'));
  });

  it('keep Rancher comment-only keys apart, marked as coming from VERSIONS.md', () => {
    const { fixture } = loadChartFixture('rancher');
    assert.ok(fixture.commentOnlyPaths);
    assert.match(fixture.commentOnlyPaths.source, /VERSIONS\.md/);
    assert.ok(fixture.commentOnlyPaths.paths.includes('hostname'));
    assert.ok(fixture.commentOnlyPaths.paths.includes('letsEncrypt.email'));
    assert.equal(fixture.valuePaths.includes('hostname'), false);
    assert.ok(fixture.freeFormPaths.includes('extraEnv'));
  });

  it("keep rancher-backup's comment-only proxy key, marked with the template that reads it", () => {
    const { fixture } = loadChartFixture('rancher-backup');
    assert.deepEqual(fixture.commentOnlyPaths?.paths, ['proxy']);
    assert.match(fixture.commentOnlyPaths?.source ?? '', /templates\/deployment\.yaml/);
    assert.equal(fixture.valuePaths.includes('proxy'), false);
    assert.ok(fixture.valuePaths.includes('noProxy'));
  });

  it('treat empty maps and lists as free-form, and stop recording below them', () => {
    const { fixture } = loadChartFixture('traefik');
    for (const p of [
      'nodeSelector',
      'tolerations',
      'deployment.podAnnotations',
      'service.spec',
      'ports',
    ]) {
      assert.ok(fixture.freeFormPaths.includes(p), `${p} should be free-form`);
    }
    assert.ok(fixture.valuePaths.includes('service.spec'));
    assert.equal(fixture.valuePaths.includes('service.type'), false);
    assert.equal(fixture.valuePaths.includes('ports.web.port'), false);
    // A map the schema leaves open only by omission is not free-form.
    assert.equal(fixture.freeFormPaths.includes('service'), false);
  });

  it('add keys the schema declares but values.yaml only shows as comments', () => {
    const { fixture } = loadChartFixture('cert-manager');
    assert.ok(fixture.schemaPaths.includes('serviceAccount.annotations'));
    assert.ok(fixture.freeFormPaths.includes('serviceAccount.annotations'));
    assert.ok(fixture.schemaPaths.includes('ingressShim.defaultIssuerName'));
  });

  it('reduce schemas to structure, types and enums', () => {
    const { fixture } = loadChartFixture('traefik');
    const text = JSON.stringify(fixture.schema);
    assert.equal(text.includes('"description"'), false);
    assert.equal(text.includes('"title"'), false);
    assert.equal(fixture.schema?.additionalProperties, false);
    assert.match(text, /"enum":\["TRACE","DEBUG"/);
  });
});
