/**
 * The payout state machine, shared by merchant withdrawals and deposit withdrawals. Pure functions:
 * no I/O, so every rule is unit-tested on its own (payout-state.spec.ts). PayoutTransitions applies a
 * decision with one conditional UPDATE in PayoutRepository (`... WHERE id = $1 AND status = ANY(from)`,
 * its events in the same transaction), so a callback, a poll and a retry can race and the row still
 * changes at most once per real event.
 *
 *   PENDING_SUBMIT --accepted--> PROCESSING --succeeded--> SUCCEEDED
 *        |   \--refused (first send only)--> FAILED  \--failed--> FAILED
 *        \--answer lost / crash--> UNKNOWN --status / resubmission--> PROCESSING | SUCCEEDED | FAILED
 *
 * SUCCEEDED and FAILED are terminal: nothing (not Netzme, not an admin) moves them again.
 */

export const PAYOUT_STATUSES = ['PENDING_SUBMIT', 'PROCESSING', 'UNKNOWN', 'SUCCEEDED', 'FAILED'] as const;
export type PayoutStatus = (typeof PAYOUT_STATUSES)[number];

/** Statuses in which money may still move (in flight): at most one per merchant and kind (DB partial unique index). */
export const PAYOUT_OPEN_STATUSES: readonly PayoutStatus[] = ['PENDING_SUBMIT', 'PROCESSING', 'UNKNOWN'];
export const TERMINAL_STATUSES: readonly PayoutStatus[] = ['SUCCEEDED', 'FAILED'];

