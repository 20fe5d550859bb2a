import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { killOnExit, stopGroup } from './process-group';
import { scratchDir } from './scratch';

/** A running AWS emulator (moto) on a loopback port of its own. */
export interface Emulator {
  /** Base URL for every AWS service, e.g. http://127.0.0.1:40123 */
  readonly endpoint: string;
  readonly port: number;
  /** The emulator's log (one file per emulator; kept after the run with `KEEP=1`). */
  readonly logFile: string;
  /** Stops the emulator's process group and waits until it has exited; safe to call twice. */
  stop(): Promise<void>;
}

export interface StartEmulatorOptions {
  /**
   * How long to wait for the emulator to answer.
   * @default 60000
   */
  readonly readyTimeoutMs?: number;
  /**
   * Python interpreter with `moto[server]`.
   * @default python3
   */
  readonly python?: string;
}

const ROOT = path.resolve(__dirname, '..', '..');
/** Starts moto with the project's fix for its EKS remote-access default. */
const MOTO_WRAPPER = path.join(ROOT, 'scripts', 'moto_server.py');
const DEFAULT_READY_TIMEOUT_MS = 60_000;
const START_ATTEMPTS = 3;

/** The emulator process ended before it answered (e.g. another process took the port). */
class EmulatorExitedError extends Error {}

/** A loopback port that was free a moment ago (the OS picks it when binding port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port found'))));
    });
  });
}

function logTail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

async function answers(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(2_000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

async function startOnce(options: StartEmulatorOptions, logDir: string): Promise<Emulator> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const logFile = path.join(logDir, `moto-${port}.log`);
  const log = openSync(logFile, 'a');
  const child = spawn(
    options.python ?? 'python3',
    [MOTO_WRAPPER, '-H', '127.0.0.1', '-p', String(port)],
    { cwd: ROOT, detached: true, stdio: ['ignore', log, log] },
  );
  closeSync(log);
  killOnExit(child);
  // Not referenced: a test that forgets stop() must not hang; the exit hook kills it instead.
  child.unref();
  let spawnError: Error | undefined;
  child.once('error', (error) => (spawnError = error));

  const stop = () => stopGroup(child, 'SIGTERM', 5_000);
  const deadline = Date.now() + (options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS);
  while (Date.now() < deadline) {
    if (spawnError) throw new Error(`The emulator could not be started: ${spawnError.message}`);
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new EmulatorExitedError(
        `The emulator exited (${child.exitCode ?? child.signalCode}) before answering on ${endpoint}. Log ${logFile}:\n${logTail(logFile)}`,
      );
    }
    if (await answers(endpoint)) return { endpoint, port, logFile, stop };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new Error(
    `The emulator did not answer on ${endpoint} within ${options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS} ms. Log ${logFile}:\n${logTail(logFile)}`,
  );
}

/**
 * Starts the AWS emulator on a free loopback port and waits until it answers. Another process
 * may take the port between the choice and the bind; then it retries on a new port.
 */
export async function startEmulator(options: StartEmulatorOptions = {}): Promise<Emulator> {
  const logDir = scratchDir('emulator');
  let lastError: Error | undefined;
  for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
    try {
      return await startOnce(options, logDir);
    } catch (error) {
      if (!(error instanceof EmulatorExitedError)) throw error;
      lastError = error;
    }
  }
  throw lastError ?? new Error('The emulator could not be started.');
}
