import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import { CallbacksService } from '../callbacks/callbacks.service';
import { invoicePaidPayload, qrisPaidPayload } from '../callbacks/payloads';
import { mdrFor } from '../common/fees';
import { invoiceId, uuid } from '../common/ids';
import { RuntimeInfoService } from '../common/runtime-info.service';
import type { WireBody } from '../common/wire-body';
import { DepositLedgerService } from '../deposit/deposit-ledger.service';
import { MerchantsService } from '../merchants/merchants.service';
import type { Invoice, QrisPaymentRecord } from './invoice.model';
import { buyerOf, checkPercentage, checkPositiveAmount, DEFAULT_EXPIRE_SECONDS, moneyOk, QRIS_METHODS, readTransactionRequest } from './invoice-requests';
import { InvoiceStore, qrImageOf, type InvoicesState } from './invoice-store';
import { buildQris } from './qris';
import { newQrisPayment, type PayOptions } from './qris-payments';

/**
 * Invoices and invoice transactions (T11, T12, T13, T14, T21) and the QRIS payments a merchant
 * receives (T10, T16). Paying credits the merchant's total and settled balance with the net amount
 * (or the deposit, for a top-up) and sends the payment callback. The invoices themselves live in
 * InvoiceStore (look-ups, expiry, retention, persistence); the requests are read by invoice-requests.ts.
 */
@Injectable()
export class InvoicesService {
  constructor(
    private readonly store: InvoiceStore,
    private readonly merchants: MerchantsService,
    private readonly callbacks: CallbacksService,
    private readonly deposit: DepositLedgerService,
    private readonly runtime: RuntimeInfoService,
  ) {}

  // ---- Netzme API ------------------------------------------------------------------------------

  /** T12 / T21 / T13: an invoice plus its payment transaction (for QRIS: the dynamic QR). */
  async createTransaction(clientId: string, body: WireBody, createdBy: Invoice['createdBy'] = 'create-transaction'): Promise<Invoice> {
    const request = readTransactionRequest(body, createdBy);
    const { merchantId, partnerReferenceNo, amountMinor, payMethod, feeType } = request;
    const merchant = this.merchants.require(merchantId);
    this.store.refuseDuplicate(clientId, partnerReferenceNo);

    const now = Date.now();
    const isTopUp = request.apiSource === 'topup_deposit';
    const fee = isTopUp ? 0n : mdrFor(payMethod, amountMinor);
    const invoice: Invoice = {
      id: invoiceId(merchantId, now),
      trxId: uuid(),
      clientId,
      merchantId,
      partnerReferenceNo,
      payMethod,
      feeType,
      commissionPercentage: request.commissionPercentage,
      amountMinor,
      basicAmountMinor: request.basicAmountMinor,
      shippingAmountMinor: request.shippingAmountMinor,
      feeMinor: fee,
      totalAmountMinor: feeType === 'on_buyer' ? amountMinor + fee : amountMinor,
      netAmountMinor: feeType === 'on_buyer' ? amountMinor : amountMinor - fee,
      apiSource: request.apiSource,
      buyer: request.buyer,
      terminalId: request.terminalId,
      createdAtMs: now,
      expiresAtMs: now + request.expireInSecond * 1000,
      status: 'INIT',
      paymentUrl: '',
      virtualAccountData: [],
      createdBy,
    };
    invoice.paymentUrl = `${this.runtime.baseUrl}/sandbox/pay/${invoice.trxId}`;
    if (QRIS_METHODS.has(payMethod)) {
      invoice.qrContent = buildQris(merchant, {
        amountMinor: invoice.totalAmountMinor,
        billNumber: invoice.trxId!.slice(0, 25),
        terminalLabel: request.terminalId,
      });
      invoice.qrImage = await qrImageOf(invoice.qrContent);
    } else if (payMethod === 'BANK_TRANSFER' || payMethod.startsWith('VA_')) {
      invoice.virtualAccountData = ['MANDIRI', 'BNI', 'PERMATA'].map((bankCode) => ({
        bankCode,
        virtualAccountNo: `88608${String(randomInt(0, 1e8)).padStart(8, '0')}`,
      }));
    }
    this.store.add(invoice);
    return invoice;
  }

  /** T11: an invoice (payment page) not yet bound to a pay method. */
  createInvoice(clientId: string, body: WireBody): Invoice {
    const merchantId = body.string('custIdMerchant');
    const partnerReferenceNo = body.string('partnerReferenceNo');
    const amountMinor = moneyOk(body, 'amount', true)!;
    const details = body.optObject('amountDetail');
    const commissionPercentage = body.optDecimalish('commissionPercentage') ?? '0';
    checkPercentage(commissionPercentage);
    const buyer = buyerOf(body.additionalInfo());
    checkPositiveAmount(amountMinor);
    this.merchants.require(merchantId);
    this.store.refuseDuplicate(clientId, partnerReferenceNo);
    const now = Date.now();
    const invoice: Invoice = {
      id: invoiceId(merchantId, now),
      clientId,
      merchantId,
      partnerReferenceNo,
      payMethod: 'NETZME',
      feeType: 'on_seller',
      commissionPercentage,
      amountMinor,
      // Read after the duplicate check, as Netzme answers a repeated reference first.
      basicAmountMinor: details ? moneyOk(details, 'basicAmount', false) : undefined,
      shippingAmountMinor: details ? moneyOk(details, 'shippingAmount', false) : undefined,
      feeMinor: 0n,
      totalAmountMinor: amountMinor,
      netAmountMinor: amountMinor,
      buyer,
      createdAtMs: now,
      expiresAtMs: now + DEFAULT_EXPIRE_SECONDS * 24 * 1000,
      status: 'INIT',
      paymentUrl: '',
      virtualAccountData: [],
      createdBy: 'create-invoice',
    };
    invoice.paymentUrl = `${this.runtime.baseUrl}/sandbox/pay/${invoice.id}`;
    this.store.add(invoice);
    return invoice;
  }

