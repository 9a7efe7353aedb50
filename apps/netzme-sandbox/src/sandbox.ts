import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { SandboxRequest, SandboxResponse } from './common/http-types';
import { isNetzmePath } from './common/netzme-paths';
import { rawBodyMiddleware } from './common/raw-body.middleware';
import { RuntimeInfoService } from './common/runtime-info.service';
import { DEFAULT_CALLBACK_RETRY, DEFAULT_TOKEN_TTL_SECONDS, type ResolvedSandboxOptions, type SandboxOptions } from './config/sandbox-options';
import { loadOrGenerateCredentials, netzmeKeyFormat, type SandboxCredentials } from './credentials/credentials';
import { SandboxModule } from './sandbox.module';
import { PersistenceService } from './state/persistence.service';
import { DEFAULT_RETENTION_MAX_SETTLED } from './state/retention';
import { StatsService } from './state/stats.service';

export type { SandboxOptions, CallbackAuth, CallbackRetryPolicy } from './config/sandbox-options';
export type { SandboxCredentials } from './credentials/credentials';
export type { CallbackKind, FaultMode, FaultSpec } from './faults/faults.service';
export { CALLBACK_KINDS, FAULT_MODES } from './faults/faults.service';
export { testCredentials, generateCredentials, loadOrGenerateCredentials, netzmeKeyFormat } from './credentials/credentials';

export interface StartedSandbox {
  app: INestApplication;
  /** e.g. `http://127.0.0.1:3001` — Netzme's paths and `/sandbox/*` hang off it. */
  url: string;
  port: number;
  credentials: SandboxCredentials;
  close(): Promise<void>;
}

function resolveOptions(options: SandboxOptions): ResolvedSandboxOptions {
  const dataDir = options.dataDir ?? join(process.cwd(), '.data', 'sandbox');
  const retention = options.retentionMaxSettled ?? DEFAULT_RETENTION_MAX_SETTLED;
  if (!Number.isSafeInteger(retention) || retention < 1) {
    throw new Error(`retentionMaxSettled (SANDBOX_RETENTION_MAX_SETTLED) must be a whole number of at least 1, got ${retention}`);
  }
  return {
    credentials: options.credentials ?? loadOrGenerateCredentials(dataDir),
    callbackBaseUrl: options.callbackBaseUrl,
    callbackAuth: options.callbackAuth ?? 'token',
    quiet: options.quiet ?? false,
    tokenTtlSeconds: options.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS,
    callbackRetry: options.callbackRetry ?? DEFAULT_CALLBACK_RETRY,
    callbackTimeoutMs: options.callbackTimeoutMs ?? 10000,
    autoCompleteWithdrawalsMs: options.autoCompleteWithdrawalsMs,
    retentionMaxSettled: retention,
    stateFile: options.persist ? join(dataDir, 'state.json') : undefined,
    invoiceCallbackReference: options.invoiceCallbackReference ?? 'partnerReferenceNo',
  };
}

function banner(url: string, resolved: ResolvedSandboxOptions): string {
  const c = resolved.credentials;
  return [
    `Netzme sandbox listening on ${url}`,
    `  development credentials (simulator only; full set incl. the private key as PEM: GET ${url}/sandbox/credentials)`,
    `    NETZME_BASE_URL=${url}`,
    `    NETZME_CLIENT_ID=${c.clientId}`,
    `    NETZME_CLIENT_SECRET=${c.clientSecret}`,
    `    NETZME_CALLBACK_TOKEN=${c.callbackToken}`,
    `    NETZME_MERCHANT_ID=${c.merchantId}`,
    // The key as Netzme e-mails it (bare base64 PKCS#1); the gateway also takes the PEM from /sandbox/credentials.
    `    NETZME_PRIVATE_KEY=${netzmeKeyFormat(c.privateKey)}`,
    c.merchantPin ? `    merchant withdrawal PIN: ${c.merchantPin}` : '',
    c.consumer ? `    Netzme app user (consumer side): ${c.consumer.custId}` : '',
    `  callbacks: ${resolved.callbackBaseUrl ? `${resolved.callbackBaseUrl}/<kind>` : 'not sent (no callback base URL)'}, auth ${resolved.callbackAuth}`,
    `  control: POST /sandbox/invoices/:ref/pay | /expire, POST /sandbox/withdrawals/:ref/complete, /sandbox/faults, GET /sandbox/state`,
  ]
    .filter(Boolean)
    .join('\n');
}

/**
 * Start the Netzme simulator on its own HTTP server. Tests: `startSandbox({ port: 0, quiet: true,
 * credentials: testCredentials(), callbackBaseUrl })`, then `close()`.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<StartedSandbox> {
  const resolved = resolveOptions(options);
  const app = await NestFactory.create<NestExpressApplication>(SandboxModule.register(resolved), {
    // Our own raw-body middleware keeps the exact bytes Netzme's HMAC is computed over.
    bodyParser: false,
    logger: resolved.quiet ? false : ['error', 'warn'],
    forceCloseConnections: true,
    abortOnError: false,
  });
  app.disable('x-powered-by');
  app.set('etag', false); // Netzme answers are never cached; skip hashing every body
  const stats = app.get(StatsService);
  const persistence = app.get(PersistenceService);
  const loaded = await persistence.load();
  if (persistence.file) {
    // Every request that may change something schedules a save (debounced); reads do not.
    app.use((req: SandboxRequest, res: SandboxResponse, next: () => void) => {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.once('close', () => persistence.markChanged());
      }
      next();
    });
  }
  app.use((req: SandboxRequest, res: SandboxResponse, next: () => void) => {
    if (isNetzmePath(req.path)) {
      stats.countRequest(req.path);
      if (!resolved.quiet) {
        // One line per Netzme call so a person can follow the flow (path and status only, no secrets).
        const started = Date.now();
        res.once('close', () => {
          const outcome = res.writableFinished ? String(res.statusCode) : 'no answer (connection closed)';
          process.stdout.write(`[netzme-sandbox] ${req.method} ${req.path} -> ${outcome} (${Date.now() - started} ms)\n`);
        });
      }
    }
    next();
  });
  app.use(rawBodyMiddleware);
  const host = options.host ?? '127.0.0.1';
  await app.listen(options.port ?? 0, host);
  const port = (app.getHttpServer().address() as AddressInfo).port;
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  app.get(RuntimeInfoService).baseUrl = url;
  if (!resolved.quiet) {
    process.stdout.write(`${banner(url, resolved)}\n`);
    if (persistence.file) {
      process.stdout.write(
        `  state: ${loaded === 'loaded' ? 'loaded from' : 'kept in'} ${persistence.file} (retention: ${resolved.retentionMaxSettled} settled records per kind)\n`,
      );
    }
  }
  return {
    app,
    url,
    port,
    credentials: resolved.credentials,
    close: () => app.close(),
  };
}
