import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate } from '@marcbachmann/cel-js';
import { ValidatingAdmissionPolicy as PolicyModel } from 'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy';
import { ValidatingAdmissionPolicyBinding as BindingModel } from 'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding';
import {
  LOAD_BALANCER_SERVICE_POLICY_NAME,
  loadBalancerServicePolicyObjects,
} from '../../../lib/k8s/load-balancer-service-policy';

/** Whether the policy admits a Service with this spec (every validation true, as the API server requires). */
function admits(spec: Record<string, unknown>): boolean {
  const [policy] = loadBalancerServicePolicyObjects();
  const object = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec };
  return policy.spec.validations.every((v) => evaluate(v.expression, { object }) === true);
}

describe('loadBalancerServicePolicyObjects', () => {
  it('validate against the Kubernetes schemas (admissionregistration.k8s.io/v1)', () => {
    // Schemas of kubernetes-models 4.5.1; the v1 API is GA since Kubernetes 1.30.
    for (const allowedNamespaces of [[], ['metallb-system']]) {
      const [policy, binding] = loadBalancerServicePolicyObjects({ allowedNamespaces });
      new PolicyModel(JSON.parse(JSON.stringify(policy)) as PolicyModel).validate();
      new BindingModel(JSON.parse(JSON.stringify(binding)) as BindingModel).validate();
    }
  });

  it('refuses LoadBalancer Services and admits every other type', () => {
    assert.equal(admits({ type: 'LoadBalancer', ports: [{ port: 80 }] }), false);
    for (const type of ['ClusterIP', 'NodePort', 'ExternalName'])
      assert.equal(admits({ type }), true, type);
    assert.equal(admits({ ports: [{ port: 80 }] }), true);
  });

  it('checks creates and updates of Services, not their status, and denies', () => {
    const [policy, binding] = loadBalancerServicePolicyObjects();
    assert.deepEqual(policy.spec.matchConstraints.resourceRules, [
      {
        apiGroups: [''],
        apiVersions: ['v1'],
        operations: ['CREATE', 'UPDATE'],
        resources: ['services'],
      },
    ]);
    assert.equal(policy.spec.failurePolicy, 'Fail');
    assert.deepEqual(binding, {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: LOAD_BALANCER_SERVICE_POLICY_NAME },
      spec: { policyName: policy.metadata.name, validationActions: ['Deny'] },
    });
  });

  it('leaves the allowed namespaces out of the binding, by their name label', () => {
    const [, binding] = loadBalancerServicePolicyObjects({
      allowedNamespaces: ['team-b', 'team-a', 'team-b'],
    });
    // kubernetes.io/metadata.name: the API server labels every namespace with its name (1.22+).
    assert.deepEqual(binding.spec.matchResources, {
      namespaceSelector: {
        matchExpressions: [
          { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['team-a', 'team-b'] },
        ],
      },
    });
  });

  it('rejects a name that is no namespace name', () => {
    assert.throws(
      () => loadBalancerServicePolicyObjects({ allowedNamespaces: ['Team_A'] }),
      /allowedNamespaces must hold Kubernetes namespace names .*; got "Team_A"\./,
    );
  });
});
