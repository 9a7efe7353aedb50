import { fork, type ChildProcess } from 'node:child_process';
import { InvoicesService } from '../../apps/netzme-sandbox/src/invoices/invoices.service';
import { startSandbox, testCredentials } from '../../apps/netzme-sandbox/src/sandbox';

/** The sandbox under measurement: its own process, run as `npm start` runs it, reporting its memory on request. */

/**
 * The sandbox's retention limit during the bench (unless SANDBOX_RETENTION_MAX_SETTLED is set): small
 * enough that even a slow, shared machine (30 invoices/s) reaches it within the first minute, so the
 * end-versus-first-minute comparison checks that memory stays flat once the limit holds. At the
 * default limit (10000) the plateau is higher by about 4.5 KB per extra settled invoice.
 */
export const BENCH_RETENTION = 500;

export interface MemorySample {
  atSeconds: number;
  rssBytes: number;
  /** Heap used right after a full garbage collection: what the sandbox really holds. */
  heapUsedBytes: number;
  heapTotalBytes: number;
  externalBytes: number;
  invoices: number;
}

/** Child mode: run the sandbox as `npm start` does (state file, retention) and answer memory requests. */
export async function serve(): Promise<void> {
  const dataDir = process.argv[process.argv.indexOf('--serve') + 1];
  const retention = process.env.SANDBOX_RETENTION_MAX_SETTLED ?? String(BENCH_RETENTION);
  const sandbox = await startSandbox({
    port: 0,
    quiet: true,
    credentials: testCredentials(),
    dataDir,
    persist: true,
    retentionMaxSettled: retention ? Number(retention) : undefined,
  });
  const invoices = sandbox.app.get(InvoicesService);
  process.on('message', (message: { type?: string }) => {
    if (message.type === 'memory') {
      (globalThis as { gc?: () => void }).gc?.();
      const usage = process.memoryUsage();
      if (process.connected) {
        // A late request may cross the parent's disconnect: its answer is simply dropped.
        process.send?.(
          {
            type: 'memory',
            rssBytes: usage.rss,
            heapUsedBytes: usage.heapUsed,
            heapTotalBytes: usage.heapTotal,
            externalBytes: usage.external,
            invoices: invoices.all().length,
          },
          undefined,
          undefined,
          () => undefined,
        );
      }
    }
  });
  process.send?.({ type: 'ready', url: sandbox.url });
  process.on('disconnect', () => void sandbox.close().then(() => process.exit(0)));
}

/** Fork the benchmark `script` in `--serve` mode (with gc exposed, for heap figures after a full collection). */
export function startChild(script: string, dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = fork(script, ['--serve', dataDir], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [...process.execArgv, '--expose-gc'] });
    child.once('message', (message: { url: string }) => resolve({ child, url: message.url }));
    child.once('exit', (code) => reject(new Error(`sandbox exited early (${code})`)));
  });
}

/** Memory of the sandbox process, measured in that process. */
export function sampleMemory(child: ChildProcess, atSeconds: number): Promise<MemorySample> {
  return new Promise((resolve) => {
    const onMessage = (message: Omit<MemorySample, 'atSeconds'> & { type?: string }) => {
      if (message.type === 'memory') {
        child.off('message', onMessage);
        const { type: _type, ...sample } = message;
        resolve({ atSeconds, ...sample });
      }
    };
    child.on('message', onMessage);
    child.send({ type: 'memory' });
  });
}
