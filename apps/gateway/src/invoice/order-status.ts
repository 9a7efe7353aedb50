/**
 * The order state machine: the one table every writer (create call, callbacks, poller, admin
 * refresh) goes through. Transitions are applied with a conditional UPDATE whose WHERE clause is the
 * "allowed from" list below, so racing writers change a row at most once.
 *
 *   CREATING --(Netzme answered)--> PENDING --(paid)--> PAID
 *      |                               |----(closed / past expiry)--> EXPIRED
 *      |--(timeout / 5xx)--> UNKNOWN --(resolved)--> PENDING | PAID | EXPIRED | FAILED
 *      |--(Netzme refused)--> FAILED
 */
export const ORDER_STATUSES = ['CREATING', 'UNKNOWN', 'PENDING', 'PAID', 'EXPIRED', 'FAILED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Once here, an order never changes status again. */
export const TERMINAL_ORDER_STATUSES: readonly OrderStatus[] = ['PAID', 'EXPIRED', 'FAILED'];

/** Still being worked on: the poller looks at these. */
export const OPEN_ORDER_STATUSES: readonly OrderStatus[] = ['CREATING', 'UNKNOWN', 'PENDING'];

/** For each target status, the statuses an order may move from. */
export const ALLOWED_FROM: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  CREATING: [],
  // Only the create call itself turns CREATING into UNKNOWN (timeout, 5xx, lost answer).
  UNKNOWN: ['CREATING'],
  PENDING: ['CREATING', 'UNKNOWN'],
  // A payment may be proven before we ever saw the create answer (callback matched by our reference).
  PAID: ['CREATING', 'UNKNOWN', 'PENDING'],
  EXPIRED: ['UNKNOWN', 'PENDING'],
  FAILED: ['CREATING', 'UNKNOWN', 'PENDING'],
};

export function isTerminal(status: OrderStatus): boolean {
  return TERMINAL_ORDER_STATUSES.includes(status);
}

export function canMove(from: OrderStatus, to: OrderStatus): boolean {
  return ALLOWED_FROM[to].includes(from);
}

/** Who moved an order (kept in order_status_history). */
export type TransitionSource = 'create' | 'checkout-retry' | 'callback' | 'poll' | 'admin';

/** What an invoice is for: a checkout order, or a top-up of the prepaid deposit (apiSource topup_deposit). */
export const INVOICE_PURPOSES = ['ORDER', 'DEPOSIT_TOPUP'] as const;
export type InvoicePurpose = (typeof INVOICE_PURPOSES)[number];
