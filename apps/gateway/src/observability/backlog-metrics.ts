import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MetricsService } from './metrics.service';

/** A scrape must not hang on a busy database: past this, the gauges keep their last values. */
const QUERY_TIMEOUT_MS = 2000;

/**
 * The backlog an on-call engineer alerts on, read from Postgres at every scrape (read-only
 * aggregates over indexed columns): open orders and the age of the oldest, withdrawals in flight
 * (UNKNOWN above all) and the age of the oldest, and callbacks not applied. Every replica reports
 * the same figures (they are the database's), so alert on `max()` of them, not `sum()`.
 * The one place that reads other modules' tables; it writes nothing.
 */
@Injectable()
export class BacklogMetrics {
  private readonly logger = new Logger('Metrics');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    metrics: MetricsService,
  ) {
    const ordersOpen = metrics.gauge('gateway_orders_open', 'Orders not yet PAID, EXPIRED or FAILED, by status (database-wide)', ['status']);
    const oldestOrder = metrics.gauge(
      'gateway_orders_oldest_open_age_seconds',
      'Age of the oldest order not yet PAID, EXPIRED or FAILED, by status (database-wide; 0 when none)',
      ['status'],
    );
    const payoutsOpen = metrics.gauge(
      'gateway_withdrawals_open',
      'Withdrawals not yet SUCCEEDED or FAILED, by kind (merchant, deposit) and status (database-wide)',
      ['kind', 'status'],
    );
    const oldestPayout = metrics.gauge(
      'gateway_withdrawals_oldest_open_age_seconds',
      'Age of the oldest withdrawal not yet SUCCEEDED or FAILED, by kind and status (database-wide; 0 when none)',
      ['kind', 'status'],
    );
    const callbacksOpen = metrics.gauge(
      'gateway_callbacks_unresolved',
      'Stored Netzme callbacks not applied, by status: failed (apply failed, retried), received (not applied yet), pending_owner, anomaly (needs a person) (database-wide)',
      ['status'],
    );
    metrics.addCollector(async () => {
      const [orders, payouts, callbacks] = await Promise.all([
        this.query(
          `SELECT s.status, count(o.id)::int AS n, COALESCE(extract(epoch FROM now() - min(o.created_at)), 0)::float8 AS age
             FROM unnest(ARRAY['CREATING', 'PENDING', 'UNKNOWN']) AS s(status) LEFT JOIN orders o ON o.status = s.status AND o.purpose = 'ORDER'
            GROUP BY s.status`,
        ),
        this.query(
          `SELECT lower(k.kind) AS kind, s.status, count(w.id)::int AS n, COALESCE(extract(epoch FROM now() - min(w.created_at)), 0)::float8 AS age
             FROM unnest(ARRAY['MERCHANT', 'DEPOSIT']) AS k(kind)
            CROSS JOIN unnest(ARRAY['PENDING_SUBMIT', 'PROCESSING', 'UNKNOWN']) AS s(status)
             LEFT JOIN withdrawals w ON w.kind = k.kind AND w.status = s.status
            GROUP BY k.kind, s.status`,
        ),
        this.query(
          `SELECT s.status, count(c.id)::int AS n
             FROM unnest(ARRAY['failed', 'received', 'pending_owner', 'anomaly']) AS s(status) LEFT JOIN netzme_callbacks c ON c.status = s.status
            GROUP BY s.status`,
        ),
      ]);
      for (const row of orders) {
        ordersOpen.set({ status: row.status }, Number(row.n));
        oldestOrder.set({ status: row.status }, Math.round(Number(row.age)));
      }
      for (const row of payouts) {
        payoutsOpen.set({ kind: row.kind, status: row.status }, Number(row.n));
        oldestPayout.set({ kind: row.kind, status: row.status }, Math.round(Number(row.age)));
      }
      for (const row of callbacks) {
        callbacksOpen.set({ status: row.status }, Number(row.n));
      }
    });
  }

  private async query(sql: string): Promise<Array<Record<string, string>>> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        this.db.query<Array<Record<string, string>>>(sql),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`backlog query took over ${QUERY_TIMEOUT_MS} ms`)), QUERY_TIMEOUT_MS);
        }),
      ]);
    } catch (error) {
      this.logger.warn(`backlog metrics not refreshed: ${error instanceof Error ? error.message : String(error)}`);
      return [];
    } finally {
      clearTimeout(timer);
    }
  }
}
