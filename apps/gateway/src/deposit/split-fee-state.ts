/**
 * Deduct Deposit and Split Fee (T20) records (pure rules; see split-fee-state.spec.ts). Netzme has
 * no status endpoint for it, but refuses a repeated partnerReferenceNo (4090001): re-sending the
 * SAME reference is therefore the status question — accepted now or "already there" both mean the
 * fee is deducted exactly once. DepositRepository.applySplitFee applies a decision with one
 * conditional UPDATE (`WHERE id = $1 AND status = ANY(from)`).
 *
 *   PENDING_SUBMIT --accepted / duplicate--> DEDUCTED
 *        |   \--refused (first send)--> FAILED
 *        \--answer lost / crash--> UNKNOWN --resend accepted / duplicate--> DEDUCTED
 */
export const SPLIT_FEE_STATUSES = ['PENDING_SUBMIT', 'UNKNOWN', 'DEDUCTED', 'FAILED'] as const;
export type SplitFeeStatus = (typeof SPLIT_FEE_STATUSES)[number];
export const SPLIT_FEE_OPEN_STATUSES: readonly SplitFeeStatus[] = ['PENDING_SUBMIT', 'UNKNOWN'];

export type SplitFeeObservation =
  { type: 'accepted' } | { type: 'duplicate' } | { type: 'refused'; first: boolean; reason: string } | { type: 'lost'; reason: string };

export interface SplitFeeDecision {
  /** New status, or null to leave it. */
  to: SplitFeeStatus | null;
  outcome: 'applied' | 'duplicate' | 'anomaly' | 'noop';
  reason?: string;
}

export function decideSplitFee(current: { status: SplitFeeStatus }, observation: SplitFeeObservation): SplitFeeDecision {
  const { status } = current;
  const open = SPLIT_FEE_OPEN_STATUSES.includes(status);
  switch (observation.type) {
    case 'accepted':
    case 'duplicate':
      if (status === 'DEDUCTED') return { to: null, outcome: 'duplicate' };
      return open ? { to: 'DEDUCTED', outcome: 'applied' } : { to: null, outcome: 'noop', reason: `already ${status}` };
    case 'refused':
      // A re-send's refusal proves nothing about the first send.
      if (observation.first && status === 'PENDING_SUBMIT') return { to: 'FAILED', outcome: 'applied', reason: observation.reason };
      return { to: null, outcome: 'noop', reason: open ? 'a re-send was refused: the first send may have gone through' : `already ${status}` };
    case 'lost':
      return status === 'PENDING_SUBMIT' ? { to: 'UNKNOWN', outcome: 'applied', reason: observation.reason } : { to: null, outcome: 'noop' };
  }
}
