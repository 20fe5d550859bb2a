import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildEnvironment } from '../../../stacks';
import { rke2NodeStatements } from '../../../lib/rke2/policies';
import { waitForSecretCommand, WAIT_FOR_SECRET_SCRIPT } from '../../../lib/rke2/kubeconfig-wait';
import { parse } from 'yaml';
import { checkChartValues } from '../../helpers/chart-values';
import { environment, Json, Template, testApp } from '../../helpers/template';

function synth(rke2: Json = {}, overrides: Json = {}) {
  const config = environment({
    network: { availabilityZones: 3 },
    management: { distribution: 'rke2', rke2 },
    // The deployer brings a bucket and a role of its own (test/unit/deployer); here the
    // cluster's are the only ones.
    deployer: { enabled: false },
    ...overrides,
  });
  const stacks = buildEnvironment(testApp(), config);
  return {
    stacks,
    management: Template.fromStack(stacks.management),
    rancher: Template.fromStack(stacks.rancher),
  };
}

const byName = (template: Template, type: string, name: string): Json => {
  const found = template.find(type, { name });
  assert.equal(found.length, 1, `expected one ${type} named ${name}`);
  return found[0];
};

function policyOf(template: Template, roleRef: string): { Statement: Json[] } {
  const policy = template.resourceList('aws_iam_role_policy').find((p) => p.role === roleRef);
  assert.ok(policy, `no inline policy for ${roleRef}`);
  return JSON.parse(String(policy.policy)) as { Statement: Json[] };
}

interface IngressRule {
  readonly description: string;
  readonly fromPort?: number;
  /** Empty when the peer is a security group. */
  readonly cidrs: string[];
}

/** Ingress rules, whichever rule resource the security group helper writes. */
function ingressRules(template: Template): IngressRule[] {
  const legacy = template
    .resourceList('aws_security_group_rule')
    .filter((r) => r.type === 'ingress')
    .map((r) => ({
      description: String(r.description),
      fromPort: r.from_port as number | undefined,
      cidrs: (r.cidr_blocks as string[] | undefined) ?? [],
    }));
  const current = template.resourceList('aws_vpc_security_group_ingress_rule').map((r) => ({
    description: String(r.description),
    fromPort: r.from_port as number | undefined,
    cidrs: r.cidr_ipv4 ? [String(r.cidr_ipv4)] : [],
  }));
  return [...legacy, ...current];
}

function decodedUserData(template: Template, launchTemplateName: string): string {
  const launchTemplate = byName(template, 'aws_launch_template', launchTemplateName);
  // `${base64gzip(local.<id>)}`: the text itself sits in the local.
  // Compressed: EC2's 16 KB limit applies to what the template carries.
  const local = /^\$\{base64gzip\(local\.([\w-]+)\)\}$/.exec(String(launchTemplate.user_data));
  assert.ok(local, String(launchTemplate.user_data));
  const locals = template.json.locals as Record<string, string>;
  return locals[local[1]];
}

