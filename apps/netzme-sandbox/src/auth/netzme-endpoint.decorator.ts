import { applyDecorators, createParamDecorator, ExecutionContext, HttpCode, SetMetadata, UseGuards, UseInterceptors } from '@nestjs/common';
import type { SandboxRequest } from '../common/http-types';
import { WireBody } from '../common/wire-body';
import { FaultsInterceptor } from '../faults/faults.interceptor';
import { CLIENT_SECRET_HEADER_METADATA, SERVICE_CODE_METADATA } from '../common/metadata';
import { TransactionalAuthGuard } from './transactional-auth.guard';

/**
 * Marks a handler as a Netzme transactional endpoint: Netzme's header checks and HMAC
 * (TransactionalAuthGuard), the endpoint's service code for every responseCode, HTTP 200 on
 * success, and the configured faults (FaultsInterceptor).
 */
export function NetzmeEndpoint(serviceCode: string, options: { clientSecretHeader?: boolean } = {}): MethodDecorator {
  return applyDecorators(
    SetMetadata(SERVICE_CODE_METADATA, serviceCode),
    SetMetadata(CLIENT_SECRET_HEADER_METADATA, options.clientSecretHeader === true),
    HttpCode(200),
    UseGuards(TransactionalAuthGuard),
    UseInterceptors(FaultsInterceptor),
  );
}

/** The request body as Netzme's Go binding sees it (parsed by the guard after the HMAC check). */
export const NetzmeBody = createParamDecorator((_: unknown, ctx: ExecutionContext): WireBody => {
  const req = ctx.switchToHttp().getRequest<SandboxRequest>();
  return req.netzme?.body ?? WireBody.of({});
});

/** The authenticated client id (X-PARTNER-ID). */
export const NetzmeClientId = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  return ctx.switchToHttp().getRequest<SandboxRequest>().netzme?.clientId ?? '';
});
