import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The callback inbox: every accepted Netzme notification (raw body, headers without secrets) under a
 * unique dedupe key, written before it is applied. The re-apply index covers only unfinished rows.
 */
export class CreateNetzmeCallbacks1795300000001 implements MigrationInterface {
  name = 'CreateNetzmeCallbacks1795300000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "netzme_callbacks" (
        "id" uuid PRIMARY KEY,
        "kind" text NOT NULL,
        "dedupe_key" text NOT NULL,
        "status" text NOT NULL,
        "reference" text,
        "owner" text,
        "subject_id" text,
        "reason" text,
        "raw_body" text NOT NULL,
        "headers" jsonb NOT NULL,
        "duplicates" integer NOT NULL DEFAULT 0,
        "attempts" integer NOT NULL DEFAULT 0,
        "next_attempt_at" timestamptz,
        "last_error" text,
        "received_at" timestamptz NOT NULL DEFAULT now(),
        "applied_at" timestamptz,
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "CHK_netzme_callbacks_status" CHECK ("status" IN ('received', 'applied', 'duplicate', 'anomaly', 'recorded', 'pending_owner', 'failed'))
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_netzme_callbacks_dedupe_key" ON "netzme_callbacks" ("dedupe_key")`);
    await queryRunner.query(`CREATE INDEX "IDX_netzme_callbacks_received_at" ON "netzme_callbacks" ("received_at", "id")`);
    await queryRunner.query(`CREATE INDEX "IDX_netzme_callbacks_status_received_at" ON "netzme_callbacks" ("status", "received_at")`);
    await queryRunner.query(`CREATE INDEX "IDX_netzme_callbacks_reference" ON "netzme_callbacks" ("reference")`);
    await queryRunner.query(
      `CREATE INDEX "IDX_netzme_callbacks_next_attempt_at" ON "netzme_callbacks" ("next_attempt_at") WHERE "status" IN ('received', 'failed', 'pending_owner') AND "next_attempt_at" IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "netzme_callbacks"');
  }
}