  /** T14: by trxId (what working clients send), or by invoice id or the partner's reference. */
  findForQuery(clientId: string, ref: string): Invoice | undefined {
    return this.store.findForQuery(clientId, ref);
  }

  findQrisPayment(rrn: string): QrisPaymentRecord | undefined {
    return this.store.findQrisPayment(rrn);
  }

  /** Invoice QR lookup for the consumer side (a Netzme user scanning one of our dynamic QRs). */
  findByQrContent(qrContent: string): Invoice | undefined {
    return this.store.findByQrContent(qrContent);
  }

  /** Paid invoices and static QRIS payments of a merchant, newest first (T6). */
  merchantHistory(merchantId: string): { invoice?: Invoice; payment?: QrisPaymentRecord; atMs: number }[] {
    return this.store.merchantHistory(merchantId);
  }

  // ---- control -----------------------------------------------------------------------------------

  /** `:ref` = invoice id, trxId or the partner's partnerReferenceNo. */
  find(ref: string): Invoice | undefined {
    return this.store.find(ref);
  }

  /** The buyer pays: INIT -> SUCCESS, money credited, callback sent. Terminal states never change. */
  pay(ref: string, options: PayOptions = {}): Invoice {
    const invoice = this.pending(ref, 'be paid');
    const merchant = this.merchants.require(invoice.merchantId);
    invoice.status = 'SUCCESS';
    invoice.paidAtMs = Date.now();
    invoice.trxId ??= uuid();
    this.store.indexTrxId(invoice as Invoice & { trxId: string });

    if (invoice.apiSource === 'topup_deposit') {
      this.deposit.move(merchant, 'TOP_UP', invoice.amountMinor, invoice.partnerReferenceNo, `top-up ${invoice.id}`);
    } else {
      this.merchants.creditSale(merchant, invoice.netAmountMinor);
    }
    if (QRIS_METHODS.has(invoice.payMethod)) {
      invoice.qrisPayment = newQrisPayment(merchant, invoice.clientId, invoice.totalAmountMinor, invoice.feeMinor, options, invoice);
      this.store.addQrisPayment(invoice.qrisPayment);
    }

    // QRIS payments go out SNAP-signed (T18) when the partner chose that scheme; everything else as T15.
    if (invoice.qrisPayment && this.callbacks.authFor(invoice.clientId) === 'snap') {
      this.callbacks.send('qris-paid-snap', invoice.clientId, qrisPaidPayload(invoice.qrisPayment, merchant, invoice), invoice.trxId);
    } else {
      this.callbacks.send('invoice-paid', invoice.clientId, invoicePaidPayload(invoice, merchant, this.callbacks.invoiceReference()), invoice.trxId);
    }
    this.store.settle(invoice);
    return invoice;
  }

  /** The invoice expires now (control route); a paid invoice stays paid. */
  expire(ref: string): Invoice {
    const invoice = this.pending(ref, 'expire');
    this.store.close(invoice, Date.now());
    return invoice;
  }

  /** A buyer pays the merchant's static QRIS (no invoice): T16 `qris-paid` (or T18 with SNAP auth). */
  payStaticQris(merchantId: string, amountMinor: bigint, options: PayOptions = {}): QrisPaymentRecord {
    const merchant = this.merchants.find(merchantId);
    if (!merchant) {
      throw new NotFoundException(`no merchant ${merchantId}`);
    }
    const mdr = mdrFor('QRIS', amountMinor);
    const payment = newQrisPayment(merchant, merchant.clientId, amountMinor, mdr, options);
    this.store.addStaticPayment(payment);
    this.merchants.creditSale(merchant, amountMinor - mdr);
    const kind = this.callbacks.authFor(merchant.clientId) === 'snap' ? 'qris-paid-snap' : 'qris-paid';
    this.callbacks.send(kind, merchant.clientId, qrisPaidPayload(payment, merchant), payment.rrn);
    return payment;
  }

  all(): Invoice[] {
    return this.store.all();
  }

  allQrisPayments(): QrisPaymentRecord[] {
    return this.store.allQrisPayments();
  }

  duplicatesRefused(clientId: string, partnerReferenceNo: string): number {
    return this.store.duplicatesRefused(clientId, partnerReferenceNo);
  }

  reset(): void {
    this.store.reset();
  }

  exportState(): InvoicesState {
    return this.store.exportState();
  }

  importState(state: InvoicesState): Promise<void> {
    return this.store.importState(state);
  }

  /** An invoice a control route may still pay or expire: 404 unknown, 409 already paid or closed. */
  private pending(ref: string, action: string): Invoice {
    const invoice = this.store.find(ref);
    if (!invoice) {
      throw new NotFoundException(`no invoice with id, trxId or partnerReferenceNo ${ref}`);
    }
    if (invoice.status !== 'INIT') {
      throw new ConflictException(`invoice ${invoice.id} is ${invoice.status} and cannot ${action}`);
    }
    return invoice;
  }
}
