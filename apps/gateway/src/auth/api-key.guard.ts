import { CanActivate, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../common/app-error';
import { ApiKeysService } from './api-keys.service';
import { ALLOWED_ROLES, ApiRole, PUBLIC_ROUTE } from './auth.decorators';

export interface AuthenticatedRequest extends FastifyRequest {
  apiRole?: ApiRole;
}

/** Global guard: `Authorization: Bearer <api key>` on every route not marked @Public(). */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeysService,
  ) {}

  canActivate(context: ExecutionContext): boolean {
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
    const role = this.apiKeys.roleOf(match[1]);
    if (!role) {
      throw new AppError(HttpStatus.UNAUTHORIZED, 'API_KEY_INVALID', 'The API key is not valid');
    }
    const allowed = this.reflector.getAllAndOverride<ApiRole[]>(ALLOWED_ROLES, targets) ?? ['admin'];
    if (role !== 'admin' && !allowed.includes(role)) {
      throw new AppError(HttpStatus.FORBIDDEN, 'API_KEY_FORBIDDEN', `A ${role} key may not use this route; it needs an admin key`);
    }
    request.apiRole = role;
    return true;
  }
}