export function isTerminal(status: PayoutStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/** Every allowed move. Anything not listed is refused (terminal states have no way out). */
export const ALLOWED_TRANSITIONS: Readonly<Record<PayoutStatus, readonly PayoutStatus[]>> = {
  PENDING_SUBMIT: ['PROCESSING', 'UNKNOWN', 'SUCCEEDED', 'FAILED'],
  UNKNOWN: ['PROCESSING', 'SUCCEEDED', 'FAILED'],
  PROCESSING: ['SUCCEEDED', 'FAILED'],
  SUCCEEDED: [],
  FAILED: [],
};

export function canTransition(from: PayoutStatus, to: PayoutStatus): boolean {
  return ALLOWED_TRANSITIONS[from].includes(to);
}

/** What Netzme says about a transfer (status query or notification), in our words. */
export type NetzmeTransferState = 'pending' | 'succeeded' | 'failed';

/** Something we learned about a payout; the only input of `decidePayout`. */
export type PayoutObservation =
  /** Withdraw Process answered 2xx: Netzme has the transfer. */
  | { type: 'accepted'; referenceNo?: string }
  /** The very first send was definitely refused (or never left): nothing exists at Netzme. */
  | { type: 'refused'; reason: string; code?: string }
  /** A send whose answer we do not have (timeout, reset, 5xx): it may exist at Netzme. */
  | { type: 'lost'; reason: string; code?: string }
  /** A resubmission with the same partnerReferenceNo was answered "duplicate": Netzme has it. */
  | { type: 'exists'; referenceNo?: string }
  /** Get Information Withdraw or the Withdraw Status Notification. */
  | {
      type: 'status';
      state: NetzmeTransferState;
      netzmeStatus?: string;
      referenceNo?: string;
      amountMinor?: bigint | null;
      reason?: string;
    }
  /** An admin resolved a stuck payout after checking with Netzme out of band. */
  | { type: 'manual'; to: 'SUCCEEDED' | 'FAILED'; reason: string };

/** The part of a payout row the rules look at. */
export interface PayoutSnapshot {
  status: PayoutStatus;
  amountMinor: bigint;
  referenceNo: string | null;
  netzmeHasIt: boolean;
}

export type DecisionOutcome = 'applied' | 'duplicate' | 'anomaly' | 'noop';

export interface PayoutDecision {
  /** New status, or null to leave it. */
  to: PayoutStatus | null;
  outcome: DecisionOutcome;
  reason?: string;
  /** Facts to record even when the status stays (a reference learned late, Netzme acknowledging it). */
  patch: {
    referenceNo?: string;
    netzmeHasIt?: boolean;
    netzmeStatus?: string;
    failureReason?: string;
  };
}

const stay = (outcome: DecisionOutcome, reason?: string, patch: PayoutDecision['patch'] = {}): PayoutDecision => ({ to: null, outcome, reason, patch });
const move = (to: PayoutStatus, patch: PayoutDecision['patch'] = {}, reason?: string): PayoutDecision => ({ to, outcome: 'applied', reason, patch });

/** Only record a reference we did not have (never overwrite one: a different one is an anomaly). */
function learnReference(current: PayoutSnapshot, referenceNo: string | undefined): PayoutDecision['patch'] {
  return referenceNo && !current.referenceNo ? { referenceNo } : {};
}

/**
 * Decide what an observation does to a payout. Never moves a terminal payout; reports a
 * contradiction (different amount or reference, a finished payout reported as something else) as
 * an anomaly for people to look at instead of acting on it.
 */
export function decidePayout(current: PayoutSnapshot, observation: PayoutObservation): PayoutDecision {
  const { status } = current;
  const terminal = isTerminal(status);

  switch (observation.type) {
    case 'accepted': {
      const patch = { ...learnReference(current, observation.referenceNo), netzmeHasIt: true };
      const accepting = status === 'PENDING_SUBMIT' || status === 'UNKNOWN';
      if (observation.referenceNo && current.referenceNo && observation.referenceNo !== current.referenceNo) {
        // Netzme accepted it (a fact), but under another reference than the one we sent: keep ours, flag it.
        const reason = `Netzme answered with referenceNo ${observation.referenceNo}, we hold ${current.referenceNo}`;
        return { to: accepting ? 'PROCESSING' : null, outcome: 'anomaly', reason, patch };
      }
      if (accepting) {
        return move('PROCESSING', patch);
      }
      return stay('duplicate', undefined, patch);
    }

    case 'refused':
      // Only a first send can prove nothing exists at Netzme; the engine never sends 'refused' otherwise.
      if (status === 'PENDING_SUBMIT') {
        return move('FAILED', { failureReason: observation.reason }, observation.reason);
      }
      return stay('noop', `refusal ignored in ${status}`);

    case 'lost':
      if (status === 'PENDING_SUBMIT') {
        return move('UNKNOWN', {}, observation.reason);
      }
      return stay('noop');

    case 'exists': {
      const patch = { ...learnReference(current, observation.referenceNo), netzmeHasIt: true };
      if (status === 'PENDING_SUBMIT') {
        return move('UNKNOWN', patch, 'Netzme already has this partnerReferenceNo');
      }
      return stay(terminal ? 'duplicate' : 'noop', undefined, patch);
    }

    case 'status': {
      if (observation.referenceNo && current.referenceNo && observation.referenceNo !== current.referenceNo) {
        return stay('anomaly', `reference mismatch: Netzme says ${observation.referenceNo}, we hold ${current.referenceNo}`);
      }
      if (observation.amountMinor !== undefined && observation.amountMinor !== null && observation.amountMinor !== current.amountMinor) {
        return stay('anomaly', `amount mismatch: Netzme says ${observation.amountMinor} sen, we hold ${current.amountMinor} sen`);
      }
      const patch = { ...learnReference(current, observation.referenceNo), netzmeHasIt: true, netzmeStatus: observation.netzmeStatus };
      const target: PayoutStatus = observation.state === 'succeeded' ? 'SUCCEEDED' : observation.state === 'failed' ? 'FAILED' : 'PROCESSING';
      if (status === target) {
        return stay('duplicate', undefined, patch);
      }
      if (terminal) {
        return stay('anomaly', `Netzme reports ${observation.state} for a payout that is already ${status}`);
      }
      if (target === 'PROCESSING' && status === 'PROCESSING') {
        return stay('duplicate', undefined, patch);
      }
      const failure =
        target === 'FAILED'
          ? { failureReason: observation.reason ?? `Netzme reported the transfer failed (${observation.netzmeStatus ?? 'no status code'})` }
          : {};
      return move(target, { ...patch, ...failure });
    }

    case 'manual':
      if (terminal) {
        return stay('noop', `already ${status}`);
      }
      return move(observation.to, observation.to === 'FAILED' ? { failureReason: observation.reason } : {}, observation.reason);
  }
}

/**
 * Netzme's latestTransactionStatus (+ description) to a transfer state. SNAP codes: 00 success,
 * 01 initiated, 02 paying, 03 pending, 04 refunded, 05 cancelled, 06 failed; Netzme also uses 07 for
 * a failed payment (SNAP's "not found"), so 07 only counts as failed when the text says so.
 * Anything else is `null`: not understood, so nothing is changed.
 */
export function mapNetzmeTransferStatus(code: unknown, description?: unknown): NetzmeTransferState | null {
  const text = typeof description === 'string' ? description.trim().toLowerCase() : '';
  switch (typeof code === 'string' ? code.trim() : code) {
    case '00':
      return 'succeeded';
    case '01':
    case '02':
    case '03':
      return 'pending';
    case '04':
    case '05':
    case '06':
      return 'failed';
    case '07':
      return /fail/.test(text) ? 'failed' : null;
    case undefined:
    case null:
    case '':
      if (/^(success|succeeded|successful)$/.test(text)) return 'succeeded';
      if (/^(failed|failure|fail)$/.test(text)) return 'failed';
      if (/^(pending|processing|in progress)$/.test(text)) return 'pending';
      return null;
    default:
      return null;
  }
}
