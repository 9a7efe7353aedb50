import type { PaymentNotificationEvent, WithdrawalStatusEvent } from '../../apps/gateway/src/callback';
import { parseCallback } from '../../apps/gateway/src/callback/callback-parser';

/**
 * Owners take typed events read by the callback module's parser, never raw bodies. Tests that call
 * an owner directly build its event the same way: from the body Netzme would send (a literal JSON
 * string, or the object it parses to), through the real parser.
 */
function bodyOf(body: string | Record<string, unknown>): Record<string, unknown> {
  return typeof body === 'string' ? (JSON.parse(body) as Record<string, unknown>) : body;
}

export function paymentEvent(body: string | Record<string, unknown>, kind: 'invoice-paid' | 'qris-paid' = 'invoice-paid'): PaymentNotificationEvent {
  const read = parseCallback(kind, bodyOf(body));
  if (read.type !== 'invoice-paid' && read.type !== 'qris-paid') {
    throw new Error(`not a payment notification: ${read.type === 'unreadable' ? read.reason : read.type}`);
  }
  return read;
}

export function withdrawalEvent(body: string | Record<string, unknown>): WithdrawalStatusEvent {
  const read = parseCallback('withdrawal-status', bodyOf(body));
  if (read.type !== 'withdrawal-status') {
    throw new Error(`not a withdrawal status notification: ${read.type === 'unreadable' ? read.reason : read.type}`);
  }
  return read;
}
