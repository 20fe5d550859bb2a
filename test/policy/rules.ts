/**
 * Security and reliability rules over synthesized stacks (test tier 4). Each rule reads the
 * Terraform JSON of one stack and returns violations naming the resource; the matrix test runs
 * every rule over every stack the app can synthesize.
 */
import { awsNameProblem } from '../../lib/naming/names';
import {
  OWN_TAGS_PER_RESOURCE,
  SERVICE_TAG_ROOM,
  TAG_RULES,
  tagTextProblem,
} from '../../lib/naming/tags';
import { awsNamesOf } from '../helpers/aws-names';
import type { Json } from '../helpers/template';

export interface StackJson {
  readonly name: string;
  readonly json: Json;
  /** The environment is marked protected. */
  readonly protectedEnvironment: boolean;
  /**
   * The tags every resource of the environment must carry (from its file: name, owner, expiry,
   * protection); the tag rule is skipped for a stack without them.
   */
  readonly standardTags?: Readonly<Record<string, string>>;
}

export interface Rule {
  readonly id: string;
  readonly description: string;
  check(stack: StackJson): string[];
}

type Resources = Record<string, Record<string, Json>>;

function resources(stack: StackJson, type: string): [string, Json][] {
  return Object.entries(((stack.json.resource ?? {}) as Resources)[type] ?? {});
}

function dataSources(stack: StackJson, type: string): [string, Json][] {
  return Object.entries(((stack.json.data ?? {}) as Resources)[type] ?? {});
}

function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Terraform JSON booleans may be strings (`"true"`) in nested blocks. */
function truthy(value: unknown): boolean {
  return value === true || value === 'true';
}

const OPEN_CIDRS = ['0.0.0.0/0', '::/0'];
const GUARDED_PORTS = [22, 6443, 9345];

function coversPort(from: unknown, to: unknown, protocol: unknown, port: number): boolean {
  if (protocol === '-1' || protocol === 'all' || protocol === -1) return true;
  const low = Number(from ?? 0);
  const high = Number(to ?? low);
  return low <= port && port <= high;
}

interface IamStatement {
  readonly Effect?: string;
  readonly Action?: string | string[];
  readonly NotAction?: string | string[];
  readonly Resource?: string | string[];
}

/** Statements of every IAM policy in the stack: inline JSON and policy document data sources. */
function iamStatements(stack: StackJson): { where: string; statement: IamStatement }[] {
  const found: { where: string; statement: IamStatement }[] = [];
  for (const type of [
    'aws_iam_role_policy',
    'aws_iam_policy',
    'aws_iam_user_policy',
    'aws_iam_group_policy',
  ]) {
    for (const [id, resource] of resources(stack, type)) {
      const text = String(resource.policy ?? '');
      if (!text.startsWith('{')) continue;
      const document = JSON.parse(text) as { Statement?: IamStatement | IamStatement[] };
      for (const statement of asArray(document.Statement))
        found.push({ where: `${type}.${id}`, statement });
    }
  }
  for (const [id, data] of dataSources(stack, 'aws_iam_policy_document')) {
    for (const statement of asArray(data.statement as Json[] | undefined)) {
      found.push({
        where: `data.aws_iam_policy_document.${id}`,
        statement: {
          Effect: (statement.effect as string | undefined) ?? 'Allow',
          Action: statement.actions as string[] | undefined,
          Resource: statement.resources as string[] | undefined,
        },
      });
    }
  }
  return found;
}

/** The provider's default tags (every resource that takes tags gets them). */
function defaultTags(stack: StackJson): Record<string, string> {
  const providers = ((stack.json.provider ?? {}) as Record<string, Json[]>).aws ?? [];
  const blocks = asArray(providers[0]?.default_tags as Json | Json[] | undefined);
  return (blocks[0]?.tags ?? {}) as Record<string, string>;
}

/**
 * The tag sets of a resource: its `tags` (beside the default tags), and the tags it gives what it
 * launches (launch template tag specifications, Auto Scaling group tags), which get no default tags.
 */
function tagSets(resource: Json): {
  own?: Record<string, string>;
  launched: Record<string, string>[];
} {
  const launched = asArray(resource.tag_specifications as Json[] | undefined).map(
    (spec) => (spec.tags ?? {}) as Record<string, string>,
  );
  const asgTags = asArray(resource.tag as Json[] | undefined);
  if (asgTags.length > 0)
    launched.push(Object.fromEntries(asgTags.map((t) => [String(t.key), String(t.value)])));
  const own = resource.tags;
  return {
    own: own && typeof own === 'object' ? (own as Record<string, string>) : undefined,
    launched,
  };
}

