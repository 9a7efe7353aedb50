import { Injectable } from '@nestjs/common';
import { isNetzmeError, NetzmeClient } from '@app/netzme-client';
import type { PayoutInquiry, PayoutRail, PayoutStatusAnswer, PayoutSubmitRequest } from './payout/payout-rail';
import { inquiryFromWire, statusFromWire } from './payout/payout-wire';

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
      beneficiary: {
        beneficiaryAccountName: request.beneficiary.accountName,
        beneficiaryAccountNumber: request.beneficiary.accountNumber,
        beneficiaryBankName: request.beneficiary.bankName,
        beneficiaryBankCode: request.beneficiary.bankCode,
      },
      pin: request.pin,
    });
    return { referenceNo: answer.referenceNo || undefined };
  }

  async status(request: { partnerReferenceNo: string; referenceNo: string | null }): Promise<PayoutStatusAnswer> {
    try {
      return statusFromWire(await this.netzme.getWithdrawInformation({ referenceNo: request.referenceNo ?? request.partnerReferenceNo }));
    } catch (err) {
      if (isNetzmeError(err) && err.category === 'NOT_FOUND') {
        return { kind: 'not-found' };
      }
      throw err;
    }
  }
}
