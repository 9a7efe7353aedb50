import { fork, type ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NetzmeCredentials } from '../../test/support/netzme-env';

/**
 * The processes a benchmark forks of itself (`fork(script, ['--<role>', ...])`), so that the load
 * generator shares no event loop with what it measures. Each role reports its address over IPC
 * once it listens and stops when the parent disconnects.
 */

/** What a sandbox child reports. */
export interface SandboxInfo {
  url: string;
  credentials: NetzmeCredentials;
}

/** Role: the Netzme sandbox on a random port with the fixed test-only credentials. */
export async function serveSandbox(): Promise<void> {
  const { startSandbox, testCredentials } = await import('../../apps/netzme-sandbox/src/sandbox');
  const sandbox = await startSandbox({ port: 0, quiet: true, credentials: testCredentials() });
  process.send?.({ url: sandbox.url, credentials: sandbox.credentials });
  process.on('disconnect', () => void sandbox.close().then(() => process.exit(0)));
}

/** Role: the gateway with these settings, on a random port; reports `{ url }`. */
export async function serveGateway(env: Record<string, string>): Promise<void> {
  const { createGatewayApp } = await import('../../apps/gateway/src/app.factory');
  const app = await createGatewayApp({ env, logs: false });
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  process.send?.({ url: `http://127.0.0.1:${port}` });
  process.on('disconnect', () => void app.close().then(() => process.exit(0)));
}

/** Node flags writing a V8 CPU profile of the process to BENCH_PROFILE_DIR, when BENCH_PROFILE names its role. */
export function profileFlags(role: string): string[] {
  return process.env.BENCH_PROFILE === role ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR ?? join(tmpdir(), 'bench-profiles')}`] : [];
}

/** Fork `script` with `args` and wait for the child's first message (its address); rejects if it exits first. */
export function startRole<T>(script: string, role: string, args: string[], execArgv: string[] = []): Promise<{ child: ChildProcess; info: T }> {
  return new Promise((resolve, reject) => {
    const child = fork(script, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv });
    child.once('message', (info: T) => resolve({ child, info }));
    child.once('exit', (code) => reject(new Error(`${role} exited early (${code})`)));
  });
}
