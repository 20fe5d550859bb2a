import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Fn, ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { policyDocument, PolicyStatement } from '../iam/policy';

export interface IrsaRoleProps {
  /** Role name (already prefixed and length-checked). */
  readonly roleName: string;
  /** ARN of the cluster's IAM OIDC provider. */
  readonly oidcProviderArn: string;
  /** Issuer URL of the cluster (`https://oidc.eks...`). */
  readonly oidcIssuerUrl: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  /**
   * Permissions of an inline policy.
   * @default - no inline policy
   */
  readonly statements?: PolicyStatement[];
  /**
   * Managed policies attached to the role (e.g. AWS's policy for an EKS add-on).
   * @default - none
   */
  readonly managedPolicyArns?: string[];
}

/**
 * An IAM role for one Kubernetes service account (IRSA): only that service account of that
 * cluster can assume it, through the cluster's OIDC provider.
 */
export class IrsaRole extends Construct {
  readonly role: IamRole;
  /** The role's inline policy and attachments: what a user of the role should wait for. */
  readonly grants: ITerraformDependable[] = [];

  constructor(scope: Construct, id: string, props: IrsaRoleProps) {
    super(scope, id);
    const issuerHost = Fn.replace(props.oidcIssuerUrl, 'https://', '');
    // The condition keys embed the issuer host, known only at apply time: the provider's policy
    // document data source renders them (tokens are fine in values, not in JSON object keys).
    const trust = new DataAwsIamPolicyDocument(this, 'trust', {
      statement: [
        {
          effect: 'Allow',
          actions: ['sts:AssumeRoleWithWebIdentity'],
          principals: [{ type: 'Federated', identifiers: [props.oidcProviderArn] }],
          condition: [
            {
              test: 'StringEquals',
              variable: `${issuerHost}:sub`,
              values: [`system:serviceaccount:${props.namespace}:${props.serviceAccount}`],
            },
            { test: 'StringEquals', variable: `${issuerHost}:aud`, values: ['sts.amazonaws.com'] },
          ],
        },
      ],
    });
    this.role = new IamRole(this, 'role', {
      name: props.roleName,
      assumeRolePolicy: trust.json,
    });
    const statements = props.statements ?? [];
    const managed = props.managedPolicyArns ?? [];
    if (statements.length === 0 && managed.length === 0) {
      throw new Error(
        `IRSA role ${props.roleName} needs statements or managedPolicyArns; a role without permissions has no use.`,
      );
    }
    if (statements.length > 0) {
      this.grants.push(
        new IamRolePolicy(this, 'policy', {
          name: 'permissions',
          role: this.role.id,
          policy: policyDocument(...statements),
        }),
      );
    }
    managed.forEach((policyArn, index) => {
      this.grants.push(
        new IamRolePolicyAttachment(this, `managed-${index}`, { role: this.role.name, policyArn }),
      );
    });
  }
}
