import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Deployment as DeploymentModel } from 'kubernetes-models/apps/v1/Deployment';
import { ClusterRole as ClusterRoleModel } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding as ClusterRoleBindingModel } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { Namespace as NamespaceModel } from 'kubernetes-models/v1/Namespace';
import { Secret as SecretModel } from 'kubernetes-models/v1/Secret';
import { Service as ServiceModel } from 'kubernetes-models/v1/Service';
import { ServiceAccount as ServiceAccountModel } from 'kubernetes-models/v1/ServiceAccount';
import {
  clusterAgentImage,
  clusterAgentObjects,
  type ClusterAgentObject,
  type ClusterAgentOptions,
} from '../../../lib/agent/objects';
import { credentialSecretName } from '../../../lib/agent/credentials';
import { proxySettings } from '../../../lib/airgap/proxy';
import type { Deployment, Secret, Service } from '../../../lib/k8s/types';

const SERVER_URL = 'https://rancher.example.com';
const TOKEN = 'abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrst';
const SECRET_NAME = credentialSecretName(SERVER_URL, TOKEN);
const CHECKSUM = 'a'.repeat(64);
const PROXY = proxySettings({
  url: 'http://proxy.example.internal:3128',
  vpcCidrs: ['10.1.0.0/16'],
});

function testFixture(overrides: Partial<ClusterAgentOptions> = {}): ClusterAgentOptions {
  return {
    serverUrl: SERVER_URL,
    token: TOKEN,
    credentialSecretName: SECRET_NAME,
    caChecksum: CHECKSUM,
    rancherVersion: '2.15.0',
    strictVerify: true,
    ...overrides,
  };
}

// Schema validation by kubernetes-models 4.5.1: the constructor copies the data, validate() throws
// with the JSON-schema path of the first problem.
const VALIDATORS: Record<string, (data: unknown) => void> = {
  'apps/v1/Deployment': (data) => new DeploymentModel(data as DeploymentModel).validate(),
  'rbac.authorization.k8s.io/v1/ClusterRole': (data) =>
    new ClusterRoleModel(data as ClusterRoleModel).validate(),
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': (data) =>
    new ClusterRoleBindingModel(data as ClusterRoleBindingModel).validate(),
  'v1/Namespace': (data) => new NamespaceModel(data as NamespaceModel).validate(),
  'v1/Secret': (data) => new SecretModel(data as SecretModel).validate(),
  'v1/Service': (data) => new ServiceModel(data as ServiceModel).validate(),
  'v1/ServiceAccount': (data) => new ServiceAccountModel(data as ServiceAccountModel).validate(),
};

function validate(object: ClusterAgentObject): void {
  const validator = VALIDATORS[`${object.apiVersion}/${object.kind}`];
  assert.ok(validator, `no schema validator for ${object.apiVersion} ${object.kind}`);
  // A JSON copy, as Helm receives it: no shared references, no undefined fields.
  validator(JSON.parse(JSON.stringify(object)));
}

function only<K extends ClusterAgentObject['kind']>(
  objects: ClusterAgentObject[],
  kind: K,
  name?: string,
): Extract<ClusterAgentObject, { kind: K }> {
  const found = objects.filter(
    (o) => o.kind === kind && (name === undefined || o.metadata.name === name),
  );
  assert.equal(found.length, 1, `expected exactly one ${kind} ${name ?? ''}`);
  return found[0] as Extract<ClusterAgentObject, { kind: K }>;
}

function deployment(objects: ClusterAgentObject[]): Deployment {
  return only(objects, 'Deployment');
}

function envOf(objects: ClusterAgentObject[]): Record<string, string> {
  const container = deployment(objects).spec.template.spec.containers[0];
  return Object.fromEntries(container.env.map((e) => [e.name, e.value]));
}

