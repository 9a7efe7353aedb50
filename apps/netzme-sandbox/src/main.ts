import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startSandbox } from './sandbox';

/**
 * `npm run start:sandbox`: the simulator alone, configured from the environment.
 * SANDBOX_PORT (3001), SANDBOX_HOST (127.0.0.1), SANDBOX_CALLBACK_BASE_URL
 * (http://127.0.0.1:${PORT||3000}/callbacks/netzme), SANDBOX_DATA_DIR (.data/sandbox),
 * SANDBOX_CALLBACK_AUTH (token|snap), SANDBOX_AUTO_COMPLETE_WITHDRAWALS_MS (3000; 0 = never),
 * SANDBOX_PERSIST (1: state kept in SANDBOX_DATA_DIR/state.json; 0 = memory only),
 * SANDBOX_RETENTION_MAX_SETTLED (10000 settled records kept per kind),
 * SANDBOX_INVOICE_CALLBACK_REFERENCE (partnerReferenceNo|trxId: what the invoice payment callback
 * carries in originalPartnerReferenceNo; default partnerReferenceNo, as Netzme's own plugin expects). Reads `.env` if present.
 */
async function main(): Promise<void> {
  if (existsSync('.env')) {
    process.loadEnvFile('.env'); // what is already set in the environment wins
  }
  const env = process.env;
  const autoComplete = Number(env.SANDBOX_AUTO_COMPLETE_WITHDRAWALS_MS ?? 3000);
  const retention = env.SANDBOX_RETENTION_MAX_SETTLED;
  if (retention !== undefined && !/^[1-9]\d*$/.test(retention)) {
    throw new Error(`SANDBOX_RETENTION_MAX_SETTLED must be a whole number of at least 1 (settled records kept per kind), got "${retention}"`);
  }
  const sandbox = await startSandbox({
    port: Number(env.SANDBOX_PORT ?? 3001),
    host: env.SANDBOX_HOST ?? '127.0.0.1',
    // Same default as the gateway's SANDBOX_DATA_DIR (npm start passes $DATA_DIR/sandbox to both).
    dataDir: env.SANDBOX_DATA_DIR ?? join('.data', 'sandbox'),
    persist: env.SANDBOX_PERSIST !== '0' && env.SANDBOX_PERSIST !== 'false',
    retentionMaxSettled: retention === undefined ? undefined : Number(retention),
    callbackBaseUrl: env.SANDBOX_CALLBACK_BASE_URL ?? `http://127.0.0.1:${env.PORT || 3000}/callbacks/netzme`,
    callbackAuth: env.SANDBOX_CALLBACK_AUTH === 'snap' ? 'snap' : 'token',
    invoiceCallbackReference: env.SANDBOX_INVOICE_CALLBACK_REFERENCE === 'trxId' ? 'trxId' : 'partnerReferenceNo',
    // Demos: withdrawals finish by themselves a few seconds after they are accepted.
    autoCompleteWithdrawalsMs: autoComplete > 0 ? autoComplete : undefined,
  });
  const stop = () => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`netzme sandbox failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
