import { Agent, type Dispatcher, request } from 'undici';

/** One HTTP exchange as the transport sees it: the exact body string out, the raw text back. */
export interface HttpExchange {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** '' for no body. Sent byte for byte: the signature covers exactly these bytes. */
  body: string;
  /** Aborted by the transport on its own timeout or by the caller. */
  signal: AbortSignal;
}

export interface HttpAnswer {
  status: number;
  text: string;
}

/**
 * What NetzmeClient needs from an HTTP library: send one request, hand back status and body text,
 * never follow redirects, and reject (with a `code`, or a `cause.code`) when no answer arrived.
 * Any status is an answer; the transport classifies it.
 */
export type HttpSender = (exchange: HttpExchange) => Promise<HttpAnswer>;

/**
 * The default sender: undici (the HTTP engine behind Node's own fetch) over a keep-alive pool.
 * About a quarter of axios' CPU per call (bench/client.bench.ts measures it), which matters
 * because every order, poll and payout makes at least one Netzme call.
 */
export function undiciSender(dispatcher: Dispatcher = new Agent({ connections: 256, keepAliveTimeout: 4_000 })): HttpSender {
  return async ({ method, url, headers, body, signal }) => {
    const res = await request(url, {
      method: method,
      headers,
      body: body === '' ? undefined : body,
      signal,
      dispatcher,
    });
    return { status: res.statusCode, text: await res.body.text() };
  };
}
