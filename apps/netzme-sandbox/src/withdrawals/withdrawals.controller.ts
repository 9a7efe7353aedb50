import { Controller, Post } from '@nestjs/common';
import type { WithdrawInformationResponse, WithdrawInquiryResponse, WithdrawProcessResponse } from '@app/snap';
import { NetzmeBody, NetzmeClientId, NetzmeEndpoint } from '../auth/netzme-endpoint.decorator';
import { money } from '../common/format';
import { uuid } from '../common/ids';
import { Errors } from '../common/netzme-error';
import { versioned } from '../common/netzme-paths';
import type { WireBody } from '../common/wire-body';
import { MerchantsService } from '../merchants/merchants.service';
import { StatsService } from '../state/stats.service';
import { latestTransactionStatus, type Withdrawal, type WithdrawalKind } from './withdrawal.model';
import { WithdrawalsService } from './withdrawals.service';

function beneficiaryFields(w: Withdrawal): Record<string, string> {
  return {
    beneficiaryAccountName: w.beneficiary.accountName,
    beneficiaryAccountNumber: w.beneficiary.accountNumber,
    beneficiaryBankName: w.beneficiary.bankName,
    beneficiaryBankCode: w.beneficiary.bankCode,
  };
}

/**
 * Withdrawals of the merchant balance (T8 inquiry, T27 process, T9 status) and of the prepaid
 * deposit (T22, T23, T24). Process/status responses are INFERRED (pages not retrieved).
 */
@Controller()
export class WithdrawalsController {
  constructor(
    private readonly withdrawals: WithdrawalsService,
    private readonly merchants: MerchantsService,
    private readonly stats: StatsService,
  ) {}

  @Post(versioned('/api/{version}/emoney/bank-account-inquiry'))
  @NetzmeEndpoint('42')
  inquiry(@NetzmeBody() body: WireBody): WithdrawInquiryResponse {
    return this.inquire('merchant', body);
  }

  @Post(versioned('/api/{version}/emoney/bank-account-inquiry/deposit'))
  @NetzmeEndpoint('42')
  depositInquiry(@NetzmeBody() body: WireBody): WithdrawInquiryResponse {
    return this.inquire('deposit', body);
  }

  @Post(versioned('/api/{version}/emoney/transfer-bank'))
  @NetzmeEndpoint('43')
  process(@NetzmeClientId() clientId: string, @NetzmeBody() body: WireBody): WithdrawProcessResponse {
    return this.processResponse(this.withdrawals.submit(clientId, 'merchant', body));
  }

  @Post(versioned('/api/{version}/emoney/transfer-bank/deposit'))
  @NetzmeEndpoint('43')
  depositProcess(@NetzmeClientId() clientId: string, @NetzmeBody() body: WireBody): WithdrawProcessResponse {
    return this.processResponse(this.withdrawals.submit(clientId, 'deposit', body));
  }

  @Post(versioned('/api/{version}/debit/status'))
  @NetzmeEndpoint('55')
  status(@NetzmeClientId() clientId: string, @NetzmeBody() body: WireBody): WithdrawInformationResponse {
    return this.statusResponse(clientId, 'merchant', body);
  }

  @Post(versioned('/api/{version}/debit/status-deposit'))
  @NetzmeEndpoint('55')
  depositStatus(@NetzmeClientId() clientId: string, @NetzmeBody() body: WireBody): WithdrawInformationResponse {
    return this.statusResponse(clientId, 'deposit', body);
  }

  private inquire(kind: WithdrawalKind, body: WireBody): WithdrawInquiryResponse {
    const merchantId = body.string('custIdMerchant');
    const partnerReferenceNo = body.string('partnerReferenceNo');
    const merchant = this.merchants.require(merchantId);
    const available = this.withdrawals.available(merchant, kind);
    const minimum = this.withdrawals.minimum(kind);
    const account = this.withdrawals.account(merchant, kind);
    return {
      responseCode: '2004200',
      responseMessage: 'Successful',
      partnerReferenceNo,
      // The merchant example echoes the partner's reference; the deposit example has a UUID.
      referenceNo: kind === 'merchant' ? partnerReferenceNo : uuid(),
      beneficiaryAccountName: account.accountName,
      beneficiaryAccountNumber: account.accountNumber,
      beneficiaryBankName: account.bankName,
      beneficiaryBankCode: account.bankCode,
      amount: money(available),
      additionalInfo: { amountAllowed: available > 0n && available >= minimum, minimumWithdrawalAmount: money(minimum) },
    };
  }

  /** INFERRED (SNAP transfer-bank, `2004300`): accepted, final result by T19 or T9. */
  private processResponse(w: Withdrawal): WithdrawProcessResponse {
    const status = latestTransactionStatus(w.status);
    return {
      responseCode: '2004300',
      responseMessage: 'Successful',
      partnerReferenceNo: w.partnerReferenceNo,
      referenceNo: w.referenceNo,
      amount: money(w.amountMinor),
      ...beneficiaryFields(w),
      additionalInfo: { type: w.type, latestTransactionStatus: status.code, transactionStatusDesc: status.desc },
    };
  }

  /** INFERRED (mirrors T19 + SNAP debit status, `2005500`). */
  private statusResponse(clientId: string, kind: WithdrawalKind, body: WireBody): WithdrawInformationResponse {
    const partnerReferenceNo = body.string('partnerReferenceNo');
    const withdrawal = this.withdrawals.findForQuery(clientId, kind, body);
    if (!withdrawal) {
      throw Errors.notFound();
    }
    this.stats.countWithdrawalQuery(withdrawal.referenceNo);
    const status = latestTransactionStatus(withdrawal.status);
    // referenceNo and the beneficiary are sandbox extras beyond the (inferred) wire type.
    const answer = {
      responseCode: '2005500',
      responseMessage: 'Successful',
      partnerReferenceNo,
      referenceNo: withdrawal.referenceNo,
      originalReferenceNo: withdrawal.referenceNo,
      originalPartnerReferenceNo: withdrawal.partnerReferenceNo,
      latestTransactionStatus: status.code,
      transactionStatusDesc: status.desc,
      amount: money(withdrawal.amountMinor),
      ...beneficiaryFields(withdrawal),
      additionalInfo: { type: withdrawal.type },
    };
    return answer;
  }
}
