import { Inject, Injectable } from '@nestjs/common';
import { fromMinor } from '@app/snap';
import { basisPointsOf } from '../common/fees';
import { money } from '../common/format';
import { uuid } from '../common/ids';
import { Errors, NetzmeError } from '../common/netzme-error';
import type { WireBody } from '../common/wire-body';
import { SANDBOX_OPTIONS, type ResolvedSandboxOptions } from '../config/sandbox-options';
import { InvoicesService } from '../invoices/invoices.service';
import { parseQris, parseTlv } from '../invoices/qris';
import { MerchantsService } from '../merchants/merchants.service';
import { SEEN_REFERENCES_FACTOR } from '../state/retention';
import { ConsumerService } from './consumer.service';

export interface DecodedQris {
  qrContent: string;
  dynamic: boolean;
  merchantName: string;
  merchantCity: string;
  mcc: string;
  merchantId?: string;
  merchantPan?: string;
  nmid?: string;
  billNumber?: string;
  terminalLabel?: string;
  /** Amount printed in the QR (dynamic) or the one the user typed (static). */
  amountMinor: bigint;
  /** Convenience fee from tags 55–57 (fixed or percentage), paid on top. */
  feeMinor: bigint;
}

function decimalToMinor(text: string): bigint | undefined {
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(text);
  return m ? BigInt(m[1]) * 100n + BigInt((m[2] ?? '').padEnd(2, '0')) : undefined;
}

/** Percentage with up to two decimals ("0.7" -> 70 basis points). */
function percentToBasisPoints(text: string): bigint | undefined {
  return decimalToMinor(text);
}

/**
 * The consumer side of QRIS: inspect a scanned QR (N8–N11, all four variants on one path) and pay
 * it from the user's Netzme balance (N12, INFERRED). A dynamic QR issued by this sandbox pays that
 * invoice (so the merchant side sees the payment and its callback); a static one of a sandbox
 * merchant becomes a static QRIS payment.
 */
@Injectable()
export class ConsumerQrisService {
  /** `<clientId> <partnerReferenceNo>` -> trxId of N12 payments, bounded by the retention limit. */
  private readonly payments = new Map<string, string>();

  constructor(
    @Inject(SANDBOX_OPTIONS) private readonly options: ResolvedSandboxOptions,
    private readonly consumers: ConsumerService,
    private readonly invoices: InvoicesService,
    private readonly merchants: MerchantsService,
  ) {}

  decode(qrContent: string, requested?: bigint): DecodedQris {
    const parsed = parseQris(qrContent);
    if (!parsed || !parsed.crcValid || parsed.tags.get('00') !== '01') {
      throw Errors.fieldFormat('QrContent');
    }
    const tags = parsed.tags;
    const account = parseTlv(tags.get('26') ?? '') ?? new Map<string, string>();
    const domestic = parseTlv(tags.get('51') ?? '') ?? new Map<string, string>();
    const extra = parseTlv(tags.get('62') ?? '') ?? new Map<string, string>();
    const printed = tags.has('54') ? decimalToMinor(tags.get('54')!) : undefined;
    if (tags.has('54') && printed === undefined) {
      throw Errors.fieldFormat('QrContent');
    }
    const amountMinor = printed ?? requested;
    if (amountMinor === undefined) {
      throw Errors.mandatoryField('Amount'); // a static QR needs the amount the user typed
    }
    let feeMinor = 0n;
    if (tags.get('55') === '02') {
      feeMinor = decimalToMinor(tags.get('56') ?? '') ?? 0n;
    } else if (tags.get('55') === '03') {
      feeMinor = basisPointsOf(amountMinor, percentToBasisPoints(tags.get('57') ?? '') ?? 0n);
    }
    return {
      qrContent,
      dynamic: tags.get('01') === '12',
      merchantName: tags.get('59') ?? '',
      merchantCity: tags.get('60') ?? '',
      mcc: tags.get('52') ?? '',
      merchantId: account.get('02'),
      merchantPan: account.get('01'),
      nmid: domestic.get('02'),
      billNumber: extra.get('01'),
      terminalLabel: extra.get('07'),
      amountMinor,
      feeMinor,
    };
  }

