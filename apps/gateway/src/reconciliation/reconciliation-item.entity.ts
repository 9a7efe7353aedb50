import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { bigintTransformer } from '../database/bigint.transformer';
import type { ItemKind, ReconSource } from './reconcile';
import { ReconciliationRun } from './reconciliation-run.entity';

/** One line of a reconciliation report: a matched pair, a one-sided item or a mismatch. */
@Entity({ name: 'reconciliation_items' })
@Index('IDX_reconciliation_items_run', ['runId', 'id'])
@Index('IDX_reconciliation_items_run_kind', ['runId', 'kind', 'id'])
export class ReconciliationItem {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'run_id', type: 'uuid' })
  runId: string;

  @ManyToOne(() => ReconciliationRun, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'run_id', foreignKeyConstraintName: 'FK_reconciliation_items_run' })
  run?: Relation<ReconciliationRun>;

  @Column({ type: 'text' })
  source: ReconSource;

  @Column({ type: 'text' })
  kind: ItemKind;

  /** Expected to resolve by itself (callback/poll pending, payout processing): not a real mismatch yet. */
  @Column({ name: 'in_flight', type: 'boolean' })
  inFlight: boolean;

  @Column({ type: 'text' })
  reference: string;

  @Column({ name: 'our_id', type: 'text', nullable: true })
  ourId: string | null;

  @Column({ name: 'our_status', type: 'text', nullable: true })
  ourStatus: string | null;

  @Column({ name: 'our_amount_minor', type: 'bigint', nullable: true, transformer: bigintTransformer })
  ourAmountMinor: bigint | null;

  @Column({ name: 'our_at', type: 'timestamptz', nullable: true })
  ourAt: Date | null;

  @Column({ name: 'netzme_id', type: 'text', nullable: true })
  netzmeId: string | null;

  @Column({ name: 'netzme_status', type: 'text', nullable: true })
  netzmeStatus: string | null;

  @Column({ name: 'netzme_amount_minor', type: 'bigint', nullable: true, transformer: bigintTransformer })
  netzmeAmountMinor: bigint | null;

  @Column({ name: 'netzme_at', type: 'timestamptz', nullable: true })
  netzmeAt: Date | null;

  @Column({ type: 'text', nullable: true })
  note: string | null;
}
