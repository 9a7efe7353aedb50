/** The sandbox's credentials as a Netzme client is configured with them (no imports: benchmarks load this in measured processes). */
export interface NetzmeCredentials {
  clientId: string;
  clientSecret: string;
  privateKey: string;
  callbackToken: string;
  merchantId: string;
  netzmePublicKey: string;
}

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
