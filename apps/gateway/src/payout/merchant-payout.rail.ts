import { Injectable } from '@nestjs/common';
import { NetzmeClient } from '@app/netzme-client';
import type { PayoutInquiry, PayoutRail, PayoutStatusAnswer, PayoutSubmitRequest } from './payout-rail';
import { beneficiaryToWire, inquiryFromWire, statusOrNotFound } from './payout-wire';

/**
 * Merchant balance -> bank: Withdraw Inquiry (T8), Withdraw Process (T27), Get Information
 * Withdraw (T9). Netzme assigns the transfer's referenceNo; when its answer was lost we ask T9
 * with our partnerReferenceNo instead (the sandbox resolves it; see docs/withdrawals.md for why a
 * "not found" to that question is never taken as proof of failure).
 */
@Injectable()
export class MerchantPayoutRail implements PayoutRail {
  readonly kind = 'MERCHANT' as const;
  readonly referencePrefix = 'WD';

  constructor(private readonly netzme: NetzmeClient) {}

  merchantId(): string {
    return this.netzme.merchantId;
  }

  async inquiry(): Promise<PayoutInquiry> {
    return inquiryFromWire(await this.netzme.withdrawInquiry());
  }

  newReferenceNo(): string | null {
    return null;
  }

  async submit(request: PayoutSubmitRequest): Promise<{ referenceNo?: string }> {
    const answer = await this.netzme.withdrawProcess({
      partnerReferenceNo: request.partnerReferenceNo,
      amount: request.amountMinor,
      beneficiary: beneficiaryToWire(request.beneficiary),
      pin: request.pin,
    });
    return { referenceNo: answer.referenceNo || undefined };
  }

  async status(request: { partnerReferenceNo: string; referenceNo: string | null }): Promise<PayoutStatusAnswer> {
    return statusOrNotFound(() => this.netzme.getWithdrawInformation({ referenceNo: request.referenceNo ?? request.partnerReferenceNo }));
  }
}
