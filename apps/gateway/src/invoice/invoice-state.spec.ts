import { ALLOWED_FROM, canMove, decideInvoice, INVOICE_STATUSES, INVOICE_TERMINAL_STATUSES, InvoiceObservation, isTerminal } from './invoice-state';

describe('order state machine', () => {
  it('never moves a terminal order', () => {
    for (const from of INVOICE_TERMINAL_STATUSES) {
      for (const to of INVOICE_STATUSES) {
        expect(canMove(from, to)).toBe(false);
      }
    }
  });

  it('never moves an order onto its own status (a repeat is a no-op, not a transition)', () => {
    for (const status of INVOICE_STATUSES) {
      expect(canMove(status, status)).toBe(false);
    }
  });

  it('lets the documented paths through', () => {
    expect(canMove('CREATING', 'PENDING')).toBe(true);
    expect(canMove('CREATING', 'UNKNOWN')).toBe(true);
    expect(canMove('CREATING', 'FAILED')).toBe(true);
    expect(canMove('UNKNOWN', 'PENDING')).toBe(true);
    expect(canMove('PENDING', 'PAID')).toBe(true);
    expect(canMove('PENDING', 'EXPIRED')).toBe(true);
    expect(canMove('UNKNOWN', 'PAID')).toBe(true);
  });

  it('refuses backwards or unproven moves', () => {
    expect(canMove('PENDING', 'UNKNOWN')).toBe(false);
    expect(canMove('PENDING', 'CREATING')).toBe(false);
    // Expiry needs Netzme's word that the invoice exists, which a CREATING order does not have yet.
    expect(canMove('CREATING', 'EXPIRED')).toBe(false);
    expect(canMove('UNKNOWN', 'CREATING')).toBe(false);
  });

  it('nothing moves into CREATING: it is only ever the first state', () => {
    expect(ALLOWED_FROM.CREATING).toEqual([]);
    expect(isTerminal('CREATING')).toBe(false);
    expect(isTerminal('PAID')).toBe(true);
  });
});

describe('decideInvoice (pure)', () => {
  const ok = { ok: true } as const;
  const decide = (status: (typeof INVOICE_STATUSES)[number], observation: InvoiceObservation, purpose: 'ORDER' | 'DEPOSIT_TOPUP' = 'ORDER') =>
    decideInvoice({ status, purpose }, observation);

  it('moves an open invoice along the documented paths', () => {
    expect(decide('CREATING', { type: 'created' })).toEqual({ to: 'PENDING', outcome: 'applied' });
    expect(decide('UNKNOWN', { type: 'created' })).toEqual({ to: 'PENDING', outcome: 'applied' });
    expect(decide('CREATING', { type: 'lost' })).toEqual({ to: 'UNKNOWN', outcome: 'applied' });
    expect(decide('CREATING', { type: 'refused' })).toEqual({ to: 'FAILED', outcome: 'applied' });
    expect(decide('PENDING', { type: 'paid', amount: ok })).toEqual({ to: 'PAID', outcome: 'applied' });
    expect(decide('UNKNOWN', { type: 'paid', amount: ok })).toEqual({ to: 'PAID', outcome: 'applied' });
    expect(decide('PENDING', { type: 'closed' })).toEqual({ to: 'EXPIRED', outcome: 'applied' });
    expect(decide('UNKNOWN', { type: 'closed' })).toEqual({ to: 'EXPIRED', outcome: 'applied' });
  });

  it('a wrong amount is an anomaly, never a payment', () => {
    expect(decide('PENDING', { type: 'paid', amount: { ok: false, reason: 'paid 1 sen, the order is for 2 sen' } })).toEqual({
      to: null,
      outcome: 'anomaly',
      reason: 'paid 1 sen, the order is for 2 sen',
    });
  });

  it('a repeat is a duplicate; money for a closed invoice is an anomaly for a person', () => {
    expect(decide('PAID', { type: 'paid', amount: ok })).toEqual({ to: null, outcome: 'duplicate', reason: 'the order is already PAID' });
    expect(decide('PAID', { type: 'paid', amount: ok }, 'DEPOSIT_TOPUP')).toMatchObject({ outcome: 'duplicate', reason: 'the top-up is already PAID' });
    expect(decide('EXPIRED', { type: 'paid', amount: ok })).toEqual({ to: null, outcome: 'anomaly', reason: 'payment for an order that is EXPIRED' });
    expect(decide('FAILED', { type: 'paid', amount: ok }, 'DEPOSIT_TOPUP')).toEqual({
      to: null,
      outcome: 'anomaly',
      reason: 'payment for a top-up that is FAILED',
    });
    expect(decide('EXPIRED', { type: 'closed' })).toEqual({ to: null, outcome: 'duplicate' });
    expect(decide('PAID', { type: 'closed' })).toMatchObject({ to: null, outcome: 'anomaly' });
  });

  it('never moves a terminal invoice, whatever it learns', () => {
    const observations: InvoiceObservation[] = [{ type: 'created' }, { type: 'lost' }, { type: 'refused' }, { type: 'paid', amount: ok }, { type: 'closed' }];
    for (const status of INVOICE_TERMINAL_STATUSES) {
      for (const observation of observations) {
        expect({ status, observation, to: decide(status, observation).to }).toEqual({ status, observation, to: null });
      }
    }
  });

  it('changes nothing it may not: a CREATING invoice cannot expire, a PENDING one cannot be lost', () => {
    expect(decide('CREATING', { type: 'closed' })).toEqual({ to: null, outcome: 'noop' });
    expect(decide('PENDING', { type: 'lost' })).toEqual({ to: null, outcome: 'noop' });
  });
});
