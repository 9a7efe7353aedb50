import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const SOAK = join(ROOT, 'dist', 'scripts', 'soak', 'soak.js');

interface SoakResult {
  seed: number;
  ok: boolean;
  stats: Record<string, number>;
  requests: number;
  invariants: Array<{ name: string; ok: boolean; skipped: boolean; counts: string; n: number }>;
}

/**
 * The money-safety soak (docs/soak.md), short and with a fixed seed: its own Postgres, the sandbox
 * and two gateway processes, one minute of seeded traffic, faults, kills and a database restart,
 * then every invariant. `npm test` builds dist/ first. Its load is bounded (three traffic loops) so
 * a slow machine only makes it take longer; the settle phase waits on conditions, not on the clock.
 */
describe('Money-safety soak (fixed seed, 1 minute)', () => {
  it('holds every invariant, and the run did what a soak must (orders paid, faults, kills, a database restart)', async () => {
    expect(existsSync(SOAK)).toBe(true);
    const child = spawn(process.execPath, [SOAK, '--seed', '20261203', '--minutes', '1', '--workers', '2', '--settle-seconds', '240'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    const line = output.split('\n').find((l) => l.startsWith('SOAK_RESULT '));
    if (code !== 0 || !line) {
      throw new Error(`soak exited ${code}:\n${output.slice(-12_000)}`);
    }
    const result = JSON.parse(line.slice('SOAK_RESULT '.length)) as SoakResult;
    expect(result.ok).toBe(true);
    expect(result.seed).toBe(20261203);
    // Non-trivial: money moved and things went wrong on the way.
    expect(result.stats['buyer.paid']).toBeGreaterThan(0);
    expect(result.stats.faults).toBeGreaterThan(0);
    expect(result.stats.kills).toBeGreaterThan(0);
    expect(result.stats.restarts).toBeGreaterThan(0);
    expect(result.stats.dbRestarts).toBeGreaterThan(0);
    const byName = Object.fromEntries(result.invariants.map((i) => [i.name.split(' ')[0] + ' ' + i.name.split(' ')[1], i]));
    expect(byName['paid invoices'].n).toBeGreaterThan(0);
    expect(result.invariants.filter((i) => !i.skipped).every((i) => i.ok)).toBe(true);
    expect(result.invariants.find((i) => /secret/.test(i.name))!.n).toBeGreaterThan(100);
  }, 600_000);
});
