import { Controller, HttpCode, Post, Req, SetMetadata, UseInterceptors } from '@nestjs/common';
import { createPublicKey } from 'node:crypto';
import { constantTimeEquals, loadPrivateKey, signAccessTokenRequest, signSymmetric } from '@app/snap';
import type { SandboxRequest } from '../common/http-types';
import { SERVICE_CODE_METADATA } from '../common/metadata';
import { NetzmeError, RawNetzmeAnswer } from '../common/netzme-error';
import { FaultsInterceptor } from '../faults/faults.interceptor';
import { ClientsService } from './clients.service';
import { TokensService } from './tokens.service';

function header(req: SandboxRequest, name: string): string | undefined {
  const value = req.headers[name];
  const text = Array.isArray(value) ? value[0] : value;
  return text === undefined || text === '' ? undefined : text;
}

const HTTP_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Netzme staging's signature helpers (docs/netzme-protocol.md §1.12), offered for parity with clients that use
 * them (never in production code: they take the private key / secret as input).
 */
@Controller()
@SetMetadata(SERVICE_CODE_METADATA, '00')
@UseInterceptors(FaultsInterceptor)
export class SignatureHelpersController {
  constructor(
    private readonly clients: ClientsService,
    private readonly tokens: TokensService,
  ) {}

  /** Base64 SHA256withRSA of `clientId|timestamp`, if `Private_Key` is the client's key. */
  @Post('/api/v1/utilities/signature-auth')
  @HttpCode(200)
  signatureAuth(@Req() req: SandboxRequest): { signature: string } {
    const privateKey = header(req, 'private_key') ?? header(req, 'private-key');
    if (privateKey === undefined) {
      throw NetzmeError.fixed(400, '4000000', 'The privateKey field is required.');
    }
    const timestamp = header(req, 'x-timestamp');
    if (timestamp === undefined) {
      throw NetzmeError.fixed(400, '4000000', 'The timestamp field is required.');
    }
    const clientId = header(req, 'x-client-key');
    if (clientId === undefined) {
      throw NetzmeError.fixed(400, '4000000', 'The clientId field is required.');
    }
    const client = this.clients.find(clientId);
    if (!client) {
      throw new RawNetzmeAnswer(400, { responseCode: '400', responseMessage: 'invalid clientid' });
    }
    let given: string;
    try {
      given = createPublicKey(loadPrivateKey(privateKey)).export({ type: 'spki', format: 'der' }).toString('base64');
    } catch {
      throw NetzmeError.fixed(401, '4010000', 'Invalid Private Key');
    }
    const registered = client.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    if (!constantTimeEquals(given, registered)) {
      throw NetzmeError.fixed(401, '4010000', 'Invalid Private Key');
    }
    return { signature: signAccessTokenRequest(loadPrivateKey(privateKey), clientId, timestamp) };
  }

  /** Lower-case hex HMAC-SHA512 of the transactional string to sign (§1.7) for the given inputs. */
  @Post('/api/v1/utilities/signature-service')
  @HttpCode(200)
  signatureService(@Req() req: SandboxRequest): { signature: string } {
    const method = header(req, 'httpmethod');
    const endpointUrl = header(req, 'endpointurl');
    const accessToken = header(req, 'accesstoken');
    for (const [name, value] of [
      ['HttpMethod', method],
      ['EndpointUrl', endpointUrl],
      ['AccessToken', accessToken],
    ] as const) {
      if (value === undefined) {
        throw NetzmeError.fixed(415, '4000000', `The ${name} field is required.`);
      }
    }
    if (!/^bearer /i.test(accessToken!)) {
      throw NetzmeError.fixed(401, '4000002', 'Bearer authorization is required');
    }
    const token = accessToken!.slice(7);
    const secret = header(req, 'x-client-secret') ?? '';
    const client = this.clients.all().find((c) => constantTimeEquals(c.clientSecret, secret));
    if (!client) {
      throw NetzmeError.fixed(400, '4010000', 'Invalid Client Secret');
    }
    if (!this.tokens.isLive(client.clientId, token)) {
      throw NetzmeError.fixed(401, '4010001', 'Access Token Invalid');
    }
    if (!HTTP_METHODS.has(method!.toUpperCase())) {
      throw NetzmeError.fixed(400, '4010000', 'http methods is invalid');
    }
    const body = req.rawBody ? req.rawBody.toString('utf8') : '';
    const timestamp = header(req, 'x-timestamp') ?? '';
    return { signature: signSymmetric(client.clientSecret, { method: method!, path: endpointUrl!, accessToken: token, body, timestamp }) };
  }
}
