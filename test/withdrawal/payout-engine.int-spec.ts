import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { AppError } from '../../apps/gateway/src/http/app-error';
import { buildDataSourceOptions } from '../../apps/gateway/src/database/database.options';
import { runMigrationsLocked } from '../../apps/gateway/src/database/migrator';
import type { PayoutEngine } from '../../apps/gateway/src/payout/payout-engine.service';
import type { PayoutSettings } from '../../apps/gateway/src/payout/payout.settings';
import { withdrawalEvent } from '../support/callback-events';
import { createTestDatabase, TestDatabase } from '../support/database';
import { buildPayoutEngine } from './build-payout-engine';
import { FakePayoutRail } from './fake-payout-rail';

/**
 * The payout engine against real Postgres, with Netzme replaced at the rail port so each test
 * decides exactly when a transfer is processed and when an answer is lost. (The same paths run
 * end to end against the sandbox in withdrawals.e2e-spec.ts.)
 */
const SETTINGS: PayoutSettings = {
  reviewAfterMs: 60 * 60_000,
  pollBatch: 50,
  pollLeaseMs: 60_000,
  pollDelayMs: 60_000,
  pollMaxDelayMs: 600_000,
  submitGraceMs: 60_000,
  maxResubmits: 3,
  replayWaitMs: 5_000,
  pinMemoryMs: 60_000,
  minAmountMinor: 100_000n,
};

