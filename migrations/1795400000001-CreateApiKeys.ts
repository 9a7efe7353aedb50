import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Managed API keys (docs/access.md). Only the SHA-256 of each secret is kept: the secret itself is
 * shown once, when the key is created or rotated. Revoked and expired keys stay for the audit trail.
 */
export class CreateApiKeys1795400000001 implements MigrationInterface {
  name = 'CreateApiKeys1795400000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "api_keys" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "name" text NOT NULL,
        "scope" text NOT NULL,
        "prefix" text NOT NULL,
        "secret_hash" bytea NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "created_by" text,
        "expires_at" timestamptz,
        "rotated_at" timestamptz,
        "revoked_at" timestamptz,
        "last_used_at" timestamptz,
        CONSTRAINT "PK_api_keys" PRIMARY KEY ("id"),
        CONSTRAINT "CHK_api_keys_scope" CHECK ("scope" IN ('checkout', 'admin', 'viewer')),
        CONSTRAINT "CHK_api_keys_hash" CHECK (octet_length("secret_hash") = 32)
      )`);
    await queryRunner.query('CREATE UNIQUE INDEX "UQ_api_keys_secret_hash" ON "api_keys" ("secret_hash")');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "api_keys"');
  }
}
