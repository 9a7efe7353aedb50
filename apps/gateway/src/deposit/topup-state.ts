/**
 * The deposit top-up state machine (pure; see topup-state.spec.ts). A top-up is an invoice
 * (Create Invoice Transaction with apiSource topup_deposit) that pays into the prepaid deposit.
 *
 *   PENDING_CREATE --created--> PENDING --paid--> PAID
 *        |   \--refused--> FAILED     \--expired--> EXPIRED
 *        \--answer lost--> UNKNOWN --paid (callback found it)--> PAID
 *                                  \--past its expiry, never shown to anyone--> EXPIRED
 *
 * PAID, EXPIRED and FAILED are terminal; a payment reported for an expired or failed top-up is an
 * anomaly for people to look at, never a silent change.
 */
export const TOPUP_STATUSES = ['PENDING_CREATE', 'PENDING', 'UNKNOWN', 'PAID', 'EXPIRED', 'FAILED'] as const;
export type TopupStatus = (typeof TOPUP_STATUSES)[number];

export const TOPUP_OPEN_STATUSES: readonly TopupStatus[] = ['PENDING_CREATE', 'PENDING', 'UNKNOWN'];

export function isTopupFinal(status: TopupStatus): boolean {
  return !TOPUP_OPEN_STATUSES.includes(status);
}

export type TopupObservation =
  | { type: 'created' }
  | { type: 'refused'; reason: string }
  | { type: 'lost'; reason: string }
  | { type: 'paid'; amountMinor: bigint | null }
  | { type: 'expired'; reason: string };

export interface TopupDecision {
  to: TopupStatus | null;
  outcome: 'applied' | 'duplicate' | 'anomaly' | 'noop';
  reason?: string;
}

export function decideTopup(current: { status: TopupStatus; amountMinor: bigint }, observation: TopupObservation): TopupDecision {
  const { status } = current;
  switch (observation.type) {
    case 'created':
      return status === 'PENDING_CREATE' || status === 'UNKNOWN' ? { to: 'PENDING', outcome: 'applied' } : { to: null, outcome: 'noop' };
    case 'refused':
      return status === 'PENDING_CREATE' ? { to: 'FAILED', outcome: 'applied', reason: observation.reason } : { to: null, outcome: 'noop' };
    case 'lost':
      return status === 'PENDING_CREATE' ? { to: 'UNKNOWN', outcome: 'applied', reason: observation.reason } : { to: null, outcome: 'noop' };
    case 'paid':
      if (observation.amountMinor !== null && observation.amountMinor !== current.amountMinor) {
        return { to: null, outcome: 'anomaly', reason: `paid amount ${observation.amountMinor} sen differs from the top-up's ${current.amountMinor} sen` };
      }
      if (status === 'PAID') return { to: null, outcome: 'duplicate' };
      if (isTopupFinal(status)) return { to: null, outcome: 'anomaly', reason: `Netzme reports a payment for a top-up that is ${status}` };
      return { to: 'PAID', outcome: 'applied' };
    case 'expired':
      if (status === 'EXPIRED') return { to: null, outcome: 'duplicate' };
      if (status === 'PAID') return { to: null, outcome: 'anomaly', reason: 'Netzme reports a paid top-up as expired' };
      if (isTopupFinal(status)) return { to: null, outcome: 'noop' };
      return { to: 'EXPIRED', outcome: 'applied', reason: observation.reason };
  }
}
