import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { awsNameProblem, NameKind, resourceName, stackName } from '../../../lib/naming/names';
import { maxExtraTags, standardTags, TAG_KEYS, tagTextProblem } from '../../../lib/naming/tags';

describe('resourceName', () => {
  it('joins prefix and suffix', () => {
    assert.equal(resourceName('prod', 'ingress', 'loadBalancer'), 'prod-ingress');
  });

  // CreateTargetGroup: "can have a maximum of 32 characters".
  it('accepts a name exactly at the limit and rejects one over it', () => {
    assert.equal(resourceName('a'.repeat(27), 'http', 'targetGroup').length, 32);
    assert.throws(
      () => resourceName('a'.repeat(28), 'http', 'targetGroup'),
      /^Error: target group name "a{28}-http" is 33 characters \(AWS allows 32\)$/,
    );
  });

  it('fits the longest environment name into every fixed suffix the stacks use', () => {
    const longest = 'a'.repeat(20);
    assert.doesNotThrow(() => resourceName(longest, 'ingress', 'loadBalancer'));
    assert.doesNotThrow(() => resourceName(longest, 'https', 'targetGroup'));
    assert.doesNotThrow(() => resourceName(longest, 'tls-offload', 'targetGroup'));
    assert.doesNotThrow(() => resourceName(longest, 'supervisor', 'targetGroup'));
    assert.doesNotThrow(() => resourceName(`${longest}-management`, 'lb-controller', 'iamRole'));
  });

  // CreateLoadBalancer: "must contain only alphanumeric characters or hyphens".
  it('rejects characters a load balancer or bucket name cannot hold', () => {
    assert.throws(
      () => resourceName('prod_1', 'lb', 'loadBalancer'),
      /load balancer name "prod_1-lb" may hold only letters, digits and inner hyphens/,
    );
    assert.throws(() => resourceName('Prod', 'state', 's3Bucket'), /only lower-case letters/);
  });

  it('names stacks <env>-<part>', () => {
    assert.equal(stackName('prod', 'apps', 'agent'), 'prod-apps-agent');
  });
});

describe('awsNameProblem', () => {
  // CreateLoadBalancer: the name "must not begin with \"internal-\"".
  it('refuses load balancer names that start with internal-', () => {
    assert.equal(
      awsNameProblem('loadBalancer', 'internal-ingress'),
      'starts with internal- (reserved by AWS)',
    );
    assert.equal(awsNameProblem('loadBalancer', 'internals-ingress'), undefined);
  });

  // CreateSecurityGroup GroupName: "Can't start with sg-".
  it('refuses security group names that start with sg-', () => {
    assert.equal(
      awsNameProblem('securityGroup', 'sg-prod-ingress-lb'),
      'starts with sg- (reserved by AWS)',
    );
  });

  // S3 general purpose bucket naming rules: the reserved prefixes and suffixes.
  it('refuses the bucket prefixes and suffixes S3 reserves', () => {
    for (const [name, problem] of [
      ['xn--prod-tfstate', 'starts with xn-- (reserved by AWS)'],
      ['sthree-prod-tfstate', 'starts with sthree- (reserved by AWS)'],
      ['amzn-s3-demo-prod', 'starts with amzn-s3-demo- (reserved by AWS)'],
      ['prod-state-s3alias', 'ends with -s3alias (reserved by AWS)'],
      ['prod-state--ol-s3', 'ends with --ol-s3 (reserved by AWS)'],
      ['prod-state.mrap', 'ends with .mrap (reserved by AWS)'],
      ['prod-state--x-s3', 'ends with --x-s3 (reserved by AWS)'],
      ['prod-state--table-s3', 'ends with --table-s3 (reserved by AWS)'],
    ]) {
      assert.equal(awsNameProblem('s3Bucket', name), problem, name);
    }
  });

  // S3 bucket naming rules: no two adjacent periods, not formatted as an IP address.
  it('refuses bucket names with two dots in a row or shaped like an IP address', () => {
    assert.match(String(awsNameProblem('s3Bucket', 'prod..state')), /no two dots in a row/);
    assert.match(String(awsNameProblem('s3Bucket', '192.168.5.4')), /not an IP address/);
    assert.equal(awsNameProblem('s3Bucket', 'prod.state-1'), undefined);
  });

  // KMS CreateAlias: the alias/aws/ prefix is reserved for AWS managed keys.
  it('refuses KMS alias names under aws/', () => {
    assert.equal(awsNameProblem('kmsAlias', 'aws/prod'), 'starts with aws/ (reserved by AWS)');
  });

  // Each service's API reference: the longest name it accepts, and the shortest where there is one
  // (S3 bucket naming rules 3-63; CreateLaunchTemplate 3-128; the rest at least 1).
  it('accepts every kind of name at its AWS limit and refuses one character more', () => {
    const limits: [NameKind, number, number][] = [
      ['loadBalancer', 1, 32], // CreateLoadBalancer Name
      ['targetGroup', 1, 32], // CreateTargetGroup Name
      ['iamRole', 1, 64], // CreateRole RoleName
      ['iamPolicy', 1, 128], // CreatePolicy PolicyName
      ['eksCluster', 1, 100], // CreateCluster name
      ['eksNodeGroup', 1, 63], // CreateNodegroup nodegroupName
      ['s3Bucket', 3, 63], // S3 general purpose bucket naming rules
      ['secret', 1, 512], // CreateSecret Name
      ['securityGroup', 1, 255], // CreateSecurityGroup GroupName
      ['launchTemplate', 3, 128], // CreateLaunchTemplate LaunchTemplateName
      ['autoScalingGroup', 1, 255], // CreateAutoScalingGroup AutoScalingGroupName
      ['kmsAlias', 1, 250], // CreateAlias AliasName: 256 with its alias/ prefix
    ];
    for (const [kind, shortest, longest] of limits) {
      assert.equal(awsNameProblem(kind, 'a'.repeat(longest)), undefined, kind);
      assert.equal(
        awsNameProblem(kind, 'a'.repeat(longest + 1)),
        `is ${longest + 1} characters (AWS allows ${longest})`,
        kind,
      );
      assert.equal(awsNameProblem(kind, 'a'.repeat(shortest)), undefined, kind);
      if (shortest > 1) {
        assert.equal(
          awsNameProblem(kind, 'a'.repeat(shortest - 1)),
          `is ${shortest - 1} characters (AWS needs at least ${shortest})`,
          kind,
        );
      }
    }
  });

  // CreateRole: role names up to 64 characters; CreateCluster (EKS): up to 100.
  it('knows the IAM role and EKS cluster limits', () => {
    assert.equal(awsNameProblem('iamRole', 'r'.repeat(64)), undefined);
    assert.equal(awsNameProblem('iamRole', 'r'.repeat(65)), 'is 65 characters (AWS allows 64)');
    assert.equal(awsNameProblem('eksCluster', 'c'.repeat(100)), undefined);
    assert.equal(
      awsNameProblem('eksCluster', 'c'.repeat(101)),
      'is 101 characters (AWS allows 100)',
    );
  });
});

