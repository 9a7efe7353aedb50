import { ALLOWED_FROM, canMove, isTerminal, ORDER_STATUSES, TERMINAL_ORDER_STATUSES } from './order-status';

describe('order state machine', () => {
  it('never moves a terminal order', () => {
    for (const from of TERMINAL_ORDER_STATUSES) {
      for (const to of ORDER_STATUSES) {
        expect(canMove(from, to)).toBe(false);
      }
    }
  });

  it('never moves an order onto its own status (a repeat is a no-op, not a transition)', () => {
    for (const status of ORDER_STATUSES) {
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