describe('RKE2 management cluster, single profile', () => {
  const { stacks, management, rancher } = synth({ profile: 'single' });

  it('runs exactly one seed server in the first private subnet and no other node group', () => {
    const groups = management.resourceList('aws_autoscaling_group');
    assert.deepEqual(
      groups.map((g) => [g.name, g.min_size, g.desired_capacity, g.max_size]),
      [['test-management-seed', 1, 1, 1]],
    );
    assert.deepEqual(groups[0].vpc_zone_identifier, [
      '${aws_subnet.network_private-0_A0649C48.id}',
    ]);
    assert.equal(groups[0].health_check_type, 'EC2');
    assert.equal(groups[0].health_check_grace_period, 600);
  });

  it('registers the seed with the supervisor, API and ingress target groups', () => {
    const seed = byName(management, 'aws_autoscaling_group', 'test-management-seed');
    const targetGroups = management.resources('aws_lb_target_group');
    const names = (seed.target_group_arns as string[]).map((ref) => {
      const id = /aws_lb_target_group\.([\w-]+)\.arn/.exec(ref)?.[1];
      return targetGroups[String(id)].name;
    });
    assert.deepEqual(names.sort(), ['test-http', 'test-https', 'test-rke2-api', 'test-rke2-join']);
  });

  it('publishes the kubeconfig from the seed and tells the rancher stack to read it', () => {
    assert.deepEqual(stacks.management.outputs.access.kind, 'kubeconfigSecret');
    assert.equal(stacks.management.outputs.eks, undefined);
    assert.equal(stacks.management.outputs.nodeCount, 1);
    const ephemeral = (rancher.json.ephemeral ?? {}) as Record<string, Json>;
    assert.ok(
      ephemeral.aws_secretsmanager_secret_version,
      'the rancher stack reads no secret version',
    );
    // No ingress controller of its own (RKE2 bundles Traefik); the LoadBalancer Service policy too.
    const values = rancher.resourceList('helm_release').map((r) => r.name);
    assert.deepEqual(values.sort(), [
      'cert-manager',
      'load-balancer-service-policy',
      'rancher',
      'rancher-backup',
      'rancher-backup-crd',
      'rancher-backup-encryption',
      'rancher-backup-schedule',
      'rancher-namespace',
    ]);
  });

  it('starts Rancher with one replica', () => {
    const release = rancher.find('helm_release', { name: 'rancher' })[0];
    assert.match(JSON.stringify(release), /replicas[^0-9]+1\b/);
  });

  it('has no bastion, no SSH and nothing of 6443 or 9345 open to the internet', () => {
    assert.equal(management.resourceCount('aws_instance'), 0);
    const rules = ingressRules(management);
    assert.ok(rules.length >= 8, `only ${rules.length} ingress rules`);
    for (const rule of rules) {
      assert.notEqual(rule.fromPort, 22, `SSH rule ${rule.description}`);
      if ([6443, 9345].includes(Number(rule.fromPort)) && rule.cidrs.length > 0) {
        assert.deepEqual(rule.cidrs, ['10.0.0.0/16'], rule.description);
      }
      if (rule.cidrs.includes('0.0.0.0/0')) {
        assert.ok([80, 443].includes(Number(rule.fromPort)), `${rule.description} is open to all`);
      }
    }
  });

  it('waits for the kubeconfig at the end of the apply, once per secret', () => {
    const wait = management.single('terraform_data');
    assert.deepEqual(wait.depends_on, ['aws_autoscaling_group.rke2_seed_group_994D14D3']);
    assert.deepEqual(wait.triggers_replace, {
      kubeconfig_secret_arn: '${aws_secretsmanager_secret.rke2_kubeconfig_BB54FEB4.arn}',
    });
    const provisioner = (wait.provisioner as Json[])[0]['local-exec'] as Json;
    assert.equal(
      provisioner.command,
      `node '${WAIT_FOR_SECRET_SCRIPT}' --secret-id '\${aws_secretsmanager_secret.rke2_kubeconfig_BB54FEB4.arn}' --region 'us-east-1' --endpoint 'http://127.0.0.1:5000' --timeout 900 --interval 10`,
    );
    assert.deepEqual(provisioner.environment, {
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
    });
  });

  it("looks Ubuntu 24.04 up in Canonical's SSM parameter and encrypts the volume on its root device", () => {
    const parameter = Object.values(management.dataSources('aws_ssm_parameter'))[0];
    assert.equal(
      parameter.name,
      '/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id',
    );
    const lt = byName(management, 'aws_launch_template', 'test-management-seed');
    assert.match(String(lt.image_id), /data\.aws_ami\./);
    const device = (lt.block_device_mappings as Json[])[0];
    assert.match(String(device.device_name), /data\.aws_ami\.[\w-]+\.root_device_name/);
  });

  it('makes the secrets and the bucket disposable in a throw-away environment', () => {
    for (const secret of management.resourceList('aws_secretsmanager_secret')) {
      assert.equal(secret.recovery_window_in_days, 0, String(secret.name));
    }
    const buckets = management.resourceList('aws_s3_bucket');
    assert.equal(buckets.length, 2, 'etcd snapshots and Rancher backups');
    for (const bucket of buckets) assert.equal(bucket.force_destroy, true, String(bucket.bucket));
  });
});

