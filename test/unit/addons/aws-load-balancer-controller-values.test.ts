import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AWS_LOAD_BALANCER_CONTROLLER_CHART,
  AWS_LOAD_BALANCER_CONTROLLER_NAMESPACE,
  AWS_LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT,
  awsLoadBalancerControllerChartValues,
} from '../../../lib/addons/aws-load-balancer-controller-values';
import {
  LOAD_BALANCER_CONTROLLER_NAMESPACE,
  LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT,
} from '../../../lib/eks/load-balancer-controller-role';
import { checkChartValues } from '../../helpers/chart-values';

const options = {
  clusterName: 'dev-management',
  region: 'eu-west-1',
  vpcId: 'vpc-0123456789abcdef0',
  irsaRoleArn: 'arn:aws:iam::123456789012:role/dev-lb-controller',
};

describe('awsLoadBalancerControllerChartValues', () => {
  it('fits the pinned chart', () => {
    assert.deepEqual(
      checkChartValues(
        'aws-load-balancer-controller',
        awsLoadBalancerControllerChartValues(options),
      ),
      [],
    );
  });

  it('pins the eks-charts chart', () => {
    assert.deepEqual(AWS_LOAD_BALANCER_CONTROLLER_CHART, {
      name: 'aws-load-balancer-controller',
      repository: 'https://aws.github.io/eks-charts',
      version: '1.6.1',
    });
  });

  it('runs as the service account the IRSA role trusts', () => {
    assert.equal(
      AWS_LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT,
      LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT,
    );
    assert.equal(AWS_LOAD_BALANCER_CONTROLLER_NAMESPACE, LOAD_BALANCER_CONTROLLER_NAMESPACE);
    assert.deepEqual(awsLoadBalancerControllerChartValues(options).serviceAccount, {
      create: true,
      name: 'aws-load-balancer-controller',
      annotations: { 'eks.amazonaws.com/role-arn': options.irsaRoleArn },
    });
  });

  it('sets cluster, region and VPC so no instance metadata is needed', () => {
    const values = awsLoadBalancerControllerChartValues(options);
    assert.equal(values.clusterName, 'dev-management');
    assert.equal(values.region, 'eu-west-1');
    assert.equal(values.vpcId, 'vpc-0123456789abcdef0');
  });

  it('turns off everything that would create AWS resources', () => {
    const values = awsLoadBalancerControllerChartValues(options);
    assert.equal(values.enableServiceMutatorWebhook, false);
    assert.deepEqual(values.controllerConfig, { featureGates: { EnableServiceController: false } });
    assert.equal(values.createIngressClassResource, false);
    assert.deepEqual(values.ingressClassParams, { create: false });
    assert.equal(values.disableIngressClassAnnotation, true);
    assert.equal(values.enableBackendSecurityGroup, false);
    assert.equal(values.enableShield, false);
    assert.equal(values.enableWaf, false);
    assert.equal(values.enableWafv2, false);
  });

  it('merges extraValues last', () => {
    const values = awsLoadBalancerControllerChartValues({
      ...options,
      extraValues: { replicaCount: 1 },
    });
    assert.equal(values.replicaCount, 1);
  });

  it('rejects missing identifiers with a sentence naming the field', () => {
    assert.throws(
      () => awsLoadBalancerControllerChartValues({ ...options, vpcId: '' }),
      /vpcId must not be empty; expected e\.g\. vpc-0123456789abcdef0/,
    );
    assert.throws(
      () => awsLoadBalancerControllerChartValues({ ...options, replicas: 0 }),
      /replicas must be a whole number of at least 1; got 0/,
    );
  });
});
