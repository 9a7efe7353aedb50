import { loadPrivateKey, NETZME_ENDPOINTS } from '@app/snap';
import { PaymentWebview } from './calls/payment-webview';
import { undiciSender } from './http-sender';
import { consoleJsonLogger, silentLogger, type Redactor } from './logger';
import { DEFAULTS, type NetzmeClientOptions } from './options';
import { resolvePath } from './request-bytes';
import { InMemoryTokenStore } from './token-store';
import { FamilyTransport, type TransportSettings } from './transport';

/** The consumer side, when configured: its transport and its webview links. */
export interface ConsumerSide {
  transport: FamilyTransport;
  webview: PaymentWebview;
}

/**
 * NetzmeClient's options resolved into the transports it sends through: the Toko family always,
 * the consumer family when `options.consumer` is given. Both share one token store, logger,
 * redactor and retry policy; each has its own credentials, token and channel.
 */
export function createFamilies(options: NetzmeClientOptions, redactor: Redactor): { toko: FamilyTransport; consumer: ConsumerSide | null } {
  for (const key of ['baseUrl', 'clientId', 'clientSecret', 'privateKey', 'merchantId'] as const) {
    if (!options[key]) {
      throw new Error(`NetzmeClient: option "${key}" is required`);
    }
  }
  const now = options.now ?? Date.now;
  const settings: TransportSettings = {
    http: options.http ?? undiciSender(),
    logger: options.logger === false ? silentLogger : (options.logger ?? consoleJsonLogger),
    redactor,
    tokenStore: options.tokenStore ?? new InMemoryTokenStore(),
    timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
    maxAttempts: Math.max(1, options.retry?.maxAttempts ?? DEFAULTS.maxAttempts),
    baseDelayMs: options.retry?.baseDelayMs ?? DEFAULTS.baseDelayMs,
    maxDelayMs: options.retry?.maxDelayMs ?? DEFAULTS.maxDelayMs,
    tokenRefreshMarginMs: options.tokenRefreshMarginMs ?? DEFAULTS.tokenRefreshMarginMs,
    now,
  };
  const tokenPath = resolvePath(NETZME_ENDPOINTS.accessToken, options.tokenApiVersion ?? DEFAULTS.tokenApiVersion, options.pathOverrides?.accessToken);
  redactor.addSecret(typeof options.privateKey === 'string' ? options.privateKey.trim() : undefined);
  const toko = new FamilyTransport(
    {
      family: 'toko',
      baseUrl: options.baseUrl,
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      privateKey: loadPrivateKey(options.privateKey),
      channelId: options.channelId ?? DEFAULTS.channelId,
      sendClientSecretHeader: false,
      tokenPath,
    },
    settings,
  );
  const consumer = options.consumer;
  if (!consumer) {
    return { toko, consumer: null };
  }
  redactor.addSecret(typeof consumer.privateKey === 'string' ? consumer.privateKey.trim() : undefined);
  const transport = new FamilyTransport(
    {
      family: 'consumer',
      baseUrl: consumer.baseUrl,
      clientId: consumer.clientId,
      clientSecret: consumer.clientSecret,
      privateKey: loadPrivateKey(consumer.privateKey),
      channelId: consumer.channelId ?? options.channelId ?? DEFAULTS.channelId,
      sendClientSecretHeader: consumer.sendClientSecretHeader ?? true,
      tokenPath,
    },
    settings,
  );
  return { toko, consumer: { transport, webview: new PaymentWebview(consumer.clientId, consumer.webviewUrl, now) } };
}
