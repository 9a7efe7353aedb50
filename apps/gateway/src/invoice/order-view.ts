import { moneyView, optionalMoneyView } from '../money/money.view';
import type { Order } from './order.entity';
import type { OrderView } from './order.dto';

const MESSAGES: Partial<Record<Order['status'], string>> = {
  CREATING: 'Netzme is being asked for the invoice; read the order again in a moment.',
  UNKNOWN:
    'Netzme did not confirm the invoice. The gateway is finding out and will never create a second one for this order; read it again with GET /orders/:id, or repeat the same POST /orders (same merchantOrderId) to retry now.',
  PENDING: 'Waiting for the buyer to pay.',
  PAID: 'Paid.',
  EXPIRED: 'The invoice expired without payment.',
  FAILED: 'Netzme refused the invoice; create a new order (new merchantOrderId) to try again.',
};

/** The order as the API shows it: amounts as decimal strings, no internal bookkeeping. */
export function toOrderView(order: Order): OrderView {
  const paid = order.status === 'PAID' && order.paidAmountMinor !== null;
  return {
    id: order.id,
    merchantOrderId: order.merchantOrderId ?? '', // always set for purpose ORDER (CHK_orders_merchant_order_id)
    status: order.status,
    amount: moneyView(order.amountMinor),
    payMethod: order.payMethod,
    qrImage: order.qrImage,
    qrContent: order.qrContent,
    paymentUrl: order.paymentUrl,
    virtualAccounts: order.virtualAccounts,
    expiresAt: order.expiresAt?.toISOString() ?? null,
    paidAt: order.paidAt?.toISOString() ?? null,
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
    description: order.description,
    customer: order.customer,
    partnerReferenceNo: order.partnerReferenceNo,
    netzme: { invoiceId: order.netzmeInvoiceId, trxId: order.netzmeTrxId },
    payment: paid
      ? {
          paidAmount: moneyView(order.paidAmountMinor!),
          fee: optionalMoneyView(order.feeMinor),
          netAmount: optionalMoneyView(order.netAmountMinor),
          method: order.paymentDetails?.method,
          rrn: order.paymentDetails?.rrn,
          issuerName: order.paymentDetails?.issuerName,
        }
      : null,
    failure: order.status === 'FAILED' ? { code: order.failureCode, message: order.failureMessage } : null,
    message: order.statusReason && order.status !== 'PAID' ? `${MESSAGES[order.status]} (${order.statusReason})` : (MESSAGES[order.status] ?? null),
    needsReview: order.needsReview,
  };
}
