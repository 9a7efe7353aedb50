import { DATABASE_RETRY_AFTER_SECONDS } from '../database/database-errors';
import { Controller, Get, HttpCode, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { NetzmeClient } from '@app/netzme-client';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { Public } from '../auth/auth.decorators';
import { GATEWAY_CONFIG } from '../config/config.module';
import type { GatewayConfig } from '../config/gateway.settings';
import { gatewayVersion } from './version';
import { HealthErrorCode } from './health-errors';

/** Each readiness check answers within this, or counts as down. */
const CHECK_TIMEOUT_MS = 2000;
/** A failed Netzme token attempt is remembered this long, so probes do not hammer Netzme's token endpoint. */
const NETZME_RETRY_AFTER_MS = 10_000;

type CheckResult = 'up' | 'down';

export interface ReadinessView {
  status: 'ready' | 'not_ready';
  version: string;
  checks: { database: CheckResult; migrations: 'applied' | 'pending' | 'unknown'; netzme: CheckResult };
  /** Why a check is down, in words (never a secret). */
  problems?: string[];
}

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      timer.unref();
    }),
  ]).finally(() => clearTimeout(timer));
}

@ApiTags('System')
@Controller('health')
@Public()
export class HealthController {
  private netzmeFailure?: { at: number; reason: string };

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly netzme: NetzmeClient,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  @Get()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Database check',
    description: 'Answers 200 when PostgreSQL answers within 2 seconds, 503 otherwise. No API key needed. See also /health/live and /health/ready.',
  })
  @ApiOkResponse({ schema: { example: { status: 'ok', database: 'up' } } })
  @ApiServiceUnavailableResponse({
    schema: { example: { statusCode: 503, error: 'SERVICE_UNAVAILABLE', code: HealthErrorCode.DATABASE_DOWN, message: 'The database does not answer' } },
  })
  async check(): Promise<{ status: 'ok'; database: 'up' }> {
    try {
      await withTimeout(this.dataSource.query('SELECT 1'), 'PostgreSQL');
      return { status: 'ok', database: 'up' };
    } catch {
      throw new ServiceUnavailableException({ code: HealthErrorCode.DATABASE_DOWN, message: 'The database does not answer' });
    }
  }

  @Get('live')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Liveness',
    description: 'Answers 200 while the process serves HTTP, whatever its dependencies do: restart the process only when this fails. No API key needed.',
  })
  @ApiOkResponse({ schema: { example: { status: 'live', version: '0.1.0', uptimeSeconds: 3600 } } })
  // Fastify answers 503 to requests that arrive while the server is closing (return503OnClosing).
  @ApiServiceUnavailableResponse({ description: 'The process is shutting down; send traffic elsewhere.' })
  live(): { status: 'live'; version: string; uptimeSeconds: number } {
    return { status: 'live', version: gatewayVersion(this.config.raw), uptimeSeconds: Math.round(process.uptime()) };
  }

  @Get('ready')
  @ApiOperation({
    summary: 'Readiness',
    description:
      'Answers 200 when this replica can serve payments: PostgreSQL answers, every migration is applied, and a Netzme access token is held or can be obtained ' +
      `(a failed token attempt is remembered for ${NETZME_RETRY_AFTER_MS / 1000} s). 503 with the failing checks otherwise; send traffic only to ready replicas. No API key needed.`,
  })
  @ApiOkResponse({ schema: { example: { status: 'ready', version: '0.1.0', checks: { database: 'up', migrations: 'applied', netzme: 'up' } } } })
  @ApiServiceUnavailableResponse({
    schema: {
      example: {
        status: 'not_ready',
        version: '0.1.0',
        checks: { database: 'down', migrations: 'unknown', netzme: 'up' },
        problems: ['database: PostgreSQL did not answer within 2000 ms'],
      },
    },
  })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<ReadinessView> {
    const problems: string[] = [];
    const [database, migrations, netzme] = await Promise.all([this.database(problems), this.migrations(problems), this.netzmeToken(problems)]);
    const ok = database === 'up' && migrations === 'applied' && netzme === 'up';
    reply.status(ok ? 200 : 503);
    if (!ok) {
      // Like every 503 of the gateway: when to look again.
      reply.header('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
    }
    return {
      status: ok ? 'ready' : 'not_ready',
      version: gatewayVersion(this.config.raw),
      checks: { database, migrations, netzme },
      ...(ok ? {} : { problems }),
    };
  }

  private async database(problems: string[]): Promise<CheckResult> {
    try {
      await withTimeout(this.dataSource.query('SELECT 1'), 'PostgreSQL');
      return 'up';
    } catch (error) {
      problems.push(`database: ${error instanceof Error ? error.message : 'does not answer'}`);
      return 'down';
    }
  }

  private async migrations(problems: string[]): Promise<'applied' | 'pending' | 'unknown'> {
    try {
      const pending = await withTimeout(this.dataSource.showMigrations(), 'the migrations table');
      if (pending) {
        problems.push('migrations: some are not applied yet (run the migrate step, or start a gateway without DB_SKIP_MIGRATIONS)');
        return 'pending';
      }
      return 'applied';
    } catch {
      problems.push('migrations: cannot read the migrations table');
      return 'unknown';
    }
  }

  private async netzmeToken(problems: string[]): Promise<CheckResult> {
    const failure = this.netzmeFailure;
    if (failure && Date.now() - failure.at < NETZME_RETRY_AFTER_MS) {
      problems.push(`netzme: ${failure.reason}`);
      return 'down';
    }
    try {
      // Cached in Postgres (shared by the replicas) until it nears expiry: usually no call at all.
      await withTimeout(this.netzme.getAccessToken(), 'Netzme');
      this.netzmeFailure = undefined;
      return 'up';
    } catch (error) {
      // The client's errors carry codes and categories, never the secret or the token.
      const reason = `no access token (${error instanceof Error ? error.message : 'unknown error'})`;
      this.netzmeFailure = { at: Date.now(), reason };
      problems.push(`netzme: ${reason}`);
      return 'down';
    }
  }
}
