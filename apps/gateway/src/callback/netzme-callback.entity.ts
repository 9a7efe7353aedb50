import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { CallbackKind } from './callback-kinds';

/**
 * What became of a stored callback:
 * - received: stored, being applied (or its applier died: the re-apply job takes it after the lease)
 * - applied: the owner changed its record
 * - duplicate: the owner already had this result (e.g. the poller got there first)
 * - anomaly: not applied, a person must look (wrong amount, unknown reference, backwards status, malformed)
 * - recorded: kept, no module owns this kind of notification
 * - pending_owner: the owning module is not available yet; re-applied when it is
 * - failed: applying threw (database trouble); the re-apply job tries again
 */
export const CALLBACK_STATUSES = ['received', 'applied', 'duplicate', 'anomaly', 'recorded', 'pending_owner', 'failed'] as const;
export type CallbackStatus = (typeof CALLBACK_STATUSES)[number];

/** The callback inbox: every accepted Netzme notification, stored before it is applied. */
@Entity({ name: 'netzme_callbacks' })
@Index('UQ_netzme_callbacks_dedupe_key', ['dedupeKey'], { unique: true })
@Index('IDX_netzme_callbacks_received_at', ['receivedAt', 'id'])
@Index('IDX_netzme_callbacks_status_received_at', ['status', 'receivedAt'])
@Index('IDX_netzme_callbacks_reference', ['reference'])
@Index('IDX_netzme_callbacks_next_attempt_at', ['nextAttemptAt'], {
  where: `"status" IN ('received', 'failed', 'pending_owner') AND "next_attempt_at" IS NOT NULL`,
})
@Check('CHK_netzme_callbacks_status', `"status" IN ('received', 'applied', 'duplicate', 'anomaly', 'recorded', 'pending_owner', 'failed')`)
export class NetzmeCallback {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'text' })
  kind: CallbackKind;

  /** kind + Netzme's own ids + status (+ amount): the same notification twice is one row. */
  @Column({ name: 'dedupe_key', type: 'text' })
  dedupeKey: string;

  @Column({ type: 'text' })
  status: CallbackStatus;

  /** The main Netzme reference (invoice id, RRN, withdrawal reference, ...), for searching. */
  @Column({ type: 'text', nullable: true })
  reference: string | null;

  /** The module that took it: invoice, deposit, withdrawal (null: none). */
  @Column({ type: 'text', nullable: true })
  owner: string | null;

  /** The record it changed or concerns (order id, withdrawal id, ...). */
  @Column({ name: 'subject_id', type: 'text', nullable: true })
  subjectId: string | null;

  /** Why it is an anomaly / what the owner said. */
  @Column({ type: 'text', nullable: true })
  reason: string | null;

  /** Exactly the bytes Netzme sent (signatures are verified over these). */
  @Column({ name: 'raw_body', type: 'text' })
  rawBody: string;

  /** Request headers, secrets removed. */
  @Column({ type: 'jsonb' })
  headers: Record<string, string>;

  /** How many times the same notification arrived again after the first. */
  @Column({ type: 'integer', default: 0 })
  duplicates: number;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  /** While received/failed/pending_owner: when the re-apply job may take it (doubles as the apply lease). */
  @Column({ name: 'next_attempt_at', type: 'timestamptz', nullable: true })
  nextAttemptAt: Date | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ name: 'received_at', type: 'timestamptz', default: () => 'now()' })
  receivedAt: Date;

  @Column({ name: 'applied_at', type: 'timestamptz', nullable: true })
  appliedAt: Date | null;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