describe('RKE2 management cluster, ha profile with workers and a bastion', () => {
  const { stacks, management } = synth(
    {
      profile: 'ha',
      workerCount: 3,
      bastion: true,
      bastionAllowedCidrs: ['203.0.113.0/24'],
      serverInstanceType: 'm6i.large',
      workerInstanceType: 'm6i.2xlarge',
      diskSizeGiB: 200,
    },
    { target: 'aws', ingress: { scheme: 'internal', allowedCidrs: ['10.0.0.0/8'] } },
  );

  it('splits the servers into a seed and two joiners outside the seed zone, plus three agents', () => {
    const groups = management.resourceList('aws_autoscaling_group');
    assert.deepEqual(
      groups
        .map((g) => [g.name, g.desired_capacity, (g.vpc_zone_identifier as string[]).length])
        .sort(),
      [
        ['test-management-agents', 3, 3],
        ['test-management-seed', 1, 1],
        ['test-management-servers', 2, 2],
      ],
    );
    const servers = byName(management, 'aws_autoscaling_group', 'test-management-servers');
    assert.ok(!(servers.vpc_zone_identifier as string[]).some((s) => s.includes('private-0')));
  });

  it('holds terminating servers (seed and joiners, not agents) for their leave unit', () => {
    // AWS Auto Scaling: a termination lifecycle hook keeps the instance in Terminating:Wait and
    // IMDS autoscaling/target-lifecycle-state reads Terminated until it completes or times out.
    const hooks = management.resourceList('aws_autoscaling_lifecycle_hook');
    const groups = management.resources('aws_autoscaling_group');
    const groupRef = (name: string) =>
      `\${aws_autoscaling_group.${Object.entries(groups).find(([, g]) => g.name === name)?.[0]}.name}`;
    assert.deepEqual(
      hooks.map((h) => h.autoscaling_group_name).sort(),
      [groupRef('test-management-seed'), groupRef('test-management-servers')].sort(),
    );
    for (const hook of hooks) {
      assert.equal(hook.name, 'rke2-leave-etcd');
      assert.equal(hook.lifecycle_transition, 'autoscaling:EC2_INSTANCE_TERMINATING');
      assert.equal(hook.heartbeat_timeout, 300);
      assert.equal(hook.default_result, 'CONTINUE');
    }
    const servers = decodedUserData(management, 'test-management-servers');
    assert.match(servers, /readonly GROUP_NAME='test-management-servers'/);
    assert.match(servers, /readonly HOOK_NAME='rke2-leave-etcd'/);
    assert.match(servers, /path: \/etc\/systemd\/system\/rke2-leave\.service/);
    assert.match(
      decodedUserData(management, 'test-management-seed'),
      /GROUP_NAME='test-management-seed'/,
    );
    const agents = decodedUserData(management, 'test-management-agents');
    assert.doesNotMatch(agents, /GROUP_NAME|path: \/usr\/local\/sbin\/rke2-leave/);
  });

  it('keeps a secret, without a Terraform value, for the full join token the seed publishes', () => {
    const secret = byName(management, 'aws_secretsmanager_secret', 'test/rke2/full-join-token');
    // Unprotected: deleted at once on destroy, like the other secrets (recovery windows above).
    assert.equal(secret.recovery_window_in_days, 0);
    const versions = management.resourceList('aws_secretsmanager_secret_version');
    assert.ok(!versions.some((v) => String(v.secret_id).includes('full-join-token')));
    for (const pool of ['seed', 'servers', 'agents']) {
      assert.match(
        decodedUserData(management, `test-management-${pool}`),
        /readonly FULL_TOKEN_SECRET_ARN='\$\{aws_secretsmanager_secret\.rke2_full-join-token_[0-9A-F]+\.arn\}'/,
      );
    }
  });

  it('sends ingress traffic to the agents and keeps servers on 9345 and 6443', () => {
    const agents = byName(management, 'aws_autoscaling_group', 'test-management-agents');
    const seed = byName(management, 'aws_autoscaling_group', 'test-management-seed');
    assert.equal((agents.target_group_arns as string[]).length, 2);
    assert.ok((agents.target_group_arns as string[]).every((a) => a.includes('rke2_ingress_')));
    assert.ok((seed.target_group_arns as string[]).every((a) => a.includes('rke2_registration_')));
    assert.equal(stacks.management.outputs.nodeCount, 3, 'tainted servers take no Rancher pods');
  });

  it('uses TCP health checks on the traffic port and does not preserve client IPs', () => {
    const groups = management.resourceList('aws_lb_target_group');
    assert.deepEqual(
      groups.map((g) => [g.name, g.port, g.target_type, g.preserve_client_ip]).sort(),
      [
        ['test-http', 80, 'instance', 'false'],
        ['test-https', 443, 'instance', 'false'],
        ['test-rke2-api', 6443, 'instance', 'false'],
        ['test-rke2-join', 9345, 'instance', 'false'],
      ],
    );
    for (const group of groups) {
      assert.deepEqual(
        [(group.health_check as Json).protocol, (group.health_check as Json).port],
        ['TCP', 'traffic-port'],
      );
    }
    const registration = byName(management, 'aws_lb', 'test-rke2');
    assert.equal(registration.internal, true);
    assert.equal(byName(management, 'aws_lb', 'test-ingress').internal, true);
    const listeners = management.resourceList('aws_lb_listener').map((l) => l.port);
    assert.deepEqual(listeners.sort(), [443, 6443, 80, 9345].sort());
  });

  // upgrade:check reads the deployed release from this tag (docs/upgrades.md).
  it('tags every launch template with the RKE2 release its user data installs', () => {
    const templates = management.resourceList('aws_launch_template');
    assert.equal(templates.length, 3);
    for (const lt of templates) {
      assert.deepEqual(lt.tags, { 'rancher-aws:rke2-version': 'v1.36.3+rke2r1' });
    }
  });

  it('launches nodes with IMDSv2, encrypted gp3 roots and no key pair', () => {
    for (const lt of management.resourceList('aws_launch_template')) {
      // Servers run the backup operator, which takes their role from IMDS one hop further away
      // (pod network); agents keep the host-only hop limit.
      const hops = String(lt.name).endsWith('-agents') ? 1 : 2;
      assert.deepEqual(
        lt.metadata_options,
        {
          http_endpoint: 'enabled',
          http_tokens: 'required',
          http_put_response_hop_limit: hops,
          instance_metadata_tags: 'disabled',
        },
        String(lt.name),
      );
      assert.equal(lt.key_name, undefined);
      const ebs = (lt.block_device_mappings as Json[])[0].ebs as Json;
      assert.deepEqual([ebs.encrypted, ebs.volume_type, ebs.volume_size], ['true', 'gp3', 200]);
      const tags = (lt.tag_specifications as Json[]).map((t) => t.resource_type);
      assert.deepEqual(tags, ['instance', 'volume', 'network-interface']);
    }
    assert.equal(
      byName(management, 'aws_launch_template', 'test-management-servers').instance_type,
      'm6i.large',
    );
    assert.equal(
      byName(management, 'aws_launch_template', 'test-management-agents').instance_type,
      'm6i.2xlarge',
    );
  });

  it("renders each pool's user data for its role, the token never in it", () => {
    const seed = decodedUserData(management, 'test-management-seed');
    const servers = decodedUserData(management, 'test-management-servers');
    const agents = decodedUserData(management, 'test-management-agents');
    assert.match(seed, /readonly RKE2_ROLE='seed'/);
    assert.match(servers, /readonly RKE2_ROLE='server'/);
    assert.match(agents, /readonly RKE2_ROLE='agent'/);
    assert.match(servers, /node-taint:\n\s+- CriticalAddonsOnly=true:NoExecute/);
    assert.match(seed, /etcd-s3-folder: test-management/);
    assert.doesNotMatch(agents, /etcd-s3/);
    assert.match(
      seed,
      /tls-san:\n\s+- \$\{aws_lb\.[\w-]+\.dns_name\}\n\s+- rancher\.test\.internal/,
    );
  });

  it('scopes each role to its own secrets, the snapshot folder and its own group', () => {
    const roles = management.resources('aws_iam_role');
    const ref = (name: string) => {
      const id = Object.entries(roles).find(([, r]) => r.name === name)?.[0];
      return `\${aws_iam_role.${id}.name}`;
    };
    const token = '${aws_secretsmanager_secret.rke2_join-token_secret_752A1459.arn}';
    const fullToken = '${aws_secretsmanager_secret.rke2_full-join-token_8DAA3CCA.arn}';
    const kubeconfig = '${aws_secretsmanager_secret.rke2_kubeconfig_BB54FEB4.arn}';
    const bucket = '${aws_s3_bucket.rke2_etcd-snapshots_bucket_3FD46A5B.arn}';
    const backups = '${aws_s3_bucket.rancher-backup_bucket_B94461DC.arn}';
    const group = (name: string) =>
      `arn:\${data.aws_partition.rke2_partition_494EFDC1.partition}:autoscaling:us-east-1:\${data.aws_caller_identity.rke2_account_B7FF4668.account_id}:autoScalingGroup:*:autoScalingGroupName/${name}`;
    const read = (Sid: string, Resource: string) => ({
      Sid,
      Effect: 'Allow',
      Action: 'secretsmanager:GetSecretValue',
      Resource,
    });
    const seed = policyOf(management, ref('test-management-seed')).Statement;
    assert.deepEqual(seed, [
      read('ReadJoinToken', token),
      read('ReadFullJoinToken', fullToken),
      {
        Sid: 'PublishKubeconfig',
        Effect: 'Allow',
        Action: ['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue'],
        Resource: kubeconfig,
      },
      {
        Sid: 'PublishFullJoinToken',
        Effect: 'Allow',
        Action: 'secretsmanager:PutSecretValue',
        Resource: fullToken,
      },
      {
        Sid: 'LeaveOnTermination',
        Effect: 'Allow',
        Action: 'autoscaling:CompleteLifecycleAction',
        Resource: group('test-management-seed'),
      },
      {
        Sid: 'SnapshotBucket',
        Effect: 'Allow',
        Action: ['s3:ListBucket', 's3:GetBucketLocation'],
        Resource: bucket,
      },
      {
        Sid: 'SnapshotObjects',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        Resource: `${bucket}/test-management/*`,
      },
      {
        Sid: 'BackupBucket',
        Effect: 'Allow',
        Action: ['s3:ListBucket', 's3:GetBucketLocation'],
        Resource: backups,
      },
      {
        Sid: 'BackupObjects',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        Resource: `${backups}/rancher/*`,
      },
    ]);
    const servers = policyOf(management, ref('test-management-servers')).Statement;
    assert.deepEqual(
      servers.map((s) => s.Sid),
      [
        'ReadJoinToken',
        'ReadFullJoinToken',
        'LeaveOnTermination',
        'SnapshotBucket',
        'SnapshotObjects',
        'BackupBucket',
        'BackupObjects',
      ],
    );
    assert.equal(servers[2].Resource, group('test-management-servers'));
    assert.equal(servers[4].Resource, `${bucket}/test-management/*`);
    assert.equal(servers[6].Resource, `${backups}/rancher/*`);
    assert.deepEqual(policyOf(management, ref('test-management-agents')).Statement, [
      read('ReadJoinToken', token),
      read('ReadFullJoinToken', fullToken),
    ]);
    const attachments = management.resourceList('aws_iam_role_policy_attachment');
    assert.equal(
      attachments.filter((a) => String(a.policy_arn).endsWith('/AmazonSSMManagedInstanceCore'))
        .length,
      4,
    );
  });

  it('keeps snapshots in a versioned, encrypted, private, TLS-only bucket kept on destroy', () => {
    const bucket = management
      .resourceList('aws_s3_bucket')
      .filter((b) => String(b.bucket).includes('etcd-snapshots'))[0];
    assert.match(
      String(bucket.bucket),
      /^test-management-etcd-snapshots-\$\{data\.aws_caller_identity\.[\w-]+\.account_id\}$/,
    );
    assert.equal(bucket.force_destroy, false);
    const snapshots = (type: string) => {
      const found = management
        .resourceList(type)
        .filter((r) => String(r.bucket).includes('etcd-snapshots'));
      assert.equal(found.length, 1, type);
      return found[0];
    };
    assert.deepEqual(snapshots('aws_s3_bucket_versioning').versioning_configuration, {
      status: 'Enabled',
    });
    assert.deepEqual(
      (snapshots('aws_s3_bucket_server_side_encryption_configuration').rule as Json[])[0],
      { apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } },
    );
    management.hasResourceWithProperties('aws_s3_bucket_public_access_block', {
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    management.hasResourceWithProperties('aws_s3_bucket_ownership_controls', {
      rule: { object_ownership: 'BucketOwnerEnforced' },
    });
    assert.match(String(snapshots('aws_s3_bucket_policy').policy), /"aws:SecureTransport":"false"/);
  });

  // Secrets Manager refuses a secret name whose deletion is pending ("already scheduled for
  // deletion"): an unprotected environment force-deletes (0), even on a real account; the backup
  // key too (its name is fixed as well).
  it('force-deletes the secrets of an unprotected environment on a real account', () => {
    assert.deepEqual(
      management
        .resourceList('aws_secretsmanager_secret')
        .map((secret) => [secret.name, secret.recovery_window_in_days])
        .sort(),
      [
        ['test/rancher/backup-encryption-key', 0],
        ['test/rancher/bootstrap-password', 0],
        ['test/rke2/full-join-token', 0],
        ['test/rke2/join-token', 0],
        ['test/rke2/kubeconfig', 0],
      ],
    );
  });

  it('adds a bastion with SSH from the allowed CIDRs only, IMDSv2 and an encrypted volume', () => {
    const bastion = management.single('aws_instance');
    assert.deepEqual(bastion.metadata_options, {
      http_endpoint: 'enabled',
      http_tokens: 'required',
      http_put_response_hop_limit: 1,
      instance_metadata_tags: 'disabled',
    });
    assert.deepEqual(bastion.root_block_device, {
      encrypted: true,
      volume_size: 20,
      volume_type: 'gp3',
    });
    assert.equal(bastion.key_name, undefined);
    assert.match(String(bastion.subnet_id), /network_public-0/);
    const ssh = ingressRules(management).filter((r) => r.fromPort === 22);
    assert.deepEqual(ssh.map((r) => [r.description, r.cidrs]).sort(), [
      ['SSH from the allowed networks', ['203.0.113.0/24']],
      ['SSH from the bastion', []],
    ]);
  });

  it('waits without an emulator endpoint or fake credentials against AWS', () => {
    const wait = management.single('terraform_data');
    assert.equal((wait.depends_on as string[]).length, 3);
    const provisioner = (wait.provisioner as Json[])[0]['local-exec'] as Json;
    assert.doesNotMatch(String(provisioner.command), /--endpoint/);
    assert.equal(provisioner.environment, undefined);
  });

  it('gives users the registration address, a kubeconfig command and a Session Manager hint', () => {
    assert.match(
      String(management.output('kubeconfig_command').value),
      /--secret-id test\/rke2\/kubeconfig --query SecretString --output text > kubeconfig/,
    );
    assert.match(
      String(management.output('ssm_session_command').value),
      /aws ssm start-session .*test-management-seed/,
    );
    assert.match(
      String(management.output('registration_address').value),
      /aws_lb\.[\w-]+\.dns_name/,
    );
    assert.match(String(management.output('bastion_public_ip').value), /aws_eip\./);
  });
});

const TRAEFIK_CONFIG_PATH = '/var/lib/rancher/rke2/server/manifests/rke2-traefik-config.yaml';

/** The files a node's cloud-config writes, by path. */
function writtenFiles(userData: string): Record<string, string> {
  const document = parse(userData) as { write_files: { path: string; content: string }[] };
  return Object.fromEntries(document.write_files.map((f) => [f.path, f.content]));
}

describe('RKE2 management cluster, acm (TLS ended at the load balancer)', () => {
  const { management, rancher } = synth(
    { profile: 'ha', workerCount: 2 },
    {
      dns: { hostname: 'rancher.example.com', hostedZoneId: 'Z0123456789ABC' },
      rancher: { tls: { mode: 'acm' } },
    },
  );

  // dynamiclistener v0.9.0 redirect.go: Rancher answers a plain request with a redirect unless
  // X-Forwarded-Proto is https/wss; on RKE2's `web` entrypoint Traefik sets http (ws).
  it("sends the TLS listener to the bundled Traefik's tls-offload host port", () => {
    const groups = management
      .resourceList('aws_lb_target_group')
      .filter((g) => !String(g.name).includes('rke2'));
    assert.deepEqual(groups.map((g) => [g.name, g.port, g.target_type]).sort(), [
      ['test-http', 80, 'instance'],
      ['test-tls-offload', 8001, 'instance'],
    ]);
    assert.equal(management.find('aws_lb_listener', { port: 443 })[0].protocol, 'TLS');
    const agents = byName(management, 'aws_autoscaling_group', 'test-management-agents');
    assert.equal((agents.target_group_arns as string[]).length, 2);
    const fromLb = ingressRules(management).filter((r) => r.fromPort === 8001);
    assert.deepEqual(fromLb, [
      { description: 'https from load balancer test-ingress', fromPort: 8001, cidrs: [] },
    ]);
  });

  // rke2 v1.36.3+rke2r1 pkg/bootstrap (server/manifests) and charts/build-chart.sh (HelmChart
  // rke2-traefik in kube-system): a HelmChartConfig of that name and namespace in the servers'
  // manifests folder layers its valuesContent over the bundled chart's values.
  it('has every server write a HelmChartConfig for rke2-traefik, and no agent', () => {
    const seed = writtenFiles(decodedUserData(management, 'test-management-seed'));
    const servers = writtenFiles(decodedUserData(management, 'test-management-servers'));
    const agents = writtenFiles(decodedUserData(management, 'test-management-agents'));
    assert.ok(seed[TRAEFIK_CONFIG_PATH], 'the seed writes no HelmChartConfig');
    assert.equal(servers[TRAEFIK_CONFIG_PATH], seed[TRAEFIK_CONFIG_PATH]);
    assert.equal(agents[TRAEFIK_CONFIG_PATH], undefined);
    const config = parse(seed[TRAEFIK_CONFIG_PATH]) as Json;
    assert.deepEqual(
      [config.apiVersion, config.kind, config.metadata],
      ['helm.cattle.io/v1', 'HelmChartConfig', { name: 'rke2-traefik', namespace: 'kube-system' }],
    );
    const values = parse(String((config.spec as Json).valuesContent)) as Json;
    assert.deepEqual((values.ports as Json)['tls-offload'], {
      port: 8001,
      protocol: 'TCP',
      expose: { default: false },
      hostPort: 8001,
      http: { middlewares: ['kube-system-tls-offload-forwarded-https@kubernetescrd'] },
    });
    assert.deepEqual(
      ((values.extraObjects as Json[])[0].metadata as Json).namespace,
      'kube-system',
    );
  });

  // rke2-charts charts/rke2-traefik/rke2-traefik/40.1.009 (bundled by both pinned RKE2 releases):
  // its values, checked with the upstream Traefik 40.1.0 schema it repackages.
  it('gives the bundled chart only values and a schema it accepts', () => {
    const seed = writtenFiles(decodedUserData(management, 'test-management-seed'));
    const config = parse(seed[TRAEFIK_CONFIG_PATH]) as { spec: { valuesContent: string } };
    const values = parse(config.spec.valuesContent) as Record<string, unknown>;
    assert.deepEqual(checkChartValues('rke2-traefik', values), []);
    const typo = { ports: { 'tls-offload': { hostport: 8001 } } };
    assert.ok(checkChartValues('rke2-traefik', typo).some((p) => p.includes('hostport')));
  });

  it('installs no Traefik of its own on RKE2 and still ends TLS at the load balancer', () => {
    const names = rancher.resourceList('helm_release').map((r) => r.name);
    assert.deepEqual(names.sort(), [
      'load-balancer-service-policy',
      'rancher',
      'rancher-backup',
      'rancher-backup-crd',
      'rancher-backup-encryption',
      'rancher-backup-schedule',
      'rancher-namespace',
    ]);
  });
});

describe('RKE2 management cluster, TCP passthrough (default TLS)', () => {
  it('writes no HelmChartConfig: the bundled Traefik keeps its values', () => {
    const { management } = synth({ profile: 'single' });
    const seed = writtenFiles(decodedUserData(management, 'test-management-seed'));
    assert.deepEqual(
      Object.keys(seed).filter((p) => p.includes('/server/manifests/')),
      [],
    );
  });
});

describe('RKE2 management cluster, rejected settings', () => {
  it("rejects Let's Encrypt DNS-01 in config, which would need the nodes' role for Route 53", () => {
    assert.throws(
      () =>
        synth(
          { profile: 'single' },
          {
            rancher: {
              tls: {
                mode: 'letsEncrypt',
                letsEncrypt: { email: 'ops@example.com', challenge: 'dns01' },
              },
            },
          },
        ),
      /rancher.tls.letsEncrypt.challenge: dns01 is not available with management.distribution rke2/,
    );
  });
});

describe('rke2NodeStatements', () => {
  const token = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:env/rke2/join-token-AbCdEf';
  const fullTokenSecretArn = `${token}-full`;
  it('requires the kubeconfig secret for the seed and refuses it elsewhere', () => {
    assert.throws(
      () => rke2NodeStatements({ role: 'seed', tokenSecretArn: token, fullTokenSecretArn }),
      /kubeconfigSecretArn is required for the seed/,
    );
    assert.throws(
      () =>
        rke2NodeStatements({
          role: 'server',
          tokenSecretArn: token,
          fullTokenSecretArn,
          kubeconfigSecretArn: token,
        }),
      /only granted to the seed role; remove it for server/,
    );
  });
  it('lets an agent read the registry credentials only when there are some', () => {
    const registry = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:env/registry-AbCdEf';
    const sids = (statements: { Sid?: string }[]) => statements.map((st) => st.Sid);
    assert.deepEqual(
      rke2NodeStatements({
        role: 'agent',
        tokenSecretArn: token,
        fullTokenSecretArn,
        registryCredentialsSecretArn: registry,
      }),
      [
        {
          Sid: 'ReadJoinToken',
          Effect: 'Allow',
          Action: 'secretsmanager:GetSecretValue',
          Resource: token,
        },
        {
          Sid: 'ReadFullJoinToken',
          Effect: 'Allow',
          Action: 'secretsmanager:GetSecretValue',
          Resource: fullTokenSecretArn,
        },
        {
          Sid: 'ReadRegistryCredentials',
          Effect: 'Allow',
          Action: 'secretsmanager:GetSecretValue',
          Resource: registry,
        },
      ],
    );
    assert.deepEqual(
      sids(rke2NodeStatements({ role: 'agent', tokenSecretArn: token, fullTokenSecretArn })),
      ['ReadJoinToken', 'ReadFullJoinToken'],
    );
  });
  it('keeps agents out of the snapshot bucket and needs a folder for servers', () => {
    assert.throws(
      () =>
        rke2NodeStatements({
          role: 'agent',
          tokenSecretArn: token,
          fullTokenSecretArn,
          snapshotBucketArn: 'arn:aws:s3:::b',
        }),
      /snapshotBucketArn applies to servers only/,
    );
    assert.throws(
      () =>
        rke2NodeStatements({
          role: 'agent',
          tokenSecretArn: token,
          fullTokenSecretArn,
          autoScalingGroupArn: 'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:*',
        }),
      /autoScalingGroupArn applies to servers only/,
    );
    assert.throws(
      () =>
        rke2NodeStatements({
          role: 'server',
          tokenSecretArn: token,
          fullTokenSecretArn,
          snapshotBucketArn: 'arn:aws:s3:::b',
        }),
      /snapshotFolder is required/,
    );
  });
});

describe('waitForSecretCommand', () => {
  it('quotes the values and rejects bad numbers and endpoints', () => {
    assert.equal(
      waitForSecretCommand({
        secretArn: "a'b",
        region: 'eu-west-1',
        timeoutSeconds: 60,
        scriptPath: '/x y/w.mjs',
      }),
      `node '/x y/w.mjs' --secret-id 'a'\\''b' --region 'eu-west-1' --timeout 60 --interval 10`,
    );
    assert.throws(
      () => waitForSecretCommand({ secretArn: 'a', region: 'r', timeoutSeconds: 0 }),
      /timeoutSeconds must be a whole number of seconds >= 1; got 0/,
    );
    assert.throws(
      () =>
        waitForSecretCommand({
          secretArn: 'a',
          region: 'r',
          timeoutSeconds: 5,
          endpoint: 'localhost:5000',
        }),
      /endpoint must be an http\(s\) URL/,
    );
  });
});
