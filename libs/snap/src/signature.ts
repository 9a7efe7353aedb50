import { createHash, createHmac, sign, timingSafeEqual, verify, KeyObject } from 'node:crypto';
import { loadPrivateKey, loadPublicKey } from './keys';
import { minifyJson } from './minify';

/** Lower-case hex SHA-256 of the body after Netzme's minification (empty body -> hash of ""). */
export function bodyHash(body: string): string {
  return createHash('sha256')
    .update(body === '' ? '' : minifyJson(body), 'utf8')
    .digest('hex');
}

/** `clientId|X-TIMESTAMP`, the string signed for the B2B access token (docs/netzme-protocol.md §1.6). */
export function accessTokenStringToSign(clientId: string, timestamp: string): string {
  return `${clientId}|${timestamp}`;
}

/** Base64 SHA256withRSA signature of the access-token request. */
export function signAccessTokenRequest(privateKey: string | KeyObject, clientId: string, timestamp: string): string {
  return sign('sha256', Buffer.from(accessTokenStringToSign(clientId, timestamp), 'utf8'), loadPrivateKey(privateKey)).toString('base64');
}

export function verifyAccessTokenRequest(publicKey: string | KeyObject, clientId: string, timestamp: string, signature: string): boolean {
  try {
    return verify('sha256', Buffer.from(accessTokenStringToSign(clientId, timestamp), 'utf8'), loadPublicKey(publicKey), Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

export interface SymmetricSignatureInput {
  method: string;
  /** Path as sent, from the host root, including `/api` prefix and query string. */
  path: string;
  /** Access token without the `Bearer ` prefix. */
  accessToken: string;
  /** Exact body bytes sent ("" for none). */
  body: string;
  timestamp: string;
}

/** `METHOD:path:token:sha256hex(minify(body)):timestamp` (docs/netzme-protocol.md §1.7, verified vector 1). */
export function symmetricStringToSign(input: SymmetricSignatureInput): string {
  return [input.method.toUpperCase(), input.path, input.accessToken, bodyHash(input.body), input.timestamp].join(':');
}

/** Lower-case hex HMAC-SHA512 keyed with the client secret as UTF-8 text. */
export function signSymmetric(clientSecret: string, input: SymmetricSignatureInput): string {
  return createHmac('sha512', clientSecret).update(symmetricStringToSign(input), 'utf8').digest('hex');
}

export function verifySymmetric(clientSecret: string, input: SymmetricSignatureInput, signature: string): boolean {
  return constantTimeEquals(signSymmetric(clientSecret, input), signature.toLowerCase());
}

export interface AsymmetricSignatureInput {
  method: string;
  path: string;
  body: string;
  timestamp: string;
}

/** SNAP asymmetric string to sign: `METHOD:path:sha256hex(minify(body)):timestamp` (docs/netzme-protocol.md §1.8). */
export function asymmetricStringToSign(input: AsymmetricSignatureInput): string {
  return [input.method.toUpperCase(), input.path, bodyHash(input.body), input.timestamp].join(':');
}

export function signAsymmetric(privateKey: string | KeyObject, input: AsymmetricSignatureInput): string {
  return sign('sha256', Buffer.from(asymmetricStringToSign(input), 'utf8'), loadPrivateKey(privateKey)).toString('base64');
}

export function verifyAsymmetric(publicKey: string | KeyObject, input: AsymmetricSignatureInput, signature: string): boolean {
  try {
    return verify('sha256', Buffer.from(asymmetricStringToSign(input), 'utf8'), loadPublicKey(publicKey), Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/** PIN hash sent to Netzme: hex HMAC-SHA256(key = clientId + merchantId, message = clear PIN). */
export function hashPin(clientId: string, merchantId: string, pin: string): string {
  return createHmac('sha256', clientId + merchantId)
    .update(pin, 'utf8')
    .digest('hex');
}

/** Constant-time string comparison that does not leak the length through early exit. */
export function constantTimeEquals(a: string, b: string): boolean {
  const left = createHash('sha256').update(a, 'utf8').digest();
  const right = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(left, right) && a.length === b.length;
}