/** Resource ids referenced as `${<type>.<id>.` anywhere in `value`. */
function referencedIds(value: unknown, type: string): string[] {
  const text = JSON.stringify(value ?? null);
  const pattern = new RegExp(`\\$\\{${type}\\.([A-Za-z0-9_-]+)\\.`, 'g');
  return [...text.matchAll(pattern)].map((m) => m[1]);
}

/** Attributes that hold secret values, as they appear inside `${...}` references. */
const SECRET_ATTRIBUTE =
  /\.(secret_string|secret_binary|random_password|token|private_key\w*|client_key\w*|password|kube_config\w*)\b/;

/** The `${...}` expressions of a value (plain text such as a command line is not a reference). */
function references(value: unknown): string[] {
  return [...JSON.stringify(value ?? null).matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1]);
}

/** One statement of a trust policy, from inline JSON or a policy document data source. */
interface TrustStatement {
  readonly actions: string[];
  readonly services: string[];
  readonly federated: string[];
  readonly otherPrincipals: string[];
  readonly conditions: { test: string; variable: string; values: string[] }[];
}

/** The trust statements of every IAM role of the stack, by role id. */
function trustStatements(stack: StackJson): [string, TrustStatement[]][] {
  return resources(stack, 'aws_iam_role').map(([id, role]) => {
    const text = String(role.assume_role_policy ?? '');
    const dataId = referencedIds(text, 'data.aws_iam_policy_document')[0];
    if (dataId !== undefined) {
      const data = dataSources(stack, 'aws_iam_policy_document').find(([d]) => d === dataId)?.[1];
      const statements = asArray(data?.statement as Json[] | undefined).map((st) => {
        const principals = asArray(st.principals as Json[] | undefined);
        const of = (type: string) =>
          principals
            .filter((p) => p.type === type)
            .flatMap((p) => asArray(p.identifiers as string[]));
        return {
          actions: asArray(st.actions as string[] | undefined),
          services: of('Service'),
          federated: of('Federated'),
          otherPrincipals: principals
            .filter((p) => p.type !== 'Service' && p.type !== 'Federated')
            .flatMap((p) => asArray(p.identifiers as string[])),
          conditions: asArray(st.condition as Json[] | undefined).map((c) => ({
            test: String(c.test),
            variable: String(c.variable),
            values: asArray(c.values as string[]),
          })),
        };
      });
      return [id, statements];
    }
    const document = JSON.parse(text) as { Statement?: Json | Json[] };
    const statements = asArray(document.Statement).map((st) => {
      const principal = (st.Principal ?? {}) as Record<string, string | string[]>;
      const conditions = Object.entries((st.Condition ?? {}) as Record<string, Json>).flatMap(
        ([test, entries]) =>
          Object.entries(entries).map(([variable, values]) => ({
            test,
            variable,
            values: asArray(values as string | string[]),
          })),
      );
      return {
        actions: asArray(st.Action as string | string[] | undefined),
        services: asArray(principal.Service),
        federated: asArray(principal.Federated),
        otherPrincipals: Object.entries(principal)
          .filter(([type]) => type !== 'Service' && type !== 'Federated')
          .flatMap(([, ids]) => asArray(ids)),
        conditions,
      };
    });
    return [id, statements];
  });
}

/**
 * The Kubernetes service accounts the stacks give AWS roles to: the AWS Load Balancer Controller
 * chart v1.14 runs as kube-system:aws-load-balancer-controller (its serviceAccount.name default is
 * the chart's full name) and cert-manager v1.21 as cert-manager:cert-manager (namespace of its
 * release, serviceAccount.name default from its full name); the VPC CNI add-on runs as
 * kube-system:aws-node (EKS user guide, "Configure the Amazon VPC CNI plugin to use IRSA").
 * Upstream facts, not read from lib/.
 */
const WEB_IDENTITY_SUBJECTS = [
  'system:serviceaccount:kube-system:aws-load-balancer-controller',
  'system:serviceaccount:cert-manager:cert-manager',
  'system:serviceaccount:kube-system:aws-node',
  // rancher/backup-restore-operator v11.0.1 charts/rancher-backup: the release's namespace
  // cattle-resources-system and a service account named after the chart (_helpers.tpl).
  'system:serviceaccount:cattle-resources-system:rancher-backup',
];
/** AWS: the audience an EKS-projected service account token carries for IRSA. */
const WEB_IDENTITY_AUDIENCE = 'sts.amazonaws.com';

