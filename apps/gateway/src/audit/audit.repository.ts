import type { DataSource } from 'typeorm';
import { pageOf, type Page } from '../http/pagination';

export interface AuditEntry {
  keyId: string | null;
  keyName: string;
  role: string;
  requestId: string;
  method: string;
  route: string;
  target: string | null;
  status: number;
  request: unknown;
  before: unknown;
  after: unknown;
}

export interface AuditRecord extends AuditEntry {
  id: string;
  at: string;
  action: string;
}

export interface AuditFilter {
  keyName?: string;
  action?: string;
  target?: string;
  from?: Date;
  to?: Date;
  limit: number;
  cursor?: string;
}

interface Row {
  id: string;
  at: Date;
  key_id: string | null;
  key_name: string;
  role: string;
  request_id: string;
  method: string;
  route: string;
  action: string;
  target: string | null;
  status: number;
  request: unknown;
  before: unknown;
  after: unknown;
}

/** The audit trail in Postgres (append-only: nothing here updates or deletes a row). */
export class AuditRepository {
  constructor(private readonly db: DataSource) {}

  async write(entry: AuditEntry): Promise<void> {
    await this.db.query(
      'INSERT INTO audit_log (key_id, key_name, role, request_id, method, route, action, target, status, request, before, after) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)',
      [
        entry.keyId,
        entry.keyName,
        entry.role,
        entry.requestId,
        entry.method,
        entry.route,
        `${entry.method} ${entry.route}`,
        entry.target,
        entry.status,
        json(entry.request),
        json(entry.before),
        json(entry.after),
      ],
    );
  }

  /** Newest first; `cursor` is the id of the last row of the previous page. */
  async list(filter: AuditFilter): Promise<Page<AuditRecord>> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.keyName) add('key_name = ?', filter.keyName);
    if (filter.action) add('action = ?', filter.action);
    if (filter.target) add('target = ?', filter.target);
    if (filter.from) add('at >= ?', filter.from);
    if (filter.to) add('at < ?', filter.to);
    if (filter.cursor) add('id < ?', filter.cursor);
    params.push(filter.limit + 1);
    const rows = await this.db.query<Row[]>(
      `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.length}`,
      params,
    );
    return pageOf(
      rows.map((r) => ({
        id: String(r.id),
        at: r.at.toISOString(),
        keyId: r.key_id,
        keyName: r.key_name,
        role: r.role,
        requestId: r.request_id,
        method: r.method,
        route: r.route,
        action: r.action,
        target: r.target,
        status: r.status,
        request: r.request,
        before: r.before,
        after: r.after,
      })),
      filter.limit,
      (last) => last.id,
    );
  }
}

/** jsonb parameter: JSON text (NUL characters, which Postgres cannot store in jsonb, escaped away). */
function json(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value).replace(/\\u0000/g, '\\\\u0000');
}
