import type { RawEnv } from '../../apps/gateway/src/config/env-validation';
import { startSandbox, StartedSandbox, testCredentials } from '../../apps/netzme-sandbox/src/sandbox';
import type { SandboxOptions } from '../../apps/netzme-sandbox/src/sandbox';
import { netzmeEnv } from './netzme-env';

/**
 * The Netzme sandbox for a suite, started in-process on a random port with the fixed test-only
 * credentials. Callbacks go to `callbackBaseUrl` (usually `${gateway.url}/callbacks/netzme`), which
 * can be set after the gateway is up with `PUT /sandbox/callbacks`.
 */
export async function startTestSandbox(options: SandboxOptions = {}): Promise<StartedSandbox> {
  return startSandbox({
    port: 0,
    quiet: true,
    credentials: testCredentials(),
    callbackRetry: { attempts: 3, backoffMs: 100 },
    callbackTimeoutMs: 3000,
    ...options,
  });
}

/** Gateway settings that point at a running sandbox (pass as `netzme` to startTestGateway). */
export function sandboxEnv(sandbox: StartedSandbox): RawEnv {
  return { ...netzmeEnv(sandbox.url, sandbox.credentials), NETZME_TIMEOUT_MS: '3000' };
}

/** Point the sandbox's callbacks at a gateway. */
export async function routeCallbacksTo(sandbox: StartedSandbox, gatewayUrl: string, auth: 'token' | 'snap' = 'token'): Promise<void> {
  const res = await fetch(`${sandbox.url}/sandbox/callbacks`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ baseUrl: `${gatewayUrl}/callbacks/netzme`, auth }),
  });
  if (!res.ok) {
    throw new Error(`PUT /sandbox/callbacks failed: ${res.status} ${await res.text()}`);
  }
}

/** Everything the sandbox holds (GET /sandbox/state). */
export async function sandboxState(sandbox: StartedSandbox): Promise<Record<string, unknown>> {
  const res = await fetch(`${sandbox.url}/sandbox/state`);
  return (await res.json()) as Record<string, unknown>;
}