/** Roles used as `<attribute>` of `<type>` and the one service that must be trusted there. */
const SERVICE_ROLE_USES: { type: string; attribute: string; service: string }[] = [
  { type: 'aws_eks_cluster', attribute: 'role_arn', service: 'eks.amazonaws.com' },
  { type: 'aws_eks_node_group', attribute: 'node_role_arn', service: 'ec2.amazonaws.com' },
  { type: 'aws_iam_instance_profile', attribute: 'role', service: 'ec2.amazonaws.com' },
  { type: 'aws_codebuild_project', attribute: 'service_role', service: 'codebuild.amazonaws.com' },
];

/** An ingress rule open to the whole internet, from any of the three ways to write one. */
interface WorldIngress {
  readonly where: string;
  /** The group the rule admits into (a `${aws_security_group.<id>.id}` reference). */
  readonly group: string;
  readonly from: unknown;
  readonly to: unknown;
  readonly protocol: unknown;
  readonly open: string[];
}

function worldIngress(stack: StackJson): WorldIngress[] {
  const found: WorldIngress[] = [];
  const add = (
    where: string,
    group: unknown,
    from: unknown,
    to: unknown,
    protocol: unknown,
    cidrs: unknown[],
  ) => {
    const open = cidrs.map(String).filter((c) => OPEN_CIDRS.includes(c));
    if (open.length > 0) found.push({ where, group: String(group), from, to, protocol, open });
  };
  for (const [id, rule] of resources(stack, 'aws_security_group_rule')) {
    if (rule.type !== 'ingress') continue;
    add(
      `aws_security_group_rule.${id}`,
      rule.security_group_id,
      rule.from_port,
      rule.to_port,
      rule.protocol,
      [
        ...asArray(rule.cidr_blocks as string[] | undefined),
        ...asArray(rule.ipv6_cidr_blocks as string[] | undefined),
      ],
    );
  }
  for (const [id, rule] of resources(stack, 'aws_vpc_security_group_ingress_rule')) {
    add(
      `aws_vpc_security_group_ingress_rule.${id}`,
      rule.security_group_id,
      rule.from_port,
      rule.to_port,
      rule.ip_protocol,
      [rule.cidr_ipv4, rule.cidr_ipv6],
    );
  }
  for (const [id, group] of resources(stack, 'aws_security_group')) {
    for (const ingress of asArray(group.ingress as Json[] | undefined)) {
      add(
        `aws_security_group.${id}`,
        `\${aws_security_group.${id}.id}`,
        ingress.from_port,
        ingress.to_port,
        ingress.protocol,
        [
          ...asArray(ingress.cidr_blocks as string[] | undefined),
          ...asArray(ingress.ipv6_cidr_blocks as string[] | undefined),
        ],
      );
    }
  }
  return found;
}

