import { createPublicKey } from 'node:crypto';
import { loadVectors, readKey } from '../test/vectors';
import {
  bodyHash,
  hashPin,
  signAccessTokenRequest,
  signAsymmetric,
  signSymmetric,
  symmetricStringToSign,
  verifyAccessTokenRequest,
  verifyAsymmetric,
  verifySymmetric,
} from './signature';
import { loadPrivateKey, loadPublicKey } from './keys';
import { minifyJson } from './minify';

const vectors = loadVectors();

describe('SNAP signatures against the vectors of libs/snap/test/fixtures/vectors.json', () => {
  it('covers every vector type in the file', () => {
    expect(new Set(vectors.map((v) => v.type))).toEqual(
      new Set(['symmetric-hmac-sha512', 'body-sha256', 'asymmetric-sha256withrsa-token', 'asymmetric-sha256withrsa-request', 'pin-hmac-sha256']),
    );
  });

  for (const v of vectors) {
    it(`reproduces "${v.name}"${v.verified ? ' (verified against Netzme)' : ''}`, () => {
      switch (v.type) {
        case 'symmetric-hmac-sha512': {
          const input = { method: v.method!, path: v.path!, accessToken: v.accessToken!, body: v.body, timestamp: v.timestamp! };
          if (v.stringToSign) {
            expect(symmetricStringToSign(input)).toBe(v.stringToSign);
          }
          expect(signSymmetric(v.clientSecret!, input)).toBe(v.expectedSignature);
          expect(verifySymmetric(v.clientSecret!, input, v.expectedSignature)).toBe(true);
          // Whitespace is minified away before hashing; any change of path, token or content is not.
          if (v.body !== '') {
            const pretty = JSON.stringify(JSON.parse(v.body), null, 2);
            expect(verifySymmetric(v.clientSecret!, { ...input, body: pretty }, v.expectedSignature)).toBe(true);
            expect(verifySymmetric(v.clientSecret!, { ...input, body: v.body.replace(/"$|}$/, ',"x":"1"}') }, v.expectedSignature)).toBe(false);
          }
          expect(verifySymmetric(v.clientSecret!, { ...input, path: `${input.path}x` }, v.expectedSignature)).toBe(false);
          expect(verifySymmetric(v.clientSecret!, { ...input, accessToken: `${input.accessToken}x` }, v.expectedSignature)).toBe(false);
          expect(verifySymmetric('wrong-secret', input, v.expectedSignature)).toBe(false);
          break;
        }
        case 'body-sha256':
          expect(minifyJson(v.bodyBeforeMinify!)).toBe(v.body);
          expect(bodyHash(v.bodyBeforeMinify!)).toBe(v.expectedSignature);
          break;
        case 'asymmetric-sha256withrsa-token': {
          const priv = v.privateKeyFile ? readKey(v.privateKeyFile) : v.privateKeyBase64Pkcs1!;
          const pub = v.publicKeyFile ? readKey(v.publicKeyFile) : v.publicKeyBase64Pkcs1!;
          expect(signAccessTokenRequest(priv, v.clientId!, v.timestamp!)).toBe(v.expectedSignature);
          expect(verifyAccessTokenRequest(pub, v.clientId!, v.timestamp!, v.expectedSignature)).toBe(true);
          expect(verifyAccessTokenRequest(pub, 'OtherClient', v.timestamp!, v.expectedSignature)).toBe(false);
          break;
        }
        case 'asymmetric-sha256withrsa-request': {
          const input = { method: v.method!, path: v.path!, body: v.body, timestamp: v.timestamp! };
          expect(bodyHash(v.body)).toBe(v.bodySha256Hex);
          expect(signAsymmetric(readKey(v.privateKeyFile!), input)).toBe(v.expectedSignature);
          expect(verifyAsymmetric(readKey(v.publicKeyFile!), input, v.expectedSignature)).toBe(true);
          expect(verifyAsymmetric(readKey(v.publicKeyFile!), { ...input, body: v.body.replace('10000.00', '99999.00') }, v.expectedSignature)).toBe(false);
          break;
        }
        case 'pin-hmac-sha256':
          expect(hashPin(v.clientId!, v.merchantId!, v.clearPin!)).toBe(v.expectedSignature);
          break;
        default:
          throw new Error(`unhandled vector type ${v.type}`);
      }
    });
  }
});

describe('key loading', () => {
  it('gives identical signatures for PKCS#8 PEM, PKCS#1 PEM and bare base64 PKCS#1', () => {
    const pkcs8 = readKey('test-keys/partner-private.pem');
    const pkcs1 = readKey('test-keys/partner-private.pkcs1.pem');
    const bare = pkcs1.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    const ts = '2022-08-10T00:00:00+07:00';
    const expected = signAccessTokenRequest(pkcs8, 'c', ts);
    expect(signAccessTokenRequest(pkcs1, 'c', ts)).toBe(expected);
    expect(signAccessTokenRequest(bare, 'c', ts)).toBe(expected);
    expect(signAccessTokenRequest(pkcs1.replace(/\n/g, '\\n'), 'c', ts)).toBe(expected);
  });

  it('derives the public key from a private key', () => {
    const priv = loadPrivateKey(readKey('test-keys/partner-private.pem'));
    const pub = loadPublicKey(priv);
    expect(pub.export({ format: 'pem', type: 'spki' })).toBe(createPublicKey(readKey('test-keys/partner-public.pem')).export({ format: 'pem', type: 'spki' }));
  });
});
