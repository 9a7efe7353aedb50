import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { constantTimeEquals, isRfc3339, verifySymmetric } from '@app/snap';
import type { SandboxRequest } from '../common/http-types';
import { CLIENT_SECRET_HEADER_METADATA, SERVICE_CODE_METADATA } from '../common/metadata';
import { Errors, NetzmeError } from '../common/netzme-error';
import { WireBody } from '../common/wire-body';
import { ClientsService, type RegisteredClient } from './clients.service';
import { TokensService } from './tokens.service';

function header(req: SandboxRequest, name: string): string | undefined {
  const value = req.headers[name];
  const text = Array.isArray(value) ? value[0] : value;
  return text === undefined || text === '' ? undefined : text;
}

/**
 * Consumer-side (Netzme app) pages list `X-CLIENT-SECRET` as a header, but Netzme's own QA tool never
 * sends it to the consumer host and Netzme's Toko gateway does not read it: it is optional. When a
 * client does send it (some do), it must be the client's secret, else 401xx01 (INFERRED).
 */
export function checkClientSecretHeader(req: SandboxRequest, client: RegisteredClient): void {
  const secret = header(req, 'x-client-secret');
  if (secret !== undefined && !constantTimeEquals(secret, client.clientSecret)) {
    throw new NetzmeError(401, '01', 'Unauthorized. X-CLIENT-SECRET is Invalid');
  }
}

/**
 * Netzme's transactional authentication, in Netzme's order (first failure wins, docs/netzme-protocol.md §1.4):
 * X-TIMESTAMP present -> X-SIGNATURE present -> Content-Type -> Authorization Bearer -> X-PARTNER-ID
 * known -> X-EXTERNAL-ID (≤ 36, digits) -> CHANNEL-ID -> token is the live one -> JWT valid ->
 * X-TIMESTAMP RFC 3339 ≤ 25 chars -> body non-empty -> HMAC-SHA512 over the minified raw body.
 * Only then is the body parsed (Go binding errors come after authentication).
 */
@Injectable()
export class TransactionalAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly clients: ClientsService,
    private readonly tokens: TokensService,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<SandboxRequest>();
    const serviceCode = this.reflector.get<string>(SERVICE_CODE_METADATA, context.getHandler()) ?? '00';
    req.netzme = { serviceCode };

    const timestamp = header(req, 'x-timestamp');
    if (timestamp === undefined) {
      throw Errors.missingHeader('X-TIMESTAMP');
    }
    const signature = header(req, 'x-signature');
    if (signature === undefined) {
      throw Errors.missingHeader('X-SIGNATURE');
    }
    if (req.headers['content-type'] !== 'application/json') {
      throw Errors.missingHeader('Content-Type');
    }
    const authorization = header(req, 'authorization');
    if (authorization === undefined) {
      throw Errors.missingHeader('Authorization');
    }
    const space = authorization.indexOf(' ');
    if (space < 0) {
      throw new NetzmeError(400, '02', 'bearer authorization format invalid');
    }
    const scheme = authorization.slice(0, space);
    if (scheme !== 'Bearer' && scheme !== 'bearer') {
      throw new NetzmeError(400, '02', 'bearer authorization is required');
    }
    const token = authorization.slice(space + 1);

    const partnerId = header(req, 'x-partner-id');
    if (partnerId === undefined) {
      throw Errors.missingHeader('X-PARTNER-ID');
    }
    const client = this.clients.find(partnerId);
    if (!client) {
      throw Errors.invalidPartner();
    }
    const externalId = header(req, 'x-external-id');
    if (externalId === undefined) {
      throw Errors.missingHeader('X-EXTERNAL-ID');
    }
    if (externalId.length > 36) {
      throw new NetzmeError(400, '02', 'X-EXTERNAL-ID is out of range, maximum 36 char');
    }
    if (!/^\d+$/.test(externalId)) {
      // Netzme answers a format error with the Conflict status here.
      throw new NetzmeError(409, '00', 'character X-EXTERNAL-ID is numeric only');
    }
    if (header(req, 'channel-id') === undefined) {
      throw Errors.missingHeader('CHANNEL-ID');
    }
    if (this.reflector.get<boolean>(CLIENT_SECRET_HEADER_METADATA, context.getHandler())) {
      checkClientSecretHeader(req, client);
    }
    if (!this.tokens.isLive(client.clientId, token) || !this.tokens.verifyJwt(token)) {
      throw Errors.invalidToken();
    }
    if (timestamp.length > 25 || !isRfc3339(timestamp)) {
      throw new NetzmeError(400, '01', 'invalid Field Format Timestamp');
    }
    const raw = req.rawBody ? req.rawBody.toString('utf8') : '';
    if (req.method === 'POST' && raw.trim() === '') {
      throw Errors.bodyRequired();
    }
    // EndpointUrl is the request URI as sent: path plus query string (Go's Request.RequestURI).
    const ok = verifySymmetric(
      client.clientSecret,
      { method: req.method ?? 'POST', path: req.originalUrl, accessToken: token, body: raw, timestamp },
      signature,
    );
    if (!ok) {
      throw Errors.invalidSignature();
    }
    req.netzme.clientId = client.clientId;
    req.netzme.body = raw.trim() === '' ? WireBody.of({}) : WireBody.parse(raw);
    return true;
  }
}
