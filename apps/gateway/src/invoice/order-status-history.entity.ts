import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { bigintTransformer } from '../database/bigint.transformer';
import type { InvoiceStatus, TransitionSource } from './invoice-state';

/** One status change of an order, written in the same statement as the change itself. */
@Entity({ name: 'order_status_history' })
@Index('IDX_order_status_history_order', ['orderId', 'id'])
export class OrderStatusHistory {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'order_id', type: 'uuid' })
  orderId: string;

  @Column({ name: 'from_status', type: 'text', nullable: true })
  fromStatus: InvoiceStatus | null;

  @Column({ name: 'to_status', type: 'text' })
  toStatus: InvoiceStatus;

  /** create | checkout-retry | callback | poll | admin */
  @Column({ type: 'text' })
  source: TransitionSource;

  /** E.g. the callback id that proved a payment. */
  @Column({ name: 'source_ref', type: 'text', nullable: true })
  sourceRef: string | null;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  /** Amount seen by the writer (payments), for the audit trail. */
  @Column({ name: 'amount_minor', type: 'bigint', nullable: true, transformer: bigintTransformer })
  amountMinor: bigint | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
