import { decideSplitFee } from './split-fee-state';

describe('split fee state machine', () => {
  it('is DEDUCTED when Netzme accepts it or already has the reference', () => {
    expect(decideSplitFee('PENDING_SUBMIT', { type: 'accepted' })).toBe('DEDUCTED');
    expect(decideSplitFee('UNKNOWN', { type: 'duplicate' })).toBe('DEDUCTED');
  });

  it('fails only on a refusal of the first send; a lost answer is UNKNOWN', () => {
    expect(decideSplitFee('PENDING_SUBMIT', { type: 'refused', first: true, reason: 'Insufficient Funds' })).toBe('FAILED');
    expect(decideSplitFee('UNKNOWN', { type: 'refused', first: false, reason: 'Insufficient Funds' })).toBeNull();
    expect(decideSplitFee('PENDING_SUBMIT', { type: 'lost', reason: 'timeout' })).toBe('UNKNOWN');
    expect(decideSplitFee('UNKNOWN', { type: 'lost', reason: 'timeout' })).toBeNull();
  });

  it('never changes a final record', () => {
    for (const status of ['DEDUCTED', 'FAILED'] as const) {
      expect(decideSplitFee(status, { type: 'accepted' })).toBeNull();
      expect(decideSplitFee(status, { type: 'refused', first: true, reason: 'x' })).toBeNull();
      expect(decideSplitFee(status, { type: 'lost', reason: 'x' })).toBeNull();
    }
  });
});
