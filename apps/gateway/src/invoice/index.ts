/**
 * The invoice module's public face: what other modules may use. Everything else in invoice/ is
 * internal (import from here, never from a file inside the folder).
 */
export { InvoiceModule } from './invoice.module';
export { InvoicesService, type CreateInvoiceResult, type NewInvoiceRequest } from './invoices.service';
export { OrdersService } from './orders.service';
export { OrderSyncService, type ConfirmOutcome, type InvoicePaymentOutcome } from './order-sync.service';
export type { Order, Order as Invoice } from './order.entity';
export { INVOICE_PURPOSES, type InvoicePurpose, type InvoiceStatus } from './invoice-state';
