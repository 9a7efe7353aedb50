import { createServer } from 'node:net';
import { inspect } from 'node:util';
import { freePort } from './free-port';

/**
 * Why `npm start` could not start, said so that a person can act on it: the cause, then what to do.
 * Every failure of scripts/start.ts goes through describeStartFailure(), so none prints "undefined".
 */
export class StartError extends Error {
  constructor(
    message: string,
    /** What to do about it. */
    readonly hint: string,
  ) {
    super(message);
    this.name = 'StartError';
  }
}

/** PostgreSQL stopped while starting; `log` is the tail of what it printed (its FATAL line says why). */
export class PostgresStartError extends Error {
  constructor(
    message: string,
    readonly log: string[],
  ) {
    super(message);
    this.name = 'PostgresStartError';
  }
}

export interface PortUse {
  port: number;
  /** The setting that chooses it, e.g. EMBEDDED_POSTGRES_PORT. */
  setting: string;
  /** What would listen there, e.g. "the embedded PostgreSQL". */
  what: string;
}

/** Whether something already listens on `port` (binding 127.0.0.1 also collides with 0.0.0.0 and [::]). */
export function portInUse(port: number, host = '127.0.0.1'): Promise<'free' | 'in-use' | 'forbidden'> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'EACCES' ? 'forbidden' : 'in-use'));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve('free')));
  });
}

/** Refuses to start when a port we need is taken, naming every such port, its setting and a free one. */
export async function checkPorts(uses: PortUse[]): Promise<void> {
  const problems: string[] = [];
  const hints: string[] = [];
  for (const use of uses) {
    const state = Number.isInteger(use.port) && use.port >= 1 && use.port <= 65535 ? await portInUse(use.port) : 'invalid';
    if (state === 'free') {
      continue;
    }
    const suggestion = `${use.setting}=${await freePort()}`;
    if (state === 'invalid') {
      problems.push(`${use.setting}=${String(use.port)} is not a port number (1-65535)`);
      hints.push(`set a port number, e.g. ${suggestion}`);
    } else if (state === 'in-use') {
      problems.push(`port ${use.port} (${use.setting}, for ${use.what}) is already in use`);
      hints.push(`stop the program using port ${use.port} (an earlier "npm start" still running?), or choose a free port, e.g. ${suggestion} npm start`);
    } else {
      problems.push(`port ${use.port} (${use.setting}, for ${use.what}) may not be opened by this user`);
      hints.push(`choose a port above 1023, e.g. ${suggestion} npm start`);
    }
  }
  if (problems.length > 0) {
    throw new StartError(problems.join('; '), `${hints.join('; ')} (settings can also go in .env)`);
  }
}

/** host:port of a connection URL, never its password. */
export function describeDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return '(an unparsable URL)';
  }
}

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused (nothing listens there)',
  ENOTFOUND: 'host not found',
  ETIMEDOUT: 'timed out',
  EHOSTUNREACH: 'host unreachable',
  ECONNRESET: 'connection reset',
  EADDRINUSE: 'address already in use',
  EACCES: 'permission denied',
};

function errorCode(error: unknown): string | undefined {
  if (error && typeof error === 'object') {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') {
      return code;
    }
    // Node reports a refused connection to every address of "localhost" as one AggregateError.
    if (error instanceof AggregateError) {
      for (const inner of error.errors) {
        const innerCode = errorCode(inner);
        if (innerCode) {
          return innerCode;
        }
      }
    }
  }
  return undefined;
}

/** A one-line cause for any thrown value, including `undefined` and errors without a message. */
export function causeOf(error: unknown): string {
  if (error === undefined || error === null) {
    return 'no reason was given (a component stopped without saying why)';
  }
  if (!(error instanceof Error)) {
    // A thrown plain object would print as "[object Object]": show its contents instead.
    return typeof error === 'string' ? error : inspect(error, { depth: 2, breakLength: Infinity });
  }
  const code = errorCode(error);
  const message = error.message || (error instanceof AggregateError ? error.errors.map((e) => causeOf(e)).join(', ') : '');
  const codeText = code ? `${code}${NETWORK_CODES[code] ? `: ${NETWORK_CODES[code]}` : ''}` : '';
  if (message && codeText && !message.includes(code!)) {
    return `${message} (${codeText})`;
  }
  return message || codeText || error.name;
}

