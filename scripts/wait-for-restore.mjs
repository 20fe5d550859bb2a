#!/usr/bin/env node
// Waits, bounded, until a rancher-backup Restore has completed: the operator then sets the Ready
// condition to True with the message "Completed" and `status.restoreCompletionTs`
// (backup-restore-operator v11.0.1 pkg/controllers/restore/controller.go). While it retries, the
// Reconciling condition carries the error; that is printed as progress. The rancher stack runs it
// from a local-exec provisioner between the Restore and Rancher (docs/backup.md).
//
//   node scripts/wait-for-restore.mjs --name <restore> --timeout <seconds> --interval <seconds>
//
// The API server and credentials come from the environment (lib/k8s/api-poll.mjs), never
// from arguments, and are never printed.
// Exit codes: 0 completed, 1 not completed in time (or cannot be read at all), 2 bad arguments or
// environment.
import {
  classifyAnswer,
  getApi,
  parseWaitArguments,
  pollUntilReady,
} from '../lib/k8s/api-poll.mjs';

const PREFIX = 'wait-for-restore';
const USAGE = `usage: node scripts/${PREFIX}.mjs --name <restore> --timeout <seconds> --interval <seconds>`;

/** The last error the operator reported, for the progress line and the timeout message. */
let lastError = '';

function condition(status, type) {
  return (Array.isArray(status?.conditions) ? status.conditions : []).find((c) => c?.type === type);
}

async function probe(env, options, budgetMs) {
  const answer = classifyAnswer(
    await getApi(env, `/apis/resources.cattle.io/v1/restores/${options.name}`, budgetMs),
    { missing: 'no Restore yet', forbidden: `Restore ${options.name}` },
  );
  if (answer.state !== 'body') return answer;
  let status;
  try {
    status = JSON.parse(answer.body).status ?? {};
  } catch {
    return { state: 'waiting', why: 'could not ask yet (not a JSON answer)' };
  }
  const ready = condition(status, 'Ready');
  if (status.restoreCompletionTs || (ready?.status === 'True' && ready?.message === 'Completed')) {
    const from = status.backupSource ? ` from ${status.backupSource}` : '';
    return { state: 'ready', detail: `Restore ${options.name} completed${from}` };
  }
  const reconciling = condition(status, 'Reconciling');
  if (reconciling?.reason === 'Error' && reconciling.message) {
    lastError = String(reconciling.message);
    return { state: 'waiting', why: `the operator retries after: ${lastError}` };
  }
  return { state: 'waiting', why: 'the operator is restoring' };
}

const env = process.env;
const options = parseWaitArguments(process.argv.slice(2), env, {
  prefix: PREFIX,
  usage: USAGE,
  names: { name: /^[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/ },
});
process.exit(
  await pollUntilReady({
    prefix: PREFIX,
    what: `Restore ${options.name}`,
    timeoutSeconds: options.timeout,
    intervalSeconds: options.interval,
    probe: (budgetMs) => probe(env, options, budgetMs),
    timedOut: () =>
      `Restore ${options.name} did not complete within ${options.timeout} s` +
      (lastError ? `; the operator's last error: ${lastError}` : '') +
      `. Rancher was not installed. Check kubectl get restore ${options.name} -o yaml and ` +
      `kubectl -n cattle-resources-system logs -l app.kubernetes.io/instance=rancher-backup, ` +
      `then run the restore again (docs/backup.md).`,
  }),
);
