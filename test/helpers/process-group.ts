import type { ChildProcess } from 'node:child_process';

/**
 * Child processes that run in their own process group (spawned with `detached: true`) and must
 * not outlive this process: the emulator and running Terraform commands. The group is killed
 * whole, so Terraform's provider plugins and moto's worker threads go with their parent.
 */
const live = new Set<ChildProcess>();
let hooked = false;

function killGroup(child: ChildProcess, signal: NodeJS.Signals, evenAfterExit = false): void {
  const exited = child.exitCode !== null || child.signalCode !== null;
  if (child.pid === undefined || (exited && !evenAfterExit)) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

function killAll(): void {
  for (const child of live) killGroup(child, 'SIGKILL');
  live.clear();
}

function hookProcessExit(): void {
  if (hooked) return;
  hooked = true;
  // 'exit' runs on normal ends and on uncaught errors; the signals are re-raised after cleanup so
  // the process still ends the way the sender meant.
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAll();
      process.kill(process.pid, signal);
    });
  }
}

/** Registers a detached child so it is killed when this process exits, even on a crash. */
export function killOnExit(child: ChildProcess): void {
  hookProcessExit();
  live.add(child);
  child.once('exit', () => live.delete(child));
}

/**
 * Sends `signal` to the child's process group, then SIGKILL when it has not exited after
 * `graceMs`; resolves once it has exited.
 */
export async function stopGroup(
  child: ChildProcess,
  signal: NodeJS.Signals = 'SIGTERM',
  graceMs = 10_000,
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    killGroup(child, 'SIGKILL', true);
    return;
  }
  // An unref'd child (the emulator) does not keep the event loop alive: without this, a child
  // slower than `graceMs` to exit lets the loop drain while its exit is awaited, and node:test
  // cancels the file ("Promise resolution is still pending but the event loop has already resolved").
  child.ref();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  killGroup(child, signal);
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
    // A group member that outlived its leader (a provider plugin) must not stay behind.
    killGroup(child, 'SIGKILL', true);
  }
}
