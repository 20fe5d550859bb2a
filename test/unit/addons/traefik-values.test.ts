import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  TRAEFIK_CONTAINER_PORTS,
  TRAEFIK_POD_LABELS,
  TRAEFIK_SERVICE,
  traefikChartValues,
} from '../../../lib/addons/traefik-values';
import { EKS_INGRESS_TARGET_PORTS } from '../../../lib/ingress/ports';
import { checkChartValues } from '../../helpers/chart-values';

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
    assert.deepEqual(TRAEFIK_CONTAINER_PORTS, { web: 8000, websecure: 8443 });
    assert.equal(TRAEFIK_CONTAINER_PORTS.web, EKS_INGRESS_TARGET_PORTS.http);
    assert.equal(TRAEFIK_CONTAINER_PORTS.websecure, EKS_INGRESS_TARGET_PORTS.https);
    assert.deepEqual(traefikChartValues().ports, {
      web: { port: 8000, exposedPort: 80 },
      websecure: { port: 8443, exposedPort: 443 },
    });
    assert.deepEqual(TRAEFIK_SERVICE, {
      name: 'traefik',
      namespace: 'traefik',
      ports: { web: 80, websecure: 443 },
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
