// @ts-check
/**
 * What the bounded waits on the Kubernetes API share (scripts/wait-for-kubernetes-secret.mjs,
 * scripts/wait-for-restore.mjs): the API server and credentials from the environment, one GET of
 * a path, and a poll loop with a deadline.
 *
 * The API server and credentials come from the environment, never from arguments (which `ps`
 * shows) and are never printed: KUBE_HOST (https URL), KUBE_CA_CERT (PEM), and one of KUBE_TOKEN,
 * KUBE_CLIENT_CERT + KUBE_CLIENT_KEY (PEM), or KUBE_EXEC_COMMAND + KUBE_EXEC_ARGS (a JSON array):
 * a client-go exec credential plugin (EKS: scripts/eks-token.mjs) run for a token before each GET.
 *
 * Plain JavaScript (type-checked through JSDoc): the scripts run under bare Node from Terraform
 * provisioners, without a TypeScript loader.
 */
import { execFileSync } from 'node:child_process';
import { request } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';

/** @typedef {Record<string, string | undefined>} Env */
/** @typedef {{ status: number, body: string } | { error: string }} Answer */
/** @typedef {{ state: 'ready', detail?: string } | { state: 'waiting', why: string } | { state: 'fatal', why: string }} Probe */

/**
 * What is missing from the environment for reaching the API server; undefined when complete.
 * @param {Env} env
 * @returns {string | undefined}
 */
export function apiEnvironmentProblem(env) {
  if (!/^https:\/\/\S+$/.test(env.KUBE_HOST ?? '')) {
    return 'KUBE_HOST must hold the https URL of the Kubernetes API server.';
  }
  if (!env.KUBE_CA_CERT) return 'KUBE_CA_CERT must hold the PEM of the cluster CA.';
  const clientCert = Boolean(env.KUBE_CLIENT_CERT && env.KUBE_CLIENT_KEY);
  if (!env.KUBE_TOKEN && !clientCert && !env.KUBE_EXEC_COMMAND) {
    return 'set KUBE_TOKEN, KUBE_CLIENT_CERT and KUBE_CLIENT_KEY, or KUBE_EXEC_COMMAND and KUBE_EXEC_ARGS, for the API server.';
  }
  if (env.KUBE_EXEC_COMMAND) {
    let args;
    try {
      args = JSON.parse(env.KUBE_EXEC_ARGS ?? '[]');
    } catch {
      args = undefined;
    }
    if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) {
      return 'KUBE_EXEC_ARGS must be a JSON array of strings.';
    }
  }
  return undefined;
}

/**
 * The arguments of a wait script: the named options (each checked against its pattern) plus
 * `--timeout` and `--interval` in seconds, and the API environment. Bad input prints the problem
 * and the usage line and exits with 2.
 * @template {string} Name
 * @param {readonly string[]} argv
 * @param {Env} env
 * @param {{ prefix: string, usage: string, names: Record<Name, RegExp> }} spec
 * @returns {Record<Name, string> & { timeout: number, interval: number }}
 */
export function parseWaitArguments(argv, env, spec) {
  /** @param {string} message @returns {never} */
  const usageError = (message) => {
    console.error(`${spec.prefix}: ${message}\n${spec.usage}`);
    process.exit(2);
  };
  /** @param {string} name @param {string | undefined} raw */
  const seconds = (name, raw) => {
    const value = Number(raw);
    if (raw === undefined || !Number.isFinite(value) || value <= 0) {
      usageError(`--${name} must be a positive number of seconds; got ${JSON.stringify(raw)}.`);
    }
    return value;
  };
  const names = /** @type {Name[]} */ (Object.keys(spec.names));
  /** @type {Record<string, string | undefined>} */
  let values = {};
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: Object.fromEntries(
        [...names, 'timeout', 'interval'].map((o) => [o, { type: 'string' }]),
      ),
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    usageError(`${error instanceof Error ? error.message : String(error)}.`);
  }
  /** @type {Record<string, string>} */
  const named = {};
  for (const name of names) {
    const value = values[name];
    if (value === undefined || !spec.names[name].test(value)) {
      usageError(`--${name} must be a Kubernetes name; got ${JSON.stringify(value)}.`);
    }
    named[name] = value;
  }
  const problem = apiEnvironmentProblem(env);
  if (problem) usageError(problem);
  return /** @type {Record<Name, string> & { timeout: number, interval: number }} */ ({
    ...named,
    timeout: seconds('timeout', values.timeout),
    interval: seconds('interval', values.interval),
  });
}

