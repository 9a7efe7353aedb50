import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, setPriority } from 'node:os';
import { join } from 'node:path';

/** CPU placement and accounting of the orders benchmark's processes (Linux /proc and taskset). */

export const CPUS = availableParallelism();
/** The CPU the server under test gets to itself; null when pinning is off or impossible. */
export const SERVER_CPU: number | null = process.env.BENCH_PIN !== '0' && CPUS >= 2 && process.platform === 'linux' ? CPUS - 1 : null;

/**
 * Lower the priority of every thread of a process (Linux; false when it cannot). The sandbox stands
 * in for Netzme, whose CPU is not ours: at default priority its invoice work (a QR PNG takes
 * milliseconds) sits in front of our Postgres queries on the shared CPU and lands in the servers'
 * "alone" latency. Niced, Postgres and the load generator run first, as they would if Netzme were on
 * its own hosts; the sandbox's own time is still measured and subtracted per request.
 */
export function renice(pid: number, nice: number): boolean {
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      setPriority(Number(tid), nice);
    }
    return true;
  } catch {
    return false;
  }
}

/** Pin a process and all its threads (V8 workers, libuv pool) to a CPU list; false if taskset is missing. */
export function pin(pid: number, cpus: string): boolean {
  try {
    execFileSync('taskset', ['-a', '-cp', cpus, String(pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** CPU time (user + system, ms) a child process has used so far, from /proc (Linux). */
export function cpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in clock ticks of 10 ms
  } catch {
    return NaN;
  }
}

/** The embedded Postgres' data directory, to find its postmaster. */
let postgresDataDir: string | undefined;

/** Where postgresCpuMs finds the postmaster (the benchmark's embedded database). */
export function measurePostgresAt(dataDir: string): void {
  postgresDataDir = dataDir;
}

/**
 * CPU time (ms) all of Postgres has used so far: the postmaster with the children it has reaped
 * (cutime + cstime: backends and autovacuum workers that exited) plus every child still running.
 * Only one server is under load at a time, so the difference over a run is that server's cost.
 */
export function postgresCpuMs(): number {
  try {
    const postmaster = Number(readFileSync(join(postgresDataDir ?? '', 'postmaster.pid'), 'utf8').split('\n')[0]);
    const stat = (pid: number | string) => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    const own = stat(postmaster);
    let ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const fields = stat(entry);
        if (Number(fields[1]) === postmaster) ticks += Number(fields[11]) + Number(fields[12]);
      } catch {
        // exited while we looked
      }
    }
    return (ticks * 1000) / 100;
  } catch {
    return NaN;
  }
}
