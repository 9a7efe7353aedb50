import { Inject, Injectable } from '@nestjs/common';
import * as QRCode from 'qrcode';
import { DeadlineQueue } from '../common/deadline-queue';
import { Errors } from '../common/netzme-error';
import { TimersService } from '../common/timers.service';
import { SANDBOX_OPTIONS, type ResolvedSandboxOptions } from '../config/sandbox-options';
import { FifoQueue, RecentSet, SEEN_REFERENCES_FACTOR } from '../state/retention';
import type { Invoice, QrisPaymentRecord } from './invoice.model';

/** What `exportState()` hands to the state file (persistence) and `importState()` takes back. */
export interface InvoicesState {
  /** In creation order (the order `/sandbox/state` lists them). */
  invoices: Invoice[];
  /** Ids of paid or expired invoices in the order they settled (the retention limit drops the oldest). */
  settledOrder: string[];
  staticQrisPayments: QrisPaymentRecord[];
  refusedDuplicates: [string, number][];
  /** `<clientId> <partnerReferenceNo>` of invoices dropped by the retention limit. */
  evictedReferences: string[];
}

/** The QR picture of a dynamic QRIS string, as Create Invoice Transaction answers it. */
export function qrImageOf(qrContent: string): Promise<string> {
  // A whole-pixel scale (about 290 px for a QRIS string) draws 2.5x faster than resampling to a fixed width.
  return QRCode.toDataURL(qrContent, { errorCorrectionLevel: 'M', margin: 2, scale: 4 });
}

/**
 * The sandbox's memory of invoices and received QRIS payments: looked up by id, trxId, partner
 * reference or QR string; expired lazily on read and by one deadline queue; past the retention
 * limit the oldest settled ones are dropped while their partner reference stays refused.
 */
@Injectable()
export class InvoiceStore {
  private readonly byId = new Map<string, Invoice>();
  private readonly byTrxId = new Map<string, Invoice>();
  /** `<clientId> <partnerReferenceNo>`: a partner reference creates at most one invoice. */
  private readonly byPartnerRef = new Map<string, Invoice>();
  /** Dynamic QRIS string -> invoice, for a Netzme user scanning one of our QRs (N8–N12). */
  private readonly byQrContent = new Map<string, Invoice>();
  private readonly qrisPayments = new Map<string, QrisPaymentRecord>();
  /** One timer for every invoice's expiry (a timer per invoice costs memory under load). */
  private readonly expiries: DeadlineQueue;
  private readonly refusedDuplicates = new Map<string, number>();
  /** Paid or expired invoice ids, oldest first: the retention limit drops from the front. */
  private readonly settled = new FifoQueue<string>();
  /** RRNs of static QRIS payments (no invoice), oldest first. */
  private readonly staticPayments = new FifoQueue<string>();
  /** Partner references of dropped invoices: Netzme still refuses them as duplicates. */
  private readonly evictedRefs: RecentSet;

  constructor(
    @Inject(SANDBOX_OPTIONS) private readonly options: ResolvedSandboxOptions,
    timers: TimersService,
  ) {
    this.expiries = new DeadlineQueue(timers, (id) => {
      const invoice = this.byId.get(id);
      if (invoice) {
        this.refresh(invoice);
      }
    });
    this.evictedRefs = new RecentSet(() => this.options.retentionMaxSettled * SEEN_REFERENCES_FACTOR);
  }

  // ---- reads -------------------------------------------------------------------------------------

  /** T14: by trxId (what working clients send), or by invoice id or the partner's reference. */
  findForQuery(clientId: string, ref: string): Invoice | undefined {
    const invoice = this.byTrxId.get(ref) ?? this.byId.get(ref) ?? this.byPartnerRef.get(`${clientId} ${ref}`);
    return invoice ? this.refresh(invoice) : undefined;
  }

