import type { ChildProcess } from 'node:child_process';
import { newExternalId } from '@app/snap';
import type { SandboxCredentials } from '../../apps/netzme-sandbox/src/sandbox';
import { BENCH_RETENTION, sampleMemory, type MemorySample } from './process';
import { autocannon, figures, printFigures, signedHeaders, type AutocannonRequest } from './requests';

/** Memory at the end of the soak may be at most this much above the memory after its first minute. */
export const MEMORY_TOLERANCE = 0.2;
export const SAMPLE_EVERY_MS = 10_000;

/** "600", "600s", "10m", "1h" -> seconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(s|m|h)?$/.exec(text.trim());
  if (!m) {
    throw new Error(`not a duration: ${text} (e.g. 600, 90s, 10m)`);
  }
  return Math.round(Number(m[1]) * { s: 1, m: 60, h: 3600 }[(m[2] ?? 's') as 's' | 'm' | 'h']);
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/**
 * The soak: several minutes of mixed load that keeps creating state (invoices, QRIS payments,
 * callbacks, status counters), with the sandbox's memory sampled every 10 s.
 */
export async function soak(
  url: string,
  child: ChildProcess,
  credentials: SandboxCredentials,
  token: string,
  seconds: number,
  firstTrxId: string,
  createRate: number,
) {
  const createPath = '/api/v1.0/invoice/create-transaction';
  const statusPath = '/api-invoice/v1.0/transaction-history-detail';
  const balancePath = '/api/v1.0/payment/balance-inquiry';
  const runId = Date.now().toString(36).toUpperCase();
  /** The last invoices created: queried as a gateway's poller would (all still held under the retention limit). */
  const recent: string[] = [];
  const RECENT = 100;
  const toPay: string[] = [];
  let created = 0;
  const sign = (path: string, body: string) => signedHeaders(credentials, token, path, body, newExternalId());
  const signed =
    (path: string, makeBody: () => string) =>
    (request: AutocannonRequest): AutocannonRequest => {
      const body = makeBody();
      return { ...request, body, headers: sign(path, body) };
    };

  const started = Date.now();
  const samples: MemorySample[] = [];
  const sampler = setInterval(() => {
    void sampleMemory(child, Math.round((Date.now() - started) / 1000)).then((sample) => {
      samples.push(sample);
      if (sample.atSeconds % 60 < SAMPLE_EVERY_MS / 1000) {
        process.stdout.write(
          `  soak ${String(sample.atSeconds).padStart(4)} s: RSS ${mb(sample.rssBytes)}, heap used ${mb(sample.heapUsedBytes)}, invoices held ${sample.invoices}, created ${created}\n`,
        );
      }
    });
  }, SAMPLE_EVERY_MS);

  // Half of the invoices are paid (the rest expire after 30 s): both end as settled records.
  let stopPaying = false;
  const pay = { paid: 0, refused: 0 };
  const payer = async () => {
    while (!stopPaying) {
      const trxId = toPay.shift();
      if (!trxId) {
        await new Promise((r) => setTimeout(r, 20));
        continue;
      }
      const res = await fetch(`${url}/sandbox/invoices/${trxId}/pay`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      await res.arrayBuffer();
      if (res.status === 200) {
        pay.paid++;
      } else {
        pay.refused++; // expired before its turn came
      }
    }
  };
  const payers = [payer(), payer()];

  const [creating, querying, balances] = await Promise.all([
    autocannon({
      url,
      connections: 8,
      duration: seconds,
      overallRate: createRate,
      requests: [
        {
          method: 'POST',
          path: createPath,
          setupRequest: signed(createPath, () =>
            JSON.stringify({
              custIdMerchant: credentials.merchantId,
              partnerReferenceNo: `SOAK-${runId}-${created + recent.length}-${Math.random().toString(36).slice(2, 8)}`,
              amount: { value: '15000.00', currency: 'IDR' },
              payMethod: 'QRIS',
              expireInSecond: '10',
            }),
          ),
          onResponse: (status, body) => {
            if (status !== 200) {
              return;
            }
            const trxId = (JSON.parse(body) as { additionalInfo: { trxId: string } }).additionalInfo.trxId;
            recent[created % RECENT] = trxId;
            if (created % 2 === 0 && toPay.length < 1000) {
              toPay.push(trxId);
            }
            created++;
          },
        },
      ],
    }),
    autocannon({
      url,
      connections: 8,
      duration: seconds,
      overallRate: createRate * 4,
      requests: [
        {
          method: 'POST',
          path: statusPath,
          setupRequest: signed(statusPath, () =>
            JSON.stringify({
              originalPartnerReferenceNo: recent[Math.floor(Math.random() * recent.length)] ?? firstTrxId,
              additionalInfo: { partnerReferenceNo: `SOAK-Q-${runId}` },
            }),
          ),
        },
      ],
    }),
    autocannon({
      url,
      connections: 4,
      duration: seconds,
      overallRate: createRate * 2,
      requests: [
        {
          method: 'POST',
          path: balancePath,
          setupRequest: signed(balancePath, () => JSON.stringify({ partnerReferenceNo: `SOAK-B-${runId}`, accountNo: credentials.merchantId })),
        },
      ],
    }),
  ]);
  stopPaying = true;
  await Promise.all(payers);
  clearInterval(sampler);
  const last = await sampleMemory(child, Math.round((Date.now() - started) / 1000));
  samples.push(last);

  // RSS swings by ±10 % from one sample to the next (allocator, GC, bursts of QR drawing): compare
  // the median of the minute after the first one with the median of the last minute, not two samples.
  const startAt = Math.min(60, seconds / 3);
  const window = Math.min(60, seconds / 3);
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const figure = (from: number, to: number): MemorySample => {
    const inWindow = samples.filter((s) => s.atSeconds >= from && s.atSeconds <= to);
    const use = inWindow.length > 0 ? inWindow : [last];
    return {
      atSeconds: to,
      rssBytes: median(use.map((s) => s.rssBytes)),
      heapUsedBytes: median(use.map((s) => s.heapUsedBytes)),
      heapTotalBytes: median(use.map((s) => s.heapTotalBytes)),
      externalBytes: median(use.map((s) => s.externalBytes)),
      invoices: median(use.map((s) => s.invoices)),
    };
  };
  const first = figure(startAt, startAt + window);
  const end = figure(last.atSeconds - window, last.atSeconds);
  const growth = { rss: end.rssBytes / first.rssBytes - 1, heapUsed: end.heapUsedBytes / first.heapUsedBytes - 1 };
  const results = [
    figures('soak: Create Invoice Trx (T12)', creating),
    figures('soak: Get Invoice Trx (T14)', querying),
    figures('soak: Get Balance Detail (T5)', balances),
  ];
  results.forEach(printFigures);
  process.stdout.write(`  payments: ${pay.paid} paid, ${pay.refused} refused (expired first)\n`);
  process.stdout.write(
    `  memory ${startAt}-${startAt + window} s (median): RSS ${mb(first.rssBytes)}, heap used ${mb(first.heapUsedBytes)} (${first.invoices} invoices held)\n` +
      `  memory ${last.atSeconds - window}-${last.atSeconds} s (median): RSS ${mb(end.rssBytes)}, heap used ${mb(end.heapUsedBytes)} (${end.invoices} invoices held)\n` +
      `  last sample (${last.atSeconds} s): RSS ${mb(last.rssBytes)}, heap used ${mb(last.heapUsedBytes)}, heap total ${mb(last.heapTotalBytes)}, external ${mb(last.externalBytes)}\n` +
      `  growth: RSS ${(growth.rss * 100).toFixed(1)} %, heap used ${(growth.heapUsed * 100).toFixed(1)} % (allowed: ${MEMORY_TOLERANCE * 100} %)\n`,
  );
  // "created" counts only answered creations; unanswered ones show up as errors in the figures.
  return {
    seconds,
    retentionMaxSettled: Number(process.env.SANDBOX_RETENTION_MAX_SETTLED ?? BENCH_RETENTION),
    results,
    payments: pay,
    invoicesCreated: created,
    createRate,
    memory: { first, end, last, growth, samples },
    withinTolerance: growth.rss <= MEMORY_TOLERANCE && growth.heapUsed <= MEMORY_TOLERANCE,
  };
}
