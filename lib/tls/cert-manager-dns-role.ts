import { Construct } from 'constructs';
import { IrsaRole } from '../eks/irsa-role';
import { resourceName } from '../naming/names';

export const CERT_MANAGER_ROLE_NAMESPACE = 'cert-manager';
export const CERT_MANAGER_ROLE_SERVICE_ACCOUNT = 'cert-manager';

export interface CertManagerDnsRoleProps {
  readonly clusterName: string;
  readonly oidcProviderArn: string;
  readonly oidcIssuerUrl: string;
  /** The one hosted zone cert-manager may write challenge records in. */
  readonly hostedZoneId: string;
  /** The name being validated: only `_acme-challenge.<hostname>` TXT records may change. */
  readonly hostname: string;
  readonly partition?: string;
}

/**
 * IRSA role for cert-manager's Route 53 DNS-01 solver, scoped to TXT records of
 * `_acme-challenge.<hostname>` in one hosted zone.
 */
export class CertManagerDnsRole extends Construct {
  readonly roleArn: string;

  constructor(scope: Construct, id: string, props: CertManagerDnsRoleProps) {
    super(scope, id);
    const partition = props.partition ?? 'aws';
    const zoneArn = `arn:${partition}:route53:::hostedzone/${props.hostedZoneId}`;
    const irsa = new IrsaRole(this, 'irsa', {
      roleName: resourceName(props.clusterName, 'cert-manager', 'iamRole'),
      oidcProviderArn: props.oidcProviderArn,
      oidcIssuerUrl: props.oidcIssuerUrl,
      namespace: CERT_MANAGER_ROLE_NAMESPACE,
      serviceAccount: CERT_MANAGER_ROLE_SERVICE_ACCOUNT,
      statements: [
        {
          Sid: 'ChallengeRecords',
          Effect: 'Allow',
          Action: ['route53:ChangeResourceRecordSets'],
          Resource: [zoneArn],
          Condition: {
            'ForAllValues:StringEquals': {
              'route53:ChangeResourceRecordSetsRecordTypes': ['TXT'],
              'route53:ChangeResourceRecordSetsNormalizedRecordNames': [
                `_acme-challenge.${props.hostname}`,
              ],
            },
          },
        },
        {
          Sid: 'ReadZone',
          Effect: 'Allow',
          Action: ['route53:ListResourceRecordSets'],
          Resource: [zoneArn],
        },
        {
          Sid: 'ChangeStatus',
          Effect: 'Allow',
          Action: ['route53:GetChange'],
          Resource: [`arn:${partition}:route53:::change/*`],
        },
        {
          // Zone lookup by name has no resource-level permission in IAM.
          Sid: 'FindZone',
          Effect: 'Allow',
          Action: ['route53:ListHostedZonesByName'],
          Resource: '*',
        },
      ],
    });
    this.roleArn = irsa.role.arn;
  }
}
