import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildEnvironment } from '../../../stacks';
import { loadChartFixture } from '../../helpers/chart-values';
import { environment, Json, Template, testApp } from '../../helpers/template';

function synthManagement(overrides: Parameters<typeof environment>[0] = {}): Template {
  const stacks = buildEnvironment(testApp(), environment(overrides));
  return Template.fromStack(stacks.management);
}

describe('management stack (EKS), defaults', () => {
  const template = synthManagement();

  describe('network', () => {
    it('builds the quick start VPC', () => {
      template.hasResourceWithProperties('aws_vpc', {
        cidr_block: '10.0.0.0/16',
        enable_dns_hostnames: true,
        enable_dns_support: true,
      });
    });

    it('has 3 public and 3 private subnets, named, with no tag that invites in-cluster load balancers', () => {
      const subnets = template.resourceList('aws_subnet');
      assert.deepEqual(
        subnets
          .map((s) => [(s.tags as Json).Name, s.cidr_block, s.tags])
          .sort((a, b) => String(a[0]).localeCompare(String(b[0])))
          .map(([, cidr, tags]) => [cidr, tags]),
        [
          ['10.0.0.0/19', { Name: 'test-private-0' }],
          ['10.0.32.0/19', { Name: 'test-private-1' }],
          ['10.0.64.0/19', { Name: 'test-private-2' }],
          ['10.0.128.0/20', { Name: 'test-public-0' }],
          ['10.0.144.0/20', { Name: 'test-public-1' }],
          ['10.0.160.0/20', { Name: 'test-public-2' }],
        ],
      );
      // kubernetes.io/role/elb and .../internal-elb only mark subnets for in-cluster load balancer
      // discovery; EKS has not needed kubernetes.io/cluster/<name> on subnets since 1.19
      // (awsdocs/amazon-eks-user-guide latest/ug/networking/network-reqs.adoc).
      for (const subnet of subnets) {
        assert.deepEqual(
          Object.keys(subnet.tags as Json).filter((key) => key.startsWith('kubernetes.io/')),
          [],
        );
      }
    });

    it('has an internet gateway and a NAT gateway per zone by default', () => {
      assert.equal(template.resourceCount('aws_internet_gateway'), 1);
      assert.equal(template.resourceCount('aws_nat_gateway'), 3);
      assert.equal(template.resourceCount('aws_eip'), 3);
      template.hasResourceWithProperties('aws_route', { destination_cidr_block: '0.0.0.0/0' });
      assert.equal(template.resourceCount('aws_route'), 4);
    });

    it('looks the zones up when given a count', () => {
      assert.equal(Object.keys(template.dataSources('aws_availability_zones')).length, 1);
    });
  });

  describe('EKS cluster', () => {
    const cluster = template.single('aws_eks_cluster');

    it('runs the pinned Kubernetes version with a private endpoint', () => {
      assert.equal(cluster.name, 'test-management');
      assert.equal(cluster.version, '1.36');
      const vpc = cluster.vpc_config as Record<string, unknown>;
      assert.equal(vpc.endpoint_private_access, true);
      assert.equal(vpc.endpoint_public_access, false);
      assert.equal(vpc.public_access_cidrs, undefined);
    });

    it('encrypts secrets with a rotating KMS key', () => {
      const encryption = cluster.encryption_config as Record<string, unknown>;
      assert.deepEqual(encryption.resources, ['secrets']);
      assert.match(
        String((encryption.provider as Record<string, string>).key_arn),
        /aws_kms_key\./,
      );
      template.hasResourceWithProperties('aws_kms_key', { enable_key_rotation: true });
    });

    it('logs every control-plane log type into a log group Terraform owns', () => {
      assert.deepEqual(cluster.enabled_cluster_log_types, [
        'api',
        'audit',
        'authenticator',
        'controllerManager',
        'scheduler',
      ]);
      template.hasResourceWithProperties('aws_cloudwatch_log_group', {
        name: '/aws/eks/test-management/cluster',
        retention_in_days: 90,
      });
      assert.ok(
        (cluster.depends_on as string[]).some((d) => d.startsWith('aws_cloudwatch_log_group.')),
      );
    });

    it('uses access entries (API authentication)', () => {
      assert.deepEqual(cluster.access_config, {
        authentication_mode: 'API',
        bootstrap_cluster_creator_admin_permissions: true,
      });
      // The in-VPC deployer's role is the only principal with an entry by default.
      const entries = template.resourceList('aws_eks_access_entry');
      assert.equal(entries.length, 1);
      assert.match(
        String(entries[0].principal_arn),
        /^\$\{aws_iam_role\.deployer_role_\w+\.arn\}$/,
      );
    });

    it('has an IAM OIDC provider for IRSA', () => {
      const oidc = template.single('aws_iam_openid_connect_provider');
      assert.deepEqual(oidc.client_id_list, ['sts.amazonaws.com']);
      assert.match(String(oidc.url), /aws_eks_cluster\..*identity\[0\]\.oidc\[0\]\.issuer/);
    });

    it('attaches only the EKS managed policies, each to the role that needs it', () => {
      const byRole: Record<string, string[]> = {};
      for (const a of template.resourceList('aws_iam_role_policy_attachment')) {
        const role = String(a.role).replace(/^\$\{aws_iam_role\.(.*)_[0-9A-F]{8}\.name\}$/, '$1');
        (byRole[role] ??= []).push(String(a.policy_arn).replace(/^.*:policy\//, ''));
      }
      for (const policies of Object.values(byRole)) policies.sort();
      // The VPC CNI's policy goes to its IRSA role, not the nodes' (AWS: cni-iam-role).
      assert.deepEqual(byRole, {
        'addons_vpc-cni-role': ['AmazonEKS_CNI_Policy'],
        'eks_cluster-role': ['AmazonEKSClusterPolicy'],
        nodes_role: [
          'AmazonEC2ContainerRegistryPullOnly',
          'AmazonEKSWorkerNodePolicy',
          'AmazonSSMManagedInstanceCore',
        ],
      });
    });
  });

  describe('managed node group', () => {
    const launchTemplate = template.single('aws_launch_template');
    const nodeGroup = template.single('aws_eks_node_group');

    // EKS defaults a node group's version to the cluster's only at creation (CreateNodegroup
    // API, `version`); without it a control plane upgrade leaves the nodes on the old minor.
    it("follows the cluster's Kubernetes version, after the cluster", () => {
      assert.match(String(nodeGroup.version), /^\$\{aws_eks_cluster\.[\w-]+\.version\}$/);
    });

    it('requires IMDSv2 with hop limit 1', () => {
      assert.deepEqual(launchTemplate.metadata_options, {
        http_endpoint: 'enabled',
        http_tokens: 'required',
        http_put_response_hop_limit: 1,
        instance_metadata_tags: 'disabled',
      });
    });

    it('encrypts the root volume and sizes it from config', () => {
      const [device] = launchTemplate.block_device_mappings as Record<
        string,
        Record<string, unknown>
      >[];
      assert.deepEqual(device.ebs, {
        volume_size: 50,
        volume_type: 'gp3',
        encrypted: 'true',
        delete_on_termination: 'true',
      });
      assert.equal(launchTemplate.instance_type, 'm5.xlarge');
    });

    it('tags instances and volumes with the environment tags', () => {
      const specs = launchTemplate.tag_specifications as {
        resource_type: string;
        tags: Record<string, string>;
      }[];
      assert.deepEqual(
        specs.map((s) => s.resource_type),
        ['instance', 'volume', 'network-interface'],
      );
      assert.equal(specs[0].tags['rancher-aws:environment'], 'test');
    });

    it('scales from config and uses the launch template', () => {
      assert.deepEqual(nodeGroup.scaling_config, { min_size: 3, desired_size: 3, max_size: 6 });
      assert.match(
        String((nodeGroup.launch_template as Record<string, string>).id),
        /aws_launch_template\./,
      );
      assert.equal(nodeGroup.remote_access, undefined);
    });
  });

  describe('ingress load balancer', () => {
    const lb = template.single('aws_lb');

    it('is an internet-facing NLB in the public subnets', () => {
      assert.equal(lb.name, 'test-ingress');
      assert.equal(lb.load_balancer_type, 'network');
      assert.equal(lb.internal, false);
      assert.equal((lb.subnets as string[]).length, 3);
      assert.match((lb.subnets as string[])[0], /aws_subnet\.network_public-0/);
    });

    it('forwards 80 and 443 to pod-IP target groups on the Traefik ports', () => {
      template.hasResourceWithProperties('aws_lb_target_group', {
        name: 'test-http',
        port: 8000,
        protocol: 'TCP',
        target_type: 'ip',
      });
      template.hasResourceWithProperties('aws_lb_target_group', {
        name: 'test-https',
        port: 8443,
        protocol: 'TCP',
        target_type: 'ip',
      });
      template.hasResourceWithProperties('aws_lb_listener', { port: 80, protocol: 'TCP' });
      template.hasResourceWithProperties('aws_lb_listener', { port: 443, protocol: 'TCP' });
    });

    it('lets clients reach the listeners and only the load balancer reach the targets', () => {
      template.hasResourceWithProperties('aws_vpc_security_group_ingress_rule', {
        from_port: 443,
        to_port: 443,
        ip_protocol: 'tcp',
        cidr_ipv4: '0.0.0.0/0',
      });
      template.hasResourceWithProperties('aws_vpc_security_group_ingress_rule', {
        from_port: 8443,
        to_port: 8443,
        description: 'https from load balancer test-ingress',
      });
    });

    it('gives the load balancer controller only target registration on these target groups', () => {
      const policy = JSON.parse(loadBalancerControllerPolicy(template)) as {
        Statement: { Sid: string; Effect: string; Action: string[]; Resource: unknown }[];
      };
      const targetGroups = Object.keys(template.resources('aws_lb_target_group')).map(
        (id) => `\${aws_lb_target_group.${id}.arn}`,
      );
      // The calls TargetGroupBinding reconciliation of ip targets makes (controller v3.5.0:
      // pkg/targetgroupbinding/targets_manager.go RegisterTargets, DeregisterTargets,
      // DescribeTargetHealth; webhooks/elbv2/targetgroup_helper.go DescribeTargetGroups;
      // pkg/networking/vpc_info_provider.go DescribeVpcs; pkg/networking/networking_manager.go
      // DescribeSecurityGroups). Describe actions take no resource-level permissions.
      assert.deepEqual(policy.Statement, [
        {
          Sid: 'RegisterTargets',
          Effect: 'Allow',
          Action: [
            'elasticloadbalancing:RegisterTargets',
            'elasticloadbalancing:DeregisterTargets',
          ],
          Resource: targetGroups,
        },
        {
          Sid: 'Read',
          Effect: 'Allow',
          Action: [
            'elasticloadbalancing:DescribeTargetHealth',
            'elasticloadbalancing:DescribeTargetGroups',
            'ec2:DescribeVpcs',
            'ec2:DescribeSecurityGroups',
          ],
          Resource: '*',
        },
      ]);
      assert.equal(targetGroups.length, 2);
    });

    it('grants the load balancer controller only actions of its upstream policy', () => {
      const policy = JSON.parse(loadBalancerControllerPolicy(template)) as {
        Statement: { Action: string[] }[];
      };
      // iam_policy.json of kubernetes-sigs/aws-load-balancer-controller v3.5.0 (chart fixture).
      const upstream = new Set(
        loadChartFixture('aws-load-balancer-controller').fixture.iamPolicy?.actions,
      );
      assert.ok(upstream.size > 0);
      for (const action of policy.Statement.flatMap((s) => s.Action)) {
        assert.ok(upstream.has(action), `${action} is not in the upstream policy`);
      }
    });
  });

  describe('DNS and outputs', () => {
    // Route 53: inside an associated VPC a private zone answers NXDOMAIN for every name under it
    // that it lacks, so the zone is the hostname itself, not its parent domain.
    it('creates a private zone for exactly the hostname and an alias record at its apex', () => {
      template.hasResourceWithProperties('aws_route53_zone', {
        name: 'rancher.test.internal',
        force_destroy: true,
      });
      const record = template.single('aws_route53_record');
      assert.equal(record.name, 'rancher.test.internal');
      assert.equal(record.type, 'A');
      assert.match(String((record.alias as Record<string, string>).name), /aws_lb\..*dns_name/);
    });

    it('outputs what a user needs', () => {
      assert.equal(template.output('rancher_url').value, 'https://rancher.test.internal');
      assert.match(
        String(template.output('kubeconfig_command').value),
        /^aws eks update-kubeconfig --region us-east-1 --name test-management/,
      );
      for (const name of ['cluster_name', 'cluster_endpoint', 'load_balancer_dns_name'])
        template.output(name);
    });
  });
});

describe('management stack (EKS), options', () => {
  it('opens the public endpoint only to the listed CIDRs', () => {
    const template = synthManagement({
      management: { eks: { endpointAccess: 'both', publicAccessCidrs: ['203.0.113.0/24'] } },
    });
    const vpc = template.single('aws_eks_cluster').vpc_config as Record<string, unknown>;
    assert.equal(vpc.endpoint_public_access, true);
    assert.equal(vpc.endpoint_private_access, true);
    assert.deepEqual(vpc.public_access_cidrs, ['203.0.113.0/24']);
  });

  it('grants cluster-admin to the listed roles and users', () => {
    const template = synthManagement({
      management: {
        eks: {
          adminRoleArns: ['arn:aws:iam::123456789012:role/admins'],
          adminUserArns: ['arn:aws:iam::123456789012:user/alice'],
        },
      },
    });
    assert.deepEqual(
      template
        .resourceList('aws_eks_access_entry')
        .map((e) => String(e.principal_arn))
        .filter((arn) => !arn.includes('aws_iam_role.deployer_role_')),
      ['arn:aws:iam::123456789012:role/admins', 'arn:aws:iam::123456789012:user/alice'],
    );
    template.hasResourceWithProperties('aws_eks_access_policy_association', {
      policy_arn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
      access_scope: { type: 'cluster' },
    });
  });

  // EKS: one access entry per principal, and the cluster creator already has one
  // (bootstrapClusterCreatorAdminPermissions); a second is refused with 409 ResourceInUseException.
  it('skips the admin entry of the principal running the apply', () => {
    const template = synthManagement({
      management: { eks: { adminRoleArns: ['arn:aws:iam::123456789012:role/platform/Admins'] } },
    });
    const identities = Object.keys(template.dataSources('aws_caller_identity'));
    const locals = template.json.locals as Record<string, string>;
    const [name, expression] = Object.entries(locals).find(([key]) => key.includes('is-deployer'))!;
    const identity = /data\.aws_caller_identity\.([^.]+)\.arn/.exec(expression)?.[1] ?? '';
    assert.ok(identities.includes(identity), `${identity} is not a caller identity lookup`);
    assert.equal(
      expression,
      `\${startswith(lower(data.aws_caller_identity.${identity}.arn), "arn:aws:sts::123456789012:assumed-role/admins/")}`,
    );
    const skip = `\${local.${name} ? 0 : 1}`;
    // The deployer's role has an entry of its own; the admin's is the one that may be skipped.
    const admin = { principal_arn: 'arn:aws:iam::123456789012:role/platform/Admins' };
    const [entry, ...moreEntries] = template.find('aws_eks_access_entry', admin);
    assert.deepEqual([entry?.count, moreEntries.length], [skip, 0]);
    const [association, ...more] = template.find('aws_eks_access_policy_association', admin);
    assert.deepEqual([association?.count, more.length], [skip, 0]);
  });

  // Secrets Manager refuses a new secret under a name whose deletion is pending ("already
  // scheduled for deletion"); recovery_window_in_days 0 makes the provider force-delete.
  it('force-deletes the bootstrap password of an unprotected environment on a real account', () => {
    const template = synthManagement({ target: 'aws', accountId: '123456789012' });
    template.hasResourceWithProperties('aws_secretsmanager_secret', {
      name: 'test/rancher/bootstrap-password',
      recovery_window_in_days: 0,
    });
  });

  // DeleteSecret: the shortest recovery window is 7 days.
  it('keeps the bootstrap password of a protected environment recoverable for 7 days', () => {
    const template = synthManagement({ protected: true });
    template.hasResourceWithProperties('aws_secretsmanager_secret', {
      name: 'test/rancher/bootstrap-password',
      recovery_window_in_days: 7,
    });
  });

  // Pods reach the internet-facing NLB (cert-manager's self check, Rancher's own agent) through the
  // NAT gateways: a restricted allow-list must let their addresses in on both listeners.
  it('lets the NAT gateways in beside a restricted ingress allow-list', () => {
    const template = synthManagement({
      network: { natGateways: 'single' },
      ingress: { allowedCidrs: ['203.0.113.0/24'] },
    });
    const fromClients = template
      .resourceList('aws_vpc_security_group_ingress_rule')
      .filter((rule) => String(rule.description).endsWith(' clients'))
      .map((rule) => [rule.from_port, String(rule.cidr_ipv4).replace(/_[0-9A-F]{8}\./, '.')])
      .sort();
    assert.deepEqual(fromClients, [
      [443, '${aws_eip.network_nat-0-ip.public_ip}/32'],
      [443, '203.0.113.0/24'],
      [80, '${aws_eip.network_nat-0-ip.public_ip}/32'],
      [80, '203.0.113.0/24'],
    ]);
  });

  it('uses a single NAT gateway when asked', () => {
    const template = synthManagement({
      network: { natGateways: 'single', availabilityZones: ['us-east-1a', 'us-east-1b'] },
    });
    assert.equal(template.resourceCount('aws_nat_gateway'), 1);
    assert.equal(template.resourceCount('aws_subnet'), 4);
    assert.deepEqual(
      template
        .resourceList('aws_subnet')
        .map((s) => s.availability_zone)
        .sort(),
      ['us-east-1a', 'us-east-1a', 'us-east-1b', 'us-east-1b'],
    );
  });

  it('puts an internal load balancer in the private subnets and uses an existing zone', () => {
    const template = synthManagement({
      ingress: { scheme: 'internal', allowedCidrs: ['10.0.0.0/8'] },
      dns: { hostname: 'rancher.example.com', hostedZoneId: 'Z0123456789ABC' },
      protected: true,
    });
    const lb = template.single('aws_lb');
    assert.equal(lb.internal, true);
    assert.equal(lb.enable_deletion_protection, true);
    assert.match((lb.subnets as string[])[0], /aws_subnet\.network_private-0/);
    assert.equal(template.resourceCount('aws_route53_zone'), 0);
    assert.equal(template.single('aws_route53_record').zone_id, 'Z0123456789ABC');
  });

  it('points every AWS endpoint at the emulator for target local', () => {
    const stacks = buildEnvironment(testApp(), environment(), {
      emulatorEndpoint: 'http://127.0.0.1:4999',
    });
    const provider = (
      Template.fromStack(stacks.management).json.provider as Record<
        string,
        Record<string, unknown>[]
      >
    ).aws[0];
    const endpoints = (provider.endpoints as Record<string, string>[])[0];
    assert.equal(endpoints.eks, 'http://127.0.0.1:4999');
    assert.equal(endpoints.sts, 'http://127.0.0.1:4999');
    assert.equal(provider.skip_credentials_validation, true);
  });

  it('points the endpoint of every service a local environment calls at the emulator', () => {
    // The AWS provider's endpoint key of each resource family the stacks use (provider 5.100
    // `endpoints` block). A family missing here fails the test: add it, and to EMULATED_SERVICES.
    const SERVICE_OF: [RegExp, string][] = [
      [/^aws_(acm)_/, 'acm'],
      [/^aws_(autoscaling)_/, 'autoscaling'],
      [/^aws_cloudwatch_log_/, 'cloudwatchlogs'],
      [/^aws_codebuild_/, 'codebuild'],
      [/^aws_eks_/, 'eks'],
      [/^aws_(lb|lb_listener|lb_target_group)$/, 'elbv2'],
      [/^aws_iam_/, 'iam'],
      [/^aws_kms_/, 'kms'],
      [/^aws_route53_/, 'route53'],
      [/^aws_s3_/, 's3'],
      [/^aws_secretsmanager_/, 'secretsmanager'],
      [/^aws_ssm_/, 'ssm'],
      [/^aws_caller_identity$/, 'sts'],
      [
        /^aws_(vpc|vpc_.*|subnet|route|route_table|route_table_association|internet_gateway|nat_gateway|eip|security_group|launch_template|instance|ami|availability_zones)$/,
        'ec2',
      ],
    ];
    const configs = [
      environment({ state: { backend: 's3' }, downstream: [{ name: 'apps' }] }),
      environment({
        management: {
          distribution: 'rke2',
          rke2: { bastion: true, bastionAllowedCidrs: ['203.0.113.0/24'] },
        },
      }),
      environment({
        dns: { hostname: 'rancher.example.com', hostedZoneId: 'Z0123456789ABC' },
        rancher: { tls: { mode: 'acm' } },
      }),
    ];
    for (const config of configs) {
      const stacks = buildEnvironment(testApp(), config, {
        emulatorEndpoint: 'http://127.0.0.1:4999',
      });
      for (const stack of [stacks.management, ...stacks.downstream.map((d) => d.cluster)]) {
        const json = Template.fromStack(stack).json;
        const endpoints = (
          (json.provider as Record<string, Record<string, unknown>[]>).aws[0].endpoints as Record<
            string,
            string
          >[]
        )[0];
        const types = [
          ...Object.keys((json.resource ?? {}) as Json),
          ...Object.keys((json.data ?? {}) as Json),
        ].filter((type) => type.startsWith('aws_') && type !== 'aws_partition');
        for (const type of types) {
          const service = SERVICE_OF.find(([pattern]) => pattern.test(type))?.[1];
          assert.ok(service, `${type}: which AWS service does it call?`);
          assert.equal(endpoints[service], 'http://127.0.0.1:4999', `${type} calls ${service}`);
        }
      }
    }
  });

  it('pins the account for target aws and sets default tags', () => {
    const stacks = buildEnvironment(
      testApp(),
      environment({ target: 'aws', accountId: '123456789012' }),
    );
    const provider = (
      Template.fromStack(stacks.management).json.provider as Record<
        string,
        Record<string, unknown>[]
      >
    ).aws[0];
    assert.deepEqual(provider.allowed_account_ids, ['123456789012']);
    assert.equal(provider.endpoints, undefined);
    const tags = (provider.default_tags as { tags: Record<string, string> }[])[0].tags;
    assert.equal(tags['rancher-aws:environment'], 'test');
    assert.equal(tags['rancher-aws:managed-by'], 'cdktf/rancher-on-aws');
  });
});

describe('management stack, TLS modes', () => {
  it('acm: a DNS-validated certificate, a TLS listener on 443 to its own plain-HTTP port', () => {
    const template = synthManagement({
      dns: { hostname: 'rancher.example.com', hostedZoneId: 'Z0123456789ABC' },
      rancher: { tls: { mode: 'acm' } },
    });
    template.hasResourceWithProperties('aws_acm_certificate', {
      domain_name: 'rancher.example.com',
      validation_method: 'DNS',
    });
    const record = template.find('aws_route53_record', { zone_id: 'Z0123456789ABC', ttl: 60 })[0];
    assert.ok(record, 'no validation record');
    assert.match(String(record.for_each), /domain_validation_options/);
    const validation = template.single('aws_acm_certificate_validation');
    assert.match(String(validation.certificate_arn), /aws_acm_certificate\./);
    const https = template.find('aws_lb_listener', { port: 443 })[0];
    assert.equal(https.protocol, 'TLS');
    assert.match(String(https.certificate_arn), /aws_acm_certificate_validation\./);
    assert.equal(https.ssl_policy, 'ELBSecurityPolicy-TLS13-1-2-2021-06');
    // dynamiclistener v0.9.0 redirect.go: Rancher redirects a plain request unless
    // X-Forwarded-Proto is https; only Traefik's tls-offload entrypoint (8001) sets that.
    assert.deepEqual(
      template.resourceList('aws_lb_target_group').map((tg) => [tg.name, tg.port, tg.protocol]),
      [
        ['test-http', 8000, 'TCP'],
        ['test-tls-offload', 8001, 'TCP'],
      ],
    );
    const httpsGroup = Object.entries(template.resources('aws_lb_target_group')).find(
      ([, tg]) => tg.name === 'test-tls-offload',
    );
    // terraform-provider-aws #636/#16889: a group a listener uses cannot be deleted first, so a
    // new port (switching to or from acm) comes with a new name and the new group is created first.
    for (const group of template.resourceList('aws_lb_target_group')) {
      assert.deepEqual(group.lifecycle, { create_before_destroy: true }, String(group.name));
    }
    assert.deepEqual(https.default_action, [
      { type: 'forward', target_group_arn: `\${aws_lb_target_group.${httpsGroup?.[0]}.arn}` },
    ]);
    // The new port is open to the targets only from the load balancer's security group.
    const toTargets = template.find('aws_vpc_security_group_ingress_rule', { from_port: 8001 });
    assert.equal(toTargets.length, 1);
    assert.equal(toTargets[0].to_port, 8001);
    assert.match(
      String(toTargets[0].referenced_security_group_id),
      /aws_security_group\.ingress_sg/,
    );
    assert.equal(toTargets[0].cidr_ipv4, undefined);
    assert.equal(
      template.find('aws_vpc_security_group_egress_rule', { from_port: 8001 }).length,
      1,
      'the load balancer may send to 8001',
    );
    // The load balancer controller may register targets in both groups.
    const policy = JSON.parse(loadBalancerControllerPolicy(template)) as {
      Statement: { Action: string[]; Resource: string | string[] }[];
    };
    const register = policy.Statement.find((st) =>
      st.Action.includes('elasticloadbalancing:RegisterTargets'),
    );
    assert.equal((register?.Resource as string[]).length, 2);
  });

  it('letsEncrypt DNS-01: a cert-manager role limited to challenge TXT records in the zone', () => {
    const template = synthManagement({
      dns: { hostname: 'rancher.example.com', hostedZoneId: 'Z0123456789ABC' },
      rancher: {
        tls: { mode: 'letsEncrypt', letsEncrypt: { email: 'ops@example.com', challenge: 'dns01' } },
      },
    });
    const role = template.find('aws_iam_role', { name: 'test-management-cert-manager' })[0];
    assert.ok(role);
    const policies = template
      .resourceList('aws_iam_role_policy')
      .map((p) => JSON.parse(String(p.policy)) as { Statement: Json[] });
    const challenge = policies
      .flatMap((p) => p.Statement)
      .find((s) => s.Sid === 'ChallengeRecords') as Json;
    assert.deepEqual(challenge.Resource, ['arn:aws:route53:::hostedzone/Z0123456789ABC']);
    assert.deepEqual(
      ((challenge.Condition as Json)['ForAllValues:StringEquals'] as Json)[
        'route53:ChangeResourceRecordSetsNormalizedRecordNames'
      ],
      ['_acme-challenge.rancher.example.com'],
    );
    assert.equal(template.resourceCount('aws_acm_certificate'), 0);
  });

  it('rancher (default): no certificate and no cert-manager role', () => {
    const template = synthManagement();
    assert.equal(template.resourceCount('aws_acm_certificate'), 0);
    assert.equal(template.find('aws_iam_role', { name: 'test-management-cert-manager' }).length, 0);
    assert.equal(template.find('aws_lb_listener', { port: 443 })[0].protocol, 'TCP');
  });

  it('stores an AWS-generated bootstrap password through write-only arguments only', () => {
    const template = synthManagement();
    // The bootstrap password and the backup encryption key.
    const versions = template.resourceList('aws_secretsmanager_secret_version');
    assert.equal(versions.length, 2);
    for (const version of versions) {
      assert.equal(version.secret_string, undefined);
      assert.match(String(version.secret_string_wo), /^\$\{local\.|^\$\{ephemeral\./);
      assert.equal(version.secret_string_wo_version, 1);
    }
    const ephemeral = template.json.ephemeral as Record<string, Record<string, Json>>;
    const random = Object.values(ephemeral.aws_secretsmanager_random_password)[0];
    assert.ok(random, 'no ephemeral random password');
    template.hasResourceWithProperties('aws_secretsmanager_secret', {
      name: 'test/rancher/bootstrap-password',
      recovery_window_in_days: 0,
    });
    for (const [name, output] of Object.entries(template.outputs())) {
      assert.doesNotMatch(
        JSON.stringify(output.value),
        /random_password|secret_string/,
        `output ${name}`,
      );
    }
  });
});

/** The inline policy of the load balancer controller's role (the deployer's role has one too). */
function loadBalancerControllerPolicy(template: Template): string {
  const inline = template
    .resourceList('aws_iam_role_policy')
    .filter((p) => String(p.role).includes('lb-controller'));
  assert.equal(inline.length, 1, 'one inline policy on the load balancer controller role');
  return String(inline[0].policy);
}
