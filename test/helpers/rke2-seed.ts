import assert from 'node:assert/strict';
import { ListSecretsCommand, PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import type { AwsClients } from './aws-clients';

/** An AMI the emulator knows (Canonical's SSM parameter is not in it, and moto refuses /aws names). */
export const EMULATOR_AMI = 'ami-785db401';

/** What a seed server publishes; a fake, but shaped like RKE2's admin kubeconfig. */
export const KUBECONFIG = [
  'apiVersion: v1',
  'kind: Config',
  'clusters:',
  '- name: default',
  '  cluster: {server: "https://registration.example:6443", certificate-authority-data: Zm9v}',
  'users:',
  '- name: default',
  '  user: {client-certificate-data: YmFy, client-key-data: YmF6}',
  '',
].join('\n');

export async function secretArn(aws: AwsClients, name: string): Promise<string> {
  const { SecretList = [] } = await aws.secretsManager.send(new ListSecretsCommand({}));
  const secret = SecretList.find((s) => s.Name === name);
  assert.ok(secret?.ARN, `no secret ${name}`);
  return secret.ARN;
}

/**
 * What a seed server does once its API answers: put the kubeconfig into `<prefix>/rke2/kubeconfig`
 * (prefix `<env>` for the management cluster, `<env>/<downstream name>` for a downstream one).
 */
export async function publishKubeconfig(aws: AwsClients, prefix: string): Promise<void> {
  const SecretId = await secretArn(aws, `${prefix}/rke2/kubeconfig`);
  await aws.secretsManager.send(new PutSecretValueCommand({ SecretId, SecretString: KUBECONFIG }));
}
