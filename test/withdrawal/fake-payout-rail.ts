import { NetzmeError } from '@app/netzme-client';
import { randomUUID } from 'node:crypto';
import type { PayoutInquiry, PayoutRail, PayoutStatusAnswer, PayoutSubmitRequest } from '../../apps/gateway/src/payout/payout-rail';
import type { NetzmeTransferState } from '../../apps/gateway/src/payout/payout-state';
import type { WithdrawalKind } from '../../apps/gateway/src/payout/withdrawal.entity';

/**
 * What the next Withdraw Process call does:
 * - 'ok': processed and answered;
 * - 'timeout-after': processed, answer lost (unknown outcome);
 * - 'error-before': HTTP 500 without processing (unknown outcome to the caller);
 * - 'refuse': definite refusal (e.g. wrong PIN), nothing processed;
 * - 'hang-after' / 'hang-before': never answers (the process "dies" mid-call), processed or not.
 */
export type SubmitBehaviour = 'ok' | 'timeout-after' | 'error-before' | 'refuse' | 'hang-after' | 'hang-before';

interface Transfer {
  partnerReferenceNo: string;
  referenceNo: string;
  amountMinor: bigint;
  state: NetzmeTransferState;
  pin: string;
}

function netzmeError(category: NetzmeError['category'], outcome: 'definite' | 'unknown', responseCode: string, message: string): NetzmeError {
  return new NetzmeError({ category, outcome, message, endpoint: 'withdrawProcess', responseCode, responseMessage: message, sent: true });
}

/**
 * A stand-in for Netzme at the rail port, for engine tests that need exact control over when a
 * transfer is processed and when an answer is lost. Like Netzme (and the sandbox) it refuses a
 * repeated partnerReferenceNo with a duplicate-reference error, before checking anything else.
 */
export class FakePayoutRail implements PayoutRail {
  readonly referencePrefix: string;
  readonly transfers = new Map<string, Transfer>();
  submitBehaviours: SubmitBehaviour[] = [];
  inquiryAnswer = { withdrawableMinor: 10_000_000n, minimumMinor: 1_000_000n, allowed: true };
  submitCalls = 0;
  statusCalls = 0;
  inquiryCalls = 0;
  /** Makes status calls fail with an unknown outcome (Netzme down). */
  statusDown = false;
  /** Netzme cannot look a transfer up without its referenceNo (like real Netzme may be). */
  lookupNeedsReference = false;
  private readonly hung: Array<() => void> = [];

  constructor(
    readonly kind: WithdrawalKind = 'MERCHANT',
    private readonly partnerGeneratesReference = false,
  ) {
    this.referencePrefix = kind === 'MERCHANT' ? 'WD' : 'DW';
  }

  merchantId(): string {
    return 'M_TEST0001';
  }

  async inquiry(): Promise<PayoutInquiry> {
    this.inquiryCalls++;
    return {
      beneficiary: { accountName: 'Mariya Wise', accountNumber: '2288996060', bankName: 'BTPN SYARIAH', bankCode: '547' },
      withdrawableMinor: this.inquiryAnswer.withdrawableMinor,
      minimumMinor: this.inquiryAnswer.minimumMinor,
      allowed: this.inquiryAnswer.allowed,
      currency: 'IDR',
      referenceNo: 'INQ-1',
    };
  }

  newReferenceNo(): string | null {
    return this.partnerGeneratesReference ? randomUUID() : null;
  }

  async submit(request: PayoutSubmitRequest): Promise<{ referenceNo?: string }> {
    this.submitCalls++;
    const behaviour = this.submitBehaviours.shift() ?? 'ok';
    if (behaviour === 'hang-before') {
      return this.hang();
    }
    if (behaviour === 'error-before') {
      throw netzmeError('SERVER_ERROR', 'unknown', '5004300', 'Internal Server Error');
    }
    if (behaviour === 'refuse') {
      throw netzmeError('FORBIDDEN', 'definite', '4034315', 'Invalid PIN');
    }
    if (this.transfers.has(request.partnerReferenceNo)) {
      throw netzmeError('DUPLICATE_REFERENCE', 'definite', '4094301', 'Duplicate partnerReferenceNo');
    }
    const referenceNo = request.referenceNo ?? randomUUID();
    this.transfers.set(request.partnerReferenceNo, {
      partnerReferenceNo: request.partnerReferenceNo,
      referenceNo,
      amountMinor: request.amountMinor,
      state: 'pending',
      pin: request.pin,
    });
    if (behaviour === 'hang-after') {
      return this.hang();
    }
    if (behaviour === 'timeout-after') {
      throw netzmeError('TIMEOUT', 'unknown', '5044300', 'Timeout');
    }
    return { referenceNo };
  }

  async status(request: { partnerReferenceNo: string; referenceNo: string | null }): Promise<PayoutStatusAnswer> {
    this.statusCalls++;
    if (this.statusDown) {
      throw netzmeError('SERVER_ERROR', 'unknown', '5005500', 'service unavailable');
    }
    if (!request.referenceNo && this.lookupNeedsReference) {
      return { kind: 'unsupported' };
    }
    const transfer = [...this.transfers.values()].find(
      (t) => t.referenceNo === request.referenceNo || t.partnerReferenceNo === (request.referenceNo ?? request.partnerReferenceNo),
    );
    if (!transfer) {
      return { kind: 'not-found' };
    }
    return {
      kind: 'found',
      state: transfer.state,
      netzmeStatus: transfer.state === 'succeeded' ? '00' : transfer.state === 'failed' ? '06' : '03',
      referenceNo: transfer.referenceNo,
      amountMinor: transfer.amountMinor,
    };
  }

  /** Netzme finishes a transfer (the bank answered). */
  complete(partnerReferenceNo: string, state: 'succeeded' | 'failed'): Transfer {
    const transfer = this.transfers.get(partnerReferenceNo);
    if (!transfer) {
      throw new Error(`no transfer ${partnerReferenceNo}`);
    }
    transfer.state = state;
    return transfer;
  }

  /** Let hung calls go (as if the socket closed long after the "crash"). */
  releaseHung(): void {
    for (const release of this.hung.splice(0)) release();
  }

  private hang(): Promise<never> {
    return new Promise((_, reject) => this.hung.push(() => reject(netzmeError('TIMEOUT', 'unknown', '5044300', 'released'))));
  }
}
