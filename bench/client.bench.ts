/**
 * NetzmeClient benchmark (`npm run bench:client`): runs against a local HTTP stand-in for Netzme
 * (libs/netzme-client/test/fake-netzme.ts) and prints
 *   1. token requests caused by 1,000 concurrent calls with an expired token — locally expired
 *      (expiresAt passed) and rejected by the server (401xx01) — which must be exactly 1 each;
 *   2. signing throughput (HMAC-SHA512 transactional signatures/s, RSA token signatures/s);
 *   3. the client's own overhead per call: client call latency minus a bare keep-alive HTTP
 *      round trip of the same request to the same server;
 *   4. the two transports side by side (undici, the default, and @nestjs/axios' HttpService): the
 *      client's CPU per call (process CPU time / calls, with the stand-in in a child process so only
 *      the client's work is counted), median latency one call at a time, and calls/s with 64 in
 *      flight. Rounds alternate the transports so that machine noise hits both alike.
 * Exits non-zero when a token count is not 1. Results also go to bench/results/client.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { request as httpRequest, Agent } from 'node:http';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { signAccessTokenRequest, signSymmetric, jakartaTimestamp } from '@app/snap';
import { InMemoryTokenStore, undiciSender } from '@app/netzme-client';
import { FakeNetzme } from '../libs/netzme-client/test/fake-netzme';
import { CLIENT_ID, newClient, percentile, privateKey, publicKey, SECRET } from './client/fixture';
import { fakeNetzmeChild, transports } from './client/transports';

async function tokenStorm(): Promise<{
  locallyExpired: number;
  rejectedByServer: number;
  calls: number;
  wallMs: { locallyExpired: number; rejectedByServer: number };
}> {
  const calls = 1000;
  // The token endpoint answers after 50 ms so that all 1,000 calls really overlap the refresh.
  const fake = await new FakeNetzme({ clientId: CLIENT_ID, clientSecret: SECRET, publicKey, tokenDelayMs: 50 }).start();
  try {
    // (a) The cached token's expiresAt has passed.
    const store = new InMemoryTokenStore();
    await store.set(CLIENT_ID, { accessToken: 'expired-token', expiresAt: Date.now() - 1_000 });
    const a = newClient(fake.url, store);
    let t0 = performance.now();
    const ra = await Promise.all(Array.from({ length: calls }, () => a.getBalanceDetail()));
    const wallA = performance.now() - t0;
    const locallyExpired = fake.tokenRequests;
    if (ra.length !== calls || ra.some((r) => r.responseCode !== '2001100')) {
      throw new Error('not every call succeeded (locally expired)');
    }

    // (b) The client believes its token is valid, Netzme has expired it: 1,000 x 401xx01.
    fake.expireToken();
    const before = fake.tokenRequests;
    t0 = performance.now();
    const rb = await Promise.all(Array.from({ length: calls }, () => a.getBalanceDetail()));
    const wallB = performance.now() - t0;
    const rejectedByServer = fake.tokenRequests - before;
    if (rb.length !== calls || rb.some((r) => r.responseCode !== '2001100')) {
      throw new Error('not every call succeeded (rejected by server)');
    }
    return { locallyExpired, rejectedByServer, calls, wallMs: { locallyExpired: Math.round(wallA), rejectedByServer: Math.round(wallB) } };
  } finally {
    await fake.close();
  }
}

function signingThroughput(): { hmacPerSec: number; rsaTokenPerSec: number } {
  const body = JSON.stringify({
    custIdMerchant: 'M_TB1NMLig',
    partnerReferenceNo: 'ORDER-20231115-0001',
    amount: { value: '10000.00', currency: 'IDR' },
    amountDetail: { basicAmount: { value: '10000.00', currency: 'IDR' }, shippingAmount: { value: '0.00', currency: 'IDR' } },
    payMethod: 'QRIS',
    expireInSecond: '3600',
  });
  const token = 'eyJhbGciOiJIUzUxMiIsInR5cCI6IkpXVCJ9.eyJleHAiOjE3MDAwNTQwMDAsImlhdCI6MTcwMDAwMDAwMCwiaXNzIjoiVG9rb05ldG1lQ2xpZW50SWQifQ.c2ln';
  const timestamp = jakartaTimestamp();
  const run = (fn: () => void, ms: number): number => {
    for (let i = 0; i < 200; i++) fn(); // warm-up
    let n = 0;
    const start = performance.now();
    while (performance.now() - start < ms) {
      for (let i = 0; i < 50; i++) fn();
      n += 50;
    }
    return Math.round((n * 1000) / (performance.now() - start));
  };
  // The transactional signature as the client computes it: minify + SHA-256 of the body, then HMAC-SHA512.
  const hmacPerSec = run(
    () => signSymmetric(SECRET, { method: 'POST', path: '/api/v1.0/invoice/create-transaction', accessToken: token, body, timestamp }),
    1500,
  );
  const rsaTokenPerSec = run(() => signAccessTokenRequest(privateKey, CLIENT_ID, timestamp), 1500);
  return { hmacPerSec, rsaTokenPerSec };
}

async function overhead(): Promise<{
  calls: number;
  rawMedianUs: number;
  senderMedianUs: number;
  clientMedianUs: number;
  overheadMedianUs: number;
  ownLogicMedianUs: number;
  rawMeanUs: number;
  clientMeanUs: number;
  overheadMeanUs: number;
}> {
  // The server skips HMAC verification here so that only the client's work is measured.
  const fake = await new FakeNetzme({ clientId: CLIENT_ID, clientSecret: SECRET, publicKey, verifySignatures: false }).start();
  try {
    const client = newClient(fake.url);
    await client.getBalanceDetail(); // token + connection warm-up
    const token = fake.liveToken!;
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const url = new URL('/api/v1.0/payment/balance-inquiry', fake.url);
    const body = '{"partnerReferenceNo":"2023111512345678901234","accountNo":"M_BENCH001"}';
    const headers = {
      'Content-Type': 'application/json',
      'Content-Length': String(Buffer.byteLength(body)),
      Authorization: `Bearer ${token}`,
      'X-TIMESTAMP': jakartaTimestamp(),
      'X-SIGNATURE': 'x',
      'X-PARTNER-ID': CLIENT_ID,
      'X-EXTERNAL-ID': '1',
      'CHANNEL-ID': '95221',
    };
    // Bare round trip: precomputed request, node:http, keep-alive, body read and parsed.
    const raw = (): Promise<void> =>
      new Promise((resolve, reject) => {
        const req = httpRequest(url, { method: 'POST', agent, headers }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => {
            JSON.parse(text);
            resolve();
          });
        });
        req.on('error', reject);
        req.end(body);
      });
    const calls = 3000;
    const measure = async (fn: () => Promise<unknown>): Promise<number[]> => {
      for (let i = 0; i < 300; i++) await fn(); // warm-up
      const out: number[] = [];
      for (let i = 0; i < calls; i++) {
        const t0 = performance.now();
        await fn();
        out.push((performance.now() - t0) * 1000);
      }
      return out.sort((x, y) => x - y);
    };
    // The same precomputed request through the client's HTTP layer (undici), to split the overhead.
    const send = undiciSender();
    const viaSender = () =>
      send({ method: 'POST', url: url.href, headers, body, signal: new AbortController().signal }).then((r) => JSON.parse(r.text) as unknown);
    // Interleave the series in blocks so machine noise hits all alike.
    const rawTimes: number[] = [];
    const senderTimes: number[] = [];
    const clientTimes: number[] = [];
    for (let block = 0; block < 3; block++) {
      rawTimes.push(...(await measure(raw)));
      senderTimes.push(...(await measure(viaSender)));
      clientTimes.push(...(await measure(() => client.getBalanceDetail())));
    }
    for (const xs of [rawTimes, senderTimes, clientTimes]) {
      xs.sort((x, y) => x - y);
    }
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    agent.destroy();
    const rawMedianUs = Math.round(percentile(rawTimes, 50));
    const senderMedianUs = Math.round(percentile(senderTimes, 50));
    const clientMedianUs = Math.round(percentile(clientTimes, 50));
    return {
      calls: clientTimes.length,
      rawMedianUs,
      senderMedianUs,
      clientMedianUs,
      overheadMedianUs: clientMedianUs - rawMedianUs,
      ownLogicMedianUs: clientMedianUs - senderMedianUs,
      rawMeanUs: Math.round(mean(rawTimes)),
      clientMeanUs: Math.round(mean(clientTimes)),
      overheadMeanUs: Math.round(mean(clientTimes) - mean(rawTimes)),
    };
  } finally {
    await fake.close();
  }
}

async function main(): Promise<void> {
  const storm = await tokenStorm();
  console.log(`token requests for ${storm.calls} concurrent calls, locally expired token : ${storm.locallyExpired} (${storm.wallMs.locallyExpired} ms)`);
  console.log(`token requests for ${storm.calls} concurrent calls, token rejected (401xx01): ${storm.rejectedByServer} (${storm.wallMs.rejectedByServer} ms)`);
  const signing = signingThroughput();
  console.log(
    `signing throughput: ${signing.hmacPerSec.toLocaleString('en')} HMAC-SHA512 transactional signatures/s, ${signing.rsaTokenPerSec.toLocaleString('en')} RSA-2048 token signatures/s (1 core)`,
  );
  const cost = await overhead();
  console.log(
    `per-call latency over ${cost.calls} sequential calls: bare node:http median ${cost.rawMedianUs} us, same request via the HTTP layer (undici) ${cost.senderMedianUs} us, client ${cost.clientMedianUs} us`,
  );
  console.log(
    `client overhead per call: ${cost.overheadMedianUs} us vs bare HTTP (median; mean ${cost.overheadMeanUs} us), of which ${cost.ownLogicMedianUs} us is the client's own work (token lookup, body building, signing, parsing, logging) on top of the HTTP layer`,
  );
  const byTransport = await transports(__filename);
  console.log('transports, client side only (stand-in in a child process), balance inquiry:');
  for (const [name, f] of Object.entries(byTransport)) {
    console.log(
      `  ${name.padEnd(12)} CPU ${f.cpuUsPerCallSequential} us/call one at a time, ${f.cpuUsPerCallConcurrent} us/call with 64 in flight; median latency ${f.medianLatencyUs} us; ${f.callsPerSec.toLocaleString('en')} calls/s with 64 in flight`,
    );
  }
  const results = { date: new Date().toISOString(), node: process.version, tokenStorm: storm, signing, overhead: cost, transports: byTransport };
  try {
    const dir = join(process.cwd(), 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'client.json'), JSON.stringify(results, null, 2));
  } catch {
    // results file is a convenience only
  }
  if (storm.locallyExpired !== 1 || storm.rejectedByServer !== 1) {
    console.error('FAIL: expected exactly one token request per storm');
    process.exit(1);
  }
}

if (process.argv[2] === '--fake-netzme') {
  void fakeNetzmeChild();
} else {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
