import { decideSplitFee, SPLIT_FEE_STATUSES, type SplitFeeObservation } from './split-fee-state';

const at = (status: (typeof SPLIT_FEE_STATUSES)[number]) => ({ status });

describe('split fee state machine (decideSplitFee)', () => {
  it('is DEDUCTED when Netzme accepts it or already has the reference', () => {
    expect(decideSplitFee(at('PENDING_SUBMIT'), { type: 'accepted' })).toEqual({ to: 'DEDUCTED', outcome: 'applied' });
    expect(decideSplitFee(at('UNKNOWN'), { type: 'duplicate' })).toEqual({ to: 'DEDUCTED', outcome: 'applied' });
    expect(decideSplitFee(at('DEDUCTED'), { type: 'duplicate' })).toEqual({ to: null, outcome: 'duplicate' });
  });

  it('fails only on a refusal of the first send; a lost answer is UNKNOWN', () => {
    expect(decideSplitFee(at('PENDING_SUBMIT'), { type: 'refused', first: true, reason: 'Insufficient Funds' })).toEqual({
      to: 'FAILED',
      outcome: 'applied',
      reason: 'Insufficient Funds',
    });
    expect(decideSplitFee(at('UNKNOWN'), { type: 'refused', first: false, reason: 'Insufficient Funds' })).toMatchObject({ to: null, outcome: 'noop' });
    expect(decideSplitFee(at('PENDING_SUBMIT'), { type: 'lost', reason: 'timeout' })).toEqual({ to: 'UNKNOWN', outcome: 'applied', reason: 'timeout' });
    expect(decideSplitFee(at('UNKNOWN'), { type: 'lost', reason: 'timeout' })).toMatchObject({ to: null, outcome: 'noop' });
  });

  it('never changes a final record', () => {
    const observations: SplitFeeObservation[] = [
      { type: 'accepted' },
      { type: 'duplicate' },
      { type: 'refused', first: true, reason: 'x' },
      { type: 'lost', reason: 'x' },
    ];
    for (const status of ['DEDUCTED', 'FAILED'] as const) {
      for (const observation of observations) {
        expect({ status, observation, to: decideSplitFee(at(status), observation).to }).toEqual({ status, observation, to: null });
      }
    }
  });

  it('only ever moves an open record, and only forward', () => {
    const observations: SplitFeeObservation[] = [
      { type: 'accepted' },
      { type: 'duplicate' },
      { type: 'refused', first: true, reason: 'x' },
      { type: 'refused', first: false, reason: 'x' },
      { type: 'lost', reason: 'x' },
    ];
    for (const status of SPLIT_FEE_STATUSES) {
      for (const observation of observations) {
        const { to, outcome } = decideSplitFee(at(status), observation);
        if (to !== null) {
          expect(['PENDING_SUBMIT', 'UNKNOWN']).toContain(status);
          expect(to).not.toBe('PENDING_SUBMIT');
          expect(outcome).toBe('applied');
        }
      }
    }
  });
});
