import { Inject, Injectable } from '@nestjs/common';
import { NetzmeClient } from '@app/netzme-client';
import type { WithdrawInformationResponse, WithdrawInquiryResponse } from '@app/snap';
import { randomUUID } from 'node:crypto';
import type { PayoutInquiry, PayoutRail, PayoutStatusAnswer, PayoutSubmitRequest } from './payout-rail';
import { beneficiaryToWire, inquiryFromWire, statusOrNotFound } from './payout-wire';
import type { WithdrawalKind } from './withdrawal.entity';

/** The transfer call's answer, as far as a rail reads it. */
type TransferAnswer = { referenceNo?: string };

/**
 * A payout rail over Netzme: the two kinds differ only in their three endpoints and in who makes
 * the transfer's referenceNo, so each kind is a subclass naming those.
 */
abstract class NetzmePayoutRail implements PayoutRail {
  abstract readonly kind: WithdrawalKind;
  abstract readonly referencePrefix: string;

  // Explicit token: the subclasses declare no constructor of their own.
  constructor(@Inject(NetzmeClient) protected readonly netzme: NetzmeClient) {}

  merchantId(): string {
    return this.netzme.merchantId;
  }

  async inquiry(): Promise<PayoutInquiry> {
    return inquiryFromWire(await this.askInquiry());
  }

  async submit(request: PayoutSubmitRequest): Promise<{ referenceNo?: string }> {
    const answer = await this.transfer(request, beneficiaryToWire(request.beneficiary));
    return { referenceNo: answer.referenceNo || undefined };
  }

  /** Asked with Netzme's referenceNo when we have it, else with our partnerReferenceNo. */
  status(request: { partnerReferenceNo: string; referenceNo: string | null }): Promise<PayoutStatusAnswer> {
    return statusOrNotFound(() => this.askStatus(request.referenceNo ?? request.partnerReferenceNo));
  }

  abstract newReferenceNo(): string | null;
  protected abstract askInquiry(): Promise<WithdrawInquiryResponse>;
  protected abstract transfer(request: PayoutSubmitRequest, beneficiary: ReturnType<typeof beneficiaryToWire>): Promise<TransferAnswer>;
  protected abstract askStatus(referenceNo: string): Promise<WithdrawInformationResponse>;
}

/**
 * Merchant balance -> bank: Withdraw Inquiry (T8), Withdraw Process (T27), Get Information
 * Withdraw (T9). Netzme assigns the transfer's referenceNo; when its answer was lost we ask T9
 * with our partnerReferenceNo instead (the sandbox resolves it; see docs/withdrawals.md for why a
 * "not found" to that question is never taken as proof of failure).
 */
@Injectable()
export class MerchantPayoutRail extends NetzmePayoutRail {
  readonly kind = 'MERCHANT' as const;
  readonly referencePrefix = 'WD';

  newReferenceNo(): null {
    return null;
  }

  protected askInquiry() {
    return this.netzme.withdrawInquiry();
  }

  protected transfer(request: PayoutSubmitRequest, beneficiary: ReturnType<typeof beneficiaryToWire>) {
    return this.netzme.withdrawProcess({ partnerReferenceNo: request.partnerReferenceNo, amount: request.amountMinor, beneficiary, pin: request.pin });
  }

  protected askStatus(referenceNo: string) {
    return this.netzme.getWithdrawInformation({ referenceNo });
  }
}

/**
 * Prepaid deposit -> bank: Inquiry Withdraw Deposit (T22), Withdraw Deposit (T23), Get Information
 * Withdraw Deposit (T24). Netzme wants a partner-generated referenceNo (GUID) with the transfer:
 * we generate it, store it with the row before the call, and can therefore always ask T24 about
 * it, even when the Withdraw Deposit answer was lost.
 */
@Injectable()
export class DepositPayoutRail extends NetzmePayoutRail {
  readonly kind = 'DEPOSIT' as const;
  readonly referencePrefix = 'DW';

  newReferenceNo(): string {
    return randomUUID();
  }

  protected askInquiry() {
    return this.netzme.depositWithdrawInquiry();
  }

  protected transfer(request: PayoutSubmitRequest, beneficiary: ReturnType<typeof beneficiaryToWire>) {
    return this.netzme.depositWithdraw({
      partnerReferenceNo: request.partnerReferenceNo,
      referenceNo: request.referenceNo ?? undefined,
      amount: request.amountMinor,
      beneficiary,
      pin: request.pin,
    });
  }

  protected askStatus(referenceNo: string) {
    return this.netzme.getDepositWithdrawInformation({ referenceNo });
  }
}
