import {
  ALLOWED_TRANSITIONS,
  canTransition,
  decidePayout,
  mapNetzmeTransferStatus,
  PAYOUT_STATUSES,
  type PayoutSnapshot,
  type PayoutStatus,
} from './payout-state';

const row = (status: PayoutStatus, extra: Partial<PayoutSnapshot> = {}): PayoutSnapshot => ({
  status,
  amountMinor: 5_000_000n,
  referenceNo: null,
  netzmeHasIt: false,
  ...extra,
});

describe('payout state machine', () => {
  describe('ALLOWED_TRANSITIONS', () => {
    it('never lets a terminal status move', () => {
      for (const to of PAYOUT_STATUSES) {
        expect(canTransition('SUCCEEDED', to)).toBe(false);
        expect(canTransition('FAILED', to)).toBe(false);
      }
    });

    it('never moves back to PENDING_SUBMIT or from PROCESSING to UNKNOWN', () => {
      for (const from of PAYOUT_STATUSES) {
        expect(canTransition(from, 'PENDING_SUBMIT')).toBe(false);
      }
      expect(canTransition('PROCESSING', 'UNKNOWN')).toBe(false);
    });

    it('only ever decides moves the table allows', () => {
      const observations = [
        { type: 'accepted', referenceNo: 'R1' },
        { type: 'refused', reason: 'no' },
        { type: 'lost', reason: 'timeout' },
        { type: 'exists' },
        { type: 'status', state: 'pending' },
        { type: 'status', state: 'succeeded' },
        { type: 'status', state: 'failed' },
        { type: 'manual', to: 'SUCCEEDED', reason: 'checked' },
        { type: 'manual', to: 'FAILED', reason: 'checked' },
      ] as const;
      for (const status of PAYOUT_STATUSES) {
        for (const observation of observations) {
          const decision = decidePayout(row(status), observation);
          if (decision.to) {
            expect(ALLOWED_TRANSITIONS[status]).toContain(decision.to);
          }
        }
      }
    });
  });

  describe('decide: the send', () => {
    it('moves PENDING_SUBMIT to PROCESSING when Netzme accepts, recording its reference', () => {
      expect(decidePayout(row('PENDING_SUBMIT'), { type: 'accepted', referenceNo: 'R1' })).toMatchObject({
        to: 'PROCESSING',
        outcome: 'applied',
        patch: { referenceNo: 'R1', netzmeHasIt: true },
      });
    });

    it('fails a PENDING_SUBMIT on a definite refusal, but ignores a refusal in any other state', () => {
      expect(decidePayout(row('PENDING_SUBMIT'), { type: 'refused', reason: 'Invalid PIN' })).toMatchObject({
        to: 'FAILED',
        patch: { failureReason: 'Invalid PIN' },
      });
      expect(decidePayout(row('UNKNOWN'), { type: 'refused', reason: 'Insufficient Funds' }).to).toBeNull();
      expect(decidePayout(row('PROCESSING'), { type: 'refused', reason: 'x' }).to).toBeNull();
    });

    it('makes a lost answer UNKNOWN, never FAILED', () => {
      expect(decidePayout(row('PENDING_SUBMIT'), { type: 'lost', reason: 'timeout' }).to).toBe('UNKNOWN');
      expect(decidePayout(row('UNKNOWN'), { type: 'lost', reason: 'timeout' }).to).toBeNull();
      expect(decidePayout(row('PROCESSING'), { type: 'lost', reason: 'timeout' }).to).toBeNull();
    });

    it('treats a duplicate-reference answer as "Netzme has it": UNKNOWN, resolved by status, never resent', () => {
      expect(decidePayout(row('PENDING_SUBMIT'), { type: 'exists' })).toMatchObject({ to: 'UNKNOWN', patch: { netzmeHasIt: true } });
      expect(decidePayout(row('UNKNOWN'), { type: 'exists', referenceNo: 'R9' })).toMatchObject({ to: null, patch: { netzmeHasIt: true, referenceNo: 'R9' } });
    });

    it('accepts a transfer answered under another reference than ours, keeping ours and flagging it', () => {
      expect(decidePayout(row('PENDING_SUBMIT', { referenceNo: 'OURS' }), { type: 'accepted', referenceNo: 'THEIRS' })).toMatchObject({
        to: 'PROCESSING',
        outcome: 'anomaly',
        patch: { netzmeHasIt: true },
      });
      expect(decidePayout(row('PENDING_SUBMIT', { referenceNo: 'OURS' }), { type: 'accepted', referenceNo: 'THEIRS' }).patch.referenceNo).toBeUndefined();
    });

    it('records a late accept on a payout the notification already finished, without moving it', () => {
      expect(decidePayout(row('SUCCEEDED'), { type: 'accepted', referenceNo: 'R1' })).toMatchObject({
        to: null,
        outcome: 'duplicate',
        patch: { referenceNo: 'R1' },
      });
    });
  });

  describe('decide: Netzme status (poll or notification)', () => {
    it('finishes an unresolved payout', () => {
      for (const status of ['PENDING_SUBMIT', 'UNKNOWN', 'PROCESSING'] as const) {
        expect(decidePayout(row(status), { type: 'status', state: 'succeeded' }).to).toBe('SUCCEEDED');
        expect(decidePayout(row(status), { type: 'status', state: 'failed' }).to).toBe('FAILED');
      }
      expect(decidePayout(row('UNKNOWN'), { type: 'status', state: 'pending', referenceNo: 'R1' })).toMatchObject({
        to: 'PROCESSING',
        patch: { referenceNo: 'R1' },
      });
    });

    it('reports a repeat as a duplicate', () => {
      expect(decidePayout(row('SUCCEEDED'), { type: 'status', state: 'succeeded' })).toMatchObject({ to: null, outcome: 'duplicate' });
      expect(decidePayout(row('PROCESSING'), { type: 'status', state: 'pending' })).toMatchObject({ to: null, outcome: 'duplicate' });
    });

    it('reports a backwards move on a final payout as an anomaly and changes nothing', () => {
      expect(decidePayout(row('SUCCEEDED'), { type: 'status', state: 'failed' })).toMatchObject({ to: null, outcome: 'anomaly' });
      expect(decidePayout(row('FAILED'), { type: 'status', state: 'succeeded' })).toMatchObject({ to: null, outcome: 'anomaly' });
      expect(decidePayout(row('SUCCEEDED'), { type: 'status', state: 'pending' })).toMatchObject({ to: null, outcome: 'anomaly' });
    });

    it('refuses a different amount or reference as an anomaly', () => {
      expect(decidePayout(row('PROCESSING'), { type: 'status', state: 'succeeded', amountMinor: 4_999_999n })).toMatchObject({ to: null, outcome: 'anomaly' });
      expect(decidePayout(row('PROCESSING', { referenceNo: 'R1' }), { type: 'status', state: 'succeeded', referenceNo: 'R2' })).toMatchObject({
        to: null,
        outcome: 'anomaly',
      });
      expect(
        decidePayout(row('PROCESSING', { referenceNo: 'R1' }), { type: 'status', state: 'succeeded', referenceNo: 'R1', amountMinor: 5_000_000n }).to,
      ).toBe('SUCCEEDED');
    });
  });

  describe('decide: manual resolution', () => {
    it('settles an unresolved payout and never touches a final one', () => {
      expect(decidePayout(row('UNKNOWN'), { type: 'manual', to: 'FAILED', reason: 'Netzme confirmed no transfer' })).toMatchObject({
        to: 'FAILED',
        patch: { failureReason: 'Netzme confirmed no transfer' },
      });
      expect(decidePayout(row('FAILED'), { type: 'manual', to: 'SUCCEEDED', reason: 'x' }).to).toBeNull();
    });
  });

  describe('mapNetzmeTransferStatus', () => {
    it.each([
      ['00', 'success', 'succeeded'],
      ['03', 'processing', 'pending'],
      ['01', undefined, 'pending'],
      ['06', 'failed', 'failed'],
      ['05', undefined, 'failed'],
      ['07', 'failed', 'failed'],
      ['07', 'not found', null],
      ['99', 'success', null],
      [undefined, 'success', 'succeeded'],
      [undefined, 'FAILED', 'failed'],
      [undefined, undefined, null],
      [0, 'success', null],
    ])('%p / %p -> %p', (code, desc, expected) => {
      expect(mapNetzmeTransferStatus(code, desc)).toBe(expected);
    });
  });
});