describe('PayoutEngine (real Postgres)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let rail: FakePayoutRail;
  let engine: PayoutEngine;
  let keys = 0;

  const newEngine = (settings: Partial<PayoutSettings> = {}, withRail = rail) => {
    const e = buildPayoutEngine(ds, { ...SETTINGS, ...settings });
    e.registerRail(withRail);
    return e;
  };
  const key = () => `key-${++keys}-${Date.now()}`;
  const makeDue = () => ds.query(`UPDATE withdrawals SET next_check_at = now() - interval '1 second'`);
  const events = async (id: string) =>
    (await ds.query(`SELECT type, from_status, to_status, source, actor, reason FROM withdrawal_events WHERE withdrawal_id = $1 ORDER BY id`, [id])) as Array<
      Record<string, string | null>
    >;
  const statusChanges = async (id: string) =>
    (await events(id)).filter((e) => e.from_status !== e.to_status).map((e) => `${e.from_status ?? '-'}>${e.to_status}`);
  const expectAppError = async (promise: Promise<unknown>, status: number, code: string) => {
    await expect(promise).rejects.toBeInstanceOf(AppError);
    await promise.catch((err: AppError) => {
      expect({ status: err.status, code: err.code }).toEqual({ status, code });
    });
  };

  beforeAll(async () => {
    db = await createTestDatabase('wd');
    ds = await new DataSource(buildDataSourceOptions(db.url, 30)).initialize();
    await runMigrationsLocked(ds);
  });

  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  beforeEach(async () => {
    await ds.query('TRUNCATE withdrawals CASCADE');
    rail = new FakePayoutRail();
    engine = newEngine();
  });

  afterEach(() => rail.releaseHung());

  describe('create', () => {
    it("writes the row first, sends once, and records Netzme's reference (PROCESSING)", async () => {
      const { created, withdrawal } = await engine.create('MERCHANT', { amount: '50000.00', pin: '123456', idempotencyKey: key() });
      expect(created).toBe(true);
      expect(withdrawal).toMatchObject({ status: 'PROCESSING', amountMinor: 5_000_000n, netzmeHasIt: true, submitAttempts: 1 });
      expect(withdrawal.referenceNo).toBe(rail.transfers.get(withdrawal.partnerReferenceNo)!.referenceNo);
      expect(rail.submitCalls).toBe(1);
      expect((await events(withdrawal.id)).map((e) => e.type)).toEqual(['CREATED', 'SUBMITTED', 'STATUS_CHANGED']);
      expect(await statusChanges(withdrawal.id)).toEqual(['->PENDING_SUBMIT', 'PENDING_SUBMIT>PROCESSING']);
    });

    it('answers a replay (same key, same amount) with the same withdrawal and no second transfer', async () => {
      const k = key();
      const first = await engine.create('MERCHANT', { amount: '50000', pin: '123456', idempotencyKey: k });
      const again = await engine.create('MERCHANT', { amount: '50000.00', pin: '123456', idempotencyKey: k });
      expect(again.created).toBe(false);
      expect(again.withdrawal.id).toBe(first.withdrawal.id);
      expect(rail.submitCalls).toBe(1);
      expect(rail.inquiryCalls).toBe(1);
    });

    it('refuses the same key with a different amount (409 IDEMPOTENCY_KEY_REUSED)', async () => {
      const k = key();
      await engine.create('MERCHANT', { amount: '50000.00', pin: '123456', idempotencyKey: k });
      await expectAppError(engine.create('MERCHANT', { amount: '50001.00', pin: '123456', idempotencyKey: k }), 409, 'IDEMPOTENCY_KEY_REUSED');
      expect(rail.submitCalls).toBe(1);
    });

    it('refuses a second withdrawal while one is in flight (409), and allows one once it is final', async () => {
      const first = await engine.create('MERCHANT', { amount: '20000.00', pin: '123456', idempotencyKey: key() });
      await expectAppError(engine.create('MERCHANT', { amount: '10000.00', pin: '123456', idempotencyKey: key() }), 409, 'WITHDRAWAL_IN_FLIGHT');
      rail.complete(first.withdrawal.partnerReferenceNo, 'succeeded'); // Netzme finished it; its notification is confirmed
      await engine.applyNotification(
        'MERCHANT',
        withdrawalEvent({
          originalPartnerReferenceNo: first.withdrawal.partnerReferenceNo,
          latestTransactionStatus: '00',
          amount: { value: '20000.00', currency: 'IDR' },
          additionalInfo: { type: 'submit_withdraw' },
        }),
      );
      const second = await engine.create('MERCHANT', { amount: '10000.00', pin: '123456', idempotencyKey: key() });
      expect(second.withdrawal.status).toBe('PROCESSING');
    });

    it('makes exactly one transfer out of ten parallel identical requests', async () => {
      const k = key();
      const results = await Promise.all(Array.from({ length: 10 }, () => engine.create('MERCHANT', { amount: '50000.00', pin: '123456', idempotencyKey: k })));
      expect(new Set(results.map((r) => r.withdrawal.id)).size).toBe(1);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(results.every((r) => r.withdrawal.status === 'PROCESSING')).toBe(true);
      expect(rail.submitCalls).toBe(1);
      expect(rail.transfers.size).toBe(1);
    });

    it('lets the database refuse the second of ten parallel withdrawals with different keys', async () => {
      const settled = await Promise.allSettled(
        Array.from({ length: 10 }, () => engine.create('MERCHANT', { amount: '10000.00', pin: '123456', idempotencyKey: key() })),
      );
      const ok = settled.filter((s) => s.status === 'fulfilled');
      const refused = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
      expect(ok).toHaveLength(1);
      expect(refused).toHaveLength(9);
      expect(refused.every((r) => r.reason instanceof AppError && r.reason.code === 'WITHDRAWAL_IN_FLIGHT')).toBe(true);
      expect(rail.transfers.size).toBe(1);
      expect((await ds.query('SELECT count(*)::int AS n FROM withdrawals'))[0].n).toBe(1);
    });

    it('checks the amount against a fresh inquiry and writes nothing when it is outside the limits', async () => {
      await expectAppError(engine.create('MERCHANT', { amount: '100000.01', pin: '123456', idempotencyKey: key() }), 422, 'AMOUNT_ABOVE_WITHDRAWABLE');
      await expectAppError(engine.create('MERCHANT', { amount: '9999.99', pin: '123456', idempotencyKey: key() }), 422, 'AMOUNT_BELOW_MINIMUM');
      rail.inquiryAnswer.allowed = false;
      await expectAppError(engine.create('MERCHANT', { amount: '50000.00', pin: '123456', idempotencyKey: key() }), 422, 'WITHDRAWAL_NOT_ALLOWED');
      await expectAppError(engine.create('MERCHANT', { amount: '0.00', pin: '123456', idempotencyKey: key() }), 400, 'INVALID_AMOUNT');
      expect((await ds.query('SELECT count(*)::int AS n FROM withdrawals'))[0].n).toBe(0);
      expect(rail.submitCalls).toBe(0);
    });

    it('fails the withdrawal on a definite refusal of the first send, and frees the slot', async () => {
      rail.submitBehaviours = ['refuse'];
      const { withdrawal } = await engine.create('MERCHANT', { amount: '50000.00', pin: '111111', idempotencyKey: key() });
      expect(withdrawal.status).toBe('FAILED');
      expect(withdrawal.failureReason).toContain('Invalid PIN');
      expect(withdrawal.resolvedAt).not.toBeNull();
      expect(rail.transfers.size).toBe(0);
      const next = await engine.create('MERCHANT', { amount: '50000.00', pin: '123456', idempotencyKey: key() });
      expect(next.withdrawal.status).toBe('PROCESSING');
    });
  });

  describe('unknown outcomes', () => {
    it('timeout after Netzme processed it: UNKNOWN, then the poller finds it and it ends SUCCEEDED with one transfer', async () => {
      rail.submitBehaviours = ['timeout-after'];
      const { withdrawal } = await engine.create('MERCHANT', { amount: '50000.00', pin: '123456', idempotencyKey: key() });
      expect(withdrawal.status).toBe('UNKNOWN');
      expect(withdrawal.referenceNo).toBeNull();

      await makeDue();
      expect(await engine.pollDue('MERCHANT')).toMatchObject({ processed: 1, errors: 0 });
      const processing = await engine.get('MERCHANT', withdrawal.id);
      expect(processing.status).toBe('PROCESSING');
      expect(processing.referenceNo).toBe(rail.transfers.get(withdrawal.partnerReferenceNo)!.referenceNo);

      rail.complete(withdrawal.partnerReferenceNo, 'succeeded');
      await makeDue();
      await engine.pollDue('MERCHANT');
      expect((await engine.get('MERCHANT', withdrawal.id)).status).toBe('SUCCEEDED');
      expect(rail.submitCalls).toBe(1);
      expect(rail.transfers.size).toBe(1);
      expect(await statusChanges(withdrawal.id)).toEqual(['->PENDING_SUBMIT', 'PENDING_SUBMIT>UNKNOWN', 'UNKNOWN>PROCESSING', 'PROCESSING>SUCCEEDED']);
    });

    it('5xx before Netzme processed it: Netzme has no such transfer, so the SAME reference is resubmitted once', async () => {
      rail.submitBehaviours = ['error-before'];
      const { withdrawal } = await engine.create('MERCHANT', { amount: '50000.00', pin: '123456', idempotencyKey: key() });
      expect(withdrawal.status).toBe('UNKNOWN');
      await makeDue();
      await engine.pollDue('MERCHANT');
      const after = await engine.get('MERCHANT', withdrawal.id);
      expect(after.status).toBe('PROCESSING');
      expect(after.partnerReferenceNo).toBe(withdrawal.partnerReferenceNo);
      expect(after.submitAttempts).toBe(2);
      expect([...rail.transfers.keys()]).toEqual([withdrawal.partnerReferenceNo]);
      expect(rail.transfers.get(withdrawal.partnerReferenceNo)!.pin).toBe('123456');
      expect((await events(withdrawal.id)).map((e) => e.type)).toContain('RESUBMITTED');
    });

    it('a resubmission answered "duplicate reference" means Netzme has it: never sent again, resolved by status', async () => {
      rail.submitBehaviours = ['timeout-after'];
      rail.lookupNeedsReference = true; // Netzme cannot be asked without its referenceNo
      const { withdrawal } = await engine.create('MERCHANT', { amount: '50000.00', pin: '123456', idempotencyKey: key() });
      await makeDue();
      await engine.pollDue('MERCHANT'); // cannot ask -> resubmits -> duplicate -> Netzme has it
      let row = await engine.get('MERCHANT', withdrawal.id);
      expect(row).toMatchObject({ status: 'UNKNOWN', netzmeHasIt: true, submitAttempts: 2 });
      await makeDue();
      await engine.pollDue('MERCHANT');
      expect(rail.submitCalls).toBe(2); // no third send once Netzme confirmed it has it
      // the notification names the transfer: it is resolved and the reference learned
      const transfer = rail.complete(withdrawal.partnerReferenceNo, 'succeeded');
      const result = await engine.applyNotification(
        'MERCHANT',
        withdrawalEvent({
          originalPartnerReferenceNo: withdrawal.partnerReferenceNo,
          originalReferenceNo: transfer.referenceNo,
          latestTransactionStatus: '00',
          amount: { value: '50000.00', currency: 'IDR' },
          additionalInfo: { type: 'submit_withdraw' },
        }),
      );
      expect(result.outcome).toBe('applied');
      row = await engine.get('MERCHANT', withdrawal.id);
      expect(row).toMatchObject({ status: 'SUCCEEDED', referenceNo: transfer.referenceNo });
      expect(rail.transfers.size).toBe(1);
    });

    it('without the PIN in memory it never resends by itself: it waits for a person, who resubmits the same reference', async () => {
      engine = newEngine({ pinMemoryMs: 0 });
      rail.submitBehaviours = ['error-before'];
      const { withdrawal } = await engine.create('MERCHANT', { amount: '50000.00', pin: '123456', idempotencyKey: key() });
      await makeDue();
      await engine.pollDue('MERCHANT');
      const waiting = await engine.get('MERCHANT', withdrawal.id);
      expect(waiting.status).toBe('UNKNOWN');
      expect(waiting.lastError).toMatch(/PIN/);
      expect(rail.transfers.size).toBe(0);

      const resubmitted = await engine.resubmit('MERCHANT', withdrawal.id, { pin: '123456', actor: 'ops: Dewi' });
      expect(resubmitted.status).toBe('PROCESSING');
      expect([...rail.transfers.keys()]).toEqual([withdrawal.partnerReferenceNo]);
      await expectAppError(engine.resubmit('MERCHANT', withdrawal.id, { pin: '123456', actor: 'ops' }), 409, 'WITHDRAWAL_NOT_RESUBMITTABLE');
    });

    it('a status call that fails leaves the withdrawal as it is and tries again later', async () => {
      rail.submitBehaviours = ['timeout-after'];
      const { withdrawal } = await engine.create('MERCHANT', { amount: '50000.00', pin: '123456', idempotencyKey: key() });
      rail.statusDown = true;
      await makeDue();
      expect(await engine.pollDue('MERCHANT')).toMatchObject({ processed: 0, errors: 1 });
      const row = await engine.get('MERCHANT', withdrawal.id);
      expect(row.status).toBe('UNKNOWN');
      expect(row.lastError).toMatch(/status check failed/);
      expect(row.nextCheckAt.getTime()).toBeGreaterThan(Date.now());
      expect(rail.submitCalls).toBe(1);
    });
  });

  describe('crash recovery (another engine instance = the restarted process)', () => {
    it('crash after the transfer was sent: the restarted poller finds it at Netzme; one transfer', async () => {
      rail.submitBehaviours = ['hang-after'];
      const k = key();
      void engine.create('MERCHANT', { amount: '50000.00', pin: '123456', idempotencyKey: k }).catch(() => undefined);
      await waitFor(async () => rail.transfers.size === 1);
      const [row] = (await ds.query('SELECT id, status, submit_attempts FROM withdrawals')) as Array<{ id: string; status: string; submit_attempts: number }>;
      expect(row).toMatchObject({ status: 'PENDING_SUBMIT', submit_attempts: 1 });

      const restarted = newEngine({ pinMemoryMs: 60_000 });
      expect(await restarted.pollDue('MERCHANT')).toMatchObject({ details: { claimed: 0 } }); // still within the grace
      await makeDue();
      await restarted.pollDue('MERCHANT');
      const recovered = await restarted.get('MERCHANT', row.id);
      expect(recovered.status).toBe('PROCESSING');
      expect(recovered.referenceNo).not.toBeNull();
      rail.complete(recovered.partnerReferenceNo, 'succeeded');
      await makeDue();
      await restarted.pollDue('MERCHANT');
      expect((await restarted.get('MERCHANT', row.id)).status).toBe('SUCCEEDED');
      expect(rail.transfers.size).toBe(1);
      expect(rail.submitCalls).toBe(1);
    });

    it('crash before the transfer left: Netzme has nothing; without a PIN it waits, a person resubmits the same reference', async () => {
      rail.submitBehaviours = ['hang-before'];
      void engine.create('MERCHANT', { amount: '50000.00', pin: '123456', idempotencyKey: key() }).catch(() => undefined);
      await waitFor(async () => rail.submitCalls === 1);
      const restarted = newEngine();
      await makeDue();
      await restarted.pollDue('MERCHANT');
      const [row] = (await ds.query('SELECT id, status, last_error FROM withdrawals')) as Array<{ id: string; status: string; last_error: string }>;
      expect(row.status).toBe('UNKNOWN');
      expect(row.last_error).toMatch(/PIN/);
      const done = await restarted.resubmit('MERCHANT', row.id, { pin: '123456', actor: 'ops: Dewi' });
      expect(done.status).toBe('PROCESSING');
      expect(rail.transfers.size).toBe(1);
    });

    it('two pollers claim disjoint rows (FOR UPDATE SKIP LOCKED + lease)', async () => {
      const rails = Array.from({ length: 6 }, (_, i) => i);
      // six merchants' rows, all UNKNOWN and due (one per merchant: the in-flight rule is per merchant)
      for (const i of rails) {
        await ds.query(
          `INSERT INTO withdrawals (kind, merchant_id, status, amount_minor, partner_reference_no, idempotency_key, request_fingerprint,
             beneficiary_account_name, beneficiary_account_number, beneficiary_bank_name, beneficiary_bank_code, next_check_at)
           VALUES ('MERCHANT', $1, 'UNKNOWN', 100000, $2, $3, 'fp', 'A', '1', 'B', '2', now() - interval '1 second')`,
          [`M_${i}`, `WDX${i}`, `k${i}`],
        );
      }
      const a = newEngine();
      const b = newEngine();
      const [ra, rb] = await Promise.all([a.pollDue('MERCHANT'), b.pollDue('MERCHANT')]);
      expect(Number(ra.details!.claimed) + Number(rb.details!.claimed)).toBe(6);
      expect(rail.statusCalls).toBe(6);
      // leased: nothing is due again right away
      expect((await a.pollDue('MERCHANT')).details!.claimed).toBe(0);
    });
  });

  describe('applyNotification', () => {
    const notify = (partnerReferenceNo: string, extra: Record<string, unknown> = {}) =>
      engine.applyNotification(
        'MERCHANT',
        withdrawalEvent({
          originalPartnerReferenceNo: partnerReferenceNo,
          latestTransactionStatus: '00',
          transactionStatusDesc: 'success',
          amount: { value: '50000.00', currency: 'IDR' },
          additionalInfo: { type: 'submit_withdraw' },
          ...extra,
        }),
      );

    it("changes nothing until Netzme's status call confirms it (confirm before trust)", async () => {
      const { withdrawal } = await engine.create('MERCHANT', { amount: '50000.00', pin: '123456', idempotencyKey: key() });
      const calls = rail.statusCalls;
      expect(await notify(withdrawal.partnerReferenceNo)).toMatchObject({
        outcome: 'anomaly',
        reason: expect.stringMatching(/^not confirmed: the notification said succeeded, Netzme's status call says pending/),
      });
      expect(rail.statusCalls).toBe(calls + 1);
      expect((await engine.get('MERCHANT', withdrawal.id)).status).toBe('PROCESSING');
      rail.complete(withdrawal.partnerReferenceNo, 'failed');
      expect(await notify(withdrawal.partnerReferenceNo)).toMatchObject({ outcome: 'anomaly' });
      expect((await engine.get('MERCHANT', withdrawal.id)).status).toBe('FAILED'); // Netzme's word, not the notification's
    });

    it('applies once, then reports duplicates; a backwards move or a wrong amount is an anomaly', async () => {
      const { withdrawal } = await engine.create('MERCHANT', { amount: '50000.00', pin: '123456', idempotencyKey: key() });
      rail.complete(withdrawal.partnerReferenceNo, 'succeeded');
      expect(await notify(withdrawal.partnerReferenceNo)).toMatchObject({ outcome: 'applied', withdrawalId: withdrawal.id });
      expect(await notify(withdrawal.partnerReferenceNo)).toMatchObject({ outcome: 'duplicate' });
      expect(await notify(withdrawal.partnerReferenceNo, { latestTransactionStatus: '06', transactionStatusDesc: 'failed' })).toMatchObject({
        outcome: 'anomaly',
      });
      const row = await engine.get('MERCHANT', withdrawal.id);
      expect(row.status).toBe('SUCCEEDED');
      expect(row.anomaly).toMatch(/failed/);
      expect((await engine.reviewQueue('MERCHANT')).map((r) => r.id)).toContain(withdrawal.id);
    });

    it('refuses an amount mismatch without changing the withdrawal', async () => {
      const { withdrawal } = await engine.create('MERCHANT', { amount: '50000.00', pin: '123456', idempotencyKey: key() });
      expect(await notify(withdrawal.partnerReferenceNo, { amount: { value: '500000.00', currency: 'IDR' } })).toMatchObject({ outcome: 'anomaly' });
      expect((await engine.get('MERCHANT', withdrawal.id)).status).toBe('PROCESSING');
    });

    it('says not-mine for unknown references and for deposit notifications', async () => {
      const { withdrawal } = await engine.create('MERCHANT', { amount: '50000.00', pin: '123456', idempotencyKey: key() });
      expect(await notify('WD-NOT-OURS')).toMatchObject({ outcome: 'not-mine' });
      expect(await notify(withdrawal.partnerReferenceNo, { additionalInfo: { type: 'submit_withdraw_deposit' } })).toMatchObject({ outcome: 'not-mine' });
      // An event naming no withdrawal (the parser never makes one, but the engine does not rely on it).
      expect(
        await engine.applyNotification('MERCHANT', {
          type: 'withdrawal-status',
          withdrawal: 'merchant',
          notificationType: 'submit_withdraw',
          status: '00',
          amount: null,
        }),
      ).toMatchObject({ outcome: 'not-mine' });
    });

    it("finds the withdrawal by Netzme's reference alone, and learns an unknown reference from the notification", async () => {
      rail.submitBehaviours = ['timeout-after'];
      const { withdrawal } = await engine.create('MERCHANT', { amount: '50000.00', pin: '123456', idempotencyKey: key() });
      const transfer = rail.complete(withdrawal.partnerReferenceNo, 'succeeded');
      expect(await notify(withdrawal.partnerReferenceNo, { originalReferenceNo: transfer.referenceNo })).toMatchObject({ outcome: 'applied' });
      expect((await engine.get('MERCHANT', withdrawal.id)).referenceNo).toBe(transfer.referenceNo);
      expect(await notify('', { originalReferenceNo: transfer.referenceNo })).toMatchObject({ outcome: 'duplicate', withdrawalId: withdrawal.id });
    });

    it('a notification racing the Withdraw Process answer: the late answer only records the reference', async () => {
      rail.submitBehaviours = ['hang-after'];
      const creating = engine.create('MERCHANT', { amount: '50000.00', pin: '123456', idempotencyKey: key() });
      await waitFor(async () => rail.transfers.size === 1);
      const [partnerRef] = [...rail.transfers.keys()];
      rail.complete(partnerRef, 'succeeded');
      expect(await notify(partnerRef)).toMatchObject({ outcome: 'applied' });
      rail.releaseHung(); // the (late) answer is a timeout: lost -> ignored on a final row
      const { withdrawal } = await creating;
      expect(withdrawal.status).toBe('SUCCEEDED');
    });

    it('callbacks and polls racing change the row once', async () => {
      const { withdrawal } = await engine.create('MERCHANT', { amount: '50000.00', pin: '123456', idempotencyKey: key() });
      rail.complete(withdrawal.partnerReferenceNo, 'succeeded');
      await makeDue();
      const results = await Promise.all([
        ...Array.from({ length: 8 }, () => notify(withdrawal.partnerReferenceNo)),
        engine.pollDue('MERCHANT'),
        newEngine().pollDue('MERCHANT'),
      ]);
      expect(results.filter((r) => 'outcome' in r && r.outcome === 'applied').length).toBeLessThanOrEqual(1);
      expect((await statusChanges(withdrawal.id)).filter((c) => c.endsWith('>SUCCEEDED'))).toHaveLength(1);
    });
  });

  describe('review and manual resolution', () => {
    it('lists withdrawals unresolved past the threshold and lets a person resolve them, audited', async () => {
      engine = newEngine({ reviewAfterMs: 1, pinMemoryMs: 0 });
      rail.submitBehaviours = ['error-before'];
      const { withdrawal } = await engine.create('MERCHANT', { amount: '50000.00', pin: '123456', idempotencyKey: key() });
      await sleep(20);
      expect((await engine.reviewQueue('MERCHANT')).map((r) => r.id)).toEqual([withdrawal.id]);
      const resolved = await engine.resolve('MERCHANT', withdrawal.id, { status: 'FAILED', reason: 'Netzme support: no such transfer', actor: 'ops: Dewi' });
      expect(resolved).toMatchObject({ status: 'FAILED', failureReason: 'Netzme support: no such transfer' });
      const manual = (await events(withdrawal.id)).find((e) => e.type === 'MANUAL_RESOLUTION');
      expect(manual).toMatchObject({
        from_status: 'UNKNOWN',
        to_status: 'FAILED',
        source: 'admin',
        actor: 'ops: Dewi',
        reason: 'Netzme support: no such transfer',
      });
      await expectAppError(
        engine.resolve('MERCHANT', withdrawal.id, { status: 'SUCCEEDED', reason: 'changed my mind', actor: 'x' }),
        409,
        'WITHDRAWAL_ALREADY_FINAL',
      );
      expect(await engine.reviewQueue('MERCHANT')).toHaveLength(0);
    });

    it('refuses a manual resolution before the withdrawal reaches the review queue', async () => {
      const { withdrawal } = await engine.create('MERCHANT', { amount: '50000.00', pin: '123456', idempotencyKey: key() });
      await expectAppError(engine.resolve('MERCHANT', withdrawal.id, { status: 'FAILED', reason: 'impatient', actor: 'x' }), 409, 'WITHDRAWAL_NOT_IN_REVIEW');
    });

    it('acknowledges an anomaly on a final withdrawal without changing its status', async () => {
      const { withdrawal } = await engine.create('MERCHANT', { amount: '50000.00', pin: '123456', idempotencyKey: key() });
      const base = { originalPartnerReferenceNo: withdrawal.partnerReferenceNo, amount: { value: '50000.00', currency: 'IDR' } };
      rail.complete(withdrawal.partnerReferenceNo, 'succeeded');
      await engine.applyNotification('MERCHANT', withdrawalEvent({ ...base, latestTransactionStatus: '00', additionalInfo: { type: 'submit_withdraw' } }));
      await engine.applyNotification('MERCHANT', withdrawalEvent({ ...base, latestTransactionStatus: '06', additionalInfo: { type: 'submit_withdraw' } }));
      const acknowledged = await engine.resolve('MERCHANT', withdrawal.id, { status: 'SUCCEEDED', reason: 'bank statement shows it arrived', actor: 'ops' });
      expect(acknowledged).toMatchObject({ status: 'SUCCEEDED', anomaly: null });
      expect((await events(withdrawal.id)).map((e) => e.type)).toContain('ANOMALY_ACKNOWLEDGED');
    });
  });

  describe('list', () => {
    it('walks keyset pages newest first without a repeat or a gap, even when rows share created_at', async () => {
      const at = '2026-11-21T12:00:00Z';
      for (let i = 0; i < 5; i++) {
        await ds.query(
          `INSERT INTO withdrawals (kind, merchant_id, status, amount_minor, partner_reference_no, idempotency_key, request_fingerprint,
             beneficiary_account_name, beneficiary_account_number, beneficiary_bank_name, beneficiary_bank_code, resolved_at, created_at)
           VALUES ('MERCHANT', 'M_X', 'SUCCEEDED', 100000, $1, $2, 'fp', 'A', '1', 'B', '2', now(), $3)`,
          [`WD-L${i}`, `kl${i}`, i < 3 ? at : `2026-11-21T12:00:0${i}Z`],
        );
      }
      const expected = (await ds.query(`SELECT id FROM withdrawals ORDER BY created_at DESC, id DESC`)).map((r: { id: string }) => r.id);
      const seen: string[] = [];
      let afterId: string | undefined;
      do {
        const { items } = await engine.list('MERCHANT', { afterId, limit: 2 });
        seen.push(...items.map((w) => w.id));
        afterId = items.length === 2 ? items[1].id : undefined;
      } while (afterId);
      expect(seen).toEqual(expected);
      expect((await engine.list('DEPOSIT', { limit: 10 })).items).toEqual([]);
    });
  });

  describe('the database itself', () => {
    it('refuses two in-flight withdrawals for one merchant even when the application check is skipped', async () => {
      const insert = (ref: string, k: string) =>
        ds.query(
          `INSERT INTO withdrawals (kind, merchant_id, status, amount_minor, partner_reference_no, idempotency_key, request_fingerprint,
             beneficiary_account_name, beneficiary_account_number, beneficiary_bank_name, beneficiary_bank_code)
           VALUES ('MERCHANT', 'M_X', 'PROCESSING', 100000, $1, $2, 'fp', 'A', '1', 'B', '2')`,
          [ref, k],
        );
      await insert('WD-A', 'ka');
      await expect(insert('WD-B', 'kb')).rejects.toThrow(/withdrawals_one_in_flight/);
      await expect(ds.query(`UPDATE withdrawals SET status = 'SUCCEEDED' WHERE partner_reference_no = 'WD-A'`)).rejects.toThrow(
        /withdrawals_resolved_when_final/,
      );
      await expect(ds.query(`UPDATE withdrawals SET amount_minor = -1`)).rejects.toThrow(/check/);
    });
  });
});

async function waitFor(predicate: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
