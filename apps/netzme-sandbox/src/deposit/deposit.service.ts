import { Injectable } from '@nestjs/common';
import { Errors } from '../common/netzme-error';
import type { WireBody } from '../common/wire-body';
import { MerchantsService } from '../merchants/merchants.service';
import { DepositLedgerService, type DepositEntry } from './deposit-ledger.service';

export interface SplitFee {
  partnerReferenceNo: string;
  referenceNo: string;
  merchantId: string;
  amountMinor: bigint;
  feeMinor: bigint;
  entry: DepositEntry;
  duplicatesRefused: number;
}

/**
 * T20 Deduct Deposit and Split Fee: the partner reports a sale it collected itself; Netzme takes
 * the fee from the prepaid deposit (`403xx14` when the deposit is too low).
 */
@Injectable()
export class DepositService {
  private readonly splitFees = new Map<string, SplitFee>();

  constructor(
    private readonly merchants: MerchantsService,
    private readonly ledger: DepositLedgerService,
  ) {}

  deductSplitFee(clientId: string, body: WireBody): SplitFee {
    const referenceNo = body.string('referenceNo');
    const partnerReferenceNo = body.string('partnerReferenceNo');
    const amount = body.money('amount');
    const fee = body.money('feeAmount');
    const info = body.object('additionalInfo');
    const merchantId = info.string('custIdMerchant');
    info.string('sku');
    info.string('productName');
    info.string('paymentStatus');
    info.string('payMethod');
    info.string('bankName');
    // Order of checks as in Netzme's gateway: type, currency, duplicate, merchant, funds.
    info.requireType('payment_notification_to_split_fee');
    if (amount.currency !== 'IDR' || fee.currency !== 'IDR') {
      throw Errors.invalidCurrency();
    }
    const key = `${clientId} ${partnerReferenceNo}`;
    const existing = this.splitFees.get(key);
    if (existing) {
      existing.duplicatesRefused++;
      throw Errors.duplicateReference();
    }
    const merchant = this.merchants.require(merchantId);
    if (fee.minor > merchant.depositBalance) {
      throw Errors.insufficientFunds();
    }
    const entry = this.ledger.move(merchant, 'SPLIT_FEE', -fee.minor, partnerReferenceNo, `split fee ${info.optString('productName') ?? ''}`.trim());
    const splitFee: SplitFee = { partnerReferenceNo, referenceNo, merchantId, amountMinor: amount.minor, feeMinor: fee.minor, entry, duplicatesRefused: 0 };
    this.splitFees.set(key, splitFee);
    return splitFee;
  }

  all(): SplitFee[] {
    return [...this.splitFees.values()];
  }

  reset(): void {
    this.splitFees.clear();
  }
}
