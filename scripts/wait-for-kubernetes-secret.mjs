#!/usr/bin/env node
// Waits, bounded, until a Kubernetes Secret holds a non-empty key: the registration token that
// Rancher writes into `crt-token-default-token` some moments after it gives a new cluster its id.
// The agent stack runs it from a local-exec provisioner before the token is read.
//
//   node scripts/wait-for-kubernetes-secret.mjs --namespace <ns> --name <secret> --key <key>
//     --timeout <seconds> --interval <seconds>
//
// The API server and credentials come from the environment, never from arguments (which `ps`
// shows) and never printed: KUBE_HOST (https URL), KUBE_CA_CERT (PEM), and one of KUBE_TOKEN,
// KUBE_CLIENT_CERT + KUBE_CLIENT_KEY (PEM), or KUBE_EXEC_COMMAND + KUBE_EXEC_ARGS (a JSON array):
// a client-go exec credential plugin (EKS: scripts/eks-token.mjs) run for a token before each
// poll. Prints progress, never the Secret's data or a token.
// Exit codes: 0 the key has a value, 1 it did not get one in time (or cannot be read at all),
// 2 bad arguments or environment.
import { execFileSync } from 'node:child_process';
import { request } from 'node:https';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';

const PREFIX = 'wait-for-kubernetes-secret';
const USAGE = `usage: node scripts/${PREFIX}.mjs --namespace <ns> --name <secret> --key <key> --timeout <seconds> --interval <seconds>`;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

function usageError(message) {
  console.error(`${PREFIX}: ${message}\n${USAGE}`);
  process.exit(2);
}

function seconds(name, raw) {
  const value = Number(raw);
  if (raw === undefined || !Number.isFinite(value) || value <= 0) {
    usageError(`--${name} must be a positive number of seconds; got ${JSON.stringify(raw)}.`);
  }
  return value;
}

function parse(argv, env) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: Object.fromEntries(
        ['namespace', 'name', 'key', 'timeout', 'interval'].map((o) => [o, { type: 'string' }]),
      ),
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    usageError(`${error.message}.`);
  }
  for (const [option, pattern] of [
    ['namespace', DNS_LABEL],
    ['name', /^[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/],
    ['key', SECRET_KEY],
  ]) {
    if (!pattern.test(values[option] ?? '')) {
      usageError(`--${option} must be a Kubernetes name; got ${JSON.stringify(values[option])}.`);
    }
  }
  if (!/^https:\/\/\S+$/.test(env.KUBE_HOST ?? '')) {
    usageError('KUBE_HOST must hold the https URL of the Kubernetes API server.');
  }
  if (!env.KUBE_CA_CERT) usageError('KUBE_CA_CERT must hold the PEM of the cluster CA.');
  const clientCert = Boolean(env.KUBE_CLIENT_CERT && env.KUBE_CLIENT_KEY);
  if (!env.KUBE_TOKEN && !clientCert && !env.KUBE_EXEC_COMMAND) {
    usageError(
      'set KUBE_TOKEN, KUBE_CLIENT_CERT and KUBE_CLIENT_KEY, or KUBE_EXEC_COMMAND and KUBE_EXEC_ARGS, for the API server.',
    );
  }
  if (env.KUBE_EXEC_COMMAND) {
    let args;
    try {
      args = JSON.parse(env.KUBE_EXEC_ARGS ?? '[]');
    } catch {
      args = undefined;
    }
    if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) {
      usageError('KUBE_EXEC_ARGS must be a JSON array of strings.');
    }
  }
  return {
    namespace: values.namespace,
    name: values.name,
    key: values.key,
    timeout: seconds('timeout', values.timeout),
    interval: seconds('interval', values.interval),
  };
}

