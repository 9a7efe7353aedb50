import { amount, transferBody, useHarness } from './support/harness';
import { eventually, ref } from './support/netzme-http';

const CREATE = '/api/v1.0/invoice/create-transaction';
const STATUS = '/api-invoice/v1.0/transaction-history-detail';
const LIMIT = 3;

/**
 * The retention limit (`retentionMaxSettled`, SANDBOX_RETENTION_MAX_SETTLED) over HTTP, with a limit
 * of 3: settled records beyond it are dropped oldest first, pending ones never, and what Netzme must
 * keep refusing (a partner reference it accepted once) stays refused.
 */
describe('Netzme sandbox - retention limit', () => {
  const h = useHarness({ retentionMaxSettled: LIMIT }, { clearCallbacks: true });

  const create = (partnerReferenceNo: string) =>
    h.netzme.call(CREATE, {
      custIdMerchant: h.merchantId,
      partnerReferenceNo,
      amount: amount('10000.00'),
      payMethod: 'QRIS',
      expireInSecond: '600',
      feeType: 'on_seller',
      additionalInfo: { description: 'retention' },
    });
  const status = (trxId: string) => h.netzme.call(STATUS, { originalPartnerReferenceNo: trxId, additionalInfo: { partnerReferenceNo: ref('Q') } });

  it('drops the oldest paid or expired invoices past the limit, keeps every pending one, and still refuses their references', async () => {
    const before = (await h.state()).balances[h.merchantId].settledBalance;
    const settled: { partnerReferenceNo: string; trxId: string }[] = [];
    for (let i = 1; i <= 5; i++) {
      const partnerReferenceNo = ref(`RET-PAID-${i}`);
      const created = await create(partnerReferenceNo);
      expect(created.body.responseCode).toBe('2004700');
      settled.push({ partnerReferenceNo, trxId: created.body.additionalInfo.trxId });
    }
    const pending: string[] = [];
    for (let i = 1; i <= 5; i++) {
      const partnerReferenceNo = ref(`RET-OPEN-${i}`);
      expect((await create(partnerReferenceNo)).body.responseCode).toBe('2004700');
      pending.push(partnerReferenceNo);
    }
    // Settle in order: four paid, the fifth expired (expired counts as settled too).
    for (const s of settled.slice(0, 4)) {
      expect((await h.control('POST', `/sandbox/invoices/${s.trxId}/pay`, {})).status).toBe(200);
    }
    expect((await h.control('POST', `/sandbox/invoices/${settled[4].trxId}/expire`)).status).toBe(200);

    const state = await h.state();
    const kept = state.invoices.map((i: { partnerReferenceNo: string }) => i.partnerReferenceNo).sort();
    expect(kept).toEqual([...settled.slice(2).map((s) => s.partnerReferenceNo), ...pending].sort());
    expect(state.invoices.filter((i: { status: string }) => i.status === 'INIT')).toHaveLength(5);
    // Dropping records never touches money: all four payments are in the balance (QRIS MDR 0.7 % = 70.00 each).
    expect(Number(state.balances[h.merchantId].settledBalance) - Number(before)).toBe(4 * 9930);
    // Only the QRIS payments of kept invoices remain.
    expect(state.qrisPayments.map((p: { trxId: string }) => p.trxId).sort()).toEqual([settled[2].trxId, settled[3].trxId].sort());

    // A dropped invoice is no longer found, but its partner reference is still a duplicate.
    expect((await status(settled[0].trxId)).body.responseCode).toBe('4041301');
    expect((await status(settled[3].trxId)).body).toMatchObject({ responseCode: '2001300', status: 'SUCCESS' });
    expect((await create(settled[0].partnerReferenceNo)).body.responseCode).toBe('4094701');
    expect((await create(pending[0])).body.responseCode).toBe('4094701');
    // Pending invoices can still be paid.
    expect((await h.control('POST', `/sandbox/invoices/${pending[0]}/pay`, {})).body.status).toBe('SUCCESS');
  });

  it('drops the oldest finished transfers, keeps pending ones, and still counts and refuses their partner references', async () => {
    const withdraw = (partnerReferenceNo: string) => h.netzme.call('/api/v1.0/emoney/transfer-bank', transferBody(h, partnerReferenceNo, '1000.00'));
    const refs = Array.from({ length: 6 }, (_, i) => ref(`RET-WD-${i + 1}`));
    for (const r of refs) {
      expect((await withdraw(r)).body.responseCode).toBe('2004300');
    }
    // The first five finish (four succeed, one fails and returns its money); the sixth stays pending.
    for (const [i, r] of refs.slice(0, 5).entries()) {
      expect((await h.control('POST', `/sandbox/withdrawals/${r}/complete`, { status: i === 1 ? 'failed' : 'success' })).status).toBe(200);
    }
    const state = await h.state();
    expect(state.transfers.map((t: { partnerReferenceNo: string }) => t.partnerReferenceNo).sort()).toEqual([refs[3], refs[4], refs[2], refs[5]].sort());
    expect(state.transfers.find((t: { partnerReferenceNo: string }) => t.partnerReferenceNo === refs[5]).status).toBe('PROCESSING');
    // Every reference Netzme accepted is counted once, dropped or not.
    expect(state.acceptedByPartnerReferenceNo).toEqual(Object.fromEntries(refs.map((r) => [r, 1])));
    // Balance: 1,000,000.00 seed settled, five 1,000.00 transfers debited, the failed one returned.
    expect(state.balances[h.merchantId].settledBalance).toBe('995000.00');

    // A retried (dropped) reference is refused as a duplicate, not paid out again.
    expect((await withdraw(refs[0])).body.responseCode).toBe('4094301');
    const after = await h.state();
    expect(after.balances[h.merchantId].settledBalance).toBe('995000.00');
    expect(after.acceptedByPartnerReferenceNo[refs[0]]).toBe(1);
  });

  it('keeps the callback log bounded while callbacks are still delivered', async () => {
    for (let i = 0; i < 12; i++) {
      const created = await create(ref('RET-CB'));
      await h.control('POST', `/sandbox/invoices/${created.body.additionalInfo.trxId}/pay`, {});
    }
    await h.flush();
    await eventually(async () => h.receiver.on('invoice-paid').length === 12, 10_000);
    const callbacks = (await h.state()).callbacks as unknown[];
    // Pruned in batches: never more than the limit plus a tenth of it (at least one).
    expect(callbacks.length).toBeGreaterThanOrEqual(LIMIT);
    expect(callbacks.length).toBeLessThanOrEqual(LIMIT + 1);
  });
});
