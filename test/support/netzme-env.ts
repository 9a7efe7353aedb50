// Types only (erased at build): benchmarks load this file in the processes they measure.
import type { SandboxCredentials } from '../../apps/netzme-sandbox/src/credentials/credentials';

/** What a Netzme client is configured with: the sandbox's credentials, or a benchmark's copy of them. */
export type NetzmeCredentials = Pick<SandboxCredentials, 'clientId' | 'clientSecret' | 'privateKey' | 'callbackToken' | 'merchantId' | 'netzmePublicKey'>;

/** The gateway's NETZME_* settings for a Netzme (or sandbox) at `url` with these credentials. */
export function netzmeEnv(url: string, c: NetzmeCredentials): Record<string, string> {
  return {
    NETZME_BASE_URL: url,
    NETZME_CLIENT_ID: c.clientId,
    NETZME_CLIENT_SECRET: c.clientSecret,
    NETZME_PRIVATE_KEY: c.privateKey,
    NETZME_CALLBACK_TOKEN: c.callbackToken,
    NETZME_MERCHANT_ID: c.merchantId,
    NETZME_PUBLIC_KEY: c.netzmePublicKey,
  };
}
