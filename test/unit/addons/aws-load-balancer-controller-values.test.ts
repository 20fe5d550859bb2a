import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AWS_LOAD_BALANCER_CONTROLLER_CHART,
  AWS_LOAD_BALANCER_CONTROLLER_NAMESPACE,
  AWS_LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT,
  awsLoadBalancerControllerChartValues,
  POD_READINESS_GATE_INJECT_LABEL,
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
      version: '3.5.0',
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

  it('turns off every controller, webhook and add-on that would create or change AWS resources', () => {
    const values = awsLoadBalancerControllerChartValues(options);
    // Each value and the controller flag its chart 3.5.0 deployment/webhook templates render.
    const expected: Record<string, unknown> = {
      enableServiceMutatorWebhook: false, // no mservice.elbv2.k8s.aws webhook
      createIngressClassResource: false, // no IngressClass `alb`
      ingressClassParams: { create: false }, // no IngressClassParams
      disableIngressClassAnnotation: true, // --disable-ingress-class-annotation=true
      disableIngressGroupNameAnnotation: true, // --disable-ingress-group-name-annotation=true
      enableShield: false, // --enable-shield=false
      enableWaf: false, // --enable-waf=false
      enableWafv2: false, // --enable-wafv2=false
      enableBackendSecurityGroup: false, // --enable-backend-security-group=false
      enableManageBackendSecurityGroupRules: false, // --enable-manage-backend-security-group-rules=false
    };
    for (const [key, value] of Object.entries(expected)) {
      assert.deepEqual(values[key], value, key);
    }
    assert.deepEqual(values.controllerConfig, {
      featureGates: {
        EnableServiceController: false,
        NLBGatewayAPI: false,
        ALBGatewayAPI: false,
        GatewayListenerSet: false,
        GlobalAcceleratorController: false,
        EnableCertificateManagement: false,
        ALBTargetControlAgent: false,
      },
    });
  });

  it('sets only feature gates controller v3.5.0 knows (an unknown one stops it from starting)', () => {
    // The gates of kubernetes-sigs/aws-load-balancer-controller v3.5.0 pkg/config/feature_gates.go
    // (its docs misspell two of them); Set() fails on any other name.
    const known = new Set([
      'ListenerRulesTagging',
      'WeightedTargetGroups',
      'ServiceTypeLoadBalancerOnly',
      'EndpointsFailOpen',
      'EnableServiceController',
      'EnableIPTargetType',
      'EnableTCPUDPListener',
      'EnableRGTAPI',
      'SubnetsClusterTagCheck',
      'NLBHealthCheckAdvancedConfig',
      'NLBSecurityGroup',
      'ALBSingleSubnet',
      'LBCapacityReservation',
      'SubnetDiscoveryByReachability',
      'NLBGatewayAPI',
      'ALBGatewayAPI',
      'GlobalAcceleratorController',
      'EnhancedDefaultBehavior',
      'EnableDefaultTagsLowPriority',
      'ALBTargetControlAgent',
      'GatewayListenerSet',
      'EnableCertificateManagement',
      'IngressPlanAnnotation',
    ]);
    const gates = (
      awsLoadBalancerControllerChartValues(options).controllerConfig as {
        featureGates: Record<string, unknown>;
      }
    ).featureGates;
    for (const gate of Object.keys(gates))
      assert.ok(known.has(gate), `unknown feature gate ${gate}`);
  });

  it('injects readiness gates into Traefik pods, failing open, and keeps the Ingress webhook from blocking', () => {
    const values = awsLoadBalancerControllerChartValues(options);
    assert.equal(values.enablePodReadinessGateInject, true);
    // podMutatorWebhookConfig.failurePolicy is the mpod.elbv2.k8s.aws webhook's failurePolicy,
    // webhookConfig.ingressValdationFailurePolicy (sic) the vingress one's (chart webhook.yaml).
    assert.deepEqual(values.podMutatorWebhookConfig, { failurePolicy: 'Ignore' });
    assert.deepEqual(values.webhookConfig, { ingressValdationFailurePolicy: 'Ignore' });
    assert.deepEqual(POD_READINESS_GATE_INJECT_LABEL, {
      'elbv2.k8s.aws/pod-readiness-gate-inject': 'enabled',
    });
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
