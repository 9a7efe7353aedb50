import { Injectable } from '@nestjs/common';
import { fromMinor } from '@app/snap';
import { TokensService } from '../auth/tokens.service';
import { CallbacksService } from '../callbacks/callbacks.service';
import { DepositLedgerService } from '../deposit/deposit-ledger.service';
import { FaultsService } from '../faults/faults.service';
import { invoiceStatusText } from '../invoices/invoice.views';
import { InvoicesService } from '../invoices/invoices.service';
import { MerchantsService } from '../merchants/merchants.service';
import { latestTransactionStatus } from '../withdrawals/withdrawal.model';
import { WithdrawalsService } from '../withdrawals/withdrawals.service';
import { StatsService } from './stats.service';
import { ConsumerService } from '../consumer/consumer.service';

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/** Everything the sandbox holds, as JSON (amounts as decimal strings), for `GET /sandbox/state`. */
@Injectable()
export class StateService {
  constructor(
    private readonly merchants: MerchantsService,
    private readonly invoices: InvoicesService,
    private readonly withdrawals: WithdrawalsService,
    private readonly deposit: DepositLedgerService,
    private readonly consumers: ConsumerService,
    private readonly callbacks: CallbacksService,
    private readonly faults: FaultsService,
    private readonly tokens: TokensService,
    private readonly stats: StatsService,
  ) {}

  snapshot(): Record<string, unknown> {
    const merchants = this.merchants.all().map((m) => ({
      merchantId: m.merchantId,
      clientId: m.clientId,
      merchantName: m.merchantName,
      phoneNo: m.phoneNo,
      nmid: m.nmid,
      pinSet: m.pinHash !== undefined,
      totalBalance: fromMinor(m.totalBalance),
      settledBalance: fromMinor(m.settledBalance),
      depositBalance: fromMinor(m.depositBalance),
      bank: m.bank,
      depositBank: m.depositBank,
    }));
    const transfers = this.withdrawals.all().map((w) => ({
      kind: w.kind,
      type: w.type,
      partnerReferenceNo: w.partnerReferenceNo,
      referenceNo: w.referenceNo,
      merchantId: w.merchantId,
      amount: fromMinor(w.amountMinor),
      status: w.status,
      latestTransactionStatus: latestTransactionStatus(w.status).code,
      // Netzme refuses a repeated partnerReferenceNo, so `accepted` is 1; a gateway that pays out
      // twice shows up as two transfers (two references) for one withdrawal of its own.
      accepted: 1,
      duplicatesRefused: w.duplicatesRefused,
      beneficiary: w.beneficiary,
      createdAt: iso(w.createdAtMs),
      completedAt: iso(w.completedAtMs),
    }));
    const acceptedByPartnerReferenceNo: Record<string, number> = {};
    for (const t of transfers) {
      acceptedByPartnerReferenceNo[t.partnerReferenceNo] = (acceptedByPartnerReferenceNo[t.partnerReferenceNo] ?? 0) + 1;
    }
    // Transfers dropped by the retention limit were accepted once too: the count must not forget them.
    for (const t of this.withdrawals.evictedPartnerReferences()) {
      acceptedByPartnerReferenceNo[t.partnerReferenceNo] = (acceptedByPartnerReferenceNo[t.partnerReferenceNo] ?? 0) + 1;
    }
    return {
      merchants,
      balances: Object.fromEntries(
        merchants.map((m) => [m.merchantId, { totalBalance: m.totalBalance, settledBalance: m.settledBalance, depositBalance: m.depositBalance }]),
      ),
      invoices: this.invoices.all().map((i) => ({
        id: i.id,
        trxId: i.trxId,
        partnerReferenceNo: i.partnerReferenceNo,
        clientId: i.clientId,
        merchantId: i.merchantId,
        payMethod: i.payMethod,
        status: i.status,
        invoiceStatus: invoiceStatusText(i),
        amount: fromMinor(i.amountMinor),
        totalAmount: fromMinor(i.totalAmountMinor),
        feeAmount: fromMinor(i.feeMinor),
        netAmount: fromMinor(i.netAmountMinor),
        feeType: i.feeType,
        apiSource: i.apiSource,
        createdBy: i.createdBy,
        createdAt: iso(i.createdAtMs),
        expiresAt: iso(i.expiresAtMs),
        paidAt: iso(i.paidAtMs),
        closedAt: iso(i.closedAtMs),
        rrn: i.qrisPayment?.rrn,
        qrContent: i.qrContent,
        paymentUrl: i.paymentUrl,
        duplicatesRefused: this.invoices.duplicatesRefused(i.clientId, i.partnerReferenceNo),
      })),
      qrisPayments: this.invoices.allQrisPayments().map((p) => ({
        rrn: p.rrn,
        merchantId: p.merchantId,
        amount: fromMinor(p.amountMinor),
        mdrAmount: fromMinor(p.mdrMinor),
        invoiceId: p.invoiceId,
        trxId: p.trxId,
        issuerName: p.issuerName,
        paidAt: iso(p.paidAtMs),
      })),
      transfers,
      acceptedByPartnerReferenceNo,
      depositTransactions: this.deposit.all().map((e) => ({
        id: e.id,
        merchantId: e.merchantId,
        type: e.type,
        amount: fromMinor(e.amountMinor),
        balanceAfter: fromMinor(e.balanceAfterMinor),
        reference: e.reference,
        description: e.description,
        at: iso(e.atMs),
      })),
      consumers: this.consumers.snapshot(),
      callbacks: this.callbacks.list(),
      callbackConfig: this.callbacks.config(),
      faults: { active: this.faults.active(), events: this.faults.events() },
      tokens: this.tokens.snapshot(),
      ...this.stats.snapshot(),
    };
  }
}
