import { ConsoleLogger, LogLevel } from '@nestjs/common';
import { currentRequestId } from './request-context';

/** Keys whose values never reach a log line, at any depth. */
export const REDACTED_KEYS = [
  'password',
  'pin',
  'secret',
  'clientSecret',
  'privateKey',
  'accessToken',
  'authorization',
  'x-callback-token',
  'callbackToken',
  'apiKey',
  'token',
];

/**
 * Structured JSON logs (one object per line) with the request id of the current request attached,
 * built on Nest's own ConsoleLogger JSON mode and its redaction.
 */
export class JsonLogger extends ConsoleLogger {
  constructor(context = 'App', options: { json?: boolean; logLevels?: LogLevel[] } = {}) {
    super(context, {
      json: options.json ?? true,
      logLevels: options.logLevels,
      redact: REDACTED_KEYS,
      structuredParams: true,
      flattenParams: true,
    });
  }

  protected override getJsonLogObject(...args: Parameters<ConsoleLogger['getJsonLogObject']>): ReturnType<ConsoleLogger['getJsonLogObject']> {
    const object = super.getJsonLogObject(...args);
    const requestId = currentRequestId();
    return requestId ? { ...object, requestId } : object;
  }
}
