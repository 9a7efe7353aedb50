import { DeadlineQueue } from '../common/deadline-queue';
import { TimersService } from '../common/timers.service';
import { FifoQueue, pruneLog, RecentSet } from './retention';

describe('retention helpers', () => {
  it('FifoQueue keeps first-in first-out order across its compactions', () => {
    const q = new FifoQueue<number>();
    for (let i = 0; i < 3000; i++) {
      q.push(i);
    }
    for (let i = 0; i < 2500; i++) {
      expect(q.shift()).toBe(i);
    }
    q.push(3000);
    expect(q.length).toBe(501);
    expect(q.toArray()).toEqual(Array.from({ length: 501 }, (_, i) => 2500 + i));
    expect(new FifoQueue<number>().shift()).toBeUndefined();
  });

  it('RecentSet forgets its oldest members past its capacity, and a repeat does not refresh or duplicate', () => {
    const set = new RecentSet(() => 3);
    ['a', 'b', 'a', 'c', 'd'].forEach((v) => set.add(v));
    expect(set.has('a')).toBe(false);
    expect(set.values()).toEqual(['b', 'c', 'd']);
    expect(set.size).toBe(3);
  });

  it('pruneLog waits for a batch (a tenth of the limit, at least one) and then drops the oldest removable entries', () => {
    const log = Array.from({ length: 11 }, (_, i) => ({ i, pending: i === 0 }));
    pruneLog(log, 10, (e) => !e.pending);
    expect(log).toHaveLength(11);
    log.push({ i: 11, pending: false });
    pruneLog(log, 10, (e) => !e.pending);
    expect(log.map((e) => e.i)).toEqual([0, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('pruneLog keeps entries that may not be removed even when over the limit', () => {
    const log = Array.from({ length: 20 }, (_, i) => ({ i, pending: i < 3 }));
    pruneLog(log, 5, (e) => !e.pending);
    expect(log.map((e) => e.i)).toEqual([0, 1, 2, 18, 19]);
  });
});

describe('DeadlineQueue', () => {
  it('calls back each key once its deadline has passed, earliest first, whatever the order of adding', async () => {
    const timers = new TimersService();
    const fired: string[] = [];
    const queue = new DeadlineQueue(timers, (key) => fired.push(key));
    const now = Date.now();
    queue.add(now + 60, 'second');
    queue.add(now + 30, 'first');
    queue.add(now + 90, 'third');
    queue.add(now - 5, 'overdue');
    const deadline = Date.now() + 10_000;
    while (fired.length < 4 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(fired).toEqual(['overdue', 'first', 'second', 'third']);
    expect(queue.size).toBe(0);
    timers.onApplicationShutdown();
  });

  it('retain() drops the entries no longer wanted and keeps the others in deadline order', async () => {
    const timers = new TimersService();
    const fired: string[] = [];
    const queue = new DeadlineQueue(timers, (key) => fired.push(key));
    const now = Date.now();
    ['e', 'a', 'd', 'b', 'c'].forEach((key) => queue.add(now + 40 + 'abcde'.indexOf(key) * 20, key));
    queue.retain((key) => key !== 'a' && key !== 'd');
    expect(queue.size).toBe(3);
    const deadline = Date.now() + 10_000;
    while (fired.length < 3 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(fired).toEqual(['b', 'c', 'e']);
    timers.onApplicationShutdown();
  });
});
