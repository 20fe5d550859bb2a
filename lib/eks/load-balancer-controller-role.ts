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
 * IRSA role of the AWS Load Balancer Controller, cut down to what a TargetGroupBinding needs:
 * register and deregister targets in the given target groups, and read-only discovery. It cannot
 * create, change or delete a load balancer, target group, listener or security group, so every
 * AWS resource stays Terraform's.
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
          // Describe calls have no resource-level permissions in IAM.
          Sid: 'Discover',
          Effect: 'Allow',
          Action: [
            'elasticloadbalancing:DescribeTargetGroups',
            'elasticloadbalancing:DescribeTargetHealth',
            'elasticloadbalancing:DescribeLoadBalancers',
            'elasticloadbalancing:DescribeListeners',
            'elasticloadbalancing:DescribeTags',
            'ec2:DescribeInstances',
            'ec2:DescribeNetworkInterfaces',
            'ec2:DescribeSubnets',
            'ec2:DescribeSecurityGroups',
            'ec2:DescribeVpcs',
            'ec2:DescribeAvailabilityZones',
          ],
          Resource: '*',
        },
      ],
    });
    this.roleArn = irsa.role.arn;
  }
}
