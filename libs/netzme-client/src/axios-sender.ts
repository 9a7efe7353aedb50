import type { HttpService } from '@nestjs/axios';
import type { AxiosRequestConfig, AxiosResponse } from 'axios';
import { lastValueFrom } from 'rxjs';
import type { HttpSender } from './http-sender';

/** The identity: the body string is the signed one and must reach the wire untouched. */
const asIs = (data: unknown): unknown => data;

/**
 * A sender over `@nestjs/axios`' `HttpService`, so that what a user configured on their own
 * `HttpModule` (default headers, a proxy, an `httpsAgent` for mTLS, axios interceptors, tracing)
 * applies to every Netzme call. Only types are imported here: axios is loaded by whoever builds
 * the `HttpService`, never by users of the default undici sender.
 *
 * It keeps the sender contract the transport relies on, overriding the user's defaults where they
 * would break it:
 * - the body goes out byte for byte as signed: a string, `transformRequest` is the identity
 *   (axios' default would re-serialise objects);
 * - the answer comes back as raw text (`responseType: 'text'`, `transformResponse` the identity), so
 *   the transport parses it leniently as for undici;
 * - every status is an answer (`validateStatus: () => true`), redirects are not followed
 *   (`maxRedirects: 0`);
 * - no answer rejects with axios' error, whose `code` / `cause.code` (`ECONNREFUSED`,
 *   `ECONNRESET`, `ECONNABORTED` for an axios `timeout`) the transport classifies like undici's;
 *   the transport's own deadline and the caller's signal abort through `signal`.
 *
 * A request interceptor must not change the body, method, URL or the signed headers
 * (X-TIMESTAMP, X-SIGNATURE, Authorization, X-EXTERNAL-ID): Netzme would refuse the signature.
 * Response interceptors see `data` as the raw text.
 */
export function axiosSender(http: Pick<HttpService, 'request'>): HttpSender {
  return async ({ method, url, headers, body, signal }) => {
    const config: AxiosRequestConfig<string> = {
      method,
      url,
      headers,
      data: body === '' ? undefined : body,
      signal,
      transformRequest: [asIs],
      transformResponse: [asIs],
      responseType: 'text',
      validateStatus: () => true,
      maxRedirects: 0,
    };
    const res: AxiosResponse<unknown> = await lastValueFrom(http.request<unknown>(config));
    const data = res.data;
    // responseType 'text' gives a string on Node; anything else (a response interceptor's doing) is serialised back.
    const text =
      typeof data === 'string' ? data : data === undefined || data === null ? '' : Buffer.isBuffer(data) ? data.toString('utf8') : JSON.stringify(data);
    return { status: res.status, text };
  };
}
