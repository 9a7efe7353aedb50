/**
 * The callback module's public face: what Netzme POSTs to us is verified, recorded once and read
 * into a typed event here; owners (invoice, payout, deposit) receive these events through the
 * ports of callback-owners.service.ts and never read a callback body themselves.
 */
export { CallbackModule } from './callback.module';
export type {
  AccountUpgradeEvent,
  BillPaidEvent,
  CallbackEvent,
  ConsumerQrisPaymentEvent,
  InvoicePaidEvent,
  InvoiceReferences,
  PaymentFacts,
  PaymentNotificationEvent,
  QrisPaidEvent,
  StatedAmounts,
  UnreadableCallback,
  WithdrawalNotificationType,
  WithdrawalStatusEvent,
} from './callback-events';
export type {
  ConfirmingOwnerResult,
  DepositNotificationOwner,
  InvoiceNotificationOwner,
  OwnerResult,
  WithdrawalNotificationOwner,
} from './callback-owners.service';