/**
 * A bearer token: KUBE_TOKEN, or status.token of the exec plugin's ExecCredential.
 * @param {Env} env
 * @returns {string | undefined}
 */
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

/**
 * One GET of `apiPath` (e.g. `/api/v1/namespaces/x/secrets/y`): the status and body, or why
 * there is no answer.
 * @param {Env} env
 * @param {string} apiPath
 * @param {number} budgetMs
 * @returns {Promise<Answer>}
 */
export function getApi(env, apiPath, budgetMs) {
  const base = new URL(String(env.KUBE_HOST));
  const url = new URL(`${base.pathname.replace(/\/$/, '')}${apiPath}`, base);
  let token;
  try {
    token = bearerToken(env);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return Promise.resolve({ error: `token command failed: ${message.split('\n')[0]}` });
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
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('no answer in time')));
    req.on('error', (error) => {
      const code = /** @type {{ code?: string }} */ (error).code;
      resolve({ error: code ?? error.message });
    });
    req.end();
  });
}

/**
 * Probes until `probe` says ready or fatal, or the deadline passes; prints progress with
 * `prefix`. Returns the exit code: 0 ready, 1 fatal or timed out (after `timedOut()` is printed).
 * @param {{
 *   prefix: string,
 *   what: string,
 *   timeoutSeconds: number,
 *   intervalSeconds: number,
 *   probe: (budgetMs: number) => Promise<Probe>,
 *   timedOut: () => string,
 * }} options
 * @returns {Promise<number>}
 */
export async function pollUntilReady(options) {
  const { prefix, what } = options;
  const started = Date.now();
  const deadline = started + options.timeoutSeconds * 1000;
  console.log(`${prefix}: waiting up to ${options.timeoutSeconds} s for ${what}`);
  for (;;) {
    const result = await options.probe(deadline - Date.now());
    const elapsed = Math.round((Date.now() - started) / 1000);
    if (result.state === 'ready') {
      console.log(`${prefix}: ${result.detail ?? `${what} is ready`} (after ${elapsed} s)`);
      return 0;
    }
    if (result.state === 'fatal') {
      console.error(`${prefix}: cannot read ${what}: ${result.why}.`);
      return 1;
    }
    // Printed even when the deadline has passed: the last reason is what the operator needs.
    console.log(`${prefix}: ${result.why} (${elapsed}/${options.timeoutSeconds} s)`);
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    await sleep(Math.min(options.intervalSeconds * 1000, remaining));
  }
  console.error(`${prefix}: ${options.timedOut()}`);
  return 1;
}

/**
 * The common answers before a body is read: no answer or a 5xx is worth asking again, 401/403
 * ends the wait (`forbidden` says what cannot be read), 404 is `missing`.
 * @param {Answer} answer
 * @param {{ missing: string, forbidden: string }} wording
 * @returns {Probe | { state: 'body', body: string }}
 */
export function classifyAnswer(answer, wording) {
  if ('error' in answer) return { state: 'waiting', why: `could not ask yet (${answer.error})` };
  if (answer.status === 404) return { state: 'waiting', why: wording.missing };
  if (answer.status === 401 || answer.status === 403) {
    return {
      state: 'fatal',
      why: `the API server answered HTTP ${answer.status}: these credentials may not read ${wording.forbidden}`,
    };
  }
  if (answer.status !== 200) {
    return { state: 'waiting', why: `could not ask yet (HTTP ${answer.status})` };
  }
  return { state: 'body', body: answer.body };
}
