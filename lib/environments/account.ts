/**
 * The guard every command that changes an environment runs first: the credentials must belong to
 * the account the environment names.
 */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { EnvironmentConfig } from '../config/schema';

/**
 * Throws when the credentials behind `sts` belong to another account than `config.accountId`;
 * the message ends with `unchanged`, what the caller therefore did not do. Nothing to check for
 * `target: local` (the emulator has no accounts) or without an accountId.
 */
export async function assertAccount(
  config: Pick<EnvironmentConfig, 'name' | 'target' | 'accountId'>,
  sts: STSClient,
  unchanged = 'nothing was destroyed',
): Promise<void> {
  if (config.target !== 'aws' || !config.accountId) return;
  const { Account } = await sts.send(new GetCallerIdentityCommand({}));
  if (Account !== config.accountId) {
    throw new Error(
      `The AWS credentials belong to account ${Account}, but environment "${config.name}" lives ` +
        `in account ${config.accountId} (accountId); ${unchanged}.`,
    );
  }
}
