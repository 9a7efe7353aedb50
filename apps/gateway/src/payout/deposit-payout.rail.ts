import { Injectable } from '@nestjs/common';
import { NetzmeClient } from '@app/netzme-client';
import { randomUUID } from 'node:crypto';
import type { PayoutInquiry, PayoutRail, PayoutStatusAnswer, PayoutSubmitRequest } from './payout-rail';
import { beneficiaryToWire, inquiryFromWire, statusOrNotFound } from './payout-wire';

/**
 * Prepaid deposit -> bank: Inquiry Withdraw Deposit (T22), Withdraw Deposit (T23), Get Information
 * Withdraw Deposit (T24). Netzme wants a partner-generated referenceNo (GUID) with the transfer:
 * we generate it, store it with the row before the call, and can therefore always ask T24 about
 * it, even when the Withdraw Deposit answer was lost.
 */
@Injectable()
export class DepositPayoutRail implements PayoutRail {
  readonly kind = 'DEPOSIT' as const;
  readonly referencePrefix = 'DW';

  constructor(private readonly netzme: NetzmeClient) {}

  merchantId(): string {
    return this.netzme.merchantId;
  }

  async inquiry(): Promise<PayoutInquiry> {
    return inquiryFromWire(await this.netzme.depositWithdrawInquiry());
  }

  newReferenceNo(): string | null {
    return randomUUID();
  }

  async submit(request: PayoutSubmitRequest): Promise<{ referenceNo?: string }> {
    const answer = await this.netzme.depositWithdraw({
      partnerReferenceNo: request.partnerReferenceNo,
      referenceNo: request.referenceNo ?? undefined,
      amount: request.amountMinor,
      beneficiary: beneficiaryToWire(request.beneficiary),
      pin: request.pin,
    });
    return { referenceNo: answer.referenceNo || undefined };
  }

  async status(request: { partnerReferenceNo: string; referenceNo: string | null }): Promise<PayoutStatusAnswer> {
    return statusOrNotFound(() => this.netzme.getDepositWithdrawInformation({ referenceNo: request.referenceNo ?? request.partnerReferenceNo }));
  }
}
