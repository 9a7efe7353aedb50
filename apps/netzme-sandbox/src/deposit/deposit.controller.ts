import { Controller, Post } from '@nestjs/common';
import { NetzmeBody, NetzmeClientId, NetzmeEndpoint } from '../auth/netzme-endpoint.decorator';
import { money, ts } from '../common/format';
import { historyAnswer, readHistoryQuery } from '../common/history-list';
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
    const query = readHistoryQuery(body);
    this.merchants.require(query.merchantId);
    const entries = this.ledger
      .forMerchant(query.merchantId)
      .filter((e) => e.atMs >= query.fromMs && e.atMs <= query.toMs)
      .reverse();
    return historyAnswer(query, 'deposit_transaction_history', entries, (e) => ({
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
    }));
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