  /** Control routes: `ref` = invoice id, trxId or the partner's partnerReferenceNo (any client). */
  find(ref: string): Invoice | undefined {
    let invoice = this.byId.get(ref) ?? this.byTrxId.get(ref);
    if (!invoice) {
      for (const [key, candidate] of this.byPartnerRef) {
        if (key.endsWith(` ${ref}`)) {
          invoice = candidate;
          break;
        }
      }
    }
    return invoice ? this.refresh(invoice) : undefined;
  }

  findQrisPayment(rrn: string): QrisPaymentRecord | undefined {
    return this.qrisPayments.get(rrn);
  }

  /** Invoice QR lookup for the consumer side (a Netzme user scanning one of our dynamic QRs). */
  findByQrContent(qrContent: string): Invoice | undefined {
    const invoice = this.byQrContent.get(qrContent);
    return invoice ? this.refresh(invoice) : undefined;
  }

  /** Paid invoices and static QRIS payments of a merchant, newest first (T6). */
  merchantHistory(merchantId: string): { invoice?: Invoice; payment?: QrisPaymentRecord; atMs: number }[] {
    const items: { invoice?: Invoice; payment?: QrisPaymentRecord; atMs: number }[] = [];
    for (const invoice of this.byId.values()) {
      if (invoice.merchantId === merchantId && invoice.status === 'SUCCESS') {
        items.push({ invoice, payment: invoice.qrisPayment, atMs: invoice.paidAtMs! });
      }
    }
    for (const payment of this.qrisPayments.values()) {
      if (payment.merchantId === merchantId && !payment.invoiceId) {
        items.push({ payment, atMs: payment.paidAtMs });
      }
    }
    return items.sort((a, b) => b.atMs - a.atMs);
  }

  all(): Invoice[] {
    return [...this.byId.values()].map((i) => this.refresh(i));
  }

  allQrisPayments(): QrisPaymentRecord[] {
    return [...this.qrisPayments.values()];
  }

  duplicatesRefused(clientId: string, partnerReferenceNo: string): number {
    return this.refusedDuplicates.get(`${clientId} ${partnerReferenceNo}`) ?? 0;
  }

  // ---- writes ------------------------------------------------------------------------------------

  /** 409 (and counted) when this client already used the partner reference, even for a dropped invoice. */
  refuseDuplicate(clientId: string, partnerReferenceNo: string): void {
    const key = `${clientId} ${partnerReferenceNo}`;
    if (this.byPartnerRef.has(key) || this.evictedRefs.has(key)) {
      this.refusedDuplicates.set(key, (this.refusedDuplicates.get(key) ?? 0) + 1);
      throw Errors.duplicateReference();
    }
  }

  add(invoice: Invoice): void {
    this.byId.set(invoice.id, invoice);
    if (invoice.trxId) {
      this.byTrxId.set(invoice.trxId, invoice);
    }
    this.byPartnerRef.set(`${invoice.clientId} ${invoice.partnerReferenceNo}`, invoice);
    if (invoice.qrContent) {
      this.byQrContent.set(invoice.qrContent, invoice);
    }
    // Expiry is checked lazily on every read and by the deadline queue, so it also shows up in /sandbox/state.
    if (invoice.status === 'INIT') {
      this.expiries.add(invoice.expiresAtMs, invoice.id);
      // Entries of invoices paid before their expiry are dropped once they outnumber the pending ones.
      const pending = this.byId.size - this.settled.length;
      if (this.expiries.size > 2 * pending + 1024) {
        this.expiries.retain((id) => this.byId.get(id)?.status === 'INIT');
      }
    }
  }

  /** An invoice paid without a trxId yet (T11 invoices get one when paid). */
  indexTrxId(invoice: Invoice & { trxId: string }): void {
    this.byTrxId.set(invoice.trxId, invoice);
  }

  addQrisPayment(payment: QrisPaymentRecord): void {
    this.qrisPayments.set(payment.rrn, payment);
  }

