import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertAccount } from '../../../lib/environments/account';
import { fakeAws } from '../../helpers/fake-aws';

const identity = (Account: string) =>
  fakeAws({ sts: { GetCallerIdentity: () => ({ Account, Arn: `arn:aws:iam::${Account}:root` }) } });

describe('assertAccount', () => {
  it('passes when the credentials belong to the environment account', async () => {
    const fake = identity('111122223333');
    await assertAccount(
      { name: 'prod', target: 'aws', accountId: '111122223333' },
      fake.clients.sts,
    );
    assert.equal(fake.calls.length, 1);
  });

  it('refuses credentials of another account, naming both accounts', async () => {
    const fake = identity('999988887777');
    await assert.rejects(
      assertAccount({ name: 'prod', target: 'aws', accountId: '111122223333' }, fake.clients.sts),
      {
        message:
          'The AWS credentials belong to account 999988887777, but environment "prod" lives in ' +
          'account 111122223333 (accountId); nothing was destroyed.',
      },
    );
    await assert.rejects(
      assertAccount(
        { name: 'prod', target: 'aws', accountId: '111122223333' },
        fake.clients.sts,
        'nothing was deployed',
      ),
      /\(accountId\); nothing was deployed\.$/,
    );
  });

  it('asks nothing for the emulator or without an accountId', async () => {
    const fake = identity('999988887777');
    await assertAccount(
      { name: 'l', target: 'local', accountId: '111122223333' },
      fake.clients.sts,
    );
    await assertAccount({ name: 'dev', target: 'aws' }, fake.clients.sts);
    assert.deepEqual(fake.calls, []);
  });
});
