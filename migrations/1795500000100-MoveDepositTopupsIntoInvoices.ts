import { MigrationInterface, QueryRunner } from 'typeorm';
import { CreateDepositTopups1795290600000 } from './1795290600000-CreateDepositTopups';

/** Top-up statuses whose rows the poller still works on (old and new names). */
const OPEN = `('PENDING_CREATE', 'PENDING', 'UNKNOWN')`;

/**
 * One invoice engine (issue 19, step 1): a deposit top-up is a Netzme invoice like a checkout
 * order, so it becomes a row of `orders` with `purpose = 'DEPOSIT_TOPUP'` (checkout orders are
 * `'ORDER'`), handled by the invoice module's one state machine, creator, poller and callback path.
 *
 * Every `deposit_topups` row is MOVED (same id, so `/deposit/topups/:id` keeps answering), then the
 * old table is dropped:
 * - status PENDING_CREATE becomes CREATING (the same meaning: written, Netzme not answered yet);
 *   the top-up view shows the old name again;
 * - invoice_id/trx_id become netzme_invoice_id/netzme_trx_id, next_check_at/check_attempts become
 *   next_poll_at/poll_attempts (kept only while open, as for orders), failure_reason becomes
 *   failure_message (failure_code NETZME_REFUSED: the only way a top-up failed), anomaly is kept in
 *   the new `anomaly` column;
 * - expires_in_seconds (needed to re-send the create call) is the top-up's expires_at - created_at;
 * - amounts, fee, references, idempotency keys and request fingerprints are copied unchanged, so a
 *   replay of a top-up made before the upgrade still answers the same top-up;
 * - each moved row gets one history row (source "migration") saying where it came from.
 * Top-ups have no merchantOrderId, so the column becomes nullable (still required for orders), and
 * an Idempotency-Key is unique per purpose (before, orders and top-ups lived in separate tables).
 */
export class MoveDepositTopupsIntoInvoices1795500000100 implements MigrationInterface {
  name = 'MoveDepositTopupsIntoInvoices1795500000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "orders" ADD "purpose" text NOT NULL DEFAULT 'ORDER'`);
    await queryRunner.query(`ALTER TABLE "orders" ADD "anomaly" text`);
    await queryRunner.query(`ALTER TABLE "orders" ALTER COLUMN "merchant_order_id" DROP NOT NULL`);
    await queryRunner.query(`ALTER TABLE "orders" ADD CONSTRAINT "CHK_orders_purpose" CHECK ("purpose" IN ('ORDER', 'DEPOSIT_TOPUP'))`);
    await queryRunner.query(
      `ALTER TABLE "orders" ADD CONSTRAINT "CHK_orders_merchant_order_id" CHECK ("purpose" <> 'ORDER' OR "merchant_order_id" IS NOT NULL)`,
    );
    await queryRunner.query(`DROP INDEX "UQ_orders_idempotency_key"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_orders_idempotency_key" ON "orders" ("merchant_id", "purpose", "idempotency_key") WHERE "idempotency_key" IS NOT NULL`,
    );

    await queryRunner.query(`
      INSERT INTO "orders" ("id", "purpose", "merchant_id", "merchant_order_id", "idempotency_key", "request_fingerprint", "partner_reference_no", "status",
                            "amount_minor", "currency", "pay_method", "expires_in_seconds", "fee_type", "netzme_invoice_id", "netzme_trx_id",
                            "qr_image", "qr_content", "payment_url", "virtual_accounts", "expires_at", "paid_at", "fee_minor",
                            "failure_code", "failure_message", "anomaly", "create_attempts", "poll_attempts", "next_poll_at", "created_at", "updated_at")
      SELECT "id", 'DEPOSIT_TOPUP', "merchant_id", NULL, "idempotency_key", "request_fingerprint", "partner_reference_no",
             CASE "status" WHEN 'PENDING_CREATE' THEN 'CREATING' ELSE "status" END,
             "amount_minor", "currency", "pay_method", GREATEST(1, round(extract(epoch FROM "expires_at" - "created_at")))::integer, 'on_seller',
             "invoice_id", "trx_id", "qr_image", "qr_content", "payment_url", "virtual_accounts", "expires_at", "paid_at", "fee_minor",
             CASE WHEN "status" = 'FAILED' THEN 'NETZME_REFUSED' END, "failure_reason", "anomaly", 1, "check_attempts",
             CASE WHEN "status" IN ${OPEN} THEN "next_check_at" END, "created_at", "updated_at"
        FROM "deposit_topups"`);
    await queryRunner.query(`
      INSERT INTO "order_status_history" ("order_id", "from_status", "to_status", "source", "reason", "amount_minor", "created_at")
      SELECT "id", NULL, CASE "status" WHEN 'PENDING_CREATE' THEN 'CREATING' ELSE "status" END, 'migration',
             'deposit top-up moved from deposit_topups into the invoice engine', "amount_minor", "updated_at"
        FROM "deposit_topups"`);
    await queryRunner.query(`DROP TABLE "deposit_topups"`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // The old table exactly as its own migration made it (constraints and indexes included).
    await new CreateDepositTopups1795290600000().up(queryRunner);
    await queryRunner.query(`
      INSERT INTO "deposit_topups" ("id", "status", "merchant_id", "amount_minor", "currency", "pay_method", "partner_reference_no", "idempotency_key",
                                    "request_fingerprint", "invoice_id", "trx_id", "payment_url", "qr_content", "qr_image", "virtual_accounts",
                                    "expires_at", "paid_at", "fee_minor", "failure_reason", "anomaly", "next_check_at", "check_attempts", "created_at", "updated_at")
      SELECT "id", CASE "status" WHEN 'CREATING' THEN 'PENDING_CREATE' ELSE "status" END, "merchant_id", "amount_minor", "currency", "pay_method",
             "partner_reference_no", "idempotency_key", "request_fingerprint", "netzme_invoice_id", "netzme_trx_id", "payment_url", "qr_content", "qr_image",
             "virtual_accounts", COALESCE("expires_at", "created_at" + "expires_in_seconds" * interval '1 second'), "paid_at", "fee_minor", "failure_message",
             "anomaly", COALESCE("next_poll_at", now()), "poll_attempts", "created_at", "updated_at"
        FROM "orders" WHERE "purpose" = 'DEPOSIT_TOPUP'`);
    await queryRunner.query(`DELETE FROM "order_status_history" h USING "orders" o WHERE h."order_id" = o."id" AND o."purpose" = 'DEPOSIT_TOPUP'`);
    await queryRunner.query(`DELETE FROM "orders" WHERE "purpose" = 'DEPOSIT_TOPUP'`);
    await queryRunner.query(`DROP INDEX "UQ_orders_idempotency_key"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_orders_idempotency_key" ON "orders" ("merchant_id", "idempotency_key") WHERE "idempotency_key" IS NOT NULL`,
    );
    await queryRunner.query(`ALTER TABLE "orders" DROP CONSTRAINT "CHK_orders_merchant_order_id"`);
    await queryRunner.query(`ALTER TABLE "orders" DROP CONSTRAINT "CHK_orders_purpose"`);
    await queryRunner.query(`ALTER TABLE "orders" ALTER COLUMN "merchant_order_id" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "orders" DROP COLUMN "anomaly"`);
    await queryRunner.query(`ALTER TABLE "orders" DROP COLUMN "purpose"`);
  }
}
