import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { buildEnvironment } from '../../../stacks';
import { environment, Json, Template, testApp } from '../../helpers/template';

interface Statement {
  Sid?: string;
  Effect: string;
  Principal?: Record<string, string>;
  Action: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

const PARTITION = /\$\{data\.aws_partition\.deployer_partition_\w+\.partition\}/.source;
const ACCOUNT = /\$\{data\.aws_caller_identity\.deployer_account_\w+\.account_id\}/.source;

function synth(overrides: Json = {}) {
  const config = environment({ state: { backend: 's3' }, ...overrides });
  const stacks = buildEnvironment(testApp(), config);
  return { stacks, management: Template.fromStack(stacks.management) };
}

function deployerPolicy(template: Template): Statement[] {
  const inline = template
    .resourceList('aws_iam_role_policy')
    .filter((p) => String(p.role).includes('aws_iam_role.deployer_role_'));
  assert.equal(inline.length, 1, 'one inline policy on the deployer role');
  return (JSON.parse(String(inline[0].policy)) as { Statement: Statement[] }).Statement;
}

const bySid = (statements: Statement[], sid: string): Statement => {
  const found = statements.find((s) => s.Sid === sid);
  assert.ok(found, `no statement ${sid}; have ${statements.map((s) => s.Sid).join(', ')}`);
  return found;
};

const list = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

describe('in-VPC deployer in the management stack (EKS, S3 state, one downstream)', () => {
  const { management } = synth({ downstream: [{ name: 'apps' }] });
  const project = management.single('aws_codebuild_project');

  it('runs a CodeBuild project in the three private subnets behind its own security group', () => {
    assert.equal(project.name, 'test-deployer');
    const vpc = project.vpc_config as Json;
    assert.match(String(vpc.vpc_id), /^\$\{aws_vpc\.network_vpc_\w+\.id\}$/);
    assert.deepEqual(
      (vpc.subnets as string[]).map((s) => s.replace(/_[0-9A-F]{8}\.id\}$/, '')),
      [
        '${aws_subnet.network_private-0',
        '${aws_subnet.network_private-1',
        '${aws_subnet.network_private-2',
      ],
    );
    assert.deepEqual(
      (vpc.security_group_ids as string[]).map((s) => s.replace(/_[0-9A-F]{8}\.id\}$/, '')),
      ['${aws_security_group.deployer_sg'],
    );
  });

  it('uses the Amazon Linux 2023 standard image unprivileged, with the configured size and timeout', () => {
    assert.deepEqual(project.environment, {
      type: 'LINUX_CONTAINER',
      compute_type: 'BUILD_GENERAL1_MEDIUM',
      // aws-codebuild-docker-images al/x86_64/standard/6.0: Node.js 22 and 24.
      image: 'aws/codebuild/amazonlinux-x86_64-standard:6.0',
      image_pull_credentials_type: 'CODEBUILD',
      privileged_mode: false,
    });
    assert.equal(project.build_timeout, 60);
    assert.equal(project.queued_timeout, 60);
    assert.deepEqual(project.artifacts, { type: 'NO_ARTIFACTS' });
  });

