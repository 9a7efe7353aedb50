import { fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { HttpService } from '@nestjs/axios';
import axios from 'axios';
import { axiosSender, InMemoryTokenStore, undiciSender, type HttpSender, type NetzmeClient } from '@app/netzme-client';
import { FakeNetzme } from '../../libs/netzme-client/test/fake-netzme';
import { CLIENT_ID, newClient, percentile, publicKey, SECRET } from './fixture';

/** The two transports side by side: the client's CPU per call, latency and calls/s, against a stand-in in another process. */

export interface TransportFigures {
  /** Client process CPU (user + system) per call, one call at a time. */
  cpuUsPerCallSequential: number;
  /** Client process CPU per call with 64 calls in flight. */
  cpuUsPerCallConcurrent: number;
  medianLatencyUs: number;
  callsPerSec: number;
}

/** The stand-in for Netzme in its own process, so the parent's CPU time is the client's alone. */
async function forkedFake(script: string): Promise<{ url: string; stop: () => void }> {
  const child = fork(script, ['--fake-netzme'], { env: { ...process.env, BENCH_PUBLIC_KEY: publicKey }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (m) => resolve(String(m)));
    child.once('exit', (code) => reject(new Error(`fake Netzme exited (${code})`)));
  });
  return { url, stop: () => child.kill() };
}

export async function fakeNetzmeChild(): Promise<void> {
  const fake = await new FakeNetzme({ clientId: CLIENT_ID, clientSecret: SECRET, publicKey: process.env.BENCH_PUBLIC_KEY!, verifySignatures: false }).start();
  // The stand-in records every request; a benchmark run would otherwise grow it without bound.
  setInterval(() => fake.requests.splice(0), 500).unref();
  process.send!(fake.url);
}

export async function transports(script: string): Promise<Record<'undici' | 'nestjs-axios', TransportFigures>> {
  const fake = await forkedFake(script);
  try {
    const senders: Record<'undici' | 'nestjs-axios', HttpSender> = {
      undici: undiciSender(),
      // As NetzmeClientModule builds it from HttpModule's HttpService (an axios instance, Node's
      // keep-alive global agent).
      'nestjs-axios': axiosSender(new HttpService(axios.create())),
    };
    const clients = Object.fromEntries(Object.entries(senders).map(([name, http]) => [name, newClient(fake.url, new InMemoryTokenStore(), http)])) as Record<
      keyof typeof senders,
      NetzmeClient
    >;
    const names = Object.keys(clients) as Array<keyof typeof senders>;
    for (const name of names) {
      for (let i = 0; i < 500; i++) await clients[name].getBalanceDetail(); // token, connections, JIT
    }
    const acc = Object.fromEntries(names.map((n) => [n, { seqCpu: 0, seqCalls: 0, conCpu: 0, conCalls: 0, conWall: 0, lat: [] as number[] }]));
    const sequential = 2000;
    const concurrent = 6000;
    const inFlight = 64;
    for (let round = 0; round < 3; round++) {
      for (const name of round % 2 ? [...names].reverse() : names) {
        const client = clients[name];
        const a = acc[name];
        let cpu = process.cpuUsage();
        for (let i = 0; i < sequential; i++) {
          const t0 = performance.now();
          await client.getBalanceDetail();
          a.lat.push((performance.now() - t0) * 1000);
        }
        cpu = process.cpuUsage(cpu);
        a.seqCpu += cpu.user + cpu.system;
        a.seqCalls += sequential;

        let left = concurrent;
        const worker = async (): Promise<void> => {
          while (left-- > 0) await client.getBalanceDetail();
        };
        cpu = process.cpuUsage();
        const t0 = performance.now();
        await Promise.all(Array.from({ length: inFlight }, worker));
        a.conWall += performance.now() - t0;
        cpu = process.cpuUsage(cpu);
        a.conCpu += cpu.user + cpu.system;
        a.conCalls += concurrent;
      }
    }
    return Object.fromEntries(
      names.map((n) => {
        const a = acc[n];
        return [
          n,
          {
            cpuUsPerCallSequential: Math.round(a.seqCpu / a.seqCalls),
            cpuUsPerCallConcurrent: Math.round(a.conCpu / a.conCalls),
            medianLatencyUs: Math.round(
              percentile(
                a.lat.sort((x, y) => x - y),
                50,
              ),
            ),
            callsPerSec: Math.round((a.conCalls * 1000) / a.conWall),
          },
        ];
      }),
    ) as Record<'undici' | 'nestjs-axios', TransportFigures>;
  } finally {
    fake.stop();
  }
}
