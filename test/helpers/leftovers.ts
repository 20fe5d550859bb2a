import { DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { ListClustersCommand } from '@aws-sdk/client-eks';
import { DescribeLoadBalancersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ListRolesCommand } from '@aws-sdk/client-iam';
import { ListHostedZonesCommand } from '@aws-sdk/client-route-53';
import { ListSecretsCommand } from '@aws-sdk/client-secrets-manager';
import { TAG_KEYS } from '../../lib/naming/tags';
import type { AwsClients } from './aws-clients';

/**
 * What of an environment is still in the emulator, by service: VPCs tagged with it, and EKS
 * clusters, load balancers, IAM roles, hosted zones and secrets named after it.
 */
export async function leftoversOf(aws: AwsClients, environment: string): Promise<string[]> {
  const prefix = `${environment}-`;
  const found: string[] = [];
  const { Vpcs = [] } = await aws.ec2.send(
    new DescribeVpcsCommand({
      Filters: [{ Name: `tag:${TAG_KEYS.environment}`, Values: [environment] }],
    }),
  );
  found.push(...Vpcs.map((v) => `vpc ${v.VpcId}`));
  const { clusters = [] } = await aws.eks.send(new ListClustersCommand({}));
  found.push(...clusters.filter((c) => c.startsWith(prefix)).map((c) => `eks ${c}`));
  const { LoadBalancers = [] } = await aws.elbv2.send(new DescribeLoadBalancersCommand({}));
  found.push(
    ...LoadBalancers.filter((l) => l.LoadBalancerName?.startsWith(prefix)).map(
      (l) => `lb ${l.LoadBalancerName}`,
    ),
  );
  const { Roles = [] } = await aws.iam.send(new ListRolesCommand({}));
  found.push(
    ...Roles.filter((r) => r.RoleName?.startsWith(prefix)).map((r) => `role ${r.RoleName}`),
  );
  const { HostedZones = [] } = await aws.route53.send(new ListHostedZonesCommand({}));
  found.push(
    ...HostedZones.filter((z) => z.Name?.includes(`${environment}.`)).map((z) => `zone ${z.Name}`),
  );
  const { SecretList = [] } = await aws.secretsManager.send(new ListSecretsCommand({}));
  found.push(
    ...SecretList.filter((s) => s.Name?.startsWith(`${environment}/`)).map(
      (s) => `secret ${s.Name}`,
    ),
  );
  return found;
}
