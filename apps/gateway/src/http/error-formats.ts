import { Injectable } from '@nestjs/common';

/** An error answer in a caller's own format. */
export interface FormattedError {
  status: number;
  body: unknown;
}

export type ErrorFormatter = (exception: unknown) => FormattedError;

/**
 * Error formats owned by a path prefix. The gateway-wide filter asks here whether the caller of a
 * path expects another shape (Netzme reads `responseCode`/`responseMessage` on its callback
 * routes). It works by path rather than as a route filter because errors raised before any route
 * runs (malformed JSON, a body too large, an unsupported content type) must be covered too.
 */
@Injectable()
export class ErrorFormats {
  private readonly scopes: { prefix: string; format: ErrorFormatter }[] = [];

  register(prefix: string, format: ErrorFormatter): void {
    this.scopes.push({ prefix: prefix.endsWith('/') ? prefix : `${prefix}/`, format });
  }

  /** The formatter owning `url` (path and query as received), if any. */
  forUrl(url: string): ErrorFormatter | undefined {
    const path = url.split('?', 1)[0];
    return this.scopes.find((scope) => path.startsWith(scope.prefix) || `${path}/` === scope.prefix)?.format;
  }
}
