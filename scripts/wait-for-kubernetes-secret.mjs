#!/usr/bin/env node
// Waits, bounded, until a Kubernetes Secret holds a non-empty key: the registration token that
// Rancher writes into `crt-token-default-token` some moments after it gives a new cluster its id.
// The agent stack runs it from a local-exec provisioner before the token is read.
//
//   node scripts/wait-for-kubernetes-secret.mjs --namespace <ns> --name <secret> --key <key>
//     --timeout <seconds> --interval <seconds>
//
// The API server and credentials come from the environment (lib/k8s/api-poll.mjs), never
// from arguments, and are never printed. Prints progress, never the Secret's data or a token.
// Exit codes: 0 the key has a value, 1 it did not get one in time (or cannot be read at all),
// 2 bad arguments or environment.
import {
  classifyAnswer,
  getApi,
  parseWaitArguments,
  pollUntilReady,
} from '../lib/k8s/api-poll.mjs';

const PREFIX = 'wait-for-kubernetes-secret';
const USAGE = `usage: node scripts/${PREFIX}.mjs --namespace <ns> --name <secret> --key <key> --timeout <seconds> --interval <seconds>`;

/** 'ready', 'waiting' (with why) or 'fatal' (with why); never the value itself. */
async function probe(env, options, budgetMs) {
  const answer = classifyAnswer(
    await getApi(env, `/api/v1/namespaces/${options.namespace}/secrets/${options.name}`, budgetMs),
    { missing: 'no Secret yet', forbidden: `Secret ${options.namespace}/${options.name}` },
  );
  if (answer.state !== 'body') return answer;
  let data;
  try {
    data = JSON.parse(answer.body).data ?? {};
  } catch {
    return { state: 'waiting', why: 'could not ask yet (not a JSON answer)' };
  }
  return typeof data[options.key] === 'string' && data[options.key].length > 0
    ? { state: 'ready', detail: `${what(options)} has a value` }
    : { state: 'waiting', why: `the Secret has no "${options.key}" yet` };
}

function what(options) {
  return `key "${options.key}" of Secret ${options.namespace}/${options.name}`;
}

const env = process.env;
const options = parseWaitArguments(process.argv.slice(2), env, {
  prefix: PREFIX,
  usage: USAGE,
  names: {
    namespace: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    name: /^[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/,
    key: /^[-._a-zA-Z0-9]+$/,
  },
});
process.exit(
  await pollUntilReady({
    prefix: PREFIX,
    what: what(options),
    timeoutSeconds: options.timeout,
    intervalSeconds: options.interval,
    probe: (budgetMs) => probe(env, options, budgetMs),
    timedOut: () =>
      `${what(options)} got no value within ${options.timeout} s. Rancher creates the ` +
      `ClusterRegistrationToken default-token and this Secret after it gives the cluster its id; ` +
      `check kubectl -n ${options.namespace} get clusterregistrationtokens and Rancher's log ` +
      `(kubectl -n cattle-system logs -l app=rancher), then deploy this stack again.`,
  }),
);