describe('clusterAgentObjects', () => {
  describe('schema validation', () => {
    it('every object validates against the Kubernetes schemas (with and without the namespace)', () => {
      const all = [
        ...clusterAgentObjects(testFixture({ includeNamespace: true })),
        ...clusterAgentObjects(
          testFixture({
            strictVerify: false,
            caChecksum: '',
            systemDefaultRegistry: 'reg.example.com:5000',
            proxy: PROXY,
          }),
        ),
      ];
      assert.equal(all.length, 17);
      for (const object of all) validate(object);
    });

    it('the validator rejects a deliberately broken Deployment', () => {
      const broken = JSON.parse(JSON.stringify(deployment(clusterAgentObjects(testFixture()))));
      delete broken.spec.template.spec.containers[0].name;
      assert.throws(() => validate(broken), /containers\/0 must have required property name/);
    });

    it('the validator rejects a non-string env value and a string port', () => {
      const objects = clusterAgentObjects(testFixture());
      const badEnv = JSON.parse(JSON.stringify(deployment(objects)));
      badEnv.spec.template.spec.containers[0].env[2].value = true;
      assert.throws(() => validate(badEnv), /env\/2\/value must be string/);
      const badService = JSON.parse(JSON.stringify(only(objects, 'Service')));
      badService.spec.ports[0].port = '80';
      assert.throws(() => validate(badService), /ports\/0\/port must be integer/);
    });
  });

  describe('the set of objects', () => {
    it('is the import manifest without the Namespace by default', () => {
      const objects = clusterAgentObjects(testFixture());
      assert.deepEqual(
        objects.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`),
        [
          'ClusterRole//proxy-clusterrole-kubeapiserver',
          'ClusterRoleBinding//proxy-role-binding-kubernetes-master',
          'ServiceAccount/cattle-system/cattle',
          'ClusterRoleBinding//cattle-admin-binding',
          'ClusterRole//cattle-admin',
          `Secret/cattle-system/${SECRET_NAME}`,
          'Deployment/cattle-system/cattle-cluster-agent',
          'Service/cattle-system/cattle-cluster-agent',
        ],
      );
    });

    it('includes the cattle-system Namespace when asked', () => {
      const objects = clusterAgentObjects(testFixture({ includeNamespace: true }));
      assert.equal(objects.length, 9);
      assert.deepEqual(only(objects, 'Namespace'), {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'cattle-system' },
      });
    });
  });

  describe('RBAC', () => {
    it('binds the API-server proxy role to user kube-apiserver', () => {
      const objects = clusterAgentObjects(testFixture());
      assert.deepEqual(only(objects, 'ClusterRole', 'proxy-clusterrole-kubeapiserver').rules, [
        {
          apiGroups: [''],
          resources: ['nodes/metrics', 'nodes/proxy', 'nodes/stats', 'nodes/log', 'nodes/spec'],
          verbs: ['get', 'list', 'watch', 'create'],
        },
      ]);
      const binding = only(objects, 'ClusterRoleBinding', 'proxy-role-binding-kubernetes-master');
      assert.deepEqual(binding.roleRef, {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: 'proxy-clusterrole-kubeapiserver',
      });
      assert.deepEqual(binding.subjects, [
        { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'kube-apiserver' },
      ]);
    });

    it('gives service account cattle every verb on every resource and non-resource URL', () => {
      const objects = clusterAgentObjects(testFixture());
      const role = only(objects, 'ClusterRole', 'cattle-admin');
      assert.deepEqual(role.rules, [
        { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
        { nonResourceURLs: ['*'], verbs: ['*'] },
      ]);
      assert.deepEqual(role.metadata.labels, { 'cattle.io/creator': 'norman' });
      const binding = only(objects, 'ClusterRoleBinding', 'cattle-admin-binding');
      assert.equal(binding.roleRef.name, 'cattle-admin');
      assert.deepEqual(binding.subjects, [
        { kind: 'ServiceAccount', name: 'cattle', namespace: 'cattle-system' },
      ]);
      assert.equal(
        deployment(objects).spec.template.spec.serviceAccountName,
        only(objects, 'ServiceAccount').metadata.name,
      );
    });
  });

  describe('credentials Secret', () => {
    it('is Opaque with url, token and an empty namespace as stringData', () => {
      const secret: Secret = only(clusterAgentObjects(testFixture()), 'Secret');
      assert.equal(secret.type, 'Opaque');
      assert.deepEqual(secret.stringData, { url: SERVER_URL, token: TOKEN, namespace: '' });
      assert.equal('data' in secret, false);
    });

    it('passes a token and checksum known only at apply time through unchanged', () => {
      const token = '${TfToken[TOKEN.42]}';
      const checksum = '${TfToken[TOKEN.43]}';
      const objects = clusterAgentObjects(
        testFixture({
          token,
          caChecksum: checksum,
          credentialSecretName: 'cattle-credentials-agent',
        }),
      );
      assert.equal(only(objects, 'Secret').stringData.token, token);
      assert.equal(envOf(objects).CATTLE_CA_CHECKSUM, checksum);
      assert.equal(envOf(objects).CATTLE_CREDENTIAL_NAME, 'cattle-credentials-agent');
    });

    it('uses the given credential namespace', () => {
      const secret = only(
        clusterAgentObjects(testFixture({ credentialNamespace: 'c-m-abc' })),
        'Secret',
      );
      assert.equal(secret.stringData.namespace, 'c-m-abc');
    });
  });

  describe('Deployment', () => {
    it('has the labels, annotation and rolling update of the import manifest', () => {
      const d = deployment(clusterAgentObjects(testFixture()));
      assert.deepEqual(d.metadata.annotations, { 'management.cattle.io/scale-available': '2' });
      assert.deepEqual(d.spec.selector.matchLabels, { app: 'cattle-cluster-agent' });
      assert.deepEqual(d.spec.template.metadata.labels, { app: 'cattle-cluster-agent' });
      assert.deepEqual(d.spec.strategy, {
        type: 'RollingUpdate',
        rollingUpdate: { maxUnavailable: 0, maxSurge: 1 },
      });
      assert.equal('replicas' in d.spec, false);
    });

    it('runs container cluster-register from rancher/rancher-agent:v<version>', () => {
      const container = deployment(clusterAgentObjects(testFixture())).spec.template.spec
        .containers[0];
      assert.equal(container.name, 'cluster-register');
      assert.equal(container.image, 'rancher/rancher-agent:v2.15.0');
      assert.equal(container.imagePullPolicy, 'IfNotPresent');
    });

    it('sets the env of a strict agent, in order, without a registry', () => {
      const container = deployment(clusterAgentObjects(testFixture())).spec.template.spec
        .containers[0];
      assert.deepEqual(container.env, [
        { name: 'CATTLE_SERVER', value: SERVER_URL },
        { name: 'CATTLE_CA_CHECKSUM', value: CHECKSUM },
        { name: 'CATTLE_CLUSTER', value: 'true' },
        { name: 'CATTLE_K8S_MANAGED', value: 'true' },
        { name: 'CATTLE_CREDENTIAL_NAME', value: SECRET_NAME },
        { name: 'CATTLE_SERVER_VERSION', value: 'v2.15.0' },
        { name: 'STRICT_VERIFY', value: 'true' },
      ]);
    });

    it('sets the env of a system-store agent behind a system default registry', () => {
      const objects = clusterAgentObjects(
        testFixture({
          strictVerify: false,
          caChecksum: '',
          systemDefaultRegistry: 'reg.example.com:5000',
        }),
      );
      const env = envOf(objects);
      assert.equal(env.STRICT_VERIFY, 'false');
      assert.equal(env.CATTLE_CA_CHECKSUM, '');
      assert.equal(env.CATTLE_SYSTEM_DEFAULT_REGISTRY, 'reg.example.com:5000');
      assert.equal(
        deployment(objects).spec.template.spec.containers[0].image,
        'reg.example.com:5000/rancher/rancher-agent:v2.15.0',
      );
    });

    it('goes out through the proxy: HTTP_PROXY, HTTPS_PROXY and NO_PROXY after the others', () => {
      const container = deployment(clusterAgentObjects(testFixture({ proxy: PROXY }))).spec.template
        .spec.containers[0];
      assert.deepEqual(container.env.slice(-4), [
        { name: 'STRICT_VERIFY', value: 'true' },
        { name: 'HTTP_PROXY', value: 'http://proxy.example.internal:3128' },
        { name: 'HTTPS_PROXY', value: 'http://proxy.example.internal:3128' },
        {
          name: 'NO_PROXY',
          value:
            '127.0.0.0/8,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,.svc,.cluster.local,localhost,0.0.0.0,cattle-system.svc,169.254.169.254,10.1.0.0/16,10.42.0.0/16,10.43.0.0/16',
        },
      ]);
      assert.equal('HTTP_PROXY' in envOf(clusterAgentObjects(testFixture())), false);
    });

    it('uses an image override as given', () => {
      const image = 'mirror.example.com/rancher/rancher-agent@sha256:' + 'b'.repeat(64);
      const objects = clusterAgentObjects(
        testFixture({ image, systemDefaultRegistry: 'reg.example.com' }),
      );
      assert.equal(deployment(objects).spec.template.spec.containers[0].image, image);
      assert.equal(
        clusterAgentImage({ rancherVersion: '2.15.1' }),
        'rancher/rancher-agent:v2.15.1',
      );
    });

    it('mounts the credentials Secret read-only at /cattle-credentials with mode 0500', () => {
      const spec = deployment(clusterAgentObjects(testFixture())).spec.template.spec;
      assert.deepEqual(spec.containers[0].volumeMounts, [
        { name: 'cattle-credentials', mountPath: '/cattle-credentials', readOnly: true },
      ]);
      assert.deepEqual(spec.volumes, [
        { name: 'cattle-credentials', secret: { secretName: SECRET_NAME, defaultMode: 0o500 } },
      ]);
      assert.equal(spec.volumes[0].secret.defaultMode, 320);
    });

    it('tolerates the control-plane taints', () => {
      const spec = deployment(clusterAgentObjects(testFixture())).spec.template.spec;
      assert.deepEqual(spec.tolerations, [
        {
          key: 'node-role.kubernetes.io/controlplane',
          operator: 'Equal',
          value: 'true',
          effect: 'NoSchedule',
        },
        { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
      ]);
    });

    it('requires Linux nodes, prefers control-plane nodes and spreads agents across nodes', () => {
      const { affinity } = deployment(clusterAgentObjects(testFixture())).spec.template.spec;
      assert.deepEqual(affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution, {
        nodeSelectorTerms: [
          {
            matchExpressions: [{ key: 'kubernetes.io/os', operator: 'NotIn', values: ['windows'] }],
          },
        ],
      });
      assert.deepEqual(
        affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution.map((p) => [
          p.weight,
          p.preference.matchExpressions,
        ]),
        [
          [
            100,
            [{ key: 'node-role.kubernetes.io/controlplane', operator: 'In', values: ['true'] }],
          ],
          [
            100,
            [{ key: 'node-role.kubernetes.io/control-plane', operator: 'In', values: ['true'] }],
          ],
          [1, [{ key: 'cattle.io/cluster-agent', operator: 'In', values: ['true'] }]],
        ],
      );
      assert.deepEqual(affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution, [
        {
          weight: 100,
          podAffinityTerm: {
            labelSelector: {
              matchExpressions: [{ key: 'app', operator: 'In', values: ['cattle-cluster-agent'] }],
            },
            topologyKey: 'kubernetes.io/hostname',
          },
        },
      ]);
    });
  });

  describe('Service', () => {
    it('maps 80->80 http and 443->444 https-internal to the agent pods', () => {
      const service: Service = only(clusterAgentObjects(testFixture()), 'Service');
      assert.deepEqual(service.spec.selector, { app: 'cattle-cluster-agent' });
      assert.deepEqual(service.spec.ports, [
        { name: 'http', port: 80, targetPort: 80, protocol: 'TCP' },
        { name: 'https-internal', port: 443, targetPort: 444, protocol: 'TCP' },
      ]);
    });
  });

  describe('option validation', () => {
    it('rejects a server URL with a trailing slash, a path or plain http', () => {
      for (const serverUrl of [
        'https://rancher.example.com/',
        'https://rancher.example.com/x',
        'http://rancher.example.com',
      ]) {
        assert.throws(
          () => clusterAgentObjects(testFixture({ serverUrl })),
          new RegExp(`serverUrl must be https://<hostname>\\[:port\\] .*got "${serverUrl}"`),
        );
      }
      assert.doesNotThrow(() =>
        clusterAgentObjects(testFixture({ serverUrl: 'https://rancher.example.com:8443' })),
      );
    });

    it('rejects a Rancher version with a leading v', () => {
      assert.throws(
        () => clusterAgentObjects(testFixture({ rancherVersion: 'v2.15.0' })),
        /rancherVersion must be a Rancher release without the leading "v", like 2.15.0; got "v2.15.0"/,
      );
    });

    it('rejects a credential secret name that is not a Kubernetes name', () => {
      assert.throws(
        () => clusterAgentObjects(testFixture({ credentialSecretName: '${TfToken[TOKEN.7]}' })),
        /credentialSecretName must be a known Kubernetes name .*got "\$\{TfToken\[TOKEN.7\]\}"/,
      );
    });

    it('rejects a registry with a scheme and an image without tag or digest', () => {
      assert.throws(
        () =>
          clusterAgentObjects(testFixture({ systemDefaultRegistry: 'https://reg.example.com' })),
        /systemDefaultRegistry must be a registry host .*got "https:\/\/reg.example.com"/,
      );
      assert.throws(
        () =>
          clusterAgentObjects(testFixture({ image: 'reg.example.com:5000/rancher/rancher-agent' })),
        /image must be a full image reference with a tag or digest.*got "reg.example.com:5000\/rancher\/rancher-agent"/,
      );
    });
  });
});
