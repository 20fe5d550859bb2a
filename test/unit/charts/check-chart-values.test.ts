import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkChartValues, coalesce } from '../../helpers/chart-values';

describe('checkChartValues', () => {
  describe('value paths', () => {
    it('names an unknown path and the chart version', () => {
      assert.deepEqual(checkChartValues('rancher', { hostname: 'r.example.com', replica: 3 }), [
        'replica is not a value of the rancher chart 2.15.0: neither its values.yaml nor its values schema has it.',
      ]);
    });

    it('reports an unknown nested path below a known map', () => {
      const problems = checkChartValues('rancher', { ingress: { tls: { sorce: 'secret' } } });
      assert.equal(problems.length, 1);
      assert.match(
        problems[0],
        /^ingress\.tls\.sorce is not a value of the rancher chart 2\.15\.0/,
      );
    });

    it("flags Traefik's plain service.type, which Traefik 41 ignores", () => {
      const problems = checkChartValues('traefik', { service: { type: 'ClusterIP' } });
      assert.deepEqual(problems, [
        'service.type is not a value of the traefik chart 41.3.0: neither its values.yaml nor its values schema has it.',
      ]);
      assert.deepEqual(
        checkChartValues('traefik', { service: { spec: { type: 'ClusterIP' } } }),
        [],
      );
    });

    it('accepts any key below free-form maps and Rancher comment-only keys', () => {
      assert.deepEqual(
        checkChartValues('rancher', {
          hostname: 'rancher.example.com',
          letsEncrypt: { email: 'ops@example.com' },
          extraEnv: [{ name: 'CATTLE_TLS_MIN_VERSION', value: '1.2' }],
          ingress: { extraAnnotations: { 'any.example.com/key': 'x' } },
          resources: { requests: { cpu: '1' } },
        }),
        [],
      );
      assert.deepEqual(
        checkChartValues('cert-manager', {
          serviceAccount: { annotations: { 'eks.amazonaws.com/role-arn': 'arn' } },
        }),
        [],
      );
    });

    it('checks the load balancer controller chart by path (it has no schema)', () => {
      assert.deepEqual(checkChartValues('aws-load-balancer-controller', { clusterName: 'c' }), []);
      assert.deepEqual(checkChartValues('aws-load-balancer-controller', { clustername: 'c' }), [
        'clustername is not a value of the aws-load-balancer-controller chart 3.5.0: neither its values.yaml nor its values schema has it.',
      ]);
    });
  });

  describe('schema', () => {
    it("rejects Traefik's unknown top-level key ping (the schema is closed at the root)", () => {
      const problems = checkChartValues('traefik', { ping: { enabled: true } });
      assert.ok(
        problems.includes('traefik chart 41.3.0 schema: ping is not allowed by the schema.'),
      );
    });

    it('reports a wrong type', () => {
      assert.deepEqual(checkChartValues('traefik', { deployment: { replicas: '2' } }), [
        'traefik chart 41.3.0 schema: deployment.replicas must be integer,null.',
      ]);
      assert.deepEqual(checkChartValues('cert-manager', { crds: { enabled: 'yes' } }), [
        'cert-manager chart v1.21.1 schema: crds.enabled must be boolean.',
      ]);
    });

    it('reports an enum violation with the accepted values', () => {
      assert.deepEqual(checkChartValues('rancher', { agentTLSMode: 'lenient' }), [
        'rancher chart 2.15.0 schema: agentTLSMode must be one of ["strict","system-store","",null].',
      ]);
      assert.deepEqual(checkChartValues('traefik', { log: { level: 'LOUD' } }), [
        'traefik chart 41.3.0 schema: log.level must be one of ["TRACE","DEBUG","INFO","WARN","ERROR","FATAL","PANIC"].',
      ]);
    });

    it('evaluates conditional rules on values coalesced over the defaults, as Helm does', () => {
      // Rancher: disableHTTP needs servicePort 443; the default servicePort is 80.
      assert.deepEqual(checkChartValues('rancher', { service: { disableHTTP: true } }), [
        'rancher chart 2.15.0 schema: ingress.servicePort must be one of [443].',
      ]);
      assert.deepEqual(
        checkChartValues('rancher', {
          service: { disableHTTP: true },
          ingress: { servicePort: 443 },
        }),
        [],
      );
    });

    it('reports an unknown key inside a closed schema object', () => {
      const problems = checkChartValues('cert-manager', { crds: { bogus: true } });
      assert.ok(
        problems.includes(
          'cert-manager chart v1.21.1 schema: crds.bogus is not allowed by the schema.',
        ),
      );
    });
  });

  describe('coalesce', () => {
    it('merges maps, replaces other values and drops keys set to null', () => {
      assert.deepEqual(
        coalesce({ a: { b: 1, c: 2 }, d: [1], e: 'x' }, { a: { c: 3 }, d: [2], e: null }),
        { a: { b: 1, c: 3 }, d: [2] },
      );
    });
  });
});
