import { decideTopup, TOPUP_STATUSES, type TopupStatus } from './topup-state';

const row = (status: TopupStatus) => ({ status, amountMinor: 10_000_000n });

describe('deposit top-up state machine', () => {
  it('creates, pays and expires an open top-up', () => {
    expect(decideTopup(row('PENDING_CREATE'), { type: 'created' }).to).toBe('PENDING');
    expect(decideTopup(row('PENDING'), { type: 'paid', amountMinor: 10_000_000n }).to).toBe('PAID');
    expect(decideTopup(row('UNKNOWN'), { type: 'paid', amountMinor: null }).to).toBe('PAID');
    expect(decideTopup(row('PENDING'), { type: 'expired', reason: 'closed' }).to).toBe('EXPIRED');
  });

  it('fails only a top-up whose first call was refused; a lost answer is UNKNOWN', () => {
    expect(decideTopup(row('PENDING_CREATE'), { type: 'refused', reason: 'Invalid Amount' }).to).toBe('FAILED');
    expect(decideTopup(row('PENDING'), { type: 'refused', reason: 'x' }).to).toBeNull();
    expect(decideTopup(row('PENDING_CREATE'), { type: 'lost', reason: 'timeout' }).to).toBe('UNKNOWN');
  });

  it('never changes a final top-up; a late payment or a wrong amount is an anomaly', () => {
    for (const status of ['PAID', 'EXPIRED', 'FAILED'] as const) {
      for (const observation of [{ type: 'created' }, { type: 'refused', reason: 'x' }, { type: 'lost', reason: 'x' }, { type: 'paid', amountMinor: 10_000_000n }, { type: 'expired', reason: 'x' }] as const) {
        expect(decideTopup(row(status), observation).to).toBeNull();
      }
    }
    expect(decideTopup(row('EXPIRED'), { type: 'paid', amountMinor: 10_000_000n }).outcome).toBe('anomaly');
    expect(decideTopup(row('PAID'), { type: 'paid', amountMinor: 10_000_000n }).outcome).toBe('duplicate');
    expect(decideTopup(row('PENDING'), { type: 'paid', amountMinor: 1n })).toMatchObject({ to: null, outcome: 'anomaly' });
  });

  it('knows every status', () => {
    expect(TOPUP_STATUSES).toEqual(['PENDING_CREATE', 'PENDING', 'UNKNOWN', 'PAID', 'EXPIRED', 'FAILED']);
  });
});
