import { CanActivate, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../common/app-error';
import { ApiCaller, ApiKeysService } from './api-keys.service';
import { ALLOWED_ROLES, ApiRole, PUBLIC_ROUTE } from './auth.decorators';

export interface AuthenticatedRequest extends FastifyRequest {
  apiRole?: ApiRole;
  apiCaller?: ApiCaller;
}

const READ_METHODS = new Set(['GET', 'HEAD']);

/**
 * Global guard: `Authorization: Bearer <api key>` on every route not marked @Public(). Admin keys may
 * do everything; viewer keys may read (GET) everything and change nothing; checkout keys only the
 * routes marked @Access('checkout').
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeysService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) {
      return true;
    }
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) {
      throw new AppError(HttpStatus.UNAUTHORIZED, 'API_KEY_MISSING', 'Send your API key as "Authorization: Bearer <key>"');
    }
    const caller = await this.apiKeys.resolve(match[1]);
    if (!caller) {
      throw new AppError(HttpStatus.UNAUTHORIZED, 'API_KEY_INVALID', 'The API key is not valid (unknown, revoked or expired)');
    }
    const allowed = this.reflector.getAllAndOverride<ApiRole[]>(ALLOWED_ROLES, targets) ?? ['admin'];
    const role = caller.role;
    if (role === 'viewer') {
      if (!READ_METHODS.has(request.method)) {
        throw new AppError(HttpStatus.FORBIDDEN, 'API_KEY_READ_ONLY', 'A viewer key may read but not change anything; this needs an admin key');
      }
    } else if (role !== 'admin' && !allowed.includes(role)) {
      throw new AppError(HttpStatus.FORBIDDEN, 'API_KEY_FORBIDDEN', `A ${role} key may not use this route; it needs an admin key`);
    }
    request.apiRole = role;
    request.apiCaller = caller;
    return true;
  }
}
