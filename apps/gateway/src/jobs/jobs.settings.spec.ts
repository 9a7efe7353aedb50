import { ConfigurationError } from '../config/env-validation';
import type { JobDefinition } from './job-registry';
import { loadJobSettings, loadJobsSettings, unknownJobSettings } from './jobs.settings';

const job: JobDefinition = { name: 'order-status-poll', description: 'test', defaultIntervalMs: 5000, run: async () => ({ processed: 0 }) };

describe('jobs settings', () => {
  describe('loadJobsSettings', () => {
    it('should default to enabled with moderate Netzme limits outside tests', () => {
      const settings = loadJobsSettings({ NODE_ENV: 'production' });
      expect(settings).toMatchObject({ enabled: true, netzmeMaxConcurrency: 4, netzmeMaxRps: 10, shutdownGraceMs: 15000 });
      expect(settings.replicaId).toMatch(/^[A-Za-z0-9._:-]+$/);
    });

    it('should leave jobs off under NODE_ENV=test unless JOBS_ENABLED=true', () => {
      expect(loadJobsSettings({ NODE_ENV: 'test' }).enabled).toBe(false);
      expect(loadJobsSettings({ NODE_ENV: 'test', JOBS_ENABLED: 'true' }).enabled).toBe(true);
      expect(loadJobsSettings({ JOBS_ENABLED: 'false' }).enabled).toBe(false);
    });

    it('should read the per-replica list of disabled jobs and the limits', () => {
      const settings = loadJobsSettings({
        JOBS_DISABLED: 'order-status-poll, daily-reconciliation',
        NETZME_MAX_CONCURRENCY: '2',
        NETZME_MAX_RPS: '0.5',
        JOBS_REPLICA_ID: 'pod-a',
      });
      expect([...settings.disabled]).toEqual(['order-status-poll', 'daily-reconciliation']);
      expect(settings).toMatchObject({ netzmeMaxConcurrency: 2, netzmeMaxRps: 0.5, replicaId: 'pod-a' });
    });

    it.each([
      [{ JOBS_ENABLED: 'yes' }, /JOBS_ENABLED must be true or false/],
      [{ NETZME_MAX_CONCURRENCY: '0' }, /NETZME_MAX_CONCURRENCY/],
      [{ NETZME_MAX_RPS: 'fast' }, /NETZME_MAX_RPS must be a number/],
      [{ JOBS_REPLICA_ID: 'has space' }, /JOBS_REPLICA_ID/],
      [{ JOBS_DISABLED: 'Order_Poll' }, /JOBS_DISABLED/],
    ])('should fail at boot naming the variable for %j', (env, message) => {
      expect(() => loadJobsSettings(env)).toThrow(ConfigurationError);
      expect(() => loadJobsSettings(env)).toThrow(message);
    });
  });

  describe('loadJobSettings', () => {
    const all = loadJobsSettings({ JOBS_ENABLED: 'true' });

    it('should use the job defaults when nothing is set', () => {
      expect(loadJobSettings(job, {}, all)).toEqual({ intervalMs: 5000, batchSize: 100, enabled: true });
      expect(loadJobSettings({ ...job, defaultBatchSize: 25 }, {}, all).batchSize).toBe(25);
    });

    it('should read JOB_<NAME>_INTERVAL_MS and JOB_<NAME>_BATCH_SIZE', () => {
      const env = { JOB_ORDER_STATUS_POLL_INTERVAL_MS: '250', JOB_ORDER_STATUS_POLL_BATCH_SIZE: '500' };
      expect(loadJobSettings(job, env, all)).toEqual({ intervalMs: 250, batchSize: 500, enabled: true });
    });

    it('should refuse a bad value naming the variable', () => {
      expect(() => loadJobSettings(job, { JOB_ORDER_STATUS_POLL_INTERVAL_MS: 'soon' }, all)).toThrow(
        /JOB_ORDER_STATUS_POLL_INTERVAL_MS must be a whole number/,
      );
      expect(() => loadJobSettings(job, { JOB_ORDER_STATUS_POLL_INTERVAL_MS: '5' }, all)).toThrow(/JOB_ORDER_STATUS_POLL_INTERVAL_MS/);
      expect(() => loadJobSettings(job, { JOB_ORDER_STATUS_POLL_BATCH_SIZE: '0' }, all)).toThrow(/JOB_ORDER_STATUS_POLL_BATCH_SIZE/);
    });

    it('should mark a job disabled on this replica by JOBS_DISABLED or JOBS_ENABLED=false', () => {
      expect(loadJobSettings(job, {}, loadJobsSettings({ JOBS_ENABLED: 'true', JOBS_DISABLED: 'order-status-poll' })).enabled).toBe(false);
      expect(loadJobSettings(job, {}, loadJobsSettings({ JOBS_ENABLED: 'false' })).enabled).toBe(false);
    });
  });

  describe('unknownJobSettings', () => {
    it('should point out settings that name no registered job', () => {
      const env = { JOB_ORDER_POLL_INTERVAL_MS: '100', JOB_ORDER_STATUS_POLL_BATCH_SIZE: '5', JOBS_DISABLED: 'ordr-status-poll' };
      const problems = unknownJobSettings(env, loadJobsSettings(env), ['order-status-poll']);
      expect(problems).toEqual([expect.stringContaining('JOB_ORDER_POLL_INTERVAL_MS names no registered job'), expect.stringContaining('"ordr-status-poll"')]);
    });
  });
});
