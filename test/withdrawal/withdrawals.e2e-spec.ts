import { randomUUID } from 'node:crypto';
import { WITHDRAWAL_STATUS_POLL_JOB } from '../../apps/gateway/src/withdrawal/withdrawals.service';
import { addFault, api, balancesOf, PayoutWorld, resetWorld, runJob, sandboxControl, startPayoutWorld, transfersFor, waitForStatus } from './support';
import { sandboxState } from '../support/sandbox';

/**
 * Merchant withdrawals end to end: the real gateway, the Netzme sandbox over HTTP, real Postgres.
 * The sandbox's merchant has 1,000,000.00 IDR settled and PIN 123456.
 */
describe('Merchant withdrawals with the sandbox - /withdrawals', () => {
  let world: PayoutWorld;
  const PIN = '123456';
  const create = (amount: string, key = randomUUID(), pin = PIN) => api(world.gw, 'POST', '/withdrawals', { amount, pin }, { 'Idempotency-Key': key });
  const merchantId = () => world.sandbox.credentials.merchantId;
  const settled = async () => balancesOf(await sandboxState(world.sandbox), merchantId()).settledBalance;

  beforeAll(async () => {
    world = await startPayoutWorld({ WITHDRAWAL_REVIEW_AFTER_MS: '2500' });
  });

  afterAll(async () => {
    await world?.close();
  });

  beforeEach(async () => {
    await resetWorld(world);
  });

  it('POST /withdrawals/inquiry returns the payout account and what can be withdrawn', async () => {
    const res = await api(world.gw, 'POST', '/withdrawals/inquiry');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      withdrawable: { value: '1000000.00', currency: 'IDR' },
      minimum: { value: '0.00', currency: 'IDR' },
      allowed: true,
      beneficiary: { accountNumber: expect.any(String), bankCode: expect.any(String), accountName: expect.any(String), bankName: expect.any(String) },
    });
  });

  it('POST /withdrawals/pin sets the PIN; POST /withdrawals/pin/forgot starts a reset and is rate-limited', async () => {
    const pin = await api(world.gw, 'POST', '/withdrawals/pin', { pin: PIN });
    expect(pin.status).toBe(200);
    expect(pin.body).toMatchObject({ pinSet: true });
    const different = await api(world.gw, 'POST', '/withdrawals/pin', { pin: '654321' });
    expect(different.status).toBe(422);
    expect(different.body.code).toBe('NETZME_REJECTED');
    expect(JSON.stringify(different.body)).not.toContain('654321');

    const forgot = await api(world.gw, 'POST', '/withdrawals/pin/forgot');
    expect(forgot.status).toBe(200);
    expect(forgot.body).toMatchObject({ requested: true });
    const again = await api(world.gw, 'POST', '/withdrawals/pin/forgot');
    expect(again.status).toBe(429);
    expect(again.body.code).toBe('NETZME_RATE_LIMITED');
  });

  it('succeeds through the withdraw status notification (sent twice: applied once)', async () => {
    await addFault(world.sandbox, { target: 'withdrawal-status', mode: 'duplicate' });
    const res = await create('250000.00');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'PROCESSING',
      amount: { value: '250000.00', currency: 'IDR' },
      referenceNo: expect.any(String),
      submitAttempts: 1,
    });
    expect(await settled()).toBe('750000.00');

    const done = await sandboxControl(world.sandbox, 'POST', `/sandbox/withdrawals/${res.body.partnerReferenceNo}/complete`, { status: 'success' });
    expect(done.status).toBe(200);
    const final = await waitForStatus(world.gw, `/withdrawals/${res.body.id}`, 'SUCCEEDED');
    await sandboxControl(world.sandbox, 'POST', '/sandbox/callbacks/flush');
    const changes = (await api(world.gw, 'GET', `/withdrawals/${res.body.id}`)).body.events.filter((e: any) => e.toStatus === 'SUCCEEDED');
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ type: 'STATUS_CHANGED', fromStatus: 'PROCESSING', source: 'callback' });
    expect(final.resolvedAt).not.toBeNull();
    expect((await transfersFor(world.sandbox, res.body.partnerReferenceNo)).accepted).toBe(1);
  });

  it('succeeds through polling when the notification is dropped', async () => {
    await addFault(world.sandbox, { target: 'withdrawal-status', mode: 'drop' });
    const res = await create('100000.00');
    expect(res.status).toBe(201);
    await sandboxControl(world.sandbox, 'POST', `/sandbox/withdrawals/${res.body.partnerReferenceNo}/complete`, { status: 'success' });
    await sandboxControl(world.sandbox, 'POST', '/sandbox/callbacks/flush');
    expect((await api(world.gw, 'GET', `/withdrawals/${res.body.id}`)).body.status).toBe('PROCESSING');

    const final = await waitForStatus(world.gw, `/withdrawals/${res.body.id}`, 'SUCCEEDED', { job: WITHDRAWAL_STATUS_POLL_JOB });
    expect(final.events.find((e: any) => e.toStatus === 'SUCCEEDED')).toMatchObject({ source: 'poll', fromStatus: 'PROCESSING' });
    expect(final.netzmeStatus).toBe('00');
  });

  it('fails when the bank refuses, and the balance is untouched', async () => {
    const res = await create('300000.00');
    expect(await settled()).toBe('700000.00');
    await sandboxControl(world.sandbox, 'POST', `/sandbox/withdrawals/${res.body.partnerReferenceNo}/complete`, { status: 'failed' });
    const final = await waitForStatus(world.gw, `/withdrawals/${res.body.id}`, 'FAILED', { job: WITHDRAWAL_STATUS_POLL_JOB });
    expect(final.failureReason).toMatch(/failed/i);
    expect(await settled()).toBe('1000000.00');
    // the slot is free again
    expect((await create('1000.00')).status).toBe(201);
  });

  it('fails at once on a wrong PIN, sends nothing that moves money, and frees the slot', async () => {
    const res = await create('50000.00', randomUUID(), '975318');
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('FAILED');
    expect(res.body.failureReason).toMatch(/Netzme refused the transfer/);
    expect(JSON.stringify(res.body)).not.toContain('975318');
    expect((await transfersFor(world.sandbox, res.body.partnerReferenceNo)).transfers).toHaveLength(0);
    expect(await settled()).toBe('1000000.00');
    expect((await create('50000.00')).status).toBe(201);
  });

  it('a timeout on the transfer call ends SUCCEEDED with exactly one transfer accepted', async () => {
    await addFault(world.sandbox, { target: '/api/v1.0/emoney/transfer-bank', mode: 'timeout', delayMs: 6000 });
    const res = await create('400000.00');
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: 'UNKNOWN', referenceNo: null });
    expect(res.body.lastError).toMatch(/unknown/);

    const processing = await waitForStatus(world.gw, `/withdrawals/${res.body.id}`, 'PROCESSING', { job: WITHDRAWAL_STATUS_POLL_JOB });
    expect(processing.referenceNo).toEqual(expect.any(String));
    await sandboxControl(world.sandbox, 'POST', `/sandbox/withdrawals/${res.body.partnerReferenceNo}/complete`, { status: 'success' });
    await waitForStatus(world.gw, `/withdrawals/${res.body.id}`, 'SUCCEEDED', { job: WITHDRAWAL_STATUS_POLL_JOB });

    const { accepted, transfers, state } = await transfersFor(world.sandbox, res.body.partnerReferenceNo);
    expect(accepted).toBe(1);
    expect(transfers).toHaveLength(1);
    expect(state.transfers).toHaveLength(1);
    expect(balancesOf(state, merchantId()).settledBalance).toBe('600000.00');
  });

  it('a 5xx before processing: Netzme has no such transfer, so the same reference is resubmitted; one transfer', async () => {
    await addFault(world.sandbox, { target: '/api/v1.0/emoney/transfer-bank', mode: 'error' });
    const res = await create('10000.00');
    expect(res.status).toBe(202);
    expect(res.body.status).toBe('UNKNOWN');
    const processing = await waitForStatus(world.gw, `/withdrawals/${res.body.id}`, 'PROCESSING', { job: WITHDRAWAL_STATUS_POLL_JOB });
    expect(processing.submitAttempts).toBe(2);
    expect(processing.events.map((e: any) => e.type)).toContain('RESUBMITTED');
    const { accepted, state } = await transfersFor(world.sandbox, res.body.partnerReferenceNo);
    expect(accepted).toBe(1);
    expect(state.transfers).toHaveLength(1);
  });

  it('ten parallel identical requests make one transfer', async () => {
    const key = randomUUID();
    const results = await Promise.all(Array.from({ length: 10 }, () => create('123456.78', key)));
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    const { state } = await transfersFor(world.sandbox, results[0].body.partnerReferenceNo);
    expect(state.transfers).toHaveLength(1);
    expect(balancesOf(state, merchantId()).settledBalance).toBe('876543.22');
  });

  it('refuses a second withdrawal while one is in flight, and the same key with a different body', async () => {
    const key = randomUUID();
    const first = await create('10000.00', key);
    expect(first.status).toBe(201);
    const second = await create('10000.00');
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ code: 'WITHDRAWAL_IN_FLIGHT', details: { withdrawalId: first.body.id } });
    const reused = await create('20000.00', key);
    expect(reused.status).toBe(409);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const replay = await create('10000.00', key);
    expect(replay.status).toBe(200);
    expect(replay.body.id).toBe(first.body.id);
  });

  it('refuses amounts outside what Netzme allows now (422) without writing anything', async () => {
    const above = await create('1000000.01');
    expect(above.status).toBe(422);
    expect(above.body).toMatchObject({ code: 'AMOUNT_ABOVE_WITHDRAWABLE', details: { withdrawable: '1000000.00' } });
    expect(above.body.message).toMatch(/above the withdrawable amount of 1000000.00 IDR/);
    await sandboxControl(world.sandbox, 'PUT', `/sandbox/merchants/${merchantId()}/balances`, { settledBalance: '0.00' });
    const none = await create('1.00');
    expect(none.status).toBe(422);
    expect(['WITHDRAWAL_NOT_ALLOWED', 'AMOUNT_ABOVE_WITHDRAWABLE']).toContain(none.body.code);
    expect((await api(world.gw, 'GET', '/withdrawals')).body.total).toBe(0);
  });

  it('GET /withdrawals lists with filters and pagination; GET /withdrawals/:id has the full history', async () => {
    const a = await create('1000.00');
    await sandboxControl(world.sandbox, 'POST', `/sandbox/withdrawals/${a.body.partnerReferenceNo}/complete`, { status: 'failed' });
    await waitForStatus(world.gw, `/withdrawals/${a.body.id}`, 'FAILED', { job: WITHDRAWAL_STATUS_POLL_JOB });
    const b = await create('2000.00');

    const all = await api(world.gw, 'GET', '/withdrawals?pageSize=1');
    expect(all.body).toMatchObject({ total: 2, page: 1, pageSize: 1 });
    expect(all.body.items[0].id).toBe(b.body.id);
    expect(all.body.items[0].events).toBeUndefined();
    expect((await api(world.gw, 'GET', '/withdrawals?pageSize=1&page=2')).body.items[0].id).toBe(a.body.id);
    // Keyset pages: newest first, the cursor continues after the last item; the deprecated page answer says where too.
    const first = await api(world.gw, 'GET', '/withdrawals?limit=1');
    expect(first.body.items.map((w: any) => w.id)).toEqual([b.body.id]);
    expect(first.body.total).toBeUndefined();
    expect(all.body.nextCursor).toBe(first.body.nextCursor);
    const second = await api(world.gw, 'GET', `/withdrawals?limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body).toMatchObject({ items: [{ id: a.body.id }], nextCursor: null });
    expect((await api(world.gw, 'GET', `/withdrawals?limit=5&status=FAILED`)).body).toMatchObject({ items: [{ id: a.body.id }], nextCursor: null });
    expect((await api(world.gw, 'GET', '/withdrawals?status=FAILED')).body.items.map((w: any) => w.id)).toEqual([a.body.id]);
    const future = new Date(Date.now() + 60_000).toISOString();
    expect((await api(world.gw, 'GET', `/withdrawals?from=${encodeURIComponent(future)}`)).body.total).toBe(0);

    const one = await api(world.gw, 'GET', `/withdrawals/${a.body.id}`);
    expect(one.body.events.map((e: any) => e.type)).toEqual(['CREATED', 'SUBMITTED', 'STATUS_CHANGED', 'STATUS_CHANGED']);
    expect(one.body.events.map((e: any) => e.toStatus)).toEqual(['PENDING_SUBMIT', 'PENDING_SUBMIT', 'PROCESSING', 'FAILED']);
  });

  it('a withdrawal nobody could resolve reaches the review queue; a person resolves it, audited, once', async () => {
    await addFault(world.sandbox, { target: '/api/v1.0/emoney/transfer-bank', mode: 'error' });
    const res = await create('10000.00');
    expect(res.body.status).toBe('UNKNOWN');
    const early = await api(world.gw, 'POST', `/withdrawals/${res.body.id}/resolve`, {
      status: 'FAILED',
      reason: 'Netzme support: never received',
      resolvedBy: 'ops: Dewi',
    });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('WITHDRAWAL_NOT_IN_REVIEW');

    await new Promise((r) => setTimeout(r, 2700));
    const queue = await api(world.gw, 'GET', '/withdrawals/review');
    expect(queue.body.map((w: any) => w.id)).toEqual([res.body.id]);
    expect(queue.body[0].needsReview).toBe(true);

    const resolved = await api(world.gw, 'POST', `/withdrawals/${res.body.id}/resolve`, {
      status: 'FAILED',
      reason: 'Netzme support: never received',
      resolvedBy: 'ops: Dewi',
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ status: 'FAILED', failureReason: 'Netzme support: never received', needsReview: false });
    const manual = resolved.body.events.find((e: any) => e.type === 'MANUAL_RESOLUTION');
    expect(manual).toMatchObject({
      fromStatus: 'UNKNOWN',
      toStatus: 'FAILED',
      source: 'admin',
      reason: 'Netzme support: never received',
      actor: expect.stringMatching(/^ops: Dewi \(api-key:[0-9a-f]{12}\)$/),
    });
    const again = await api(world.gw, 'POST', `/withdrawals/${res.body.id}/resolve`, {
      status: 'SUCCEEDED',
      reason: 'second thoughts, no evidence',
      resolvedBy: 'ops: Budi',
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('WITHDRAWAL_ALREADY_FINAL');
    expect((await api(world.gw, 'GET', '/withdrawals/review')).body).toEqual([]);
  });

  it('polls through the scheduler job registered as withdrawal-status-poll', async () => {
    const res = await create('5000.00');
    await sandboxControl(world.sandbox, 'POST', `/sandbox/withdrawals/${res.body.partnerReferenceNo}/complete`, { status: 'success' });
    await new Promise((r) => setTimeout(r, 200));
    const tick = (await runJob(world.gw, WITHDRAWAL_STATUS_POLL_JOB)) as { processed: number };
    expect(tick.processed).toBeGreaterThanOrEqual(0);
    await waitForStatus(world.gw, `/withdrawals/${res.body.id}`, 'SUCCEEDED', { job: WITHDRAWAL_STATUS_POLL_JOB });
  });
});