/** A bearer token: KUBE_TOKEN, or status.token of the exec plugin's ExecCredential. */
function bearerToken(env) {
  if (env.KUBE_TOKEN) return env.KUBE_TOKEN;
  if (!env.KUBE_EXEC_COMMAND) return undefined;
  const out = execFileSync(env.KUBE_EXEC_COMMAND, JSON.parse(env.KUBE_EXEC_ARGS ?? '[]'), {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 30_000,
  });
  const token = JSON.parse(out)?.status?.token;
  if (typeof token !== 'string' || token === '') throw new Error('the token command gave no token');
  return token;
}

/** One GET of the Secret: { status, body } or { error }. */
function getSecret(env, options, budgetMs) {
  const base = new URL(env.KUBE_HOST);
  const url = new URL(
    `${base.pathname.replace(/\/$/, '')}/api/v1/namespaces/${options.namespace}/secrets/${options.name}`,
    base,
  );
  let token;
  try {
    token = bearerToken(env);
  } catch (error) {
    return Promise.resolve({ error: `token command failed: ${error.message.split('\n')[0]}` });
  }
  return new Promise((resolve) => {
    const req = request(
      url,
      {
        method: 'GET',
        ca: env.KUBE_CA_CERT,
        ...(token
          ? { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } }
          : {
              cert: env.KUBE_CLIENT_CERT,
              key: env.KUBE_CLIENT_KEY,
              headers: { Accept: 'application/json' },
            }),
        timeout: Math.max(1000, Math.min(budgetMs, 10_000)),
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('no answer in time')));
    req.on('error', (error) => resolve({ error: error.code ?? error.message }));
    req.end();
  });
}

/** 'ready', 'waiting' (with why) or 'fatal' (with why); never the value itself. */
async function probe(env, options, budgetMs) {
  const answer = await getSecret(env, options, budgetMs);
  if (answer.error) return { state: 'waiting', why: `could not ask yet (${answer.error})` };
  if (answer.status === 404) return { state: 'waiting', why: 'no Secret yet' };
  if (answer.status === 401 || answer.status === 403) {
    return {
      state: 'fatal',
      why: `the API server answered HTTP ${answer.status}: these credentials may not read Secret ${options.namespace}/${options.name}`,
    };
  }
  if (answer.status !== 200) {
    return { state: 'waiting', why: `could not ask yet (HTTP ${answer.status})` };
  }
  let data;
  try {
    data = JSON.parse(answer.body).data ?? {};
  } catch {
    return { state: 'waiting', why: 'could not ask yet (not a JSON answer)' };
  }
  return typeof data[options.key] === 'string' && data[options.key].length > 0
    ? { state: 'ready' }
    : { state: 'waiting', why: `the Secret has no "${options.key}" yet` };
}

async function main() {
  const env = process.env;
  const options = parse(process.argv.slice(2), env);
  const what = `key "${options.key}" of Secret ${options.namespace}/${options.name}`;
  const started = Date.now();
  const deadline = started + options.timeout * 1000;
  console.log(`${PREFIX}: waiting up to ${options.timeout} s for ${what}`);
  for (;;) {
    const result = await probe(env, options, deadline - Date.now());
    const elapsed = Math.round((Date.now() - started) / 1000);
    if (result.state === 'ready') {
      console.log(`${PREFIX}: ${what} has a value (after ${elapsed} s)`);
      return 0;
    }
    if (result.state === 'fatal') {
      console.error(`${PREFIX}: cannot read ${what}: ${result.why}.`);
      return 1;
    }
    // Logged before the deadline check: the last poll's reason is what explains a timeout.
    console.log(`${PREFIX}: ${result.why} (${elapsed}/${options.timeout} s)`);
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    await sleep(Math.min(options.interval * 1000, remaining));
  }
  console.error(
    `${PREFIX}: ${what} got no value within ${options.timeout} s. Rancher creates the ` +
      `ClusterRegistrationToken default-token and this Secret after it gives the cluster its id; ` +
      `check kubectl -n ${options.namespace} get clusterregistrationtokens and Rancher's log ` +
      `(kubectl -n cattle-system logs -l app=rancher), then deploy this stack again.`,
  );
  return 1;
}

process.exit(await main());
