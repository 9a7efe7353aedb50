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
  /** Nest's start-up chatter (one line per module and route) is only shown at debug level. */
  private static readonly BOOT_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory']);
  private readonly verboseBoot: boolean;

  constructor(context = 'App', options: { json?: boolean; logLevels?: LogLevel[]; colors?: boolean } = {}) {
    const verboseBoot = options.logLevels?.includes('debug') ?? false;
    super(context, {
      json: options.json ?? true,
      // Colour codes only for a person at a terminal: a file or a log collector gets plain text.
      colors: options.colors ?? (process.stdout.isTTY === true && process.stderr.isTTY === true && !process.env.NO_COLOR),
      logLevels: options.logLevels,
      redact: REDACTED_KEYS,
      structuredParams: true,
      flattenParams: true,
    });
    this.verboseBoot = verboseBoot;
  }

  override log(message: unknown, ...optionalParams: unknown[]): void {
    const context = optionalParams[optionalParams.length - 1];
    if (!this.verboseBoot && typeof context === 'string' && JsonLogger.BOOT_CONTEXTS.has(context)) {
      return;
    }
    super.log(message, ...optionalParams);
  }

  protected override getJsonLogObject(...args: Parameters<ConsoleLogger['getJsonLogObject']>): ReturnType<ConsoleLogger['getJsonLogObject']> {
    const object = super.getJsonLogObject(...args);
    const requestId = currentRequestId();
    return requestId ? { ...object, requestId } : object;
  }
}
