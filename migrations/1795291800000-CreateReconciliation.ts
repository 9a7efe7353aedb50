import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reconciliation reports (one run per report, its items beside it). The unique index on
 * scheduled_date is the daily job's claim: whichever replica inserts the day's row runs it.
 */
export class CreateReconciliation1795291800000 implements MigrationInterface {
  name = 'CreateReconciliation1795291800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "reconciliation_runs" (
        "id" uuid PRIMARY KEY,
        "business_date" date NOT NULL,
        "trigger" text NOT NULL,
        "scheduled_date" date,
        "status" text NOT NULL,
        "attempts" integer NOT NULL DEFAULT 1,
        "replica_id" text,
        "window_start" timestamptz NOT NULL,
        "window_end" timestamptz NOT NULL,
        "margin_ms" integer NOT NULL,
        "started_at" timestamptz NOT NULL DEFAULT now(),
        "finished_at" timestamptz,
        "lease_until" timestamptz,
        "matched_count" integer NOT NULL DEFAULT 0,
        "in_flight_count" integer NOT NULL DEFAULT 0,
        "mismatch_count" integer NOT NULL DEFAULT 0,
        "summary" jsonb,
        "error" text,
        CONSTRAINT "CHK_reconciliation_runs_status" CHECK ("status" IN ('RUNNING', 'COMPLETED', 'FAILED')),
        CONSTRAINT "CHK_reconciliation_runs_trigger" CHECK ("trigger" IN ('scheduled', 'manual'))
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_reconciliation_runs_scheduled_date" ON "reconciliation_runs" ("scheduled_date")`);
    await queryRunner.query(`CREATE INDEX "IDX_reconciliation_runs_business_date" ON "reconciliation_runs" ("business_date", "started_at")`);
    await queryRunner.query(`CREATE INDEX "IDX_reconciliation_runs_started_at" ON "reconciliation_runs" ("started_at", "id")`);

    await queryRunner.query(`
      CREATE TABLE "reconciliation_items" (
        "id" bigserial PRIMARY KEY,
        "run_id" uuid NOT NULL,
        "source" text NOT NULL,
        "kind" text NOT NULL,
        "in_flight" boolean NOT NULL,
        "reference" text NOT NULL,
        "our_id" text,
        "our_status" text,
        "our_amount_minor" bigint,
        "our_at" timestamptz,
        "netzme_id" text,
        "netzme_status" text,
        "netzme_amount_minor" bigint,
        "netzme_at" timestamptz,
        "note" text,
        CONSTRAINT "FK_reconciliation_items_run" FOREIGN KEY ("run_id") REFERENCES "reconciliation_runs" ("id") ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX "IDX_reconciliation_items_run" ON "reconciliation_items" ("run_id", "id")`);
    await queryRunner.query(`CREATE INDEX "IDX_reconciliation_items_run_kind" ON "reconciliation_items" ("run_id", "kind", "id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "reconciliation_items"');
    await queryRunner.query('DROP TABLE "reconciliation_runs"');
  }
}
