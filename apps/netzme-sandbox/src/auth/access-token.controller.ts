import { Controller, HttpCode, Post, Req, SetMetadata, UseInterceptors } from '@nestjs/common';
import { verifyAccessTokenRequest, type AccessTokenResponse } from '@app/snap';
import type { SandboxRequest } from '../common/http-types';
import { SERVICE_CODE_METADATA } from '../common/metadata';
import { NetzmeError, RawNetzmeAnswer } from '../common/netzme-error';
import { FaultsInterceptor } from '../faults/faults.interceptor';
import { ClientsService } from './clients.service';
import { TokensService } from './tokens.service';

const SERVICE_CODE = '73';

function header(req: SandboxRequest, name: string): string | undefined {
  const value = req.headers[name];
  const text = Array.isArray(value) ? value[0] : value;
  return text === undefined || text === '' ? undefined : text;
}

/** Go's encoding/json wording for the two ways a token body fails to parse. */
function goJsonError(raw: string): string {
  return raw.trim() === '' ? 'unexpected end of JSON input' : `invalid character '${raw.trim()[0]}' looking for beginning of value`;
}

/**
 * T2/N3 — `POST /api/{v1|v2}/access-token/b2b` (docs/netzme-protocol.md §1.5, §1.6). Checks and texts as in
 * Netzme's gateway; the error codes here are fixed (4000000, 4007300, 4010000, 4017300).
 */
@Controller()
export class AccessTokenController {
  constructor(
    private readonly clients: ClientsService,
    private readonly tokens: TokensService,
  ) {}

  @Post(['/api/v1/access-token/b2b', '/api/v2/access-token/b2b'])
  @HttpCode(200)
  @SetMetadata(SERVICE_CODE_METADATA, SERVICE_CODE)
  @UseInterceptors(FaultsInterceptor)
  issue(@Req() req: SandboxRequest): AccessTokenResponse {
    req.netzme = { serviceCode: SERVICE_CODE };
    const fail = NetzmeError.fixed;

    if (req.headers['content-type'] !== 'application/json') {
      throw fail(415, '4000000', 'Content Type application/json is required.');
    }
    const timestamp = header(req, 'x-timestamp');
    if (timestamp !== undefined && timestamp.length > 25) {
      throw fail(400, '4000000', "The field timestamp must be a string or array type with a maximum length of '25'.");
    }
    const signature = header(req, 'x-signature');
    if (signature === undefined) {
      throw fail(400, '4000000', 'The signature field is required.');
    }
    if (timestamp === undefined) {
      throw fail(400, '4000000', 'The timestamp field is required.');
    }
    const clientId = header(req, 'x-client-key');
    if (clientId === undefined) {
      throw fail(400, '4000000', 'The clientId field is required.');
    }
    const raw = req.rawBody ? req.rawBody.toString('utf8') : '';
    let body: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(raw);
      body = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
    } catch {
      throw new RawNetzmeAnswer(500, { message: goJsonError(raw) });
    }
    const grantType = typeof body.grantType === 'string' ? body.grantType : '';
    if (grantType === '') {
      throw fail(400, '4007302', 'Bad Request. The grantType field is required.');
    }
    if (grantType !== 'client_credentials') {
      throw fail(400, '4007300', 'grant_type must be set to client_credentials');
    }
    const client = this.clients.find(clientId);
    if (!client) {
      throw fail(401, '4010000', 'Invalid Client Key');
    }
    if (!verifyAccessTokenRequest(client.publicKey, clientId, timestamp, signature)) {
      throw fail(401, '4017300', 'Invalid Token (B2B)');
    }
    req.netzme.clientId = clientId;
    const { token, expiresIn } = this.tokens.issue(clientId);
    const answer: AccessTokenResponse = {
      responseCode: '2007300',
      responseMessage: 'Successful',
      accessToken: token,
      tokenType: 'Bearer',
      // A string, as Netzme sends it; the remaining lifetime of the one live token.
      expiresIn: String(expiresIn),
    };
    if (body.additionalInfo !== undefined) {
      answer.additionalInfo = body.additionalInfo as Record<string, unknown>;
    }
    return answer;
  }
}
