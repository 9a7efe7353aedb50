import { Controller, Post } from '@nestjs/common';
import type { CreateInvoiceTransactionResponse, InvoiceTransactionResponse } from '@app/snap';
import { NetzmeBody, NetzmeClientId, NetzmeEndpoint } from '../auth/netzme-endpoint.decorator';
import { Errors } from '../common/netzme-error';
import { versioned } from '../common/netzme-paths';
import { ts } from '../common/format';
import type { WireBody } from '../common/wire-body';
import { MerchantsService } from '../merchants/merchants.service';
import { StatsService } from '../state/stats.service';
import { createTransactionResponse, invoiceTransactionResponse, qrisAcquireResponse } from './invoice.views';
import { InvoicesService } from './invoices.service';
import { merchantTransactionList } from './transaction-list';

/** Toko invoice and QRIS endpoints: T10, T11, T12/T21, T13, T14, T6. */
@Controller()
export class InvoicesController {
  constructor(
    private readonly invoices: InvoicesService,
    private readonly merchants: MerchantsService,
    private readonly stats: StatsService,
  ) {}

  /** T12 Create Invoice Transaction (and T21 deposit top-up with additionalInfo.apiSource). */
  @Post(versioned('/api/{version}/invoice/create-transaction'))
  @NetzmeEndpoint('47')
  async createTransaction(@NetzmeClientId() clientId: string, @NetzmeBody() body: WireBody): Promise<CreateInvoiceTransactionResponse> {
    const invoice = await this.invoices.createTransaction(clientId, body);
    return createTransactionResponse(invoice, this.merchants.require(invoice.merchantId).nmid);
  }

  /** T13 Create Invoice QR MPM — INFERRED ONLY (path and shapes from SNAP qr-mpm-generate). */
  @Post(versioned('/api/{version}/qr/qr-mpm-generate'))
  @NetzmeEndpoint('47')
  async createQrMpm(@NetzmeClientId() clientId: string, @NetzmeBody() body: WireBody): Promise<Record<string, unknown>> {
    const invoice = await this.invoices.createTransaction(clientId, body, 'qr-mpm-generate');
    return {
      responseCode: '2004700',
      responseMessage: 'Successful',
      referenceNo: invoice.trxId,
      partnerReferenceNo: invoice.partnerReferenceNo,
      qrContent: invoice.qrContent,
      qrImage: invoice.qrImage,
      qrUrl: invoice.paymentUrl,
      additionalInfo: { invoiceId: invoice.id, trxId: invoice.trxId, expiredTs: ts(invoice.expiresAtMs) },
    };
  }

  /** T11 Create Invoice. */
  @Post(versioned('/api/{version}/invoice/create'))
  @NetzmeEndpoint('00')
  createInvoice(@NetzmeClientId() clientId: string, @NetzmeBody() body: WireBody): Record<string, unknown> {
    const invoice = this.invoices.createInvoice(clientId, body);
    return {
      responseCode: '2000000',
      responseMessage: 'Successful',
      partnerReferenceNo: invoice.partnerReferenceNo,
      additionalInfo: { invoiceId: invoice.id, status: true, paymentUrl: invoice.paymentUrl },
    };
  }

  /** T14 Get Invoice Transaction: originalPartnerReferenceNo = trxId (also accepts invoice id / own reference). */
  @Post(versioned('/api-invoice/{version}/transaction-history-detail'))
  @NetzmeEndpoint('13')
  invoiceTransaction(@NetzmeClientId() clientId: string, @NetzmeBody() body: WireBody): InvoiceTransactionResponse {
    const ref = body.string('originalPartnerReferenceNo');
    const invoice = this.invoices.findForQuery(clientId, ref);
    if (!invoice) {
      throw Errors.notFound();
    }
    this.stats.countInvoiceQuery(invoice.trxId ?? invoice.id);
    return invoiceTransactionResponse(invoice);
  }

  /** T10 Get QRIS Acquire Transaction, by RRN. */
  @Post(versioned('/api-qris/{version}/transaction-history-detail'))
  @NetzmeEndpoint('13')
  qrisAcquire(@NetzmeBody() body: WireBody): Record<string, unknown> {
    const rrn = body.string('originalPartnerReferenceNo');
    const requestRef = body.additionalInfo().optString('partnerReferenceNo') ?? body.optString('partnerReferenceNo') ?? '';
    const payment = this.invoices.findQrisPayment(rrn);
    if (!payment) {
      throw Errors.notFound();
    }
    return qrisAcquireResponse(requestRef, payment, this.merchants.require(payment.merchantId));
  }

  /** T6 Get Transaction List (v2.0 in the docs). */
  @Post(versioned('/api-qris/{version}/transaction/history-list'))
  @NetzmeEndpoint('12')
  transactionList(@NetzmeBody() body: WireBody): Record<string, unknown> {
    return merchantTransactionList(this.invoices, this.merchants, body);
  }
}
