import { MigrationInterface, QueryRunner } from 'typeorm';

/** The shared Netzme access token (one live token per client id, see PostgresTokenStore). */
export class CreateNetzmeAccessTokens1795290298035 implements MigrationInterface {
  name = 'CreateNetzmeAccessTokens1795290298035';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "netzme_access_tokens" (
        "client_id" text PRIMARY KEY,
        "access_token" text NOT NULL,
        "expires_at" bigint NOT NULL,
        "refresh_at" bigint,
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "netzme_access_tokens"');
  }
}