  it('takes its source from one versioned key of its own bucket and keeps the buildspec itself', () => {
    const source = project.source as Json;
    assert.equal(source.type, 'S3');
    assert.match(
      String(source.location),
      /^\$\{aws_s3_bucket\.deployer_source_bucket_\w+\.bucket\}\/source\.zip$/,
    );
    const buildspec = parse(String(source.buildspec)) as {
      phases: { build: { commands: string[] } };
    };
    const [command] = buildspec.phases.build.commands;
    assert.match(
      command,
      /^ {2}deploy\) npx cdktf deploy test-rancher test-apps-agent --auto-approve /m,
    );
    assert.match(command, /^ {2}destroy\) npx cdktf destroy test-apps-agent test-rancher /m);
  });

  it('logs to a log group Terraform owns, with retention, and not to S3', () => {
    management.hasResourceWithProperties('aws_cloudwatch_log_group', {
      name: '/aws/codebuild/test-deployer',
      retention_in_days: 30,
    });
    const logs = project.logs_config as Json;
    assert.match(
      String((logs.cloudwatch_logs as Json).group_name),
      /^\$\{aws_cloudwatch_log_group\.deployer_logs_\w+\.name\}$/,
    );
    assert.deepEqual(logs.s3_logs, { status: 'DISABLED' });
  });

  it('is created after its role policy (CodeBuild checks the VPC permissions on create)', () => {
    assert.deepEqual(
      (project.depends_on as string[]).map((d) => d.replace(/_[0-9A-F]{8}$/, '')),
      ['aws_iam_role_policy.deployer_permissions'],
    );
  });

  it('has a role only CodeBuild may assume, for this account and project', () => {
    const role = management.find('aws_iam_role', { name: 'test-deployer' });
    assert.equal(role.length, 1);
    const trust = JSON.parse(String(role[0].assume_role_policy)) as { Statement: Statement[] };
    assert.equal(trust.Statement.length, 1);
    const [statement] = trust.Statement;
    assert.deepEqual(statement.Principal, { Service: 'codebuild.amazonaws.com' });
    assert.equal(statement.Action, 'sts:AssumeRole');
    assert.match(
      String(statement.Condition?.StringEquals['aws:SourceAccount']),
      new RegExp(`^${ACCOUNT}$`),
    );
    assert.match(
      String(statement.Condition?.ArnLike['aws:SourceArn']),
      new RegExp(`^arn:${PARTITION}:codebuild:us-east-1:${ACCOUNT}:project/test-deployer$`),
    );
  });

  it('grants exactly these actions, none of them a wildcard', () => {
    const actions = deployerPolicy(management)
      .flatMap((s) => list(s.Action))
      .sort();
    assert.deepEqual(actions, [
      'ec2:CreateNetworkInterface',
      'ec2:CreateNetworkInterfacePermission',
      'ec2:DeleteNetworkInterface',
      'ec2:DescribeDhcpOptions',
      'ec2:DescribeNetworkInterfaces',
      'ec2:DescribeSecurityGroups',
      'ec2:DescribeSubnets',
      'ec2:DescribeVpcs',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      's3:DeleteObject',
      's3:GetBucketAcl',
      's3:GetBucketLocation',
      's3:GetObject',
      's3:GetObject',
      's3:GetObject',
      's3:GetObjectVersion',
      's3:ListBucket',
      's3:PutObject',
      's3:PutObject',
      'secretsmanager:GetSecretValue',
    ]);
    for (const statement of deployerPolicy(management)) assert.equal(statement.Effect, 'Allow');
  });

  it('lets CodeBuild attach network interfaces only in the private subnets, for CodeBuild', () => {
    const permission = bySid(deployerPolicy(management), 'VpcNetworkInterfacePermission');
    assert.match(
      String(permission.Resource),
      new RegExp(`^arn:${PARTITION}:ec2:us-east-1:${ACCOUNT}:network-interface/\\*$`),
    );
    const condition = permission.Condition?.StringEquals ?? {};
    // AWS CodeBuild user guide, "Allow CodeBuild access to AWS services required to create a VPC
    // network interface": ec2:Subnet and ec2:AuthorizedService on CreateNetworkInterfacePermission.
    assert.equal(condition['ec2:AuthorizedService'], 'codebuild.amazonaws.com');
    assert.equal((condition['ec2:Subnet'] as string[]).length, 3);
    for (const subnet of condition['ec2:Subnet'] as string[]) {
      assert.match(
        subnet,
        new RegExp(
          `^arn:${PARTITION}:ec2:us-east-1:${ACCOUNT}:subnet/\\$\\{aws_subnet\\.network_private-\\d_\\w+\\.id\\}$`,
        ),
      );
    }
  });

  it('reads every state of the environment but writes and locks only the in-cluster stacks', () => {
    const statements = deployerPolicy(management);
    const bucket = `arn:${PARTITION}:s3:::test-tfstate`;
    assert.match(String(bySid(statements, 'StateList').Resource), new RegExp(`^${bucket}$`));
    assert.match(
      String(bySid(statements, 'StateReadEnvironment').Resource),
      new RegExp(`^${bucket}/test/\\*$`),
    );
    const unwrap = (resources: string[]) =>
      resources.map((r) => r.replace(new RegExp(`^${bucket}/`), ''));
    assert.deepEqual(unwrap(list(bySid(statements, 'StateWriteAppliedStacks').Resource)), [
      'test/test-rancher.tfstate',
      'test/test-apps-agent.tfstate',
    ]);
    // Terraform's S3 backend documentation: DeleteObject only on the `.tflock` lock objects.
    const locks = bySid(statements, 'StateLocks');
    assert.deepEqual(list(locks.Action), ['s3:GetObject', 's3:PutObject', 's3:DeleteObject']);
    assert.deepEqual(unwrap(list(locks.Resource)), [
      'test/test-rancher.tfstate.tflock',
      'test/test-apps-agent.tfstate.tflock',
    ]);
  });

  it('reads the source bundle key only, and writes its log group only', () => {
    const statements = deployerPolicy(management);
    assert.match(
      String(bySid(statements, 'SourceBundle').Resource),
      /^\$\{aws_s3_bucket\.deployer_source_bucket_\w+\.arn\}\/source\.zip$/,
    );
    assert.deepEqual(
      list(bySid(statements, 'BuildLogs').Resource).map((r) =>
        r.replace(/deployer_logs_\w+\.arn/, 'LOGS'),
      ),
      ['${aws_cloudwatch_log_group.LOGS}', '${aws_cloudwatch_log_group.LOGS}:*'],
    );
  });

  // The rancher stack reads the backup encryption key at apply time (backups are on by default).
  it('reads the bootstrap password and the backup key, no other secret (EKS, rancher TLS mode)', () => {
    assert.deepEqual(
      list(bySid(deployerPolicy(management), 'ReadSecrets').Resource)
        .map((r) => r.replace(/_[0-9A-F]{8}\.arn\}$/, ''))
        .sort(),
      [
        '${aws_secretsmanager_secret.bootstrap-password_secret',
        '${aws_secretsmanager_secret.rancher-backup_encryption-key_secret',
      ],
    );
  });

  it('is cluster-admin on the management cluster through an access entry, and reaches its API', () => {
    const entry = management.single('aws_eks_access_entry');
    assert.match(String(entry.principal_arn), /^\$\{aws_iam_role\.deployer_role_\w+\.arn\}$/);
    assert.match(String(entry.cluster_name), /^\$\{aws_eks_cluster\.eks_cluster_\w+\.name\}$/);
    management.hasResourceWithProperties('aws_eks_access_policy_association', {
      policy_arn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
      access_scope: { type: 'cluster' },
    });
    const rule = management.find('aws_vpc_security_group_ingress_rule', {
      description: 'Kubernetes API from the in-VPC deployer',
    });
    assert.equal(rule.length, 1);
    assert.equal(rule[0].from_port, 443);
    assert.equal(rule[0].to_port, 443);
    assert.match(String(rule[0].security_group_id), /eks_control-plane-sg_/);
    assert.match(String(rule[0].referenced_security_group_id), /deployer_sg_/);
  });

  it('opens nothing towards the deployer: its security group only has egress', () => {
    const ingress = management
      .resourceList('aws_vpc_security_group_ingress_rule')
      .filter((r) => String(r.security_group_id).includes('deployer_sg_'));
    assert.deepEqual(ingress, []);
    const egress = management
      .resourceList('aws_vpc_security_group_egress_rule')
      .filter((r) => String(r.security_group_id).includes('deployer_sg_'));
    assert.equal(egress.length, 1);
  });

  it('keeps bundles in a private bucket of its own that expires old versions after a day', () => {
    const bucket = management
      .find('aws_s3_bucket', {})
      .filter((b) => String(b.bucket).startsWith('test-deployer-'));
    assert.equal(bucket.length, 1);
    assert.match(String(bucket[0].bucket), new RegExp(`^test-deployer-${ACCOUNT}$`));
    assert.equal(bucket[0].force_destroy, true);
    management.hasResourceWithProperties('aws_s3_bucket_lifecycle_configuration', {
      rule: [{ id: 'expire-old-bundles', noncurrent_version_expiration: [{ noncurrent_days: 1 }] }],
    });
  });

  it('outputs the project name', () => {
    assert.match(
      String(management.output('deployer_project').value),
      /^\$\{aws_codebuild_project\.deployer_project_\w+\.name\}$/,
    );
  });
});

