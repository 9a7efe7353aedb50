import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';

export type ApiRole = 'checkout' | 'admin' | 'viewer';

/** The bearer security scheme's name in the OpenAPI document. */
export const API_KEY_SCHEME = 'api-key';

export const PUBLIC_ROUTE = 'auth:public';
export const ALLOWED_ROLES = 'auth:roles';

const noApiSecurity = (target: object, _key?: string | symbol, descriptor?: PropertyDescriptor): void => {
  // @nestjs/swagger's own metadata key for security requirements (not exported by the package).
  Reflect.defineMetadata('swagger/apiSecurity', [], descriptor ? (descriptor.value as object) : target);
};

/**
 * No API key needed (health, Netzme callbacks: those authenticate Netzme themselves). Stated in the
 * OpenAPI document as `security: []`, so the document says what the guard does.
 */
export const Public = () => applyDecorators(SetMetadata(PUBLIC_ROUTE, true), noApiSecurity);

/**
 * Who may call a route. Routes without this decorator are admin-only, so a forgotten decorator
 * fails closed. `@Access('checkout')` lets checkout keys in as well (admin keys may do everything).
 */
export const Access = (...roles: ApiRole[]) =>
  applyDecorators(
    SetMetadata(ALLOWED_ROLES, roles),
    ApiBearerAuth(API_KEY_SCHEME),
    ApiUnauthorizedResponse({ description: 'Missing or unknown API key' }),
    ApiForbiddenResponse({ description: 'The API key may not use this route' }),
  );

/** Admin-only, stated explicitly for Swagger. */
export const AdminOnly = () => Access('admin');
