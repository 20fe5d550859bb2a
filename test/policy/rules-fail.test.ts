import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CodebuildProject } from '@cdktf/provider-aws/lib/codebuild-project';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Instance } from '@cdktf/provider-aws/lib/instance';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { SecurityGroupRule } from '@cdktf/provider-aws/lib/security-group-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Fn, TerraformOutput, TerraformStack } from 'cdktf';
import { Template, testApp } from '../helpers/template';
import { RULES, StackJson } from './rules';

/** A stack holding one deliberately bad construct, synthesized for the rules. */
function badStack(build: (stack: TerraformStack) => void, protectedEnvironment = false): StackJson {
  const stack = new TerraformStack(testApp(), 'bad');
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  build(stack);
  return { name: 'bad', json: Template.fromStack(stack).json, protectedEnvironment };
}

function problemsOf(ruleId: string, stack: StackJson): string[] {
  const rule = RULES.find((r) => r.id === ruleId);
  assert.ok(rule, `no rule ${ruleId}`);
  return rule.check(stack);
}

const ENCRYPTED_ROOT = [{ deviceName: '/dev/xvda', ebs: { encrypted: 'true', volumeSize: 20 } }];

describe('each policy rule fails on a deliberately bad construct', () => {
  it('imdsv2: a launch template with optional tokens, an instance without metadata options', () => {
    const stack = badStack((s) => {
      new LaunchTemplate(s, 'lt', {
        metadataOptions: { httpTokens: 'optional' },
        blockDeviceMappings: ENCRYPTED_ROOT,
      });
      new Instance(s, 'vm', {
        ami: 'ami-12345678',
        instanceType: 't3.micro',
        rootBlockDevice: { encrypted: true },
      });
    });
    const problems = problemsOf('imdsv2', stack);
    assert.equal(problems.length, 2, problems.join('\n'));
    assert.match(
      problems[0],
      /aws_launch_template\.lt: metadata_options\.http_tokens is not "required"/,
    );
  });

  it('ebs-encryption: an unencrypted launch template volume and instance root', () => {
    const stack = badStack((s) => {
      new LaunchTemplate(s, 'lt', {
        metadataOptions: { httpTokens: 'required' },
        blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { volumeSize: 20 } }],
      });
      new Instance(s, 'vm', {
        ami: 'ami-12345678',
        instanceType: 't3.micro',
        metadataOptions: { httpTokens: 'required' },
      });
    });
    const problems = problemsOf('ebs-encryption', stack);
    assert.deepEqual(problems, [
      'aws_launch_template.lt: /dev/xvda is not encrypted',
      'aws_instance.vm: root volume is not encrypted',
    ]);
  });

  it('eks-secrets-encryption: a cluster without encryption config', () => {
    const stack = badStack((s) => {
      new EksCluster(s, 'eks', {
        name: 'x',
        roleArn: 'arn:aws:iam::123456789012:role/x',
        vpcConfig: { subnetIds: ['subnet-1'] },
      });
    });
    assert.deepEqual(problemsOf('eks-secrets-encryption', stack), [
      'aws_eks_cluster.eks: secrets are not encrypted with a KMS key',
    ]);
  });

  it('s3 rules: a bare bucket is unencrypted, public and accepts plain HTTP', () => {
    const stack = badStack((s) => {
      const bucket = new S3Bucket(s, 'bucket', { bucket: 'bad-bucket' });
      new S3BucketPublicAccessBlock(s, 'half-block', {
        bucket: bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: false,
      });
    });
    assert.deepEqual(problemsOf('s3-encryption', stack), [
      'aws_s3_bucket.bucket: no server-side encryption configuration',
    ]);
    assert.deepEqual(problemsOf('s3-public-access', stack), [
      'aws_s3_bucket.bucket: public access is not fully blocked',
    ]);
    assert.deepEqual(problemsOf('s3-tls-only', stack), [
      'aws_s3_bucket.bucket: no bucket policy denying aws:SecureTransport=false',
    ]);
  });

  it('secrets-not-in-state: a secret version with a plain secret_string', () => {
    const stack = badStack((s) => {
      const secret = new SecretsmanagerSecret(s, 'secret', { name: 'x' });
      new SecretsmanagerSecretVersion(s, 'value', { secretId: secret.id, secretString: 'hunter2' });
    });
    assert.match(
      problemsOf('secrets-not-in-state', stack)[0],
      /aws_secretsmanager_secret_version\.value: sets secret_string/,
    );
  });

  it('no-open-admin-ports: SSH, 6443 and an all-ports rule open to the internet', () => {
    const stack = badStack((s) => {
      new SecurityGroupRule(s, 'ssh', {
        type: 'ingress',
        securityGroupId: 'sg-1',
        protocol: 'tcp',
        fromPort: 22,
        toPort: 22,
        cidrBlocks: ['0.0.0.0/0'],
      });
      new VpcSecurityGroupIngressRule(s, 'api', {
        securityGroupId: 'sg-1',
        ipProtocol: 'tcp',
        fromPort: 6443,
        toPort: 6443,
        cidrIpv6: '::/0',
      });
      new SecurityGroupRule(s, 'https', {
        type: 'ingress',
        securityGroupId: 'sg-1',
        protocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        cidrBlocks: ['0.0.0.0/0'],
      });
      new SecurityGroupRule(s, 'all', {
        type: 'ingress',
        securityGroupId: 'sg-1',
        protocol: '-1',
        fromPort: 0,
        toPort: 0,
        cidrBlocks: ['0.0.0.0/0'],
      });
    });
    const problems = problemsOf('no-open-admin-ports', stack);
    assert.deepEqual(problems.sort(), [
      'aws_security_group_rule.all: port 22 open to 0.0.0.0/0',
      'aws_security_group_rule.all: port 6443 open to 0.0.0.0/0',
      'aws_security_group_rule.all: port 9345 open to 0.0.0.0/0',
      'aws_security_group_rule.ssh: port 22 open to 0.0.0.0/0',
      'aws_vpc_security_group_ingress_rule.api: port 6443 open to ::/0',
    ]);
  });

  it('iam rules: a statement with * on * and an unscoped iam:PassRole', () => {
    const stack = badStack((s) => {
      new IamRolePolicy(s, 'admin', {
        role: 'x',
        policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
        }),
      });
      new IamRolePolicy(s, 'pass', {
        role: 'x',
        policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: ['iam:PassRole'], Resource: '*' }],
        }),
      });
    });
    assert.deepEqual(problemsOf('iam-no-wildcard-admin', stack), [
      'aws_iam_role_policy.admin: allows * on *',
    ]);
    assert.deepEqual(problemsOf('iam-passrole-scoped', stack), [
      'aws_iam_role_policy.admin: iam:PassRole on unscoped resources',
      'aws_iam_role_policy.pass: iam:PassRole on unscoped resources',
    ]);
  });

  it('sensitive-outputs: a secret value in a plain output', () => {
    const stack = badStack((s) => {
      const secret = new SecretsmanagerSecret(s, 'secret', { name: 'x' });
      const version = new SecretsmanagerSecretVersion(s, 'value', {
        secretId: secret.id,
        secretStringWo: 'x',
        secretStringWoVersion: 1,
      });
      new TerraformOutput(s, 'leak', { value: version.secretString });
      new TerraformOutput(s, 'fine', { value: version.secretString, sensitive: true });
      new TerraformOutput(s, 'command', {
        value: 'aws secretsmanager get-secret-value --secret-id x --query SecretString',
      });
    });
    assert.deepEqual(problemsOf('sensitive-outputs', stack), [
      'output leak: carries a secret-looking value but is not sensitive',
    ]);
  });

  it('deletion-protection: only in protected environments', () => {
    const build = (s: TerraformStack) => {
      new Lb(s, 'lb', { name: 'x', loadBalancerType: 'network', subnets: ['subnet-1'] });
      new SecretsmanagerSecret(s, 'secret', { name: 'x', recoveryWindowInDays: 0 });
      new S3Bucket(s, 'bucket', { bucket: 'x-state', forceDestroy: true });
    };
    assert.deepEqual(problemsOf('deletion-protection', badStack(build, false)), []);
    assert.deepEqual(problemsOf('deletion-protection', badStack(build, true)), [
      'aws_lb.lb: deletion protection is off in a protected environment',
      'aws_secretsmanager_secret.secret: recovery window below 7 days in a protected environment',
      'aws_s3_bucket.bucket: force_destroy in a protected environment',
    ]);
  });

  it('secrets-force-deleted: a recovery window, only in unprotected environments', () => {
    const build = (s: TerraformStack) => {
      new SecretsmanagerSecret(s, 'kept', { name: 'x', recoveryWindowInDays: 7 });
      new SecretsmanagerSecret(s, 'default', { name: 'y' });
      new SecretsmanagerSecret(s, 'gone', { name: 'z', recoveryWindowInDays: 0 });
    };
    assert.deepEqual(problemsOf('secrets-force-deleted', badStack(build, true)), []);
    assert.deepEqual(problemsOf('secrets-force-deleted', badStack(build, false)), [
      'aws_secretsmanager_secret.default: a recovery window in an unprotected environment keeps its name taken after destroy',
      'aws_secretsmanager_secret.kept: a recovery window in an unprotected environment keeps its name taken after destroy',
    ]);
  });

  // CreateLoadBalancer: not "internal-"; CreateSecurityGroup: not "sg-"; S3: not "xn--".
  it('aws-names: names AWS reserves or refuses', () => {
    const stack = badStack((s) => {
      new Lb(s, 'lb', { name: 'internal-ingress', loadBalancerType: 'network' });
      new SecurityGroup(s, 'sg', { name: 'sg-nodes' });
      new S3Bucket(s, 'bucket', { bucket: 'xn--state' });
      new S3Bucket(s, 'fine', { bucket: 'prod-state' });
    });
    assert.deepEqual(problemsOf('aws-names', stack), [
      'aws_lb.lb: loadBalancer name "internal-ingress" starts with internal- (reserved by AWS)',
      'aws_security_group.sg: securityGroup name "sg-nodes" starts with sg- (reserved by AWS)',
      'aws_s3_bucket.bucket: s3Bucket name "xn--state" starts with xn-- (reserved by AWS)',
    ]);
  });

  // AWS tagging: 50 tags per resource; the aws: prefix is reserved.
  it('tag-limits: too many own tags, too many in all, a reserved key', () => {
    const many = Object.fromEntries(Array.from({ length: 44 }, (_, i) => [`t${i}`, 'v']));
    const stack = new TerraformStack(testApp(), 'bad');
    new AwsProvider(stack, 'aws', { region: 'us-east-1', defaultTags: [{ tags: many }] });
    new S3Bucket(stack, 'bucket', { bucket: 'x-a', tags: { Name: 'a', b: 'b', c: 'c', d: 'd' } });
    new SecurityGroup(stack, 'sg', { name: 'x', tags: { 'aws:owner': 'me' } });
    const problems = problemsOf('tag-limits', {
      name: 'bad',
      json: Template.fromStack(stack).json,
      protectedEnvironment: false,
    });
    assert.deepEqual(problems, [
      'aws_s3_bucket.bucket: 4 tags of its own (Name, b, c, d)',
      'aws_s3_bucket.bucket: more than 45 tags with the default tags',
      'aws_security_group.sg: tag aws:owner: starts with aws: (reserved by AWS in tag keys)',
    ]);
  });

  it('codebuild-private-build: a privileged project outside a VPC whose role any CodeBuild project may assume', () => {
    const stack = badStack((s) => {
      const role = new IamRole(s, 'role', {
        assumeRolePolicy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'codebuild.amazonaws.com' },
              Action: 'sts:AssumeRole',
            },
          ],
        }),
      });
      new CodebuildProject(s, 'project', {
        name: 'x',
        serviceRole: role.arn,
        source: { type: 'NO_SOURCE', buildspec: 'version: 0.2' },
        artifacts: { type: 'NO_ARTIFACTS' },
        environment: {
          type: 'LINUX_CONTAINER',
          computeType: 'BUILD_GENERAL1_SMALL',
          image: 'aws/codebuild/amazonlinux-x86_64-standard:6.0',
          privilegedMode: true,
        },
      });
    });
    assert.deepEqual(problemsOf('codebuild-private-build', stack), [
      'aws_codebuild_project.project: runs outside a VPC (no vpc_config subnets)',
      'aws_codebuild_project.project: no security group',
      'aws_codebuild_project.project: privileged_mode is not false',
      'aws_codebuild_project.project: does not log to a log group of its own',
      'aws_iam_role.role: trusts other than codebuild.amazonaws.com with aws:SourceAccount and aws:SourceArn',
    ]);
  });

  it('iam-trust: loose web identity conditions, a foreign issuer, a wrong service', () => {
    const stack = badStack((s) => {
      const cluster = new EksCluster(s, 'eks', {
        name: 'x',
        roleArn: '${aws_iam_role.cluster.arn}',
        vpcConfig: { subnetIds: ['subnet-1'] },
      });
      const other = new EksCluster(s, 'other', {
        name: 'y',
        roleArn: '${aws_iam_role.cluster.arn}',
        vpcConfig: { subnetIds: ['subnet-1'] },
      });
      const provider = new IamOpenidConnectProvider(s, 'oidc', {
        url: cluster.identity.get(0).oidc.get(0).issuer,
        clientIdList: ['sts.amazonaws.com'],
      });
      const host = Fn.replace(cluster.identity.get(0).oidc.get(0).issuer, 'https://', '');
      const otherHost = Fn.replace(other.identity.get(0).oidc.get(0).issuer, 'https://', '');
      const webIdentity = (
        id: string,
        federated: string,
        condition: { test: string; variable: string; values: string[] }[],
      ) => {
        const trust = new DataAwsIamPolicyDocument(s, `${id}-trust`, {
          statement: [
            {
              actions: ['sts:AssumeRoleWithWebIdentity'],
              principals: [{ type: 'Federated', identifiers: [federated] }],
              condition,
            },
          ],
        });
        new IamRole(s, id, { name: id, assumeRolePolicy: trust.json });
      };
      const aud = { test: 'StringEquals', variable: `${host}:aud`, values: ['sts.amazonaws.com'] };
      const sub = (value: string) => ({
        test: 'StringEquals',
        variable: `${host}:sub`,
        values: [value],
      });
      // Good: one named service account of this cluster.
      webIdentity('good', provider.arn, [
        sub('system:serviceaccount:cert-manager:cert-manager'),
        aud,
      ]);
      webIdentity('no-aud', provider.arn, [sub('system:serviceaccount:cert-manager:cert-manager')]);
      webIdentity('like', provider.arn, [
        {
          test: 'StringLike',
          variable: `${host}:sub`,
          values: ['system:serviceaccount:cert-manager:*'],
        },
        aud,
      ]);
      webIdentity('foreign', provider.arn, [
        {
          test: 'StringEquals',
          variable: `${otherHost}:sub`,
          values: ['system:serviceaccount:cert-manager:cert-manager'],
        },
        { test: 'StringEquals', variable: `${otherHost}:aud`, values: ['sts.amazonaws.com'] },
      ]);
      webIdentity('issuer-principal', cluster.identity.get(0).oidc.get(0).issuer, [
        sub('system:serviceaccount:cert-manager:cert-manager'),
        aud,
      ]);
      webIdentity('other-sa', provider.arn, [sub('system:serviceaccount:default:default'), aud]);
      const service = (name: string) =>
        JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: name }, Action: 'sts:AssumeRole' }],
        });
      new IamRole(s, 'cluster', {
        name: 'cluster',
        assumeRolePolicy: service('ec2.amazonaws.com'),
      });
      new IamRole(s, 'nodes', { name: 'nodes', assumeRolePolicy: service('ec2.amazonaws.com') });
      new EksNodeGroup(s, 'group', {
        clusterName: 'x',
        nodeRoleArn: '${aws_iam_role.nodes.arn}',
        subnetIds: ['subnet-1'],
        scalingConfig: { desiredSize: 1, maxSize: 1, minSize: 1 },
      });
      new IamRole(s, 'lambda', {
        name: 'lambda',
        assumeRolePolicy: service('lambda.amazonaws.com'),
      });
    });
    const problems = problemsOf('iam-trust', stack).map((p) => p.replace(/\$\{[^}]*\}/g, '<expr>'));
    assert.deepEqual(problems, [
      'aws_iam_role.cluster: trusts service ec2.amazonaws.com; its use needs exactly eks.amazonaws.com',
      "aws_iam_role.foreign: no StringEquals on sub of its own cluster's issuer (<expr>)",
      "aws_iam_role.foreign: no StringEquals on aud of its own cluster's issuer (<expr>)",
      'aws_iam_role.foreign: unexpected trust condition(s) StringEquals <expr>:sub, StringEquals <expr>:aud',
      "aws_iam_role.issuer-principal: federated principal <expr> is not one OIDC provider's ARN",
      'aws_iam_role.lambda: trusts service lambda.amazonaws.com; its use needs exactly no service',
      "aws_iam_role.like: no StringEquals on sub of its own cluster's issuer (<expr>)",
      "aws_iam_role.no-aud: no StringEquals on aud of its own cluster's issuer (<expr>)",
      'aws_iam_role.other-sa: sub allows system:serviceaccount:default:default',
    ]);
  });

  it('world-only-on-listeners: a target port and a non-listener port open to the world', () => {
    const stack = badStack((s) => {
      const lbGroup = new SecurityGroup(s, 'lb-sg', { name: 'lb', vpcId: 'vpc-1' });
      const nodes = new SecurityGroup(s, 'nodes', { name: 'nodes', vpcId: 'vpc-1' });
      const lb = new Lb(s, 'lb', {
        name: 'x',
        loadBalancerType: 'network',
        subnets: ['subnet-1'],
        securityGroups: [lbGroup.id],
      });
      new LbListener(s, 'https', {
        loadBalancerArn: lb.arn,
        port: 443,
        protocol: 'TCP',
        defaultAction: [{ type: 'forward', targetGroupArn: 'arn:tg' }],
      });
      const open = (id: string, group: string, port: number, cidr = '0.0.0.0/0') =>
        new VpcSecurityGroupIngressRule(s, id, {
          securityGroupId: group,
          ipProtocol: 'tcp',
          fromPort: port,
          toPort: port,
          cidrIpv4: cidr,
        });
      open('listener', lbGroup.id, 443); // fine: the listener
      open('lb-other-port', lbGroup.id, 8443);
      open('target', nodes.id, 443);
      open('inside', nodes.id, 30080, '10.0.0.0/16'); // fine: not the world
    });
    assert.deepEqual(problemsOf('world-only-on-listeners', stack), [
      'aws_vpc_security_group_ingress_rule.lb-other-port: tcp 8443-8443 open to 0.0.0.0/0 is not a listener port of a load balancer using that group',
      'aws_vpc_security_group_ingress_rule.target: tcp 443-443 open to 0.0.0.0/0 is not a listener port of a load balancer using that group',
    ]);
  });

  it('instance-tags: untagged instances, unpropagated group tags, an overridden expiry', () => {
    const tags = {
      'rancher-aws:environment': 'dev',
      'rancher-aws:expires-at': '2030-01-01T00:00:00Z',
    };
    const stack = badStack((s) => {
      new LaunchTemplate(s, 'lt', {
        metadataOptions: { httpTokens: 'required' },
        blockDeviceMappings: ENCRYPTED_ROOT,
        tagSpecifications: [
          { resourceType: 'volume', tags },
          { resourceType: 'network-interface', tags },
        ],
      });
      new AutoscalingGroup(s, 'group', {
        maxSize: 1,
        minSize: 1,
        tag: [
          { key: 'rancher-aws:environment', value: 'dev', propagateAtLaunch: false },
          { key: 'rancher-aws:expires-at', value: '2030-01-01T00:00:00Z', propagateAtLaunch: true },
        ],
      });
      new Instance(s, 'vm', {
        ami: 'ami-12345678',
        instanceType: 't3.micro',
        tags: { 'rancher-aws:expires-at': '2099-01-01T00:00:00Z' },
      });
    });
    assert.deepEqual(problemsOf('instance-tags', { ...stack, standardTags: tags }), [
      'provider aws : default_tags lack rancher-aws:environment=dev, rancher-aws:expires-at=2030-01-01T00:00:00Z',
      'aws_launch_template.lt: instance tags lack rancher-aws:environment=dev, rancher-aws:expires-at=2030-01-01T00:00:00Z',
      'aws_autoscaling_group.group: propagated tags lack rancher-aws:environment=dev',
      'aws_instance.vm: overrides rancher-aws:expires-at',
    ]);
    assert.deepEqual(problemsOf('instance-tags', stack), [], 'no expected tags, no check');
  });

  it('default-routes: a private subnet to the internet gateway, one through another zone, one unrouted', () => {
    const stack = badStack((s) => {
      const igw = new InternetGateway(s, 'igw', { vpcId: 'vpc-1' });
      // Named as lib/network names them: `<prefix>-public-<i>` / `<prefix>-private-<i>`.
      const subnet = (id: string, zone: string, name: string) =>
        new Subnet(s, id, {
          vpcId: 'vpc-1',
          cidrBlock: '10.0.0.0/24',
          availabilityZone: zone,
          tags: { Name: name },
        });
      const publicA = subnet('public-a', 'zone-a', 'dev-public-0');
      const publicB = subnet('public-b', 'zone-b', 'dev-public-1');
      const natA = new NatGateway(s, 'nat-a', { subnetId: publicA.id, allocationId: 'eipalloc-1' });
      const natB = new NatGateway(s, 'nat-b', { subnetId: publicB.id, allocationId: 'eipalloc-2' });
      const routed = (id: string, target: { gatewayId?: string; natGatewayId?: string }) => {
        const table = new RouteTable(s, `${id}-table`, { vpcId: 'vpc-1' });
        new Route(s, `${id}-default`, {
          routeTableId: table.id,
          destinationCidrBlock: '0.0.0.0/0',
          ...target,
        });
        return table;
      };
      const publicTable = routed('public', { gatewayId: igw.id });
      for (const sn of [publicA, publicB])
        new RouteTableAssociation(s, `${sn.friendlyUniqueId}-assoc`, {
          subnetId: sn.id,
          routeTableId: publicTable.id,
        });
      const attach = (
        id: string,
        zone: string,
        target: { gatewayId?: string; natGatewayId?: string },
      ) =>
        new RouteTableAssociation(s, `${id}-assoc`, {
          subnetId: subnet(id, zone, `dev-private-${id}`).id,
          routeTableId: routed(id, target).id,
        });
      attach('private-good', 'zone-a', { natGatewayId: natA.id });
      attach('private-igw', 'zone-a', { gatewayId: igw.id });
      attach('private-far', 'zone-a', { natGatewayId: natB.id });
      subnet('private-unrouted', 'zone-b', 'dev-private-3');
    });
    assert.deepEqual(problemsOf('default-routes', stack), [
      'aws_subnet.private-far: routes through aws_nat_gateway.nat-b in another zone while aws_nat_gateway.nat-a is in its own',
      'aws_subnet.private-igw: private, but its default route is not a NAT gateway',
      'aws_subnet.private-unrouted: no route table with a default route',
    ]);
  });

  it('has a failing example for every rule', () => {
    assert.deepEqual(RULES.map((r) => r.id).sort(), [
      'aws-names',
      'codebuild-private-build',
      'default-routes',
      'deletion-protection',
      'ebs-encryption',
      'eks-secrets-encryption',
      'iam-no-wildcard-admin',
      'iam-passrole-scoped',
      'iam-trust',
      'imdsv2',
      'instance-tags',
      'no-open-admin-ports',
      's3-encryption',
      's3-public-access',
      's3-tls-only',
      'secrets-force-deleted',
      'secrets-not-in-state',
      'sensitive-outputs',
      'tag-limits',
      'world-only-on-listeners',
    ]);
  });
});
