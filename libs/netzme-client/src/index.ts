export { NetzmeClient } from './netzme-client';
export {
  NetzmeClientModule,
  NETZME_CLIENT_OPTIONS,
  nestNetzmeLogger,
  type NetzmeClientModuleAsyncOptions,
  type NetzmeHttpTransport,
} from './netzme-client.module';
export { DEFAULTS as NETZME_CLIENT_DEFAULTS, type NetzmeClientOptions, type NetzmeConsumerOptions, type RetryOptions } from './options';
export { InMemoryTokenStore, type StoredToken, type TokenStore } from './token-store';
export { TokenManager } from './token-manager';
export { NetzmeError, isUnknownOutcome, isNetzmeError, classifyResponse, classifyNetworkError, type NetzmeErrorCategory, type NetzmeOutcome } from './errors';
export { consoleJsonLogger, silentLogger, Redactor, REDACTED, type NetzmeCallLog, type NetzmeLogger } from './logger';
export { serializeBody, buildQuery } from './request-bytes';
export { undiciSender, type HttpSender, type HttpExchange, type HttpAnswer } from './http-sender';
export { axiosSender } from './axios-sender';
export type * from './params';
