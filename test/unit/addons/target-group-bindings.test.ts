import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { targetGroupBindingObjects } from '../../../lib/addons/cluster-addons';
import { crdFacts, crdValidator } from '../../helpers/crd-schema';

const CRD = 'targetgroupbindings.elbv2.k8s.aws';
const bindings = targetGroupBindingObjects([
  {
    name: 'http',
    targetGroupArn:
      'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/env-http/0123456789abcdef',
    servicePort: 80,
  },
  {
    name: 'https',
    targetGroupArn:
      'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/env-https/0123456789abcdef',
    servicePort: 443,
  },
]);

describe('TargetGroupBinding objects', () => {
  it('use v1beta1, the newest version the chart 3.5.0 CRD serves and its storage version', () => {
    // crds-3.5.0.yaml (aws/eks-charts 5239609): v1alpha1 served, v1beta1 served and stored.
    assert.deepEqual(crdFacts('aws-load-balancer-controller', CRD), {
      group: 'elbv2.k8s.aws',
      kind: 'TargetGroupBinding',
      served: ['v1alpha1', 'v1beta1'],
      storage: 'v1beta1',
    });
    for (const binding of bindings) {
      assert.equal(binding.apiVersion, 'elbv2.k8s.aws/v1beta1');
      assert.equal(binding.kind, 'TargetGroupBinding');
    }
  });

  it("validate against the CRD's openAPIV3Schema, unknown fields included", () => {
    const validate = crdValidator('aws-load-balancer-controller', CRD, 'v1beta1');
    for (const binding of bindings) {
      assert.ok(validate(JSON.parse(JSON.stringify(binding))), JSON.stringify(validate.errors));
    }
    assert.deepEqual(
      bindings.map((b) => b.spec),
      [
        {
          serviceRef: { name: 'traefik', port: 80 },
          targetGroupARN:
            'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/env-http/0123456789abcdef',
          targetType: 'ip',
        },
        {
          serviceRef: { name: 'traefik', port: 443 },
          targetGroupARN:
            'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/env-https/0123456789abcdef',
          targetType: 'ip',
        },
      ],
    );
  });

  it('would catch a misspelled field, which the API server would silently drop', () => {
    const validate = crdValidator('aws-load-balancer-controller', CRD, 'v1beta1');
    const spec = bindings[0].spec;
    const { targetGroupARN, ...rest } = spec;
    assert.equal(
      validate({ ...bindings[0], spec: { ...rest, targetGroupArn: targetGroupARN } }),
      false,
    );
    assert.equal(validate({ ...bindings[0], spec: { ...spec, targetType: 'pod' } }), false);
    assert.equal(validate({ ...bindings[0], spec: { targetGroupARN } }), false);
  });
});
