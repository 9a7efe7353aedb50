import { CanActivate, ExecutionContext, HttpStatus, Inject, Injectable, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../http/app-error';
import { GATEWAY_CONFIG } from '../config/config.module';
import type { GatewayConfig } from '../config/gateway.settings';
import { ApiCaller, ApiKeysService } from './api-keys.service';
import { ALLOWED_ROLES, ApiRole, PUBLIC_ROUTE } from './auth.decorators';
import { RateLimiter } from './rate-limit';
import { loadRateLimitSettings } from './rate-limit.settings';
import { AuthErrorCode } from './auth-errors';

export interface AuthenticatedRequest extends FastifyRequest {
  apiCaller?: ApiCaller;
}

const READ_METHODS = new Set(['GET', 'HEAD']);

/**
 * Global guard: `Authorization: Bearer <api key>` on every route not marked @Public(). Admin keys may
 * do everything; viewer keys may read (GET) everything and change nothing; checkout keys only the
 * routes marked @Access('checkout'). Each key is then rate-limited (a token bucket per key): the
 * guard runs before any handler, so a throttled request never reaches idempotency handling. Public
 * routes (health, Netzme's callbacks) are never throttled.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly limiter: RateLimiter | null;

  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeysService,
    @Optional() @Inject(GATEWAY_CONFIG) config?: GatewayConfig,
  ) {
    const limits = config ? loadRateLimitSettings(config.raw) : null;
    this.limiter = limits ? new RateLimiter(limits.RATE_LIMIT_PER_SECOND, limits.RATE_LIMIT_BURST) : null;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) {
      return true;
    }
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) {
      throw new AppError(HttpStatus.UNAUTHORIZED, AuthErrorCode.API_KEY_MISSING, 'Send your API key as "Authorization: Bearer <key>"');
    }
    const caller = await this.apiKeys.resolve(match[1]);
    if (!caller) {
      throw new AppError(HttpStatus.UNAUTHORIZED, AuthErrorCode.API_KEY_INVALID, 'The API key is not valid (unknown, revoked or expired)');
    }
    const allowed = this.reflector.getAllAndOverride<ApiRole[]>(ALLOWED_ROLES, targets) ?? ['admin'];
    const role = caller.role;
    if (role === 'viewer') {
      if (!READ_METHODS.has(request.method)) {
        throw new AppError(HttpStatus.FORBIDDEN, AuthErrorCode.API_KEY_READ_ONLY, 'A viewer key may read but not change anything; this needs an admin key');
      }
    } else if (role !== 'admin' && !allowed.includes(role)) {
      throw new AppError(HttpStatus.FORBIDDEN, AuthErrorCode.API_KEY_FORBIDDEN, `A ${role} key may not use this route; it needs an admin key`);
    }
    const verdict = this.limiter?.take(caller.keyId ?? caller.name) ?? { allowed: true };
    if (!verdict.allowed) {
      void context.switchToHttp().getResponse<FastifyReply>().header('Retry-After', String(verdict.retryAfterSeconds));
      throw new AppError(
        HttpStatus.TOO_MANY_REQUESTS,
        AuthErrorCode.RATE_LIMITED,
        `Too many requests with this API key; try again in ${verdict.retryAfterSeconds} s (see the Retry-After header)`,
      );
    }
    request.apiCaller = caller;
    return true;
  }
}