  /** A static QRIS payment (no invoice): kept up to the retention limit, oldest dropped first. */
  addStaticPayment(payment: QrisPaymentRecord): void {
    this.qrisPayments.set(payment.rrn, payment);
    this.staticPayments.push(payment.rrn);
    while (this.staticPayments.length > this.options.retentionMaxSettled) {
      this.qrisPayments.delete(this.staticPayments.shift()!);
    }
  }

  close(invoice: Invoice, atMs: number): void {
    invoice.status = 'CLOSED';
    invoice.closedAtMs = atMs;
    this.settle(invoice);
  }

  /**
   * A paid or expired invoice: its QR picture is no longer needed (the largest part of an invoice),
   * and past the retention limit the oldest settled invoice is dropped, its partner reference kept.
   */
  settle(invoice: Invoice): void {
    invoice.qrImage = undefined;
    this.settled.push(invoice.id);
    while (this.settled.length > this.options.retentionMaxSettled) {
      this.evict(this.settled.shift()!);
    }
  }

  reset(): void {
    this.expiries.clear();
    this.settled.clear();
    this.staticPayments.clear();
    this.evictedRefs.clear();
    this.byId.clear();
    this.byTrxId.clear();
    this.byPartnerRef.clear();
    this.byQrContent.clear();
    this.qrisPayments.clear();
    this.refusedDuplicates.clear();
  }

  private refresh(invoice: Invoice, now = Date.now()): Invoice {
    if (invoice.status === 'INIT' && now >= invoice.expiresAtMs) {
      this.close(invoice, invoice.expiresAtMs);
    }
    return invoice;
  }

  private evict(id: string): void {
    const invoice = this.byId.get(id);
    if (!invoice || invoice.status === 'INIT') {
      return;
    }
    const key = `${invoice.clientId} ${invoice.partnerReferenceNo}`;
    this.byId.delete(id);
    if (invoice.trxId) {
      this.byTrxId.delete(invoice.trxId);
    }
    if (this.byPartnerRef.get(key) === invoice) {
      this.byPartnerRef.delete(key);
    }
    if (invoice.qrContent) {
      this.byQrContent.delete(invoice.qrContent);
    }
    if (invoice.qrisPayment) {
      this.qrisPayments.delete(invoice.qrisPayment.rrn);
    }
    this.refusedDuplicates.delete(key);
    this.evictedRefs.add(key);
  }

  // ---- persistence -------------------------------------------------------------------------------

  exportState(): InvoicesState {
    return {
      // Without the QR picture: it is drawn again for pending invoices at load, and settled ones no longer need it.
      invoices: [...this.byId.values()].map((i) => ({ ...i, qrImage: undefined })),
      settledOrder: this.settled.toArray().filter((id) => this.byId.has(id)),
      staticQrisPayments: this.staticPayments
        .toArray()
        .map((rrn) => this.qrisPayments.get(rrn))
        .filter((p): p is QrisPaymentRecord => p !== undefined),
      refusedDuplicates: [...this.refusedDuplicates],
      evictedReferences: this.evictedRefs.values(),
    };
  }

  /** Load a saved state (into an empty store): pending invoices get their QR picture and expiry back. */
  async importState(state: InvoicesState): Promise<void> {
    for (const key of state.evictedReferences) {
      this.evictedRefs.add(key);
    }
    for (const invoice of state.invoices) {
      if (invoice.status === 'INIT' && invoice.qrContent) {
        invoice.qrImage = await qrImageOf(invoice.qrContent);
      }
      this.add(invoice);
      if (invoice.qrisPayment) {
        this.qrisPayments.set(invoice.qrisPayment.rrn, invoice.qrisPayment);
      }
    }
    state.settledOrder.forEach((id) => this.settled.push(id));
    for (const payment of state.staticQrisPayments) {
      this.qrisPayments.set(payment.rrn, payment);
      this.staticPayments.push(payment.rrn);
    }
    for (const [key, count] of state.refusedDuplicates) {
      this.refusedDuplicates.set(key, count);
    }
    // Invoices that expired while the sandbox was down close now (and count as settled).
    for (const invoice of state.invoices) {
      this.refresh(invoice);
    }
  }
}
