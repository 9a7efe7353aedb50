import type { SandboxRequest, SandboxResponse } from './http-types';
import { isNetzmePath } from './netzme-paths';

const LIMIT_BYTES = 1024 * 1024;

/**
 * Keeps the exact bytes of every request body (Netzme's HMAC is computed over them, after Go-style
 * minification) instead of letting a JSON parser normalise them first. Control routes also get
 * `req.body` parsed from JSON. Registered before Nest's router; Nest's own body parser is off.
 */
export function rawBodyMiddleware(req: SandboxRequest, res: SandboxResponse, next: (error?: unknown) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let aborted = false;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > LIMIT_BYTES) {
      aborted = true;
      res.status(413).json({ statusCode: 413, message: 'request body too large' });
      req.destroy();
      return;
    }
    chunks.push(chunk);
  });
  req.on('end', () => {
    if (aborted) {
      return;
    }
    req.rawBody = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
    if (!isNetzmePath(req.path)) {
      req.body = {};
    }
    if (!isNetzmePath(req.path) && req.rawBody.length > 0 && String(req.headers['content-type'] ?? '').includes('json')) {
      try {
        req.body = JSON.parse(req.rawBody.toString('utf8'));
      } catch {
        res.status(400).json({ statusCode: 400, message: 'request body is not valid JSON' });
        return;
      }
    }
    next();
  });
  req.on('error', (error) => next(error));
}
