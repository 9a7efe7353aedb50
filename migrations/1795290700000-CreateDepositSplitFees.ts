import { MigrationInterface, QueryRunner } from 'typeorm';

/** Deduct Deposit and Split Fee calls, written before the call under their partnerReferenceNo. */
export class CreateDepositSplitFees1795290700000 implements MigrationInterface {
  name = 'CreateDepositSplitFees1795290700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "deposit_split_fees" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "status" text NOT NULL,
        "merchant_id" text NOT NULL,
        "partner_reference_no" text NOT NULL,
        "idempotency_key" text NOT NULL,
        "request_fingerprint" text NOT NULL,
        "amount_minor" bigint NOT NULL,
        "fee_minor" bigint NOT NULL,
        "currency" text NOT NULL DEFAULT 'IDR',
        "sku" text NOT NULL,
        "product_name" text NOT NULL,
        "pay_method" text NOT NULL,
        "bank_name" text NOT NULL,
        "description" text,
        "reference_no" text,
        "submit_attempts" integer NOT NULL DEFAULT 0,
        "next_check_at" timestamptz NOT NULL DEFAULT now(),
        "failure_reason" text,
        "last_error" text,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "deposit_split_fees_status_check" CHECK ("status" IN ('PENDING_SUBMIT', 'UNKNOWN', 'DEDUCTED', 'FAILED')),
        CONSTRAINT "deposit_split_fees_amounts_check" CHECK ("amount_minor" > 0 AND "fee_minor" >= 0 AND "fee_minor" <= "amount_minor"),
        CONSTRAINT "deposit_split_fees_partner_reference_no_key" UNIQUE ("partner_reference_no"),
        CONSTRAINT "deposit_split_fees_idempotency_key_key" UNIQUE ("idempotency_key")
      )`);
    await queryRunner.query(`CREATE INDEX "deposit_split_fees_due" ON "deposit_split_fees" ("next_check_at") WHERE "status" IN ('PENDING_SUBMIT', 'UNKNOWN')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "deposit_split_fees"');
  }
}
