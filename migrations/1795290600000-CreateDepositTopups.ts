import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Deposit top-ups: invoices that pay into the prepaid deposit. Written before Netzme is called;
 * one row per partnerReferenceNo, per idempotency key (when given) and per Netzme trxId.
 * (Deposit withdrawals live in "withdrawals" with kind = 'DEPOSIT'.)
 */
export class CreateDepositTopups1795290600000 implements MigrationInterface {
  name = 'CreateDepositTopups1795290600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "deposit_topups" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "status" text NOT NULL,
        "merchant_id" text NOT NULL,
        "amount_minor" bigint NOT NULL,
        "currency" text NOT NULL DEFAULT 'IDR',
        "pay_method" text NOT NULL,
        "partner_reference_no" text NOT NULL,
        "idempotency_key" text,
        "request_fingerprint" text NOT NULL,
        "invoice_id" text,
        "trx_id" text,
        "payment_url" text,
        "qr_content" text,
        "qr_image" text,
        "virtual_accounts" jsonb,
        "expires_at" timestamptz NOT NULL,
        "paid_at" timestamptz,
        "fee_minor" bigint,
        "failure_reason" text,
        "anomaly" text,
        "next_check_at" timestamptz NOT NULL DEFAULT now(),
        "check_attempts" integer NOT NULL DEFAULT 0,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "deposit_topups_status_check" CHECK ("status" IN ('PENDING_CREATE', 'PENDING', 'UNKNOWN', 'PAID', 'EXPIRED', 'FAILED')),
        CONSTRAINT "deposit_topups_amount_minor_check" CHECK ("amount_minor" > 0),
        CONSTRAINT "deposit_topups_partner_reference_no_key" UNIQUE ("partner_reference_no"),
        CONSTRAINT "deposit_topups_idempotency_key_key" UNIQUE ("idempotency_key")
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "deposit_topups_trx_id_key" ON "deposit_topups" ("trx_id") WHERE "trx_id" IS NOT NULL`);
    await queryRunner.query(`
      CREATE INDEX "deposit_topups_due" ON "deposit_topups" ("next_check_at")
        WHERE "status" IN ('PENDING_CREATE', 'PENDING', 'UNKNOWN')`);
    await queryRunner.query(`CREATE INDEX "deposit_topups_list" ON "deposit_topups" ("created_at" DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "deposit_topups"');
  }
}
