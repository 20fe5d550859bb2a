import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Fn } from 'cdktf';
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
  /** The only permissions the role gets (an inline policy). */
  readonly statements: PolicyStatement[];
}

/**
 * An IAM role for one Kubernetes service account (IRSA): only that service account of that
 * cluster can assume it, through the cluster's OIDC provider.
 */
export class IrsaRole extends Construct {
  readonly role: IamRole;

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
    new IamRolePolicy(this, 'policy', {
      name: 'permissions',
      role: this.role.id,
      policy: policyDocument(...props.statements),
    });
  }
}
