import { startSandbox } from './sandbox';

/**
 * `npm run start:sandbox`: the simulator alone, configured from the environment.
 * SANDBOX_PORT (3001), SANDBOX_HOST (127.0.0.1), SANDBOX_CALLBACK_BASE_URL
 * (http://127.0.0.1:${PORT||3000}/callbacks/netzme), SANDBOX_DATA_DIR (.data/sandbox),
 * SANDBOX_CALLBACK_AUTH (token|snap), SANDBOX_AUTO_COMPLETE_WITHDRAWALS_MS (3000; 0 = never),
 * SANDBOX_INVOICE_CALLBACK_REFERENCE (partnerReferenceNo|trxId: what the invoice payment callback
 * carries in originalPartnerReferenceNo; default partnerReferenceNo, as Netzme's own plugin expects).
 */
async function main(): Promise<void> {
  const env = process.env;
  const autoComplete = Number(env.SANDBOX_AUTO_COMPLETE_WITHDRAWALS_MS ?? 3000);
  const sandbox = await startSandbox({
    port: Number(env.SANDBOX_PORT ?? 3001),
    host: env.SANDBOX_HOST ?? '127.0.0.1',
    dataDir: env.SANDBOX_DATA_DIR ?? '.data/sandbox',
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
