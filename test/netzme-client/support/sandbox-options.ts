import type { NetzmeClientOptions } from '@app/netzme-client';
import type { StartedSandbox } from '../../../apps/netzme-sandbox/src/sandbox';

/** NetzmeClient's Toko host and credentials for a running sandbox (its fixed test-only credentials). */
export function sandboxClientOptions(
  sandbox: StartedSandbox,
): Pick<NetzmeClientOptions, 'baseUrl' | 'clientId' | 'clientSecret' | 'privateKey' | 'merchantId'> {
  const c = sandbox.credentials;
  return { baseUrl: sandbox.url, clientId: c.clientId, clientSecret: c.clientSecret, privateKey: c.privateKey, merchantId: c.merchantId };
}
