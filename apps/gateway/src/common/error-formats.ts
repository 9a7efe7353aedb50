import { Injectable } from '@nestjs/common';

/** An error answer in a caller's own format. */
export interface FormattedError {
  status: number;
  body: unknown;
}

export type ErrorFormatter = (exception: unknown) => FormattedError;

/**
 * Error formats owned by a path prefix. A route's own exception filter cannot see errors raised
 * before the route runs (malformed JSON, a body too large, an unsupported content type): the
 * gateway-wide filter answers those, and asks here whether the path's caller expects another
 * shape (Netzme reads `responseCode`/`responseMessage` on its callback routes).
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
