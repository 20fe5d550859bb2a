import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { localDeployTarget, NotLocalTargetError } from '../../../lib/environments/local-deploy';

describe('localDeployTarget', () => {
  it('is the management stack and region of an emulator environment', () => {
    assert.deepEqual(
      localDeployTarget({ name: 'local', target: 'local', region: 'eu-west-1' }, 'local.yaml'),
      { stack: 'local-management', region: 'eu-west-1' },
    );
  });

  it('refuses an environment on a real account, whose deploy would ignore the emulator', () => {
    assert.throws(
      () => localDeployTarget({ name: 'prod', target: 'aws', region: 'us-east-1' }, 'prod.yaml'),
      (error: unknown) =>
        error instanceof NotLocalTargetError &&
        error.message ===
          'prod.yaml: target is "aws"; npm run local deploys only environments with target: local ' +
            '(the AWS emulator). Use cdktf deploy for a real account.',
    );
  });
});