/** What to do when PostgreSQL itself said why it stopped (its log lines), or a generic next step. */
function postgresHint(log: string[], settings: { dataDir: string; port: number }): string {
  const text = log.join('\n');
  if (/could not bind|Address already in use/i.test(text)) {
    return `port ${settings.port} is taken: stop what uses it, or set EMBEDDED_POSTGRES_PORT to a free port`;
  }
  if (/lock file .* already exists|another postmaster/i.test(text)) {
    return `another PostgreSQL is using ${settings.dataDir} (an earlier "npm start" still running?): stop it, or set DATA_DIR to another folder`;
  }
  if (/wrong ownership|invalid permissions|Permission denied/i.test(text)) {
    return `fix the owner or permissions of ${settings.dataDir}, or set DATA_DIR to another folder (a new one is created and initialised)`;
  }
  if (/postgresql\.conf|No such file/i.test(text)) {
    return `${settings.dataDir} is incomplete (an interrupted first start?): move it away so a new one is initialised (its data is lost), or set DATA_DIR to another folder`;
  }
  if (/incompatible|PG_VERSION/i.test(text)) {
    return `${settings.dataDir} holds data of another PostgreSQL version: move it away, or set DATA_DIR to another folder`;
  }
  if (/shared memory|could not create semaphores|out of memory/i.test(text)) {
    return 'the machine is short of shared memory or semaphores: close other PostgreSQL servers and try again, or set DATABASE_URL to a PostgreSQL you run yourself';
  }
  return `read PostgreSQL's lines above; trying again often helps after a crash. To start from scratch, move ${settings.dataDir} away (its data is lost), or set DATABASE_URL to a PostgreSQL you run yourself`;
}

export interface StartContext {
  /** What start.ts was doing, e.g. "starting the embedded PostgreSQL". */
  stage: string;
  dataDir: string;
  postgresPort: number;
  databaseUrl?: string;
}

/** The text `npm start` prints on failure: what it was doing, the cause, and what to do. */
export function describeStartFailure(error: unknown, context: StartContext): string {
  if (error instanceof StartError) {
    return `${context.stage}: ${error.message}.\n  What to do: ${error.hint}.`;
  }
  const pgDir = `${context.dataDir}/postgres`;
  if (error instanceof PostgresStartError) {
    const tail = error.log.length > 0 ? `\n  PostgreSQL said:\n${error.log.map((l) => `    ${l}`).join('\n')}` : '';
    return `${context.stage}: ${error.message}${tail}\n  What to do: ${postgresHint(error.log, { dataDir: pgDir, port: context.postgresPort })}.`;
  }
  const cause = causeOf(error);
  const code = errorCode(error);
  if (context.databaseUrl && /database|PostgreSQL/i.test(context.stage)) {
    const where = describeDatabaseUrl(context.databaseUrl);
    const hint =
      code && ['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH'].includes(code)
        ? `start that PostgreSQL or correct DATABASE_URL; or unset DATABASE_URL to use the embedded PostgreSQL`
        : `check DATABASE_URL (user, password, database) and that this user may create databases; or unset it to use the embedded PostgreSQL`;
    return `${context.stage} at ${where} (DATABASE_URL): ${cause}.\n  What to do: ${hint}.`;
  }
  if (code === 'EADDRINUSE') {
    return `${context.stage}: ${cause}.\n  What to do: a port is taken; choose free ones with PORT, SANDBOX_PORT and EMBEDDED_POSTGRES_PORT.`;
  }
  return `${context.stage}: ${cause}.\n  What to do: read the lines above for details; after a crash, trying again often helps. If it keeps failing, move ${context.dataDir} away to start from clean data.`;
}