export const RULES: readonly Rule[] = [
  {
    id: 'imdsv2',
    description: 'IMDSv2 required on every launch template and instance',
    check(stack) {
      const problems: string[] = [];
      for (const type of ['aws_launch_template', 'aws_instance']) {
        for (const [id, resource] of resources(stack, type)) {
          const options = asArray(resource.metadata_options as Json | Json[] | undefined)[0];
          if (options?.http_tokens !== 'required')
            problems.push(`${type}.${id}: metadata_options.http_tokens is not "required"`);
        }
      }
      return problems;
    },
  },
  {
    id: 'ebs-encryption',
    description: 'EBS volumes encrypted (launch templates, instances, volumes)',
    check(stack) {
      const problems: string[] = [];
      for (const [id, lt] of resources(stack, 'aws_launch_template')) {
        const mappings = asArray(lt.block_device_mappings as Json[] | undefined);
        if (mappings.length === 0)
          problems.push(
            `aws_launch_template.${id}: no block device mapping with an encrypted root volume`,
          );
        for (const mapping of mappings) {
          const ebs = asArray(mapping.ebs as Json | Json[] | undefined)[0];
          if (!truthy(ebs?.encrypted))
            problems.push(
              `aws_launch_template.${id}: ${String(mapping.device_name)} is not encrypted`,
            );
        }
      }
      for (const [id, instance] of resources(stack, 'aws_instance')) {
        const root = asArray(instance.root_block_device as Json | Json[] | undefined)[0];
        if (!truthy(root?.encrypted))
          problems.push(`aws_instance.${id}: root volume is not encrypted`);
      }
      for (const [id, volume] of resources(stack, 'aws_ebs_volume')) {
        if (!truthy(volume.encrypted)) problems.push(`aws_ebs_volume.${id}: not encrypted`);
      }
      return problems;
    },
  },
  {
    id: 'eks-secrets-encryption',
    description: 'EKS secrets encrypted with a KMS key',
    check(stack) {
      return resources(stack, 'aws_eks_cluster')
        .filter(([, cluster]) => {
          const config = asArray(cluster.encryption_config as Json | Json[] | undefined)[0];
          const provider = asArray(config?.provider as Json | Json[] | undefined)[0];
          return (
            !asArray(config?.resources as string[] | undefined).includes('secrets') ||
            !provider?.key_arn
          );
        })
        .map(([id]) => `aws_eks_cluster.${id}: secrets are not encrypted with a KMS key`);
    },
  },
  {
    id: 's3-encryption',
    description: 'S3 buckets encrypted at rest',
    check(stack) {
      const encrypted = new Set(
        resources(stack, 'aws_s3_bucket_server_side_encryption_configuration').flatMap(([, c]) =>
          referencedIds(c.bucket, 'aws_s3_bucket'),
        ),
      );
      return resources(stack, 'aws_s3_bucket')
        .filter(([id]) => !encrypted.has(id))
        .map(([id]) => `aws_s3_bucket.${id}: no server-side encryption configuration`);
    },
  },
  {
    id: 's3-public-access',
    description: 'S3 public access blocked (all four settings)',
    check(stack) {
      const blocked = new Set(
        resources(stack, 'aws_s3_bucket_public_access_block')
          .filter(([, b]) =>
            [
              'block_public_acls',
              'block_public_policy',
              'ignore_public_acls',
              'restrict_public_buckets',
            ].every((k) => b[k] === true),
          )
          .flatMap(([, b]) => referencedIds(b.bucket, 'aws_s3_bucket')),
      );
      return resources(stack, 'aws_s3_bucket')
        .filter(([id]) => !blocked.has(id))
        .map(([id]) => `aws_s3_bucket.${id}: public access is not fully blocked`);
    },
  },
  {
    id: 's3-tls-only',
    description: 'S3 buckets deny requests without TLS',
    check(stack) {
      const policyText = (p: Json): string => {
        const raw = p.policy;
        const ref = referencedIds(raw, 'data.aws_iam_policy_document');
        const fromData = ref.map((id) =>
          JSON.stringify(
            dataSources(stack, 'aws_iam_policy_document').find(([d]) => d === id)?.[1] ?? {},
          ),
        );
        return `${String(raw)} ${fromData.join(' ')}`;
      };
      const tlsOnly = new Set(
        resources(stack, 'aws_s3_bucket_policy')
          .filter(
            ([, p]) => /aws:SecureTransport/.test(policyText(p)) && /Deny/.test(policyText(p)),
          )
          .flatMap(([, p]) => referencedIds(p.bucket, 'aws_s3_bucket')),
      );
      return resources(stack, 'aws_s3_bucket')
        .filter(([id]) => !tlsOnly.has(id))
        .map(([id]) => `aws_s3_bucket.${id}: no bucket policy denying aws:SecureTransport=false`);
    },
  },
  {
    id: 'secrets-not-in-state',
    description:
      'Secrets Manager values never in Terraform config or state (write-only or written by AWS/nodes)',
    check(stack) {
      return resources(stack, 'aws_secretsmanager_secret_version')
        .filter(([, v]) => v.secret_string !== undefined || v.secret_binary !== undefined)
        .map(
          ([id]) =>
            `aws_secretsmanager_secret_version.${id}: sets secret_string/secret_binary (stored in state); use secret_string_wo`,
        );
    },
  },
  {
    id: 'no-open-admin-ports',
    description:
      'No security group rule opens SSH (22) or the Kubernetes API (6443/9345) to 0.0.0.0/0 or ::/0',
    check(stack) {
      return worldIngress(stack).flatMap((rule) =>
        GUARDED_PORTS.filter((port) => coversPort(rule.from, rule.to, rule.protocol, port)).map(
          (port) => `${rule.where}: port ${port} open to ${rule.open.join(', ')}`,
        ),
      );
    },
  },
  {
    id: 'world-only-on-listeners',
    description:
      'A rule open to 0.0.0.0/0 or ::/0 admits only listener ports, on a load balancer security group',
    check(stack) {
      const listenerPorts = new Map<string, Set<number>>();
      for (const [, listener] of resources(stack, 'aws_lb_listener')) {
        for (const lbId of referencedIds(listener.load_balancer_arn, 'aws_lb')) {
          const lb = resources(stack, 'aws_lb').find(([id]) => id === lbId)?.[1];
          for (const group of asArray(lb?.security_groups as string[] | undefined)) {
            const ports = listenerPorts.get(group) ?? new Set<number>();
            ports.add(Number(listener.port));
            listenerPorts.set(group, ports);
          }
        }
      }
      return worldIngress(stack)
        .filter((rule) => {
          const ports = listenerPorts.get(rule.group);
          const single =
            Number(rule.from) === Number(rule.to) && rule.protocol !== '-1' && rule.protocol !== -1;
          return !ports || !single || !ports.has(Number(rule.from));
        })
        .map(
          (rule) =>
            `${rule.where}: ${String(rule.protocol)} ${String(rule.from)}-${String(rule.to)} open to ${rule.open.join(', ')} is not a listener port of a load balancer using that group`,
        );
    },
  },
  {
    id: 'instance-tags',
    description:
      "The environment's tags reach every provider default, launch template (instances and volumes), Auto Scaling group (propagated) and instance",
    check(stack) {
      const expected = stack.standardTags;
      if (!expected) return [];
      const problems: string[] = [];
      const missing = (tags: Record<string, unknown> | undefined): string[] =>
        Object.entries(expected)
          .filter(([key, value]) => tags?.[key] !== value)
          .map(([key, value]) => `${key}=${value}`);
      const providers = asArray(
        ((stack.json.provider ?? {}) as Record<string, Json[]>).aws as Json[] | undefined,
      );
      for (const provider of providers) {
        const defaults = asArray(provider.default_tags as Json | Json[] | undefined)[0];
        const lacking = missing(defaults?.tags as Json | undefined);
        if (lacking.length > 0)
          problems.push(
            `provider aws ${String(provider.alias ?? '')}: default_tags lack ${lacking.join(', ')}`,
          );
      }
      for (const [id, lt] of resources(stack, 'aws_launch_template')) {
        const specs = asArray(lt.tag_specifications as Json[] | undefined);
        for (const type of ['instance', 'volume']) {
          const spec = specs.find((s) => s.resource_type === type);
          const lacking = missing(spec?.tags as Json | undefined);
          if (lacking.length > 0)
            problems.push(`aws_launch_template.${id}: ${type} tags lack ${lacking.join(', ')}`);
        }
      }
      for (const [id, group] of resources(stack, 'aws_autoscaling_group')) {
        const propagated = Object.fromEntries(
          asArray(group.tag as Json[] | undefined)
            .filter((t) => truthy(t.propagate_at_launch))
            .map((t) => [String(t.key), t.value]),
        );
        const lacking = missing(propagated);
        if (lacking.length > 0)
          problems.push(`aws_autoscaling_group.${id}: propagated tags lack ${lacking.join(', ')}`);
      }
      for (const [id, instance] of resources(stack, 'aws_instance')) {
        // The provider's default_tags apply to instances; their own tags must not override them.
        const tags = (instance.tags ?? {}) as Json;
        const overridden = Object.keys(expected).filter(
          (key) => key in tags && tags[key] !== expected[key],
        );
        if (overridden.length > 0)
          problems.push(`aws_instance.${id}: overrides ${overridden.join(', ')}`);
      }
      return problems;
    },
  },
  {
    id: 'default-routes',
    description:
      'Every subnet has a route table; public subnets route 0.0.0.0/0 to the internet gateway, private ones to a NAT gateway, the one in their own zone when there is one',
    check(stack) {
      const problems: string[] = [];
      const subnets = new Map(resources(stack, 'aws_subnet'));
      const tableOf = new Map<string, string>();
      for (const [, association] of resources(stack, 'aws_route_table_association')) {
        for (const subnet of referencedIds(association.subnet_id, 'aws_subnet'))
          for (const table of referencedIds(association.route_table_id, 'aws_route_table'))
            tableOf.set(subnet, table);
      }
      const defaultRoute = new Map<string, Json>();
      for (const [, route] of resources(stack, 'aws_route')) {
        if (route.destination_cidr_block !== '0.0.0.0/0') continue;
        for (const table of referencedIds(route.route_table_id, 'aws_route_table'))
          defaultRoute.set(table, route);
      }
      const natZone = new Map(
        resources(stack, 'aws_nat_gateway').map(([id, nat]) => [
          id,
          subnets.get(referencedIds(nat.subnet_id, 'aws_subnet')[0] ?? '')?.availability_zone,
        ]),
      );
      for (const [id, subnet] of subnets) {
        const tags = (subnet.tags ?? {}) as Json;
        // The network's own marker (no subnet carries the load balancer role tags any more).
        const isPublic = /-public-\d+$/.test(String(tags.Name ?? ''));
        const table = tableOf.get(id);
        const route = table === undefined ? undefined : defaultRoute.get(table);
        if (!route) {
          problems.push(`aws_subnet.${id}: no route table with a default route`);
          continue;
        }
        const gateways = referencedIds(route.gateway_id, 'aws_internet_gateway');
        const nats = referencedIds(route.nat_gateway_id, 'aws_nat_gateway');
        if (isPublic) {
          if (gateways.length !== 1)
            problems.push(
              `aws_subnet.${id}: public, but its default route is not the internet gateway`,
            );
          continue;
        }
        if (nats.length !== 1) {
          problems.push(`aws_subnet.${id}: private, but its default route is not a NAT gateway`);
          continue;
        }
        const local = [...natZone].filter(([, zone]) => zone === subnet.availability_zone);
        if (local.length > 0 && !local.some(([nat]) => nat === nats[0]))
          problems.push(
            `aws_subnet.${id}: routes through aws_nat_gateway.${nats[0]} in another zone while aws_nat_gateway.${local[0][0]} is in its own`,
          );
      }
      return problems;
    },
  },
  {
    id: 'iam-no-wildcard-admin',
    description: 'No IAM statement allows `*` actions on `*` resources',
    check(stack) {
      return iamStatements(stack)
        .filter(({ statement }) => statement.Effect !== 'Deny')
        .filter(
          ({ statement }) =>
            asArray(statement.Action).some((a) => a === '*' || a === '*:*') &&
            asArray(statement.Resource).includes('*'),
        )
        .map(({ where }) => `${where}: allows * on *`);
    },
  },
  {
    id: 'iam-passrole-scoped',
    description: 'Every iam:PassRole is scoped to named roles',
    check(stack) {
      return iamStatements(stack)
        .filter(({ statement }) => statement.Effect !== 'Deny')
        .filter(({ statement }) =>
          asArray(statement.Action).some((a) => /^iam:(PassRole|\*)$/i.test(a) || a === '*'),
        )
        .filter(({ statement }) =>
          asArray(statement.Resource).some((r) => r === '*' || /:role\/\*$/.test(r)),
        )
        .map(({ where }) => `${where}: iam:PassRole on unscoped resources`);
    },
  },
  {
    id: 'iam-trust',
    description:
      'Trust policies: web identity only for one named service account of its own cluster issuer (StringEquals on :sub and :aud); service roles trust exactly the service that uses them',
    check(stack) {
      const problems: string[] = [];
      const providers = new Map(
        resources(stack, 'aws_iam_openid_connect_provider').map(([id, p]) => [id, String(p.url)]),
      );
      const expectedService = new Map<string, Set<string>>();
      for (const use of SERVICE_ROLE_USES) {
        for (const [, resource] of resources(stack, use.type)) {
          for (const roleId of referencedIds(resource[use.attribute], 'aws_iam_role')) {
            expectedService.set(
              roleId,
              (expectedService.get(roleId) ?? new Set()).add(use.service),
            );
          }
        }
      }
      for (const [roleId, statements] of trustStatements(stack)) {
        const where = `aws_iam_role.${roleId}`;
        for (const statement of statements) {
          if (statement.otherPrincipals.length > 0)
            problems.push(`${where}: trusts ${statement.otherPrincipals.join(', ')}`);
          if (statement.services.length > 0) {
            const expected = [...(expectedService.get(roleId) ?? [])];
            if (
              expected.length !== 1 ||
              statement.services.length !== 1 ||
              statement.services[0] !== expected[0]
            )
              problems.push(
                `${where}: trusts service ${statement.services.join(', ')}; its use needs exactly ${expected.join(', ') || 'no service'}`,
              );
          }
          if (statement.federated.length === 0) continue;
          if (statement.actions.join() !== 'sts:AssumeRoleWithWebIdentity')
            problems.push(`${where}: a federated principal with ${statement.actions.join(', ')}`);
          const providerIds = statement.federated.flatMap((f) =>
            referencedIds(f, 'aws_iam_openid_connect_provider'),
          );
          if (providerIds.length !== 1 || statement.federated.length !== 1) {
            problems.push(
              `${where}: federated principal ${statement.federated.join(', ')} is not one OIDC provider's ARN`,
            );
            continue;
          }
          const issuer = providers.get(providerIds[0]) ?? '';
          // Condition keys are the issuer without its https:// scheme (AWS IAM, IRSA).
          const host = `\${replace(${issuer.replace(/^\$\{(.*)\}$/, '$1')}, "https://", "")}`;
          for (const [key, allowed] of [
            ['sub', WEB_IDENTITY_SUBJECTS],
            ['aud', [WEB_IDENTITY_AUDIENCE]],
          ] as const) {
            const matching = statement.conditions.filter((c) => c.variable === `${host}:${key}`);
            if (matching.length !== 1 || matching[0].test !== 'StringEquals') {
              problems.push(
                `${where}: no StringEquals on ${key} of its own cluster's issuer (${issuer})`,
              );
              continue;
            }
            const values = matching[0].values;
            if (values.length !== 1 || !(allowed as readonly string[]).includes(values[0]))
              problems.push(`${where}: ${key} allows ${values.join(', ')}`);
          }
          const others = statement.conditions.filter(
            (c) => c.variable !== `${host}:sub` && c.variable !== `${host}:aud`,
          );
          if (others.length > 0)
            problems.push(
              `${where}: unexpected trust condition(s) ${others.map((c) => `${c.test} ${c.variable}`).join(', ')}`,
            );
        }
      }
      return problems;
    },
  },
  {
    id: 'sensitive-outputs',
    description: 'Outputs that carry secret values are marked sensitive',
    check(stack) {
      return Object.entries((stack.json.output ?? {}) as Record<string, Json>)
        .filter(
          ([, output]) =>
            output.sensitive !== true &&
            references(output.value).some((r) => SECRET_ATTRIBUTE.test(r)),
        )
        .map(([name]) => `output ${name}: carries a secret-looking value but is not sensitive`);
    },
  },
  {
    id: 'codebuild-private-build',
    description:
      'CodeBuild projects run unprivileged in VPC subnets behind a security group, log to CloudWatch, and their role trusts CodeBuild only for this account and project',
    check(stack) {
      const problems: string[] = [];
      const roles = Object.fromEntries(resources(stack, 'aws_iam_role'));
      for (const [id, project] of resources(stack, 'aws_codebuild_project')) {
        const where = `aws_codebuild_project.${id}`;
        const vpc = asArray(project.vpc_config as Json | Json[] | undefined)[0];
        if (asArray(vpc?.subnets as string[] | undefined).length === 0)
          problems.push(`${where}: runs outside a VPC (no vpc_config subnets)`);
        if (asArray(vpc?.security_group_ids as string[] | undefined).length === 0)
          problems.push(`${where}: no security group`);
        const environment = asArray(project.environment as Json | Json[] | undefined)[0];
        if (environment?.privileged_mode !== false)
          problems.push(`${where}: privileged_mode is not false`);
        const logs = asArray(project.logs_config as Json | Json[] | undefined)[0];
        const cloudwatch = asArray(logs?.cloudwatch_logs as Json | Json[] | undefined)[0];
        if (!cloudwatch?.group_name || cloudwatch.status !== 'ENABLED')
          problems.push(`${where}: does not log to a log group of its own`);
        const [roleId] = referencedIds(project.service_role, 'aws_iam_role');
        const role = roleId ? roles[roleId] : undefined;
        if (!role) {
          problems.push(`${where}: its service role is not a role of this stack`);
          continue;
        }
        const trust = JSON.parse(String(role.assume_role_policy)) as {
          Statement: { Principal?: { Service?: string }; Condition?: Record<string, Json> }[];
        };
        for (const statement of asArray(trust.Statement)) {
          const conditions = statement.Condition ?? {};
          const scoped =
            statement.Principal?.Service === 'codebuild.amazonaws.com' &&
            (conditions.StringEquals as Json | undefined)?.['aws:SourceAccount'] !== undefined &&
            (conditions.ArnLike as Json | undefined)?.['aws:SourceArn'] !== undefined;
          if (!scoped)
            problems.push(
              `aws_iam_role.${roleId}: trusts other than codebuild.amazonaws.com with aws:SourceAccount and aws:SourceArn`,
            );
        }
      }
      return problems;
    },
  },
  {
    id: 'deletion-protection',
    description:
      'Protected environments: load balancers with deletion protection, secrets with a recovery window, state buckets kept',
    check(stack) {
      if (!stack.protectedEnvironment) return [];
      const problems: string[] = [];
      for (const [id, lb] of resources(stack, 'aws_lb')) {
        if (lb.enable_deletion_protection !== true)
          problems.push(`aws_lb.${id}: deletion protection is off in a protected environment`);
      }
      for (const [id, secret] of resources(stack, 'aws_secretsmanager_secret')) {
        if (Number(secret.recovery_window_in_days ?? 30) < 7)
          problems.push(
            `aws_secretsmanager_secret.${id}: recovery window below 7 days in a protected environment`,
          );
      }
      for (const [id, bucket] of resources(stack, 'aws_s3_bucket')) {
        if (bucket.force_destroy === true)
          problems.push(`aws_s3_bucket.${id}: force_destroy in a protected environment`);
      }
      return problems;
    },
  },
  {
    id: 'secrets-force-deleted',
    description:
      'Unprotected environments delete their secrets without a recovery window, so their fixed names can be reused at once',
    check(stack) {
      if (stack.protectedEnvironment) return [];
      return resources(stack, 'aws_secretsmanager_secret')
        .filter(([, secret]) => Number(secret.recovery_window_in_days ?? 30) !== 0)
        .map(
          ([id]) =>
            `aws_secretsmanager_secret.${id}: a recovery window in an unprotected environment keeps its name taken after destroy`,
        );
    },
  },
  {
    id: 'aws-names',
    description:
      'Every AWS name (load balancer, target group, security group, role, bucket, ...) is one AWS accepts',
    check(stack) {
      return awsNamesOf(stack.json).flatMap(({ where, kind, name }) => {
        const problem = awsNameProblem(kind, name);
        return problem ? [`${where}: ${kind} name "${name}" ${problem}`] : [];
      });
    },
  },
  {
    id: 'tag-limits',
    description: `Tags within AWS's rules: at most ${OWN_TAGS_PER_RESOURCE} of a resource's own beside the default tags, room for ${SERVICE_TAG_ROOM} that services add within ${TAG_RULES.maxTagsPerResource}, keys and values AWS accepts`,
    check(stack) {
      const defaults = defaultTags(stack);
      const limit = TAG_RULES.maxTagsPerResource - SERVICE_TAG_ROOM;
      const problems: string[] = [];
      const inspect = (where: string, tags: Record<string, string>) => {
        for (const [key, value] of Object.entries(tags)) {
          const problem =
            (key.includes('${') ? undefined : tagTextProblem(key, 'key')) ??
            (value.includes('${') ? undefined : tagTextProblem(value, 'value'));
          if (problem) problems.push(`${where}: tag ${key}: ${problem}`);
        }
      };
      inspect('default_tags', defaults);
      for (const [type, byId] of Object.entries((stack.json.resource ?? {}) as Resources)) {
        for (const [id, resource] of Object.entries(byId)) {
          const where = `${type}.${id}`;
          const { own, launched } = tagSets(resource);
          const ownKeys = Object.keys(own ?? {}).filter((key) => !(key in defaults));
          if (ownKeys.length > OWN_TAGS_PER_RESOURCE)
            problems.push(`${where}: ${ownKeys.length} tags of its own (${ownKeys.join(', ')})`);
          if (own && Object.keys(defaults).length + ownKeys.length > limit)
            problems.push(`${where}: more than ${limit} tags with the default tags`);
          if (own) inspect(where, own);
          for (const tags of launched) {
            const extra = Object.keys(tags).filter((key) => !(key in defaults));
            if (extra.length > OWN_TAGS_PER_RESOURCE)
              problems.push(`${where}: launches with ${extra.length} tags of its own`);
            if (Object.keys(tags).length > limit)
              problems.push(`${where}: launches with more than ${limit} tags`);
            inspect(where, tags);
          }
        }
      }
      return problems;
    },
  },
];

export function violations(stack: StackJson): string[] {
  return RULES.flatMap((rule) =>
    rule.check(stack).map((problem) => `[${rule.id}] ${stack.name}: ${problem}`),
  );
}
