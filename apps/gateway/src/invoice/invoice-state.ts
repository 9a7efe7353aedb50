/**
 * The invoice state machine (checkout orders and deposit top-ups alike): the one table every writer
 * (create call, callbacks, poller, admin refresh) goes through. Transitions are applied with a conditional UPDATE whose WHERE clause is the
 * "allowed from" list below, so racing writers change a row at most once.
 *
 *   CREATING --(Netzme answered)--> PENDING --(paid)--> PAID
 *      |                               |----(closed / past expiry)--> EXPIRED
 *      |--(timeout / 5xx)--> UNKNOWN --(resolved)--> PENDING | PAID | EXPIRED | FAILED
 *      |--(Netzme refused)--> FAILED
 */
export const INVOICE_STATUSES = ['CREATING', 'UNKNOWN', 'PENDING', 'PAID', 'EXPIRED', 'FAILED'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/** Once here, an order never changes status again. */
export const INVOICE_TERMINAL_STATUSES: readonly InvoiceStatus[] = ['PAID', 'EXPIRED', 'FAILED'];

/** Still being worked on: the poller looks at these. */
export const INVOICE_OPEN_STATUSES: readonly InvoiceStatus[] = ['CREATING', 'UNKNOWN', 'PENDING'];

/** For each target status, the statuses an order may move from. */
export const ALLOWED_FROM: Readonly<Record<InvoiceStatus, readonly InvoiceStatus[]>> = {
  CREATING: [],
  // Only the create call itself turns CREATING into UNKNOWN (timeout, 5xx, lost answer).
  UNKNOWN: ['CREATING'],
  PENDING: ['CREATING', 'UNKNOWN'],
  // A payment may be proven before we ever saw the create answer (callback matched by our reference).
  PAID: ['CREATING', 'UNKNOWN', 'PENDING'],
  EXPIRED: ['UNKNOWN', 'PENDING'],
  FAILED: ['CREATING', 'UNKNOWN', 'PENDING'],
};

export function isTerminal(status: InvoiceStatus): boolean {
  return INVOICE_TERMINAL_STATUSES.includes(status);
}

export function canMove(from: InvoiceStatus, to: InvoiceStatus): boolean {
  return ALLOWED_FROM[to].includes(from);
}

/** Who moved an order (kept in order_status_history). */
export type TransitionSource = 'create' | 'checkout-retry' | 'callback' | 'poll' | 'admin';

/** What an invoice is for: a checkout order, or a top-up of the prepaid deposit (apiSource topup_deposit). */
export const INVOICE_PURPOSES = ['ORDER', 'DEPOSIT_TOPUP'] as const;
export type InvoicePurpose = (typeof INVOICE_PURPOSES)[number];

/** What we learnt about an invoice, from Netzme or from our own clock. */
export type InvoiceObservation =
  /** Netzme answered the create call (or a look-up by our reference found the invoice). */
  | { type: 'created' }
  /** The create call got no clear answer (timeout, 5xx, a lost answer). */
  | { type: 'lost' }
  /** Netzme refused the invoice: nothing was created. */
  | { type: 'refused' }
  /** Netzme says it is paid; `amount` is the one paid-amount rule's verdict (checkPaidAmount). */
  | { type: 'paid'; amount: { ok: true } | { ok: false; reason: string } }
  /** Netzme closed it unpaid, or its time is over. */
  | { type: 'closed' };

export interface InvoiceDecision {
  to: InvoiceStatus | null;
  outcome: 'applied' | 'duplicate' | 'anomaly' | 'noop';
  reason?: string;
}

/**
 * The invoice state machine as a pure function (invoice-state.spec.ts): what an observation does to
 * an invoice in `current.status`. Applying a decision is one conditional UPDATE whose WHERE clause is
 * ALLOWED_FROM[to] (InvoiceRepository.transition), so racing writers change an invoice at most once.
 */
export function decideInvoice(current: { status: InvoiceStatus; purpose?: InvoicePurpose }, observation: InvoiceObservation): InvoiceDecision {
  const { status } = current;
  const move = (to: InvoiceStatus): InvoiceDecision => (canMove(status, to) ? { to, outcome: 'applied' } : { to: null, outcome: 'noop' });
  const what = current.purpose === 'DEPOSIT_TOPUP' ? 'top-up' : 'order';
  switch (observation.type) {
    case 'created':
      return move('PENDING');
    case 'lost':
      return move('UNKNOWN');
    case 'refused':
      return move('FAILED');
    case 'paid':
      if (status === 'PAID') {
        return { to: null, outcome: 'duplicate', reason: `the ${what} is already PAID` };
      }
      if (isTerminal(status)) {
        // Money arrived for an invoice we consider closed: a person must look (refund or accept).
        return { to: null, outcome: 'anomaly', reason: `payment for ${what === 'order' ? 'an order' : 'a top-up'} that is ${status}` };
      }
      return observation.amount.ok ? move('PAID') : { to: null, outcome: 'anomaly', reason: observation.amount.reason };
    case 'closed':
      if (status === 'EXPIRED') {
        return { to: null, outcome: 'duplicate' };
      }
      if (status === 'PAID') {
        return { to: null, outcome: 'anomaly', reason: `Netzme reports a paid ${what} as closed` };
      }
      return move('EXPIRED');
  }
}
