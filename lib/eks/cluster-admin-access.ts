import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';
import { Construct } from 'constructs';
import { CLUSTER_ADMIN_POLICY } from './cluster';

/**
 * Gives `principalArn` cluster-admin on EKS cluster `clusterName` through an access entry, added
 * to `scope` as `access-entry` and `cluster-admin`. Cluster-admin, because what it applies
 * (charts, the cluster agent) creates cluster roles and bindings, which only an admin may grant.
 */
export function grantClusterAdmin(
  scope: Construct,
  clusterName: string,
  principalArn: string,
): EksAccessEntry {
  const entry = new EksAccessEntry(scope, 'access-entry', {
    clusterName,
    principalArn,
    type: 'STANDARD',
  });
  new EksAccessPolicyAssociation(scope, 'cluster-admin', {
    clusterName,
    principalArn: entry.principalArn,
    policyArn: CLUSTER_ADMIN_POLICY,
    accessScope: { type: 'cluster' },
  });
  return entry;
}
