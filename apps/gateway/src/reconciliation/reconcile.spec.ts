import { jakartaDay } from './jakarta-day';
import { LedgerEntry, reconcile, ReconWindow, summarize } from './reconcile';

const day = jakartaDay('2026-11-20')!;
const at = (time: string, date = '2026-11-20') => new Date(`${date}T${time}+07:00`);
const window: ReconWindow = { dayStart: day.start, dayEnd: day.end, marginMs: 15 * 60_000, now: at('01:00:00', '2026-11-21') };

const order = (over: Partial<LedgerEntry> = {}): LedgerEntry => ({
  source: 'ORDER',
  id: 'order-1',
  keys: ['trx-1', 'NETZ-INV-1', 'P-REF-1'],
  amountMinor: 1_500_000n,
  state: 'SETTLED',
  status: 'PAID',
  at: at('10:00:00'),
  ...over,
});
const payment = (over: Partial<LedgerEntry> = {}): LedgerEntry => ({
  source: 'ORDER',
  id: 'trx-1',
  keys: ['trx-1', 'NETZ-INV-1'],
  amountMinor: 1_500_000n,
  state: 'SETTLED',
  status: 'SUCCESS',
  at: at('10:00:02'),
  ...over,
});

describe('reconcile', () => {
  it('should match a paid order with Netzme payment of the same amount', () => {
    const [item, ...rest] = reconcile([order()], [payment()], window);
    expect(rest).toEqual([]);
    expect(item).toMatchObject({ source: 'ORDER', kind: 'MATCHED', inFlight: false, reference: 'trx-1', note: null });
    expect(item.ours?.id).toBe('order-1');
    expect(item.netzme?.id).toBe('trx-1');
  });

  it('should pair by any shared reference, and only within the same source', () => {
    const byInvoice = reconcile([order({ keys: ['NETZ-INV-1'] })], [payment()], window);
    expect(byInvoice.map((i) => i.kind)).toEqual(['MATCHED']);
    const otherSource = reconcile([order({ source: 'WITHDRAWAL', keys: ['trx-1'] })], [payment()], window);
    expect(otherSource.map((i) => [i.source, i.kind])).toEqual([
      ['WITHDRAWAL', 'ONLY_OURS'],
      ['ORDER', 'ONLY_NETZME'],
    ]);
  });

  it('should report a different amount as a real AMOUNT_MISMATCH, with both amounts', () => {
    const [item] = reconcile([order({ amountMinor: 1_400_000n })], [payment()], window);
    expect(item).toMatchObject({ kind: 'AMOUNT_MISMATCH', inFlight: false, note: 'amounts differ: ours 14000.00, Netzme 15000.00' });
  });

  it('should treat a Netzme payment whose order is still open as in flight (callback or poll still to come)', () => {
    const [item] = reconcile([order({ state: 'OPEN', status: 'PENDING', at: at('09:59:00') })], [payment()], window);
    expect(item).toMatchObject({ kind: 'STATUS_MISMATCH', inFlight: true });
    expect(item.note).toMatch(/callback or status poll/);
  });

  it('should report a payment of an order we expired or failed as a real STATUS_MISMATCH', () => {
    const [item] = reconcile([order({ state: 'FAILED', status: 'EXPIRED' })], [payment()], window);
    expect(item).toMatchObject({ kind: 'STATUS_MISMATCH', inFlight: false });
    expect(item.note).toMatch(/money moved/);
  });

  it('should report a settled order Netzme does not list as ONLY_OURS, in flight only when very recent', () => {
    expect(reconcile([order()], [], window)).toMatchObject([{ kind: 'ONLY_OURS', inFlight: false }]);
    const runningLate = { ...window, now: at('23:59:30') };
    expect(reconcile([order({ at: at('23:55:00') })], [], runningLate)).toMatchObject([{ kind: 'ONLY_OURS', inFlight: true }]);
  });

  it('should not report unpaid or failed orders that Netzme has no payment for', () => {
    expect(
      reconcile([order({ state: 'OPEN', status: 'PENDING' }), order({ id: 'o2', keys: ['trx-2'], state: 'FAILED', status: 'EXPIRED' })], [], window),
    ).toEqual([]);
  });

  it('should treat a payout Netzme does not report yet as in flight, and a failed one as nothing', () => {
    const payout = order({ source: 'WITHDRAWAL', id: 'wd-1', keys: ['ref-1'], state: 'OPEN', status: 'PROCESSING' });
    expect(reconcile([payout], [], window)).toMatchObject([{ source: 'WITHDRAWAL', kind: 'ONLY_OURS', inFlight: true }]);
    expect(reconcile([{ ...payout, state: 'FAILED', status: 'FAILED' }], [], window)).toEqual([]);
  });

  it('should match payouts in progress on both sides as in flight, and final ones when they agree', () => {
    const ours = order({ source: 'WITHDRAWAL', id: 'wd-1', keys: ['ref-1'], state: 'OPEN', status: 'PROCESSING' });
    const theirs = payment({ source: 'WITHDRAWAL', id: 'ref-1', keys: ['ref-1'], state: 'OPEN', status: '03' });
    expect(reconcile([ours], [theirs], window)).toMatchObject([{ kind: 'MATCHED', inFlight: true }]);
    expect(reconcile([{ ...ours, state: 'FAILED' }], [{ ...theirs, state: 'FAILED' }], window)).toMatchObject([{ kind: 'MATCHED', inFlight: false }]);
  });

  it('should flag a payout we call final that Netzme still processes or settled otherwise', () => {
    const ours = order({ source: 'WITHDRAWAL', id: 'wd-1', keys: ['ref-1'], state: 'SETTLED', status: 'SUCCEEDED' });
    const theirs = payment({ source: 'WITHDRAWAL', id: 'ref-1', keys: ['ref-1'], state: 'OPEN', status: '03' });
    expect(reconcile([ours], [theirs], window)).toMatchObject([
      { kind: 'STATUS_MISMATCH', inFlight: false, note: 'ours is final but Netzme still shows it in progress' },
    ]);
    expect(reconcile([ours], [{ ...theirs, state: 'FAILED' }], window)).toMatchObject([
      { kind: 'STATUS_MISMATCH', inFlight: false, note: 'ours settled but Netzme failed it' },
    ]);
  });

  it('should report a Netzme payment nobody in the gateway knows as ONLY_NETZME', () => {
    const items = reconcile([], [payment(), payment({ source: 'QRIS_PAYMENT', id: 'rrn-9', keys: ['rrn-9'] })], window);
    expect(items).toMatchObject([
      { source: 'ORDER', kind: 'ONLY_NETZME', inFlight: false, reference: 'trx-1', ours: null },
      { source: 'QRIS_PAYMENT', kind: 'ONLY_NETZME', inFlight: false, note: expect.stringMatching(/static QR/) },
    ]);
  });

  it('should pair items booked on either side of midnight, and report them on the day of either side', () => {
    const late = order({ at: at('23:59:50') });
    const nextDay = payment({ at: at('00:00:20', '2026-11-21') });
    expect(reconcile([late], [nextDay], window)).toMatchObject([{ kind: 'MATCHED', inFlight: false, note: expect.stringMatching(/different days/) }]);
    const ourNextDay = order({ at: at('00:00:10', '2026-11-21') });
    const theirLate = payment({ at: at('23:59:58') });
    expect(reconcile([ourNextDay], [theirLate], window)).toMatchObject([{ kind: 'MATCHED' }]);
  });

  it('should leave items of neighbouring days to their own reports', () => {
    const before = order({ at: at('23:50:00', '2026-11-19') });
    const after = payment({ id: 'trx-9', keys: ['trx-9'], at: at('00:10:00', '2026-11-21') });
    expect(
      reconcile([before, order({ id: 'o-9', keys: ['x'], at: at('00:05:00', '2026-11-21') })], [payment({ at: at('23:51:00', '2026-11-19') }), after], window),
    ).toEqual([]);
  });

  it('should pair one Netzme entry with one of ours only', () => {
    const items = reconcile([order(), order({ id: 'order-dup' })], [payment()], window);
    expect(items.map((i) => [i.ours?.id, i.kind])).toEqual([
      ['order-1', 'MATCHED'],
      ['order-dup', 'ONLY_OURS'],
    ]);
  });

  it('should ignore empty references rather than pair everything without one', () => {
    const items = reconcile([order({ keys: ['', 'P-1'] })], [payment({ keys: ['', 'trx-7'] })], window);
    expect(items.map((i) => i.kind)).toEqual(['ONLY_OURS', 'ONLY_NETZME']);
  });
});

describe('summarize', () => {
  it('should count matched, in-flight and real mismatches, per kind and source, and total the matched amounts', () => {
    const items = reconcile(
      [order(), order({ id: 'o2', keys: ['trx-2'], amountMinor: 100n }), order({ id: 'o3', keys: ['trx-3'], state: 'OPEN', status: 'PENDING' })],
      [
        payment(),
        payment({ id: 'trx-2', keys: ['trx-2'], amountMinor: 200n }),
        payment({ id: 'trx-3', keys: ['trx-3'] }),
        payment({ id: 'trx-4', keys: ['trx-4'] }),
      ],
      window,
    );
    const summary = summarize(items);
    expect(summary).toMatchObject({ total: 4, matched: 1, inFlight: 1, mismatches: 2 });
    expect(summary.byKind).toEqual({ MATCHED: 1, ONLY_OURS: 0, ONLY_NETZME: 1, AMOUNT_MISMATCH: 1, STATUS_MISMATCH: 1 });
    expect(summary.bySource).toEqual({ ORDER: { matched: 1, inFlight: 1, mismatches: 2 } });
    expect(summary.matchedAmount).toEqual({ ORDER: '15000.00' });
  });
});
