import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  TRAEFIK_CONTAINER_PORTS,
  TRAEFIK_POD_LABELS,
  TRAEFIK_SERVICE,
  tlsOffloadEntrypointValues,
  traefikChartValues,
} from '../../../lib/addons/traefik-values';
import { EKS_INGRESS_TARGET_PORTS } from '../../../lib/ingress/ports';
import { checkChartValues } from '../../helpers/chart-values';
import { expectedTlsOffloadMiddleware } from '../../helpers/traefik';

describe('traefikChartValues', () => {
  it('fits the pinned chart', () => {
    assert.deepEqual(checkChartValues('traefik', traefikChartValues()), []);
    assert.deepEqual(
      checkChartValues(
        'traefik',
        traefikChartValues({
          replicas: 3,
          defaultIngressClass: true,
          publishedHostname: 'r.example.com',
        }),
      ),
      [],
    );
  });

  it('keeps the Service ClusterIP through service.spec.type, never service.type', () => {
    const values = traefikChartValues();
    assert.deepEqual(values.service, { spec: { type: 'ClusterIP' } });
  });

  it('listens on the NLB target ports and exposes 80/443 on the Service', () => {
    assert.deepEqual(TRAEFIK_CONTAINER_PORTS, { web: 8000, websecure: 8443, 'tls-offload': 8001 });
    assert.equal(TRAEFIK_CONTAINER_PORTS.web, EKS_INGRESS_TARGET_PORTS.http);
    assert.equal(TRAEFIK_CONTAINER_PORTS.websecure, EKS_INGRESS_TARGET_PORTS.https);
    assert.equal(TRAEFIK_CONTAINER_PORTS['tls-offload'], EKS_INGRESS_TARGET_PORTS.tlsOffload);
    assert.deepEqual(traefikChartValues().ports, {
      web: { port: 8000, exposedPort: 80 },
      websecure: { port: 8443, exposedPort: 443 },
    });
    assert.equal('extraObjects' in traefikChartValues(), false);
    assert.deepEqual(TRAEFIK_SERVICE, {
      name: 'traefik',
      namespace: 'traefik',
      ports: { web: 80, websecure: 443, 'tls-offload': 8001 },
    });
    assert.equal(traefikChartValues().fullnameOverride, TRAEFIK_SERVICE.name);
  });

  it('creates IngressClass traefik, not the default unless asked', () => {
    assert.deepEqual(traefikChartValues().ingressClass, {
      enabled: true,
      name: 'traefik',
      isDefaultClass: false,
    });
    assert.equal(
      (traefikChartValues({ defaultIngressClass: true }).ingressClass as Record<string, unknown>)
        .isDefaultClass,
      true,
    );
  });

  it('runs 2 replicas with a PDB, spread across zones then hosts', () => {
    const values = traefikChartValues();
    assert.deepEqual(values.deployment, { replicas: 2 });
    assert.deepEqual(values.podDisruptionBudget, { enabled: true, maxUnavailable: 1 });
    const spread = values.topologySpreadConstraints as Array<Record<string, unknown>>;
    assert.deepEqual(
      spread.map((c) => c.topologyKey),
      ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'],
    );
    assert.deepEqual(spread[0].labelSelector, { matchLabels: TRAEFIK_POD_LABELS });
    assert.equal(values.instanceLabelOverride, TRAEFIK_POD_LABELS['app.kubernetes.io/instance']);
  });

  it('reports the load balancer hostname in Ingress status when given', () => {
    assert.deepEqual(traefikChartValues({ publishedHostname: 'r.example.com' }).providers, {
      kubernetesIngress: {
        publishedService: { enabled: false },
        ingressEndpoint: { hostname: 'r.example.com' },
      },
    });
    assert.equal('providers' in traefikChartValues(), false);
  });

  it('merges extraValues last', () => {
    const values = traefikChartValues({ extraValues: { service: { annotations: { a: 'b' } } } });
    assert.deepEqual(values.service, { spec: { type: 'ClusterIP' }, annotations: { a: 'b' } });
  });

  describe('tlsOffload (TLS ended at the load balancer, TLS mode acm)', () => {
    const values = traefikChartValues({ tlsOffload: true });
    const middleware = expectedTlsOffloadMiddleware('traefik');

    // dynamiclistener v0.9.0 (pinned by rancher v2.15.0 go.mod) redirect.go: HTTPRedirect lets a
    // plain request through only with X-Forwarded-Proto https or wss (or /ping, /health*,
    // /.well-known); traefik v3.7 pkg/middlewares/forwardedheaders sets http (ws) on a plain
    // connection, and the NLB's TLS listener (layer 4) adds no header: hence the Middleware.
    it('adds a plain-HTTP entrypoint whose Middleware tells the backend the client used HTTPS', () => {
      assert.deepEqual((values.ports as Record<string, unknown>)['tls-offload'], {
        port: 8001,
        protocol: 'TCP',
        expose: { default: true },
        exposedPort: 8001,
        // traefik v3.7 pkg/provider/kubernetes/crd: a Middleware's id is `<namespace>-<name>`;
        // pkg/server/aggregator.go applyModel puts entrypoint middlewares before the router's.
        http: { middlewares: ['traefik-tls-offload-forwarded-https@kubernetescrd'] },
      });
      // Set on the request after the entrypoint's forwarded-headers step.
      assert.deepEqual(values.extraObjects, [middleware]);
    });

    it('keeps TLS off the entrypoint and trusts no caller-sent X-Forwarded-* headers', () => {
      const entrypoint = (values.ports as Record<string, Record<string, unknown>>)['tls-offload'];
      assert.equal(entrypoint.forwardedHeaders, undefined, 'no trustedIPs, not insecure');
      assert.equal((entrypoint.http as Record<string, unknown>).tls, undefined);
    });

    // traefik-helm-chart v41.3.0 values.schema.json: every `ports.<name>` entry is checked
    // (additionalProperties false), and the root rejects unknown keys.
    it('fits the pinned chart and its schema', () => {
      assert.deepEqual(checkChartValues('traefik', values), []);
      const typo = traefikChartValues({
        tlsOffload: true,
        extraValues: { ports: { 'tls-offload': { middleware: [] } } },
      });
      assert.ok(
        checkChartValues('traefik', typo).some((p) => p.includes('tls-offload.middleware')),
        'the schema check must see inside ports entries',
      );
    });

    it('keeps its Middleware when extra values bring objects of their own', () => {
      const own = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } };
      const merged = traefikChartValues({ tlsOffload: true, extraValues: { extraObjects: [own] } });
      assert.deepEqual(merged.extraObjects, [middleware, own]);
      assert.throws(
        () => traefikChartValues({ extraValues: { extraObjects: 'x' } }),
        /extraValues\.extraObjects must be a list of objects; got string\./,
      );
    });

    it('rejects a port outside 1-65535 with a sentence naming the field', () => {
      assert.throws(
        () => tlsOffloadEntrypointValues({ namespace: 'traefik', port: 70000 }),
        /port must be a TCP port from 1 to 65535; got 70000\./,
      );
      assert.throws(
        () => tlsOffloadEntrypointValues({ namespace: 'Traefik', port: 8001 }),
        /namespace must be a Kubernetes namespace name .*; got "Traefik"\./,
      );
    });
  });

  it('rejects bad options with a sentence naming the field', () => {
    assert.throws(
      () => traefikChartValues({ replicas: -1 }),
      /replicas must be a whole number of at least 1; got -1/,
    );
    assert.throws(
      () => traefikChartValues({ publishedHostname: '' }),
      /publishedHostname must not be empty/,
    );
  });
});