describe('in-VPC deployer: other settings', () => {
  it('takes compute type, timeout and log retention from the deployer section', () => {
    const { management } = synth({
      deployer: {
        computeType: 'BUILD_GENERAL1_LARGE',
        buildTimeoutMinutes: 120,
        logRetentionDays: 90,
      },
    });
    const project = management.single('aws_codebuild_project');
    assert.equal((project.environment as Json).compute_type, 'BUILD_GENERAL1_LARGE');
    assert.equal(project.build_timeout, 120);
    management.hasResourceWithProperties('aws_cloudwatch_log_group', {
      name: '/aws/codebuild/test-deployer',
      retention_in_days: 90,
    });
  });

  it('creates nothing with deployer.enabled false', () => {
    const { management } = synth({ deployer: { enabled: false } });
    assert.equal(management.resourceCount('aws_codebuild_project'), 0);
    assert.deepEqual(management.find('aws_iam_role', { name: 'test-deployer' }), []);
    assert.equal(management.resourceCount('aws_eks_access_entry'), 0);
  });

  it('gives no state access with local state (the build cannot share it)', () => {
    const { management } = synth({ state: { backend: 'local' } });
    const sids = deployerPolicy(management).map((s) => s.Sid);
    assert.deepEqual(
      sids.filter((sid) => sid?.startsWith('State')),
      [],
    );
  });

  it('keeps the source bucket on destroy in a protected environment', () => {
    const { management } = synth({ protected: true });
    const bucket = management
      .resourceList('aws_s3_bucket')
      .find((b) => String(b.bucket).startsWith('test-deployer-'));
    assert.equal(bucket?.force_destroy, false);
  });

  it('on RKE2: reads the kubeconfig secret too, and has no access entry', () => {
    const { management } = synth({ management: { distribution: 'rke2', rke2: {} } });
    assert.equal(management.resourceCount('aws_eks_access_entry'), 0);
    assert.deepEqual(
      list(bySid(deployerPolicy(management), 'ReadSecrets').Resource)
        .map((r) => r.replace(/_[0-9A-F]{8}\.arn\}$/, ''))
        .sort(),
      [
        '${aws_secretsmanager_secret.bootstrap-password_secret',
        '${aws_secretsmanager_secret.rancher-backup_encryption-key_secret',
        '${aws_secretsmanager_secret.rke2_kubeconfig',
      ],
    );
  });

  it('reads your certificate secret when rancher.tls.secret.secretsManagerArn is set', () => {
    const arn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:rancher-tls-AbCdEf';
    const { management } = synth({
      rancher: { tls: { mode: 'secret', secret: { secretsManagerArn: arn } } },
    });
    assert.ok(list(bySid(deployerPolicy(management), 'ReadSecrets').Resource).includes(arn));
  });

  // EKS user guide, cluster endpoint: with private access on, requests from inside the VPC use
  // the private endpoint, so the deployer needs no NAT address in publicAccessCidrs ('public'
  // alone, which would, is refused by the config).
  it('leaves publicAccessCidrs as given: the deployer uses the private endpoint', () => {
    const { management } = synth({
      management: { eks: { endpointAccess: 'both', publicAccessCidrs: ['203.0.113.0/24'] } },
    });
    const vpc = management.single('aws_eks_cluster').vpc_config as Json;
    assert.deepEqual(vpc.public_access_cidrs, ['203.0.113.0/24']);
    assert.equal(vpc.endpoint_private_access, true);
  });
});
