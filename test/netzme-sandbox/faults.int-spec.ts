import { amount, transferBody, useHarness } from './support/harness';
import { ref } from './support/netzme-http';

const CREATE = '/api/v1.0/invoice/create-transaction';
const TRANSFER = '/api/v1.0/emoney/transfer-bank';

/** Request faults (CONTRACT.md: POST /sandbox/faults): deterministic misbehaviour of Netzme's API. */
describe('Netzme sandbox - request faults', () => {
  const h = useHarness();

  const createInvoice = (partnerReferenceNo = ref('F')) =>
    h.netzme.call(CREATE, { custIdMerchant: h.merchantId, partnerReferenceNo, amount: amount('5000.00'), payMethod: 'QRIS' });
  const transfer = (partnerReferenceNo: string) => h.netzme.call(TRANSFER, transferBody(h, partnerReferenceNo, '1000.00'));
  const fault = async (spec: Record<string, unknown>) => {
    const answer = await h.control('POST', '/sandbox/faults', spec);
    expect(answer.status).toBe(201);
    return answer.body;
  };
  const invoicesWith = async (partnerReferenceNo: string) => ((await h.state()).invoices as any[]).filter((i) => i.partnerReferenceNo === partnerReferenceNo);
  const transfersWith = async (partnerReferenceNo: string) => ((await h.state()).transfers as any[]).filter((t) => t.partnerReferenceNo === partnerReferenceNo);
  const hangUp = async (call: Promise<unknown>) => {
    await expect(call).rejects.toThrow(/fetch failed|socket|terminated|other side closed/i);
  };

  it('error: HTTP 500 500xx00 without processing', async () => {
    await fault({ target: CREATE, mode: 'error' });
    const answer = await createInvoice('ERR-1');
    expect(answer.status).toBe(500);
    expect(answer.body).toEqual({ responseCode: '5004700', responseMessage: 'Internal Server Error' });
    expect(await invoicesWith('ERR-1')).toHaveLength(0);
    // count 1: the next call is normal.
    expect((await createInvoice('ERR-1')).body.responseCode).toBe('2004700');
  });

  it('error with afterProcessing: processed, then 500 — a retry with the same reference is a duplicate', async () => {
    await fault({ target: TRANSFER, mode: 'error', afterProcessing: true });
    const answer = await transfer('ERR-AFTER');
    expect(answer.status).toBe(500);
    expect(answer.body.responseCode).toBe('5004300');
    expect(await transfersWith('ERR-AFTER')).toHaveLength(1);
    expect((await transfer('ERR-AFTER')).body.responseCode).toBe('4094301');
  });

  it('timeout: processed, the answer held for delayMs, then the connection is destroyed', async () => {
    await fault({ target: TRANSFER, mode: 'timeout', delayMs: 300 });
    const started = Date.now();
    await hangUp(transfer('TO-1'));
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    const [t] = await transfersWith('TO-1');
    expect(t).toMatchObject({ status: 'PROCESSING', accepted: 1 });
  });

  it('timeout with beforeProcessing: hangs without processing', async () => {
    await fault({ target: TRANSFER, mode: 'timeout', delayMs: 200, beforeProcessing: true });
    await hangUp(transfer('TO-2'));
    expect(await transfersWith('TO-2')).toHaveLength(0);
  });

  it('drop: processed, connection destroyed without an answer', async () => {
    await fault({ target: CREATE, mode: 'drop' });
    const started = Date.now();
    await hangUp(createInvoice('DROP-1'));
    expect(Date.now() - started).toBeLessThan(5000); // no hold, unlike timeout (default 30 s)
    expect(await invoicesWith('DROP-1')).toHaveLength(1);
  });

  it('delay: processed and answered after delayMs', async () => {
    await fault({ target: CREATE, mode: 'delay', delayMs: 300 });
    const started = Date.now();
    const answer = await createInvoice('DELAY-1');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(answer.body.responseCode).toBe('2004700');
  });

  it('duplicate: the request reaches Netzme twice; the second is refused as a duplicate, the first answered', async () => {
    await fault({ target: TRANSFER, mode: 'duplicate' });
    const answer = await transfer('DUP-1');
    expect(answer.body.responseCode).toBe('2004300');
    const [t] = await transfersWith('DUP-1');
    expect(t).toMatchObject({ accepted: 1, duplicatesRefused: 1 });
    expect((await h.state()).balances[h.merchantId].settledBalance).toBe('999000.00');
    const { events } = (await h.control('GET', '/sandbox/faults')).body;
    expect(events.at(-1)).toMatchObject({ mode: 'duplicate', subject: TRANSFER, note: 'second processing: answered 4094301 Duplicate partnerReferenceNo' });
  });

  it('count, order of addition, version-insensitive targets and DELETE', async () => {
    await fault({ target: '/api/v2.0/invoice/create-transaction', mode: 'error', count: 2 });
    await fault({ target: CREATE, mode: 'delay', delayMs: 1 });
    const results = [];
    for (let i = 0; i < 4; i++) {
      results.push((await createInvoice()).status);
    }
    // Two errors from the first fault (added first), then the delay fault, then normal.
    expect(results).toEqual([500, 500, 200, 200]);
    const events = (await h.control('GET', '/sandbox/faults')).body.events.map((e: any) => [e.faultId, e.mode]);
    expect(events).toEqual([
      [expect.any(Number), 'error'],
      [expect.any(Number), 'error'],
      [expect.any(Number), 'delay'],
    ]);

    await fault({ target: CREATE, mode: 'error', count: 10 });
    expect((await h.control('DELETE', '/sandbox/faults')).body).toEqual({ removed: 3 });
    expect((await createInvoice()).status).toBe(200);
  });

  it('applies to the token endpoint too', async () => {
    h.netzme.forgetToken();
    await fault({ target: '/api/v1/access-token/b2b', mode: 'error' });
    const answer = await h.netzme.requestToken();
    expect(answer.status).toBe(500);
    expect(answer.body).toEqual({ responseCode: '5007300', responseMessage: 'Internal Server Error' });
    expect((await h.netzme.requestToken()).status).toBe(200);
  });

  it('does not spend a fault on a request that fails authentication', async () => {
    await fault({ target: CREATE, mode: 'error' });
    const unsigned = await h.netzme.call(CREATE, { partnerReferenceNo: 'x' }, { secret: '00000000000000000000000000000000' });
    expect(unsigned.body.responseCode).toBe('4014700');
    expect((await createInvoice()).status).toBe(500);
  });

  it('validates fault specs', async () => {
    expect((await h.control('POST', '/sandbox/faults', { target: CREATE, mode: 'explode' })).status).toBe(400);
    expect((await h.control('POST', '/sandbox/faults', { target: CREATE, mode: 'error', count: 0 })).status).toBe(400);
    expect((await h.control('POST', '/sandbox/faults', { mode: 'error' })).status).toBe(400);
  });
});