  /** N8–N11 Get Detail Qris. */
  detail(body: WireBody): Record<string, unknown> {
    const partnerReferenceNo = body.string('partnerReferenceNo');
    const qrContent = body.string('qrContent');
    const requested = body.optMoney('amount');
    const info = body.object('additionalInfo');
    this.consumers.require(info.string('custId'));
    if (requested && requested.currency !== 'IDR') {
      throw Errors.invalidCurrency();
    }
    const qr = this.decode(qrContent, requested?.minor);
    const payable = qr.amountMinor + qr.feeMinor;
    return {
      responseCode: '2004700',
      responseMessage: 'Successful',
      partnerReferenceNo,
      referenceNo: uuid(),
      transactionAmount: money(qr.amountMinor),
      feeAmount: money(qr.feeMinor),
      additionalInfo: {
        merchantName: qr.merchantName,
        merchantCategory: qr.mcc,
        merchantLocation: qr.merchantCity,
        status: 200,
        statusMessage: 'success',
        ts: String(Date.now()),
        type: 'aggregator_scan_qr',
        body: {
          discount: 0,
          qrContent,
          qrType: qr.dynamic ? 'qr_type_qris_dynamic' : 'qr_type_qris_static',
          invoiceAmount: fromMinor(qr.amountMinor),
          payableAmount: fromMinor(payable),
          qrisDetail: {
            additionalData: { billNumber: qr.billNumber ?? '', terminalLabel: qr.terminalLabel ?? '' },
            terminalLabel: qr.terminalLabel ?? '',
            merchantPan: qr.merchantPan ?? '',
            nmid: qr.nmid ?? '',
          },
        },
      },
    };
  }

  /** N12 QRIS Payment (INFERRED): debit the user, settle the QR, notify the partner (N13). */
  pay(clientId: string, body: WireBody): Record<string, unknown> {
    const partnerReferenceNo = body.string('partnerReferenceNo');
    const qrContent = body.string('qrContent');
    const amount = body.money('amount');
    const custId = body.object('additionalInfo').string('custId');
    if (amount.currency !== 'IDR') {
      throw Errors.invalidCurrency();
    }
    const user = this.consumers.require(custId);
    const key = `${clientId} ${partnerReferenceNo}`;
    if (this.payments.has(key)) {
      throw Errors.duplicateReference();
    }
    const qr = this.decode(qrContent, amount.minor);
    if (qr.dynamic && qr.amountMinor !== amount.minor) {
      throw new NetzmeError(404, '13', 'Invalid Amount');
    }
    const invoice = qr.dynamic ? this.invoices.findByQrContent(qrContent) : undefined;
    if (invoice?.status === 'CLOSED') {
      throw new NetzmeError(403, '00', 'Transaction Expired');
    }
    if (invoice?.status === 'SUCCESS') {
      throw new NetzmeError(403, '15', 'Transaction Not Permitted');
    }
    const payable = qr.amountMinor + qr.feeMinor;
    if (user.cashMinor < payable) {
      throw Errors.insufficientFunds();
    }
    const entry = this.consumers.move(user, 'qris_payment', -payable, `QRIS ${qr.merchantName}`, clientId);
    let rrn: string | undefined;
    const options = { buyerUserId: custId, buyerFullname: user.fullName, issuerName: 'NETZME' };
    if (invoice) {
      rrn = this.invoices.pay(invoice.id, options).qrisPayment?.rrn;
    } else if (qr.merchantId && this.merchants.find(qr.merchantId)) {
      rrn = this.invoices.payStaticQris(qr.merchantId, qr.amountMinor, options).rrn;
    }
    this.payments.set(key, entry.trxId);
    if (this.payments.size > this.options.retentionMaxSettled * SEEN_REFERENCES_FACTOR) {
      this.payments.delete(this.payments.keys().next().value!); // the oldest reference
    }
    const answer = {
      referenceNo: entry.trxId,
      partnerReferenceNo,
      amount: money(qr.amountMinor),
      feeAmount: money(qr.feeMinor),
      additionalInfo: { custId, merchantName: qr.merchantName, rrn: rrn ?? '', balance: money(user.cashMinor) },
    };
    this.consumers.notifyQrisPayment(
      user,
      {
        originalReferenceNo: entry.trxId,
        originalPartnerReferenceNo: partnerReferenceNo,
        latestTransactionStatus: '00',
        transactionStatusDesc: 'Success',
        amount: money(payable),
        additionalInfo: { custId, merchantName: qr.merchantName, rrn: rrn ?? '', type: 'qris_payment' },
      },
      entry.trxId,
    );
    return { responseCode: '2006000', responseMessage: 'Successful', ...answer };
  }

  reset(): void {
    this.payments.clear();
  }

  exportState(): [string, string][] {
    return [...this.payments];
  }

  importState(payments: [string, string][]): void {
    payments.forEach(([key, trxId]) => this.payments.set(key, trxId));
  }
}
