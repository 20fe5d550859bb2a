import { Construct } from 'constructs';
import { resourceName } from '../naming/names';
import { IrsaRole } from './irsa-role';

export const LOAD_BALANCER_CONTROLLER_NAMESPACE = 'kube-system';
export const LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT = 'aws-load-balancer-controller';

export interface LoadBalancerControllerRoleProps {
  readonly clusterName: string;
  readonly oidcProviderArn: string;
  readonly oidcIssuerUrl: string;
  /** The only target groups the controller may register targets in. */
  readonly targetGroupArns: string[];
}

/**
 * IRSA role of the AWS Load Balancer Controller, cut down to what reconciling TargetGroupBindings
 * of `ip` targets needs (controller v3.5.0): register and deregister targets in the given target
 * groups, and the reads that go with it. It cannot create, change or delete a load balancer,
 * target group, listener, security group or tag, so every AWS resource stays Terraform's.
 */
export class LoadBalancerControllerRole extends Construct {
  readonly roleArn: string;

  constructor(scope: Construct, id: string, props: LoadBalancerControllerRoleProps) {
    super(scope, id);
    const irsa = new IrsaRole(this, 'irsa', {
      roleName: resourceName(props.clusterName, 'lb-controller', 'iamRole'),
      oidcProviderArn: props.oidcProviderArn,
      oidcIssuerUrl: props.oidcIssuerUrl,
      namespace: LOAD_BALANCER_CONTROLLER_NAMESPACE,
      serviceAccount: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT,
      statements: [
        {
          Sid: 'RegisterTargets',
          Effect: 'Allow',
          Action: [
            'elasticloadbalancing:RegisterTargets',
            'elasticloadbalancing:DeregisterTargets',
          ],
          Resource: props.targetGroupArns,
        },
        {
          // Describe calls take no resource-level permissions in IAM. Target health: the targets
          // a binding has and the pods' readiness gates; target groups: the binding webhooks'
          // defaults and checks; VPCs: whether a pod IP is inside the VPC; security groups: the
          // controller's clean-up of binding-owned rules, which finds none here.
          Sid: 'Read',
          Effect: 'Allow',
          Action: [
            'elasticloadbalancing:DescribeTargetHealth',
            'elasticloadbalancing:DescribeTargetGroups',
            'ec2:DescribeVpcs',
            'ec2:DescribeSecurityGroups',
          ],
          Resource: '*',
        },
      ],
    });
    this.roleArn = irsa.role.arn;
  }
}
