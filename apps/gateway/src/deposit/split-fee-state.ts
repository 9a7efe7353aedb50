/**
 * Deduct Deposit and Split Fee (T20) records (pure rules; see split-fee-state.spec.ts). Netzme has
 * no status endpoint for it, but refuses a repeated partnerReferenceNo (4090001): re-sending the
 * SAME reference is therefore the status question — accepted now or "already there" both mean the
 * fee is deducted exactly once.
 *
 *   PENDING_SUBMIT --accepted / duplicate--> DEDUCTED
 *        |   \--refused (first send)--> FAILED
 *        \--answer lost / crash--> UNKNOWN --resend accepted / duplicate--> DEDUCTED
 */
export const SPLIT_FEE_STATUSES = ['PENDING_SUBMIT', 'UNKNOWN', 'DEDUCTED', 'FAILED'] as const;
export type SplitFeeStatus = (typeof SPLIT_FEE_STATUSES)[number];
export const SPLIT_FEE_OPEN_STATUSES: readonly SplitFeeStatus[] = ['PENDING_SUBMIT', 'UNKNOWN'];

export type SplitFeeObservation =
  | { type: 'accepted' }
  | { type: 'duplicate' }
  | { type: 'refused'; first: boolean; reason: string }
  | { type: 'lost'; reason: string };

export function decideSplitFee(status: SplitFeeStatus, observation: SplitFeeObservation): SplitFeeStatus | null {
  if (!SPLIT_FEE_OPEN_STATUSES.includes(status)) {
    return null; // DEDUCTED and FAILED are final
  }
  switch (observation.type) {
    case 'accepted':
    case 'duplicate':
      return 'DEDUCTED';
    case 'refused':
      // A resend's refusal proves nothing about the first send.
      return observation.first && status === 'PENDING_SUBMIT' ? 'FAILED' : null;
    case 'lost':
      return status === 'PENDING_SUBMIT' ? 'UNKNOWN' : null;
  }
}
