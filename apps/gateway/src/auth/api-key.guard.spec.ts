import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppError } from '../http/app-error';
import type { GatewayConfig } from '../config/gateway.settings';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeysService } from './api-keys.service';
import { ALLOWED_ROLES, PUBLIC_ROUTE } from './auth.decorators';

function contextFor(authorization: string | undefined, metadata: Record<string, unknown>, method = 'POST'): ExecutionContext {
  const handler = () => undefined;
  for (const [key, value] of Object.entries(metadata)) {
    Reflect.defineMetadata(key, value, handler);
  }
  const request = { method, headers: authorization === undefined ? {} : { authorization } };
  return {
    getHandler: () => handler,
    getClass: () => class {},
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
}

async function statusOf(fn: () => unknown): Promise<number | 'allowed'> {
  try {
    await fn();
    return 'allowed';
  } catch (e) {
    return (e as AppError).status;
  }
}

describe('ApiKeyGuard', () => {
  const keys = new ApiKeysService({ apiKeys: { admin: ['admin-key-1'], checkout: ['checkout-key-1'], viewer: ['viewer-key-1'] } } as GatewayConfig);
  const guard = new ApiKeyGuard(new Reflector(), keys);

  it('lets anyone through a @Public() route', async () => {
    expect(await statusOf(() => guard.canActivate(contextFor(undefined, { [PUBLIC_ROUTE]: true })))).toBe('allowed');
  });

  it('answers 401 with no key, a malformed header or an unknown key', async () => {
    expect(await statusOf(() => guard.canActivate(contextFor(undefined, {})))).toBe(401);
    expect(await statusOf(() => guard.canActivate(contextFor('admin-key-1', {})))).toBe(401);
    expect(await statusOf(() => guard.canActivate(contextFor('Bearer admin-key-2', {})))).toBe(401);
  });

  it('treats routes without @Access as admin-only: a checkout key gets 403', async () => {
    expect(await statusOf(() => guard.canActivate(contextFor('Bearer checkout-key-1', {})))).toBe(403);
    expect(await statusOf(() => guard.canActivate(contextFor('Bearer admin-key-1', {})))).toBe('allowed');
  });

  it('lets checkout and admin keys into a checkout route', async () => {
    const meta = { [ALLOWED_ROLES]: ['checkout'] };
    expect(await statusOf(() => guard.canActivate(contextFor('Bearer checkout-key-1', meta)))).toBe('allowed');
    expect(await statusOf(() => guard.canActivate(contextFor('bearer admin-key-1', meta)))).toBe('allowed');
  });

  it('resolves roles by exact key only', async () => {
    const roleOf = async (key: string) => (await keys.resolve(key))?.role ?? null;
    expect(await roleOf('admin-key-1')).toBe('admin');
    expect(await roleOf('checkout-key-1')).toBe('checkout');
    expect(await roleOf('admin-key-1 ')).toBeNull();
    expect(await roleOf('')).toBeNull();
  });

  it('lets a viewer key read (GET) any route and change nothing', async () => {
    expect(await statusOf(() => guard.canActivate(contextFor('Bearer viewer-key-1', {}, 'GET')))).toBe('allowed');
    expect(await statusOf(() => guard.canActivate(contextFor('Bearer viewer-key-1', { [ALLOWED_ROLES]: ['checkout'] }, 'GET')))).toBe('allowed');
    expect(await statusOf(() => guard.canActivate(contextFor('Bearer viewer-key-1', {}, 'POST')))).toBe(403);
    expect(await statusOf(() => guard.canActivate(contextFor('Bearer viewer-key-1', { [ALLOWED_ROLES]: ['checkout'] }, 'POST')))).toBe(403);
    expect(await statusOf(() => guard.canActivate(contextFor('Bearer viewer-key-1', {}, 'DELETE')))).toBe(403);
  });
});
