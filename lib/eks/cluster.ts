import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';
import { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Fn, TerraformLocal, Token } from 'cdktf';
import { Construct } from 'constructs';
import { managedPolicyArn, serviceTrustPolicy } from '../iam/policy';
import { callerIsPrincipalExpression, parseIamPrincipalArn } from '../iam/principal';
import { resourceName } from '../naming/names';
import { securityGroupRule } from '../network/security-group-rules';

/** Every EKS control-plane log type (the quick start enabled all of them). */
export const EKS_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];
export const DEFAULT_LOG_RETENTION_DAYS = 90;
export const CLUSTER_ADMIN_POLICY =
  'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy';

/**
 * `private`: the API inside the VPC only. `both`: also a public endpoint for publicAccessCidrs.
 * Public-only is not offered: it turns private access off, and nodes would reach the API only
 * through publicAccessCidrs.
 */
export type EndpointAccess = 'private' | 'both';

export interface EksManagementClusterProps {
  readonly clusterName: string;
  /** Kubernetes minor, already checked against the Rancher range. */
  readonly kubernetesVersion: string;
  readonly vpcId: string;
  /** Subnets of the control-plane ENIs (private). */
  readonly subnetIds: string[];
  /** @default private (quick start) */
  readonly endpointAccess?: EndpointAccess;
  /** CIDRs allowed to the public endpoint; required with `both`. */
  readonly publicAccessCidrs?: string[];
  /**
   * IAM role and user ARNs that get cluster-admin through EKS access entries (roles may carry a
   * path, e.g. SSO roles). The one running the apply is skipped: EKS made it admin at creation.
   * @default - none
   */
  readonly adminPrincipalArns?: string[];
  /** @default 90 */
  readonly logRetentionDays?: number;
  /** Days before the secrets key is deleted after destroy (7-30). @default 7 */
  readonly kmsDeletionWindowDays?: number;
}

/** What add-ons and other stacks need from the cluster. */
export interface EksClusterOutputs {
  readonly clusterName: string;
  readonly endpoint: string;
  readonly certificateAuthorityData: string;
  readonly oidcProviderArn: string;
  readonly oidcIssuerUrl: string;
  /** Security group the nodes carry; ingress targets are reached through it. */
  readonly nodeSecurityGroupId: string;
}

/**
 * An EKS control plane as the quick start built it, made declarative: secrets encrypted with a
 * customer-managed KMS key, every log type into a log group Terraform owns (so destroy removes
 * it), private endpoint by default, IAM OIDC provider for IRSA, admin access through access
 * entries, and security groups for self-owned node groups.
 */
export class EksManagementCluster extends Construct {
  /** The cluster's name as configured (known at synth time, for names derived from it). */
  readonly clusterName: string;
  /** The cluster's Kubernetes minor. */
  readonly kubernetesVersion: string;
  readonly cluster: EksCluster;
  /** On the control plane's network interfaces: the private endpoint's 443 is opened here. */
  readonly controlPlaneSecurityGroup: SecurityGroup;
  readonly nodeSecurityGroup: SecurityGroup;
  readonly oidcProvider: IamOpenidConnectProvider;
  readonly secretsKey: KmsKey;
  readonly outputs: EksClusterOutputs;

