import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Route } from '@cdktf/provider-aws/lib/route';
import { VpcPeeringConnection } from '@cdktf/provider-aws/lib/vpc-peering-connection';
import { TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { grantClusterAdmin } from '../eks/cluster-admin-access';
import { policyDocument } from '../iam/policy';
import { securityGroupRule } from '../network/security-group-rules';
import { addDependsOn } from '../terraform/depends-on';
import { readSecretStatement } from './policy';

/** A VPC and the route tables of its private subnets. */
export interface RoutedVpc {
  readonly vpcId: string;
  readonly vpcCidr: string;
  /** Route tables that get a route to the other VPC (one per private subnet). */
  readonly routeTableIds: string[];
}

/** The deployer as the management stack outputs it. */
export interface DeployerPrincipal {
  readonly roleArn: string;
  readonly roleName: string;
  readonly securityGroupId: string;
}

export interface DownstreamDeployerAccessProps {
  /** The downstream cluster's name (`<env>-<d>`), for tags. */
  readonly clusterName: string;
  readonly deployer: DeployerPrincipal;
  /** The management VPC, where the deployer runs. */
  readonly management: RoutedVpc;
  /**
   * The downstream cluster's VPC: peered with the management VPC, routes both ways.
   * @default - no peering: the VPC owner routes the two VPCs (an existing VPC without route tables)
   */
  readonly peer?: RoutedVpc;
  /** An EKS cluster: an access entry for the deployer and 443 to its private endpoint. */
  readonly eks?: { readonly clusterName: string; readonly controlPlaneSecurityGroupId: string };
  /** An RKE2 cluster: read access to its kubeconfig and 6443 on its registration load balancer. */
  readonly rke2?: { readonly kubeconfigSecretArn: string; readonly apiSecurityGroupId: string };
}

/**
 * What a downstream cluster stack adds so that the management VPC's deployer can apply the
 * cluster's agent stack: VPC peering with routes in both directions (which also lets the agent
 * reach an internal Rancher load balancer), the firewall opening to the cluster API, and the
 * deployer's Kubernetes or kubeconfig access. Destroyed with the cluster stack.
 */
export class DownstreamDeployerAccess extends Construct {
  readonly peering?: VpcPeeringConnection;

  constructor(scope: Construct, id: string, props: DownstreamDeployerAccessProps) {
    super(scope, id);
    const peer = props.peer;
    if (peer) {
      // Same account and region: the requester accepts its own request.
      this.peering = new VpcPeeringConnection(this, 'peering', {
        vpcId: peer.vpcId,
        peerVpcId: props.management.vpcId,
        autoAccept: true,
        tags: { Name: `${props.clusterName}-to-management` },
      });
      const routes = (side: string, tables: string[], destination: string) =>
        tables.forEach(
          (routeTableId, index) =>
            new Route(this, `${side}-route-${index}`, {
              routeTableId,
              destinationCidrBlock: destination,
              vpcPeeringConnectionId: this.peering!.id,
            }),
        );
      routes('to-management', peer.routeTableIds, props.management.vpcCidr);
      routes('from-management', props.management.routeTableIds, peer.vpcCidr);
    }

    if (props.eks) {
      grantClusterAdmin(this, props.eks.clusterName, props.deployer.roleArn);
      // A peer VPC's security group can be referenced once the peering is active (same region).
      securityGroupRule(this, 'api-from-deployer', {
        securityGroupId: props.eks.controlPlaneSecurityGroupId,
        direction: 'ingress',
        description: 'Kubernetes API from the in-VPC deployer of the management VPC',
        protocol: 'tcp',
        fromPort: 443,
        ...(peer
          ? { peerSecurityGroupId: props.deployer.securityGroupId }
          : { cidrs: [props.management.vpcCidr] }),
      }).forEach((rule) => {
        if (this.peering && rule instanceof TerraformResource) addDependsOn(rule, this.peering);
      });
    }

    if (props.rke2) {
      new IamRolePolicy(this, 'read-kubeconfig', {
        name: `read-${props.clusterName}-kubeconfig`,
        role: props.deployer.roleName,
        policy: policyDocument(readSecretStatement(props.rke2.kubeconfigSecretArn)),
      });
      // A load balancer's security group sees the client's own address: the deployer's, in the
      // management VPC.
      securityGroupRule(this, 'api-from-management', {
        securityGroupId: props.rke2.apiSecurityGroupId,
        direction: 'ingress',
        description: 'Kubernetes API from the in-VPC deployer of the management VPC',
        protocol: 'tcp',
        fromPort: 6443,
        cidrs: [props.management.vpcCidr],
      });
    }
  }
}
