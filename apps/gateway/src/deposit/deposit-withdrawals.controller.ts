import { payoutController } from '../payout';

/** /deposit/withdrawals: the payout routes (payoutController) for the prepaid deposit, kind DEPOSIT. */
export class DepositWithdrawalsController extends payoutController({
  kind: 'DEPOSIT',
  path: 'deposit/withdrawals',
  tag: 'Deposit',
  noun: 'deposit withdrawal',
  referencePrefix: 'DW',
  netzmeCall: { inquiry: 'Deposit withdraw inquiry', statusCheck: 'Deposit withdrawal status check' },
  docs: {
    inquiry: { summary: 'Deposit withdraw inquiry', description: 'The payout account, withdrawable deposit amount and minimum (Inquiry Withdraw Deposit).' },
    create: {
      summary: 'Withdraw the deposit to the bank',
      description:
        'Same safety as merchant withdrawals (same engine): validated against a fresh inquiry, written with our partnerReferenceNo and a referenceNo we generate before Withdraw Deposit is called; ' +
        'an unknown outcome is UNKNOWN and resolved through Get Information Withdraw Deposit, never by a new reference; one deposit withdrawal in flight at a time. ' +
        '201 PROCESSING/FAILED, 202 UNKNOWN, 200 replay of the same Idempotency-Key; the same key with a different body is 409.',
    },
    list: { summary: 'List deposit withdrawals', description: 'Newest first; filter by status and creation date range; paginated.' },
    review: { summary: 'Deposit withdrawals needing a person', description: 'Unresolved past WITHDRAWAL_REVIEW_AFTER_MS, or with an anomaly.' },
    get: { summary: 'One deposit withdrawal', description: 'With its full history of state changes.' },
    resolve: {
      summary: 'Resolve a deposit withdrawal by hand',
      description: 'As POST /withdrawals/:id/resolve, for deposit withdrawals in the review queue. Audited.',
    },
    resubmit: {
      summary: 'Resubmit an unknown deposit withdrawal with the same reference',
      description: 'As POST /withdrawals/:id/resubmit: only when Netzme has no such transfer.',
    },
  },
}) {}