  constructor(scope: Construct, id: string, props: EksManagementClusterProps) {
    super(scope, id);
    const access = props.endpointAccess ?? 'private';
    const publicCidrs = props.publicAccessCidrs ?? [];
    if (access !== 'private' && publicCidrs.length === 0) {
      throw new Error(
        `publicAccessCidrs must list at least one CIDR when endpointAccess is ${access}`,
      );
    }
    const partition = new DataAwsPartition(this, 'partition');
    const name = props.clusterName;
    this.clusterName = name;
    this.kubernetesVersion = props.kubernetesVersion;

    const role = new IamRole(this, 'cluster-role', {
      name: resourceName(name, 'cluster', 'iamRole'),
      assumeRolePolicy: serviceTrustPolicy('eks.amazonaws.com'),
    });
    new IamRolePolicyAttachment(this, 'cluster-policy', {
      role: role.name,
      policyArn: managedPolicyArn(partition.partition, 'AmazonEKSClusterPolicy'),
    });

    this.secretsKey = new KmsKey(this, 'secrets-key', {
      description: `Kubernetes secrets encryption for EKS cluster ${name}`,
      enableKeyRotation: true,
      deletionWindowInDays: props.kmsDeletionWindowDays ?? 7,
    });
    new KmsAlias(this, 'secrets-key-alias', {
      name: `alias/${resourceName(name, 'eks-secrets', 'kmsAlias')}`,
      targetKeyId: this.secretsKey.keyId,
    });

    // EKS writes to this exact group; creating it first keeps it (and its retention) in state.
    const logGroup = new CloudwatchLogGroup(this, 'control-plane-logs', {
      name: `/aws/eks/${name}/cluster`,
      retentionInDays: props.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS,
    });

    const controlPlaneSecurityGroup = new SecurityGroup(this, 'control-plane-sg', {
      name: resourceName(name, 'control-plane', 'securityGroup'),
      description: `EKS ${name} control plane: API from the nodes`,
      vpcId: props.vpcId,
      tags: { Name: `${name}-control-plane` },
    });
    this.controlPlaneSecurityGroup = controlPlaneSecurityGroup;
    this.nodeSecurityGroup = new SecurityGroup(this, 'node-sg', {
      name: resourceName(name, 'nodes', 'securityGroup'),
      description: `EKS ${name} nodes`,
      vpcId: props.vpcId,
      tags: { Name: `${name}-nodes`, [`kubernetes.io/cluster/${name}`]: 'owned' },
    });
    const fromGroup = (
      ruleId: string,
      groupId: string,
      peerId: string,
      description: string,
      port?: number,
    ) =>
      securityGroupRule(this, ruleId, {
        securityGroupId: groupId,
        direction: 'ingress',
        description,
        protocol: port === undefined ? 'all' : 'tcp',
        fromPort: port,
        peerSecurityGroupId: peerId,
      });
    fromGroup(
      'api-from-nodes',
      controlPlaneSecurityGroup.id,
      this.nodeSecurityGroup.id,
      'Kubernetes API from the nodes',
      443,
    );
    fromGroup(
      'nodes-from-control-plane',
      this.nodeSecurityGroup.id,
      controlPlaneSecurityGroup.id,
      'kubelet and webhooks from the control plane',
    );
    fromGroup(
      'nodes-from-nodes',
      this.nodeSecurityGroup.id,
      this.nodeSecurityGroup.id,
      'pod and node traffic between nodes',
    );
    for (const [ruleId, groupId] of [
      ['control-plane-egress', controlPlaneSecurityGroup.id],
      ['nodes-egress', this.nodeSecurityGroup.id],
    ]) {
      securityGroupRule(this, ruleId, {
        securityGroupId: groupId,
        direction: 'egress',
        description: 'all egress (image pulls through NAT, AWS APIs)',
        protocol: 'all',
        cidrs: ['0.0.0.0/0'],
      });
    }

    this.cluster = new EksCluster(this, 'cluster', {
      name,
      version: props.kubernetesVersion,
      roleArn: role.arn,
      vpcConfig: {
        subnetIds: props.subnetIds,
        securityGroupIds: [controlPlaneSecurityGroup.id],
        endpointPrivateAccess: true,
        endpointPublicAccess: access === 'both',
        publicAccessCidrs: access === 'both' ? publicCidrs : undefined,
      },
      encryptionConfig: {
        resources: ['secrets'],
        provider: { keyArn: this.secretsKey.arn },
      },
      enabledClusterLogTypes: EKS_LOG_TYPES,
      accessConfig: {
        authenticationMode: 'API',
        bootstrapClusterCreatorAdminPermissions: true,
      },
      lifecycle: {
        // The authentication mode is set once at creation (AWS only lets it move towards API),
        // and the AWS emulator does not model it; ignoring it keeps re-plans empty on both.
        ignoreChanges: ['access_config'],
      },
      dependsOn: [logGroup],
    });

    this.oidcProvider = new IamOpenidConnectProvider(this, 'oidc-provider', {
      url: this.cluster.identity.get(0).oidc.get(0).issuer,
      clientIdList: ['sts.amazonaws.com'],
    });

    this.addAdmins(props.adminPrincipalArns ?? []);

    this.outputs = {
      clusterName: this.cluster.name,
      endpoint: this.cluster.endpoint,
      certificateAuthorityData: this.cluster.certificateAuthority.get(0).data,
      oidcProviderArn: this.oidcProvider.arn,
      oidcIssuerUrl: this.cluster.identity.get(0).oidc.get(0).issuer,
      nodeSecurityGroupId: this.nodeSecurityGroup.id,
    };
  }

  /**
   * Cluster-admin access entries. EKS gave the principal that created the cluster an entry of its
   * own (bootstrapClusterCreatorAdminPermissions), and one principal can have only one entry: an
   * admin who is the principal running this apply is skipped, so listing yourself is harmless.
   */
  private addAdmins(principalArns: readonly string[]): void {
    if (principalArns.length === 0) return;
    const deployer = new DataAwsCallerIdentity(this, 'deployer');
    // A raw reference: the expression goes into a local, not through a token.
    const callerArn = `data.${deployer.terraformResourceType}.${deployer.friendlyUniqueId}.arn`;
    principalArns.forEach((principalArn, index) => {
      const principal = parseIamPrincipalArn(principalArn);
      if (!principal) {
        throw new Error(
          `adminPrincipalArns[${index}] must be an IAM role or user ARN; got ${principalArn}`,
        );
      }
      const isDeployer = new TerraformLocal(
        this,
        `admin-${index}-is-deployer`,
        `\${${callerIsPrincipalExpression(principal, callerArn)}}`,
      );
      const count = Token.asNumber(Fn.conditional(isDeployer.asBoolean, 0, 1));
      const entry = new EksAccessEntry(this, `admin-${index}`, {
        clusterName: this.cluster.name,
        principalArn,
        type: 'STANDARD',
        count,
      });
      new EksAccessPolicyAssociation(this, `admin-${index}-policy`, {
        clusterName: this.cluster.name,
        principalArn,
        policyArn: CLUSTER_ADMIN_POLICY,
        accessScope: { type: 'cluster' },
        count,
        dependsOn: [entry],
      });
    });
  }
}
