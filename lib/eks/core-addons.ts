import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { managedPolicyArn } from '../iam/policy';
import { resourceName } from '../naming/names';
import { EksCoreAddOnName, eksAddOnVersions } from '../versions';
import type { EksManagementCluster } from './cluster';
import { IrsaRole } from './irsa-role';

/** Where the VPC CNI runs; its IRSA role trusts only this service account. */
export const VPC_CNI_NAMESPACE = 'kube-system';
export const VPC_CNI_SERVICE_ACCOUNT = 'aws-node';

/**
 * Conflicts with what is already in the cluster: on create, take over the self-managed copy EKS
 * installs with every cluster; on update, keep fields someone changed outside the EKS API (AWS's
 * update procedures for these add-ons pass PRESERVE).
 */
export const ADDON_RESOLVE_CONFLICTS = { onCreate: 'OVERWRITE', onUpdate: 'PRESERVE' } as const;

export interface EksCoreAddOnsProps {
  /** The cluster; its Kubernetes minor picks the pinned add-on versions (lib/versions.ts). */
  readonly cluster: EksManagementCluster;
}

/**
 * The EKS core add-ons as `aws_eks_addon`s pinned to the cluster's Kubernetes minor, so that they
 * are updated right after the control plane: vpc-cni with an IRSA role of its own, created before
 * the nodes join (pass `beforeNodes` to the node group), then kube-proxy and coredns, which need
 * nodes to run on (call `afterNodes`; an add-on whose pods cannot run stays DEGRADED, and
 * Terraform would wait for ACTIVE until it times out).
 */
export class EksCoreAddOns extends Construct {
  readonly vpcCni: EksAddon;
  readonly vpcCniRoleArn: string;
  /** What the node group must depend on. */
  readonly beforeNodes: ITerraformDependable[];
  private nodeAddOns?: Record<'coredns' | 'kube-proxy', EksAddon>;
  private readonly props: EksCoreAddOnsProps;
  private readonly versions: Readonly<Record<EksCoreAddOnName, string>>;

  constructor(scope: Construct, id: string, props: EksCoreAddOnsProps) {
    super(scope, id);
    this.props = props;
    const { cluster } = props;
    this.versions = eksAddOnVersions(cluster.kubernetesVersion);
    const partition = new DataAwsPartition(this, 'partition');
    const role = new IrsaRole(this, 'vpc-cni-role', {
      roleName: resourceName(cluster.clusterName, 'vpc-cni', 'iamRole'),
      oidcProviderArn: cluster.outputs.oidcProviderArn,
      oidcIssuerUrl: cluster.outputs.oidcIssuerUrl,
      namespace: VPC_CNI_NAMESPACE,
      serviceAccount: VPC_CNI_SERVICE_ACCOUNT,
      managedPolicyArns: [managedPolicyArn(partition.partition, 'AmazonEKS_CNI_Policy')],
    });
    this.vpcCniRoleArn = role.role.arn;
    // aws-node assumes the role as soon as the add-on runs: its policy is attached first.
    this.vpcCni = this.addOn('vpc-cni', {
      serviceAccountRoleArn: role.role.arn,
      dependsOn: role.grants,
    });
    this.beforeNodes = [this.vpcCni];
  }

  /** kube-proxy and coredns, once the given node group exists. Call it once. */
  afterNodes(nodes: ITerraformDependable): Record<'coredns' | 'kube-proxy', EksAddon> {
    if (this.nodeAddOns) {
      throw new Error(
        `afterNodes of ${this.node.path} was already called; it creates kube-proxy and coredns once.`,
      );
    }
    this.nodeAddOns = {
      'kube-proxy': this.addOn('kube-proxy', { dependsOn: [nodes] }),
      coredns: this.addOn('coredns', { dependsOn: [nodes] }),
    };
    return this.nodeAddOns;
  }

  private addOn(
    name: EksCoreAddOnName,
    extra: { serviceAccountRoleArn?: string; dependsOn?: ITerraformDependable[] },
  ): EksAddon {
    return new EksAddon(this, name, {
      // The resource's attribute, not the configured name: each add-on follows the cluster.
      clusterName: this.props.cluster.cluster.name,
      addonName: name,
      addonVersion: this.versions[name],
      resolveConflictsOnCreate: ADDON_RESOLVE_CONFLICTS.onCreate,
      resolveConflictsOnUpdate: ADDON_RESOLVE_CONFLICTS.onUpdate,
      ...extra,
    });
  }
}
