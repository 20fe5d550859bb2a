import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  callerIsPrincipalExpression,
  parseIamPrincipalArn,
  principalKey,
} from '../../../lib/iam/principal';

const SSO_ROLE =
  'arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123456789abcdef';

describe('parseIamPrincipalArn', () => {
  // EKS "Create access entries": a role ARN may include a path (unlike aws-auth ConfigMap entries).
  it('keeps the path of an SSO role', () => {
    assert.deepEqual(parseIamPrincipalArn(SSO_ROLE), {
      partition: 'aws',
      accountId: '123456789012',
      kind: 'role',
      path: '/aws-reserved/sso.amazonaws.com/eu-west-1/',
      name: 'AWSReservedSSO_Admin_0123456789abcdef',
    });
    assert.equal(parseIamPrincipalArn('arn:aws:iam::123456789012:user/alice')?.path, '/');
  });

  // CreateRole: a role name is at most 64 characters.
  it('refuses session ARNs, other services and names over 64 characters', () => {
    assert.equal(
      parseIamPrincipalArn('arn:aws:sts::123456789012:assumed-role/admins/alice'),
      undefined,
    );
    assert.equal(parseIamPrincipalArn('arn:aws:s3:::bucket'), undefined);
    assert.equal(
      parseIamPrincipalArn(`arn:aws:iam::123456789012:role/${'r'.repeat(65)}`),
      undefined,
    );
    assert.ok(parseIamPrincipalArn(`arn:aws:iam::123456789012:role/${'r'.repeat(64)}`));
  });
});

describe('principalKey', () => {
  // CreateRole: "Names are not distinguished by case"; a role's name is unique whatever its path.
  it('is one key for a role in any case and path', () => {
    const key = (arn: string) => principalKey(parseIamPrincipalArn(arn)!);
    assert.equal(
      key('arn:aws:iam::123456789012:role/Admins'),
      key('arn:aws:iam::123456789012:role/team/admins'),
    );
    assert.notEqual(
      key('arn:aws:iam::123456789012:role/admins'),
      key('arn:aws:iam::123456789012:user/admins'),
    );
  });
});

describe('callerIsPrincipalExpression', () => {
  // STS GetCallerIdentity: an assumed role is arn:<partition>:sts::<account>:assumed-role/<role name>/<session>,
  // without the role's path.
  it('matches an SSO role by its assumed-role ARN, without the path', () => {
    assert.equal(
      callerIsPrincipalExpression(
        parseIamPrincipalArn(SSO_ROLE)!,
        'data.aws_caller_identity.me.arn',
      ),
      'startswith(lower(data.aws_caller_identity.me.arn), "arn:aws:sts::123456789012:assumed-role/awsreservedsso_admin_0123456789abcdef/")',
    );
  });

  it('matches a user by its own ARN, whatever its path', () => {
    assert.equal(
      callerIsPrincipalExpression(
        parseIamPrincipalArn('arn:aws:iam::123456789012:user/ops/Alice')!,
        'data.aws_caller_identity.me.arn',
      ),
      'startswith(lower(data.aws_caller_identity.me.arn), "arn:aws:iam::123456789012:user/") && endswith(lower(data.aws_caller_identity.me.arn), "/alice")',
    );
  });
});
