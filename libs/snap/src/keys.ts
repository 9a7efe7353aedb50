import { createPrivateKey, createPublicKey, KeyObject } from 'node:crypto';

/**
 * Load an RSA key in any of the forms Netzme and its partners use: PEM (PKCS#8 "PRIVATE KEY",
 * PKCS#1 "RSA PRIVATE KEY") or the bare base64 PKCS#1 body Netzme e-mails out (docs/netzme-protocol.md §1.3).
 * 512-bit keys are accepted on purpose: that is what Netzme issues.
 */
export function loadPrivateKey(material: string | KeyObject): KeyObject {
  if (typeof material !== 'string') {
    return material;
  }
  const text = material.trim().replace(/\\n/g, '\n');
  if (text.includes('-----BEGIN')) {
    return createPrivateKey({ key: text, format: 'pem' });
  }
  const der = Buffer.from(text.replace(/\s+/g, ''), 'base64');
  try {
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs1' });
  } catch {
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  }
}

/** Load an RSA public key: PEM (SPKI or PKCS#1) or bare base64 (PKCS#1 or SPKI). */
export function loadPublicKey(material: string | KeyObject): KeyObject {
  if (typeof material !== 'string') {
    return material.type === 'private' ? createPublicKey(material) : material;
  }
  const text = material.trim().replace(/\\n/g, '\n');
  if (text.includes('-----BEGIN')) {
    return createPublicKey({ key: text, format: 'pem' });
  }
  const der = Buffer.from(text.replace(/\s+/g, ''), 'base64');
  try {
    return createPublicKey({ key: der, format: 'der', type: 'pkcs1' });
  } catch {
    return createPublicKey({ key: der, format: 'der', type: 'spki' });
  }
}
