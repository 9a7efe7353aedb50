import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Withdrawals (merchant balance -> bank, and prepaid deposit -> bank) and their event history.
 * The constraints carry the money promises, not the application code:
 * - one row per (kind, idempotency key): a replayed request finds the first one;
 * - one partnerReferenceNo per payout, reused for every resubmission;
 * - at most one payout in flight per merchant and kind (partial unique index);
 * - amounts are positive integers of sen.
 */
export class CreateWithdrawals1795290500000 implements MigrationInterface {
  name = 'CreateWithdrawals1795290500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "withdrawals" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "kind" text NOT NULL,
        "merchant_id" text NOT NULL,
        "status" text NOT NULL,
        "amount_minor" bigint NOT NULL,
        "currency" text NOT NULL DEFAULT 'IDR',
        "partner_reference_no" text NOT NULL,
        "reference_no" text,
        "netzme_has_it" boolean NOT NULL DEFAULT false,
        "idempotency_key" text NOT NULL,
        "request_fingerprint" text NOT NULL,
        "beneficiary_account_name" text NOT NULL,
        "beneficiary_account_number" text NOT NULL,
        "beneficiary_bank_name" text NOT NULL,
        "beneficiary_bank_code" text NOT NULL,
        "withdrawable_minor" bigint,
        "minimum_minor" bigint,
        "submit_attempts" integer NOT NULL DEFAULT 0,
        "check_attempts" integer NOT NULL DEFAULT 0,
        "next_check_at" timestamptz NOT NULL DEFAULT now(),
        "netzme_status" text,
        "failure_reason" text,
        "last_error" text,
        "anomaly" text,
        "anomaly_at" timestamptz,
        "requested_by" text,
        "submitted_at" timestamptz,
        "resolved_at" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "withdrawals_kind_check" CHECK ("kind" IN ('MERCHANT', 'DEPOSIT')),
        CONSTRAINT "withdrawals_status_check" CHECK ("status" IN ('PENDING_SUBMIT', 'PROCESSING', 'UNKNOWN', 'SUCCEEDED', 'FAILED')),
        CONSTRAINT "withdrawals_amount_minor_check" CHECK ("amount_minor" > 0),
        CONSTRAINT "withdrawals_partner_reference_no_key" UNIQUE ("partner_reference_no"),
        CONSTRAINT "withdrawals_idempotency_key_key" UNIQUE ("kind", "idempotency_key"),
        -- a finished payout has its resolution time
        CONSTRAINT "withdrawals_resolved_when_final" CHECK ("status" NOT IN ('SUCCEEDED', 'FAILED') OR "resolved_at" IS NOT NULL)
      )`);
    await queryRunner.query(`
      CREATE UNIQUE INDEX "withdrawals_one_in_flight" ON "withdrawals" ("kind", "merchant_id")
        WHERE "status" IN ('PENDING_SUBMIT', 'PROCESSING', 'UNKNOWN')`);
    await queryRunner.query(`
      CREATE UNIQUE INDEX "withdrawals_reference_no_key" ON "withdrawals" ("kind", "reference_no")
        WHERE "reference_no" IS NOT NULL`);
    // The status poller's work list: unresolved rows by due time.
    await queryRunner.query(`
      CREATE INDEX "withdrawals_due" ON "withdrawals" ("kind", "next_check_at")
        WHERE "status" IN ('PENDING_SUBMIT', 'PROCESSING', 'UNKNOWN')`);
    await queryRunner.query(`CREATE INDEX "withdrawals_list" ON "withdrawals" ("kind", "created_at" DESC)`);
    await queryRunner.query(`
      CREATE TABLE "withdrawal_events" (
        "id" bigserial PRIMARY KEY,
        "withdrawal_id" uuid NOT NULL,
        "type" text NOT NULL,
        "from_status" text,
        "to_status" text,
        "source" text NOT NULL,
        "actor" text,
        "reason" text,
        "details" jsonb,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "withdrawal_events_withdrawal_id_fkey" FOREIGN KEY ("withdrawal_id") REFERENCES "withdrawals" ("id") ON DELETE CASCADE,
        CONSTRAINT "withdrawal_events_source_check" CHECK ("source" IN ('api', 'callback', 'poll', 'admin'))
      )`);
    await queryRunner.query(`CREATE INDEX "withdrawal_events_withdrawal" ON "withdrawal_events" ("withdrawal_id", "id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "withdrawal_events"');
    await queryRunner.query('DROP TABLE "withdrawals"');
  }
}
