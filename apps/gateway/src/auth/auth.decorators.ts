import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';

export type ApiRole = 'checkout' | 'admin';

export const PUBLIC_ROUTE = 'auth:public';
export const ALLOWED_ROLES = 'auth:roles';

/** No API key needed (health, Netzme callbacks: those authenticate Netzme themselves). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/**
 * Who may call a route. Routes without this decorator are admin-only, so a forgotten decorator
 * fails closed. `@Access('checkout')` lets checkout keys in as well (admin keys may do everything).
 */
export const Access = (...roles: ApiRole[]) =>
  applyDecorators(
    SetMetadata(ALLOWED_ROLES, roles),
    ApiBearerAuth('api-key'),
    ApiUnauthorizedResponse({ description: 'Missing or unknown API key' }),
    ApiForbiddenResponse({ description: 'The API key may not use this route' }),
  );

/** Admin-only, stated explicitly for Swagger. */
export const AdminOnly = () => Access('admin');
