import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { requestContext } from './request-context';

export const REQUEST_ID_HEADER = 'x-request-id';

type RequestWithId = Request & { requestId?: string };

/**
 * First middleware of all: accept a caller's X-Request-Id (if sane) or mint one, and echo it on the
 * response, so even a request the body parser refuses carries an id.
 */
export function requestIdMiddleware(req: Request, res: Response, next: NextFunction): void {
  const incoming = req.header(REQUEST_ID_HEADER);
  const requestId = incoming && /^[A-Za-z0-9._:-]{1,128}$/.test(incoming) ? incoming : randomUUID();
  res.setHeader(REQUEST_ID_HEADER, requestId);
  (req as RequestWithId).requestId = requestId;
  next();
}

/** Opens the async context that log lines and error bodies read the request id from. */
export function requestContextMiddleware(req: Request, _res: Response, next: NextFunction): void {
  const requestId = (req as RequestWithId).requestId ?? randomUUID();
  requestContext.run({ requestId }, () => next());
}
