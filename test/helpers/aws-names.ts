/**
 * The AWS names in a synthesized stack, by kind: which attribute of which resource type holds a
 * name AWS checks. Shared by the policy rule that checks them and the test that keeps
 * lib/naming/environment-names.ts complete.
 */
import type { NameKind } from '../../lib/naming/names';
import type { Json } from './template';

/** Resource type -> the attribute holding its name and the kind of AWS name it is. */
export const NAME_ATTRIBUTES: Readonly<Record<string, { attribute: string; kind: NameKind }>> = {
  aws_lb: { attribute: 'name', kind: 'loadBalancer' },
  aws_lb_target_group: { attribute: 'name', kind: 'targetGroup' },
  aws_security_group: { attribute: 'name', kind: 'securityGroup' },
  aws_iam_role: { attribute: 'name', kind: 'iamRole' },
  aws_iam_instance_profile: { attribute: 'name', kind: 'iamRole' },
  aws_eks_cluster: { attribute: 'name', kind: 'eksCluster' },
  aws_eks_node_group: { attribute: 'node_group_name', kind: 'eksNodeGroup' },
  aws_s3_bucket: { attribute: 'bucket', kind: 's3Bucket' },
  aws_secretsmanager_secret: { attribute: 'name', kind: 'secret' },
  aws_launch_template: { attribute: 'name', kind: 'launchTemplate' },
  aws_autoscaling_group: { attribute: 'name', kind: 'autoScalingGroup' },
  aws_kms_alias: { attribute: 'name', kind: 'kmsAlias' },
};

/** One AWS name found in a stack. */
export interface FoundName {
  /** `<type>.<logical id>` */
  readonly where: string;
  readonly kind: NameKind;
  readonly name: string;
}

// Bucket names end in the account id, which is only known at apply time: 12 digits stand in.
const ACCOUNT_ID_REFERENCE = /\$\{data\.aws_caller_identity\.[\w-]+\.account_id\}/g;

/**
 * Every literal AWS name of the stack's resources (the account id replaced by 12 zeros); names
 * with other references are left out.
 */
export function awsNamesOf(stack: Json): FoundName[] {
  const resources = (stack.resource ?? {}) as Record<string, Record<string, Json>>;
  const found: FoundName[] = [];
  for (const [type, { attribute, kind }] of Object.entries(NAME_ATTRIBUTES)) {
    for (const [id, resource] of Object.entries(resources[type] ?? {})) {
      const raw = resource[attribute];
      if (typeof raw !== 'string') continue;
      const name = raw.replace(ACCOUNT_ID_REFERENCE, '0'.repeat(12)).replace(/^alias\//, '');
      if (!name.includes('${')) found.push({ where: `${type}.${id}`, kind, name });
    }
  }
  return found;
}
