import { loadPrivateKey, NETZME_ENDPOINTS, type NetzmeFamily } from '@app/snap';
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

/** One family's credentials (the Toko ones at the top of the options, the consumer ones under `consumer`). */
type FamilyCredentials = Pick<NetzmeClientOptions, 'baseUrl' | 'clientId' | 'clientSecret' | 'privateKey'>;

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
  const transport = (family: NetzmeFamily, credentials: FamilyCredentials, channelId: string, sendClientSecretHeader: boolean): FamilyTransport => {
    redactor.addSecret(typeof credentials.privateKey === 'string' ? credentials.privateKey.trim() : undefined);
    const { baseUrl, clientId, clientSecret } = credentials;
    return new FamilyTransport(
      { family, baseUrl, clientId, clientSecret, privateKey: loadPrivateKey(credentials.privateKey), channelId, sendClientSecretHeader, tokenPath },
      settings,
    );
  };
  const toko = transport('toko', options, options.channelId ?? DEFAULTS.channelId, false);
  const consumer = options.consumer;
  if (!consumer) {
    return { toko, consumer: null };
  }
  return {
    toko,
    consumer: {
      transport: transport('consumer', consumer, consumer.channelId ?? options.channelId ?? DEFAULTS.channelId, consumer.sendClientSecretHeader ?? true),
      webview: new PaymentWebview(consumer.clientId, consumer.webviewUrl, now),
    },
  };
}
