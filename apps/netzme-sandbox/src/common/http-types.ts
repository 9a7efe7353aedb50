import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NetzmeContext } from './netzme-context';

/**
 * The parts of Express's request/response the sandbox uses (the repository has no @types/express;
 * Nest's express adapter hands us these objects).
 */
export interface SandboxRequest extends IncomingMessage {
  path: string;
  originalUrl: string;
  params: Record<string, string>;
  query: Record<string, unknown>;
  body?: unknown;
  /** Exact bytes received, kept by raw-body.middleware.ts: the HMAC is computed over them. */
  rawBody?: Buffer;
  /** Set by the Netzme guards once a request has been recognised as a Netzme API call. */
  netzme?: NetzmeContext;
}

export interface SandboxResponse extends ServerResponse {
  status(code: number): SandboxResponse;
  json(body: unknown): SandboxResponse;
  type(contentType: string): SandboxResponse;
  send(body: unknown): SandboxResponse;
}