describe('standardTags', () => {
  it('tags environment, owner and managed-by; expiry only when set', () => {
    assert.deepEqual(standardTags({ environment: 'dev', owner: 'team' }), {
      [TAG_KEYS.environment]: 'dev',
      [TAG_KEYS.owner]: 'team',
      [TAG_KEYS.managedBy]: 'cdktf/rancher-on-aws',
    });
    const tags = standardTags({
      environment: 'pr-1',
      owner: 'ci',
      expiresAt: '2026-12-01T00:00:00Z',
    });
    assert.equal(tags[TAG_KEYS.expiresAt], '2026-12-01T00:00:00Z');
  });

  it('lets the standard keys win over extra tags', () => {
    const tags = standardTags({
      environment: 'dev',
      owner: 'team',
      extra: { [TAG_KEYS.environment]: 'prod', team: 'x' },
    });
    assert.equal(tags[TAG_KEYS.environment], 'dev');
    assert.equal(tags.team, 'x');
  });
});

describe('tagTextProblem and maxExtraTags', () => {
  // AWS tagging: keys up to 128 and values up to 256 characters; aws: in any case is reserved.
  it('holds keys to 128 and values to 256 characters and refuses the aws: prefix in any case', () => {
    assert.equal(tagTextProblem('k'.repeat(128), 'key'), undefined);
    assert.equal(
      tagTextProblem('k'.repeat(129), 'key'),
      'is 129 characters (AWS allows 128 in a tag key)',
    );
    assert.equal(tagTextProblem('v'.repeat(256), 'value'), undefined);
    assert.equal(
      tagTextProblem('v'.repeat(257), 'value'),
      'is 257 characters (AWS allows 256 in a tag value)',
    );
    assert.equal(
      tagTextProblem('Aws:team', 'key'),
      'starts with aws: (reserved by AWS in tag keys)',
    );
    assert.equal(tagTextProblem('', 'value'), undefined);
    assert.equal(tagTextProblem('', 'key'), 'must not be empty');
  });

  // AWS tagging: letters, numbers, spaces and + - = . _ : / @ are allowed everywhere.
  it('allows the common tag characters, letters of any script included', () => {
    assert.equal(tagTextProblem('cost-center/team_a: Ünit 1 + x=y @z.', 'value'), undefined);
    assert.match(String(tagTextProblem('team (a)', 'value')), /^may hold only/);
  });

  // AWS tagging: at most 50 tags per resource.
  it('leaves 39 extra tags beside 3 standard ones and 37 beside 5', () => {
    assert.equal(maxExtraTags(3), 39);
    assert.equal(maxExtraTags(5), 37);
  });
});
