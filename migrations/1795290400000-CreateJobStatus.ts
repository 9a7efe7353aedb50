import { MigrationInterface, QueryRunner } from 'typeorm';

/** Run records of background jobs: one row per job per replica, updated in place (see JobStatus). */
export class CreateJobStatus1795290400000 implements MigrationInterface {
  name = 'CreateJobStatus1795290400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "job_status" (
        "job_name" text NOT NULL,
        "replica_id" text NOT NULL,
        "enabled" boolean NOT NULL,
        "interval_ms" integer NOT NULL,
        "batch_size" integer NOT NULL,
        "running" boolean NOT NULL DEFAULT false,
        "last_started_at" timestamptz,
        "last_finished_at" timestamptz,
        "last_duration_ms" integer,
        "last_processed" integer,
        "last_errors" integer,
        "last_outcome" text,
        "last_error" text,
        "last_error_at" timestamptz,
        "runs_total" bigint NOT NULL DEFAULT 0,
        "failures_total" bigint NOT NULL DEFAULT 0,
        "processed_total" bigint NOT NULL DEFAULT 0,
        "errors_total" bigint NOT NULL DEFAULT 0,
        "seen_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_job_status" PRIMARY KEY ("job_name", "replica_id")
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "job_status"');
  }
}
