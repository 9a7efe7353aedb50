import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Checkout orders (one Netzme invoice transaction each) and their status history. The poll index
 * only covers open orders, so a poller tick costs what is due, not the size of the table.
 */
export class CreateOrders1795300000000 implements MigrationInterface {
  name = 'CreateOrders1795300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "orders" (
        "id" uuid PRIMARY KEY,
        "merchant_id" text NOT NULL,
        "merchant_order_id" text NOT NULL,
        "idempotency_key" text,
        "request_fingerprint" text NOT NULL,
        "partner_reference_no" text NOT NULL,
        "status" text NOT NULL,
        "amount_minor" bigint NOT NULL,
        "currency" text NOT NULL DEFAULT 'IDR',
        "pay_method" text NOT NULL,
        "expires_in_seconds" integer NOT NULL,
        "fee_type" text NOT NULL DEFAULT 'on_seller',
        "description" text,
        "customer" jsonb,
        "netzme_invoice_id" text,
        "netzme_trx_id" text,
        "qr_image" text,
        "qr_content" text,
        "payment_url" text,
        "virtual_accounts" jsonb,
        "expires_at" timestamptz,
        "paid_at" timestamptz,
        "paid_amount_minor" bigint,
        "fee_minor" bigint,
        "net_amount_minor" bigint,
        "payment_details" jsonb,
        "failure_code" text,
        "failure_message" text,
        "status_reason" text,
        "netzme_has_reference" boolean NOT NULL DEFAULT false,
        "needs_review" boolean NOT NULL DEFAULT false,
        "create_attempts" integer NOT NULL DEFAULT 0,
        "poll_attempts" integer NOT NULL DEFAULT 0,
        "next_poll_at" timestamptz,
        "lease_until" timestamptz,
        "last_polled_at" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "CHK_orders_status" CHECK ("status" IN ('CREATING', 'UNKNOWN', 'PENDING', 'PAID', 'EXPIRED', 'FAILED')),
        CONSTRAINT "CHK_orders_amount_positive" CHECK ("amount_minor" > 0)
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_orders_merchant_order_id" ON "orders" ("merchant_id", "merchant_order_id")`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_orders_idempotency_key" ON "orders" ("merchant_id", "idempotency_key") WHERE "idempotency_key" IS NOT NULL`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_orders_partner_reference_no" ON "orders" ("partner_reference_no")`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_orders_netzme_trx_id" ON "orders" ("netzme_trx_id") WHERE "netzme_trx_id" IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "IDX_orders_netzme_invoice_id" ON "orders" ("netzme_invoice_id") WHERE "netzme_invoice_id" IS NOT NULL`);
    await queryRunner.query(
      `CREATE INDEX "IDX_orders_next_poll_at" ON "orders" ("next_poll_at") WHERE "status" IN ('CREATING', 'UNKNOWN', 'PENDING') AND "next_poll_at" IS NOT NULL`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_orders_created_at" ON "orders" ("created_at", "id")`);
    await queryRunner.query(`CREATE INDEX "IDX_orders_status_created_at" ON "orders" ("status", "created_at")`);

    await queryRunner.query(`
      CREATE TABLE "order_status_history" (
        "id" bigserial PRIMARY KEY,
        "order_id" uuid NOT NULL,
        "from_status" text,
        "to_status" text NOT NULL,
        "source" text NOT NULL,
        "source_ref" text,
        "reason" text,
        "amount_minor" bigint,
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX "IDX_order_status_history_order" ON "order_status_history" ("order_id", "id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "order_status_history"');
    await queryRunner.query('DROP TABLE "orders"');
  }
}
