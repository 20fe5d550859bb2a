#!/usr/bin/env node
// Waits, bounded, until a Secrets Manager secret holds a value: the kubeconfig an RKE2 seed
// server publishes at first boot. The Rancher stack runs it from a local-exec provisioner so
// that Helm does not race the nodes' boot; it needs no network path into the VPC.
//
//   node scripts/wait-for-secret.mjs --secret-id <arn> --region <region> [--endpoint <url>]
//     --timeout <seconds> --interval <seconds>
//
// Prints progress, never the value. Exit codes: 0 the secret has a value, 1 it did not get one
// in time (or cannot be read at all), 2 bad arguments.
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

const USAGE =
  'usage: node scripts/wait-for-secret.mjs --secret-id <arn> --region <region> [--endpoint <url>] --timeout <seconds> --interval <seconds>';

// Errors that waiting will not cure: wrong credentials, no permission, a deleted secret.
const FATAL_ERRORS = new Set([
  'AccessDeniedException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'InvalidClientTokenId',
  'ExpiredTokenException',
  'InvalidRequestException',
  'InvalidParameterException',
  'ValidationException',
  'DecryptionFailure',
]);

function usageError(message) {
  console.error(`wait-for-secret: ${message}\n${USAGE}`);
  process.exit(2);
}

function seconds(name, raw) {
  if (raw === undefined) usageError(`--${name} is required (a number of seconds).`);
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    usageError(`--${name} must be a positive number of seconds; got ${JSON.stringify(raw)}.`);
  }
  return value;
}

function parse(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'secret-id': { type: 'string' },
        region: { type: 'string' },
        endpoint: { type: 'string' },
        timeout: { type: 'string' },
        interval: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    usageError(`${error.message}.`);
  }
  const secretId = values['secret-id'];
  if (!secretId) usageError('--secret-id is required (the ARN or name of the secret).');
  const region = values.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!region) usageError('--region is required (or set AWS_REGION).');
  const endpoint =
    values.endpoint ??
    process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER ??
    process.env.AWS_ENDPOINT_URL ??
    undefined;
  if (endpoint !== undefined && !/^https?:\/\/\S+$/.test(endpoint)) {
    usageError(`--endpoint must be an http(s) URL; got ${JSON.stringify(endpoint)}.`);
  }
  return {
    secretId,
    region,
    endpoint,
    timeout: seconds('timeout', values.timeout),
    interval: seconds('interval', values.interval),
  };
}

/** 'ready', 'empty' or 'unreadable: <why>'; never the value itself. */
async function probe(client, secretId, budgetMs) {
  try {
    const answer = await client.send(new GetSecretValueCommand({ SecretId: secretId }), {
      abortSignal: globalThis.AbortSignal.timeout(Math.max(1000, budgetMs)),
    });
    const size = (answer.SecretString?.length ?? 0) + (answer.SecretBinary?.length ?? 0);
    return size > 0 ? { state: 'ready' } : { state: 'empty', why: 'the value is empty' };
  } catch (error) {
    const name = error?.name ?? 'Error';
    if (name === 'ResourceNotFoundException') return { state: 'empty', why: 'no value yet' };
    if (FATAL_ERRORS.has(name)) return { state: 'fatal', why: `${name}: ${error.message}` };
    return { state: 'empty', why: `could not ask yet (${name})` };
  }
}

async function main() {
  const options = parse(process.argv.slice(2));
  const client = new SecretsManagerClient({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    maxAttempts: 2,
  });
  const started = Date.now();
  const deadline = started + options.timeout * 1000;
  console.log(
    `wait-for-secret: waiting up to ${options.timeout} s for a value in ${options.secretId}`,
  );
  for (;;) {
    const result = await probe(client, options.secretId, deadline - Date.now());
    const elapsed = Math.round((Date.now() - started) / 1000);
    if (result.state === 'ready') {
      console.log(`wait-for-secret: ${options.secretId} has a value (after ${elapsed} s)`);
      return 0;
    }
    if (result.state === 'fatal') {
      console.error(
        `wait-for-secret: cannot read ${options.secretId}: ${result.why}; check the credentials and the secret's policy.`,
      );
      return 1;
    }
    // Every poll is reported, the last one too: a slow first call must not leave the log silent.
    console.log(`wait-for-secret: ${result.why} (${elapsed}/${options.timeout} s)`);
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    await sleep(Math.min(options.interval * 1000, remaining));
  }
  console.error(
    `wait-for-secret: no kubeconfig was published to ${options.secretId} within ${options.timeout} s; ` +
      "check the seed server's cloud-init log via SSM: aws ssm start-session --target <seed instance id>, " +
      'then sudo grep rke2-bootstrap /var/log/cloud-init-output.log (a failed bootstrap also leaves ' +
      '/var/lib/rke2-bootstrap/failed).',
  );
  return 1;
}

process.exit(await main());
