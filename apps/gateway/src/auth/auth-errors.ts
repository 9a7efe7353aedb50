/** Error codes of API keys and access (values are wire codes clients match on: never change one). */
export enum AuthErrorCode {
  /** 401: no `Authorization: Bearer <key>` header. */
  API_KEY_MISSING = 'API_KEY_MISSING',
  /** 401: unknown, revoked or expired key. */
  API_KEY_INVALID = 'API_KEY_INVALID',
  /** 403: a viewer key on a route that changes something. */
  API_KEY_READ_ONLY = 'API_KEY_READ_ONLY',
  /** 403: a key whose role may not use the route (a checkout key on an admin route). */
  API_KEY_FORBIDDEN = 'API_KEY_FORBIDDEN',
  /** 429: the key's request rate is over its limit (Retry-After says when to come back). */
  RATE_LIMITED = 'RATE_LIMITED',
  /** 400: POST /keys with an expiresAt that is not in the future. */
  KEY_EXPIRY_PAST = 'KEY_EXPIRY_PAST',
  /** 404: no (live) managed key with that id. */
  KEY_NOT_FOUND = 'KEY_NOT_FOUND',
  /** 401: Swagger UI asks for an admin or viewer key as the Basic password. */
  DOCS_SIGN_IN = 'DOCS_SIGN_IN',
}
