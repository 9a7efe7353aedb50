import { MigrationInterface, QueryRunner } from 'typeorm';

/** The audit trail: one row per admin request that changes something (docs/access.md). Append-only. */
export class CreateAuditLog1795400000002 implements MigrationInterface {
  name = 'CreateAuditLog1795400000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "audit_log" (
        "id" bigserial NOT NULL,
        "at" timestamptz NOT NULL DEFAULT now(),
        "key_id" uuid,
        "key_name" text NOT NULL,
        "role" text NOT NULL,
        "request_id" text NOT NULL,
        "method" text NOT NULL,
        "route" text NOT NULL,
        "action" text NOT NULL,
        "target" text,
        "status" integer NOT NULL,
        "request" jsonb,
        "before" jsonb,
        "after" jsonb,
        CONSTRAINT "PK_audit_log" PRIMARY KEY ("id")
      )`);
    await queryRunner.query('CREATE INDEX "IDX_audit_log_at" ON "audit_log" ("at" DESC, "id" DESC)');
    await queryRunner.query('CREATE INDEX "IDX_audit_log_key_name" ON "audit_log" ("key_name", "id" DESC)');
    await queryRunner.query('CREATE INDEX "IDX_audit_log_target" ON "audit_log" ("target", "id" DESC)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "audit_log"');
  }
}
