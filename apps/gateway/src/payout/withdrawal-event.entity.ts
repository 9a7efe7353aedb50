import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import type { PayoutStatus } from './payout-state';
import { Withdrawal } from './withdrawal.entity';

/** Flat JSON facts of an event (Netzme codes and ids; never secrets). */
export type EventDetails = Record<string, string | number | boolean | null>;

/** Who or what caused an event. */
export type WithdrawalEventSource = 'api' | 'callback' | 'poll' | 'admin';

/**
 * Append-only history of a payout: every state change, plus the facts that explain it (a
 * resubmission, a reference learned late, an anomaly Netzme reported). Never updated or deleted.
 */
@Entity({ name: 'withdrawal_events' })
@Index('withdrawal_events_withdrawal', ['withdrawalId', 'id'])
@Check('withdrawal_events_source_check', `"source" IN ('api', 'callback', 'poll', 'admin')`)
export class WithdrawalEvent {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'withdrawal_id', type: 'uuid' })
  withdrawalId: string;

  @ManyToOne(() => Withdrawal, (withdrawal) => withdrawal.events, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'withdrawal_id', foreignKeyConstraintName: 'withdrawal_events_withdrawal_id_fkey' })
  // Relation<> keeps decorator metadata from touching the class while the two files load each other.
  withdrawal?: Relation<Withdrawal>;

  /** CREATED, STATUS_CHANGED, SUBMITTED, RESUBMITTED, REFERENCE_RECORDED, ANOMALY, NOTE, ... */
  @Column({ type: 'text' })
  type: string;

  @Column({ name: 'from_status', type: 'text', nullable: true })
  fromStatus: PayoutStatus | null;

  @Column({ name: 'to_status', type: 'text', nullable: true })
  toStatus: PayoutStatus | null;

  @Column({ type: 'text' })
  source: WithdrawalEventSource;

  /** The admin who acted (manual resolution), when known. */
  @Column({ type: 'text', nullable: true })
  actor: string | null;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  /** Netzme codes and ids (never secrets). */
  @Column({ type: 'jsonb', nullable: true })
  details: EventDetails | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
