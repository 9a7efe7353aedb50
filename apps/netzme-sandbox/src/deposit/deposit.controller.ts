import { Controller, Post } from '@nestjs/common';
import { jakartaTimestamp } from '@app/snap';
import { NetzmeBody, NetzmeClientId, NetzmeEndpoint } from '../auth/netzme-endpoint.decorator';
import { dateField, PAGE_SIZE, pageNumberField } from '../common/dates';
import { money, ts } from '../common/format';
import { uuid } from '../common/ids';
import { versioned } from '../common/netzme-paths';
import type { WireBody } from '../common/wire-body';
import { MerchantsService } from '../merchants/merchants.service';
import { DepositLedgerService } from './deposit-ledger.service';
import { DepositService } from './deposit.service';

/** The prepaid deposit: balance (T26), history (T25), split fee (T20). Withdrawals: see withdrawals/. */
@Controller()
export class DepositController {
  constructor(
    private readonly deposit: DepositService,
    private readonly ledger: DepositLedgerService,
    private readonly merchants: MerchantsService,
  ) {}

  /** T26 Get Balance Deposit — service code 13 as the doc prints it; `amount`, not `availableBalance`. */
  @Post(versioned('/api/{version}/deposit/balance-inquiry'))
  @NetzmeEndpoint('13')
  balance(@NetzmeBody() body: WireBody): Record<string, unknown> {
    const partnerReferenceNo = body.string('partnerReferenceNo');
    const merchant = this.merchants.require(body.string('accountNo'));
    return {
      responseCode: '2001300',
      responseMessage: 'Successful',
      referenceNo: uuid(),
      partnerReferenceNo,
      accountInfo: [{ balanceType: 'totalBalance', amount: money(merchant.depositBalance) }],
      additionalInfo: { type: 'disburse_get_balance' },
    };
  }

  /** T25 Get Deposit Transaction — response INFERRED as T6. */
  @Post(versioned('/api/{version}/deposit/transaction-history-list'))
  @NetzmeEndpoint('12')
  history(@NetzmeBody() body: WireBody): Record<string, unknown> {
    const partnerReferenceNo = body.string('partnerReferenceNo');
    const from = dateField(body, 'fromDateTime');
    const to = dateField(body, 'toDateTime');
    const pageNumber = pageNumberField(body);
    const merchantId = body.additionalInfo().optString('custIdMerchant') ?? body.string('custIdMerchant');
    this.merchants.require(merchantId);
    const entries = this.ledger
      .forMerchant(merchantId)
      .filter((e) => e.atMs >= from && e.atMs <= to)
      .reverse();
    return {
      responseCode: '2001200',
      responseMessage: 'Successful',
      partnerReferenceNo,
      referenceNo: uuid(),
      additionalInfo: { type: 'deposit_transaction_history', pageNumber: String(pageNumber), pageSize: String(PAGE_SIZE), totalData: String(entries.length), ts: jakartaTimestamp() },
      detailData: entries.slice((pageNumber - 1) * PAGE_SIZE, pageNumber * PAGE_SIZE).map((e) => ({
        amount: money(e.amountMinor < 0n ? -e.amountMinor : e.amountMinor),
        status: 'SUCCESS',
        type: e.type,
        additionalInfo: {
          createdTs: ts(e.atMs),
          desc: e.description,
          direction: e.amountMinor < 0n ? 'debit' : 'credit',
          balance: money(e.balanceAfterMinor),
          referenceNo: e.reference,
          transactionId: e.id,
          ts: String(e.atMs),
          tsLong: e.atMs,
        },
      })),
    };
  }

  /** T20 Deduct Deposit and Split Fee. Netzme puts the legacy status text in responseMessage. */
  @Post(versioned('/api/{version}/merchant/payment-notif'))
  @NetzmeEndpoint('00')
  splitFee(@NetzmeClientId() clientId: string, @NetzmeBody() body: WireBody): Record<string, unknown> {
    const result = this.deposit.deductSplitFee(clientId, body);
    return {
      responseCode: '2000000',
      responseMessage: 'success',
      partnerReferenceNo: result.partnerReferenceNo,
      referenceNo: result.referenceNo,
      additionalInfo: { type: 'payment_notification_to_split_fee' },
    };
  }
}
