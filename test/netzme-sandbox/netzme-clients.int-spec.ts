import { createHash, createHmac, sign } from 'node:crypto';
import { NetzmeClient, silentLogger } from '@app/netzme-client';
import { startSandbox, testCredentials } from '../../apps/netzme-sandbox/src/sandbox';
import { startHarness, type Harness } from './support/harness';

/**
 * The sandbox against what Netzme's OWN clients send (docs/netzme-protocol.md, "What Netzme's
 * clients send"): the official WooCommerce plugin (PHP) and Netzme's QA tool (Python). Every body is
 * a literal JSON string as those clients put it on the wire (PHP's json_encode escapes "/" as "\/"
 * and non-ASCII as "\u00e9"), and every signature is computed here the way those clients compute it,
 * with node:crypto only: neither our wire types nor libs/snap's signing are used, so a shared
 * misreading of the protocol cannot hide.
 */

const CREATE = '/api/v1.0/invoice/create-transaction';
const STATUS = '/api-invoice/v1.0/transaction-history-detail';

/** PHP `gmdate(DATE_ATOM)`: UTC with "+00:00", what the plugin puts in X-TIMESTAMP. */
function gmdateAtom(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/** The plugin's generateAuthSig(): wrap the e-mailed key body in PKCS#1 PEM lines, SHA256withRSA, base64. */
function pluginAuthSignature(privateKeyBody: string, clientId: string, timestamp: string): string {
  const pem = `-----BEGIN RSA PRIVATE KEY-----\n${privateKeyBody}\n-----END RSA PRIVATE KEY-----`;
  return sign('sha256', Buffer.from(`${clientId}|${timestamp}`), pem).toString('base64');
}

/** The plugin's generateServiceSignature(): HMAC-SHA512 hex over METHOD:uri:token:sha256hex(body):timestamp. */
function pluginServiceSignature(secret: string, method: string, uri: string, token: string, body: string, timestamp: string): string {
  const bodyHash = createHash('sha256').update(body, 'utf8').digest('hex');
  return createHmac('sha512', secret).update(`${method}:${uri}:${token}:${bodyHash}:${timestamp}`).digest('hex');
}

/** The plugin's create body for WooCommerce order 4321, exactly as wp_json_encode() writes it. */
function pluginCreateBody(merchantId: string, partnerReferenceNo: string): string {
  return (
    `{"custIdMerchant":"${merchantId}","partnerReferenceNo":"${partnerReferenceNo}",` +
    '"amount":{"value":"150000","currency":"IDR"},' +
    '"amountDetail":{"basicAmount":{"value":"150000","currency":"IDR"},"shippingAmount":{"value":"0","currency":"IDR"}},' +
    '"payMethod":"QRIS","commissionPercentage":"0.0","expireInSecond":"86400","feeType":"on_buyer",' +
    '"additionalInfo":{"email":"jose@example.com","notes":"1 x Kopi Susu 1\\/2 Liter, 2 x Caf\\u00e9 Latte",' +
    '"description":"1 x Kopi Susu 1\\/2 Liter, 2 x Caf\\u00e9 Latte","PhoneNumber":"+6281234567890","imageUrl":"",' +
    '"fullname":"Jos\\u00e9 M\\u00fcller"}}'
  );
}

interface Answer {
  status: number;
  body: Record<string, any>;
}

async function post(url: string, body: string, headers: Record<string, string>): Promise<Answer> {
  const response = await fetch(url, { method: 'POST', headers, body });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

describe("Netzme sandbox - what Netzme's own clients send", () => {
  let h: Harness;
  let clientId: string;
  let clientSecret: string;
  let merchantId: string;
  let keyBody: string;
  let token: string;

  /**
   * A transactional call as the plugin makes it: literal body, UTC timestamp, its own signature over
   * the body as sent. `hashedBody` is what the QA tool hashes instead: the body minified first.
   */
  async function pluginCall(path: string, body: string, externalId: string, extraHeaders: Record<string, string> = {}, hashedBody = body): Promise<Answer> {
    const now = gmdateAtom();
    return post(h.sandbox.url + path, body, {
      'Content-Type': 'application/json',
      'CHANNEL-ID': '95221',
      'X-EXTERNAL-ID': externalId,
      'X-PARTNER-ID': clientId,
      'X-TIMESTAMP': now,
      Authorization: `Bearer ${token}`,
      'X-SIGNATURE': pluginServiceSignature(clientSecret, 'POST', path, token, hashedBody, now),
      ...extraHeaders,
    });
  }

  beforeAll(async () => {
    h = await startHarness();
    // What a newcomer copies out of the sandbox: the credentials endpoint, nothing else.
    const credentials = (await h.control('GET', '/sandbox/credentials')).body;
    clientId = credentials.clientId;
    clientSecret = credentials.clientSecret;
    merchantId = credentials.merchantId;
    keyBody = credentials.privateKeyBase64Pkcs1;
    // The one live token of the client; how a client in Netzme's key format obtains it is tested below.
    token = await h.netzme.token();
  });
  afterAll(() => h.close());

  describe('key format (the private key as Netzme e-mails it)', () => {
    it('serves the private key as a bare one-line base64 PKCS#1 body besides the PEM', async () => {
      const credentials = (await h.control('GET', '/sandbox/credentials')).body;
      expect(credentials.privateKey).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
      expect(keyBody).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
      // DER of an RSAPrivateKey: SEQUENCE, then INTEGER version 0 (a PKCS#8 body would hold an AlgorithmIdentifier next).
      const der = Buffer.from(keyBody, 'base64');
      expect(der[0]).toBe(0x30);
      const afterLength = der[1] & 0x80 ? 2 + (der[1] & 0x7f) : 2;
      expect([...der.subarray(afterLength, afterLength + 3)]).toEqual([0x02, 0x01, 0x00]);
      expect(der[afterLength + 3]).toBe(0x02); // the modulus INTEGER follows directly: PKCS#1, not PKCS#8
    });

    it('the start-up banner prints that same key as NETZME_PRIVATE_KEY, ready to paste', async () => {
      const printed: string[] = [];
      const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
        printed.push(String(chunk));
        return true;
      });
      let sandbox: Awaited<ReturnType<typeof startSandbox>> | undefined;
      try {
        sandbox = await startSandbox({ port: 0, credentials: testCredentials() });
      } finally {
        write.mockRestore();
        await sandbox?.close();
      }
      const line = printed
        .join('')
        .split('\n')
        .find((l) => l.trim().startsWith('NETZME_PRIVATE_KEY='));
      expect(line?.trim()).toBe(`NETZME_PRIVATE_KEY=${keyBody}`);
    });

    it('a client that wraps that body as "RSA PRIVATE KEY" PEM (the plugin, the QA tool) gets a token', async () => {
      const now = gmdateAtom();
      // The plugin's token body: PHP encodes its empty additionalInfo array as [].
      const answer = await post(`${h.sandbox.url}/api/v1/access-token/b2b`, '{"grantType":"client_credentials","additionalInfo":[]}', {
        'Content-Type': 'application/json',
        'X-TIMESTAMP': now,
        'X-CLIENT-KEY': clientId,
        'X-SIGNATURE': pluginAuthSignature(keyBody, clientId, now),
      });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ responseCode: '2007300', responseMessage: 'Successful', tokenType: 'Bearer', accessToken: token });
    });

    it.each([
      ['the bare base64 PKCS#1 body', (body: string) => body],
      ['that body wrapped as PKCS#1 PEM', (body: string) => `-----BEGIN RSA PRIVATE KEY-----\n${body}\n-----END RSA PRIVATE KEY-----`],
    ])("our NetzmeClient (and so the gateway's NETZME_PRIVATE_KEY) takes %s and gets a token", async (_label, form) => {
      await h.control('POST', '/sandbox/reset', { tokens: true });
      const client = new NetzmeClient({ baseUrl: h.sandbox.url, clientId, clientSecret, privateKey: form(keyBody), merchantId, logger: silentLogger });
      expect(await client.getAccessToken()).toMatch(/^ey/);
      h.netzme.forgetToken();
      token = await h.netzme.token();
    });
  });

  describe("the official WooCommerce plugin's Create Invoice Transaction", () => {
    it('answers 2004700 to the exact plugin body (commission "0.0", on_buyer, \\/ and \\u00e9 escapes, UTC timestamp, 7-digit external id)', async () => {
      const partnerReferenceNo = '20261203aB3dE5fG7h-4321';
      const answer = await pluginCall(CREATE, pluginCreateBody(merchantId, partnerReferenceNo), '4321873');
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ responseCode: '2004700', responseMessage: 'Successful', partnerReferenceNo });
      // What the plugin reads next: additionalInfo.status truthy, expiredTs, terminalId, qrImage.
      const info = answer.body.additionalInfo;
      expect(info.status).toBe(true);
      expect(info.expiredTs).toEqual(expect.any(String));
      expect(info.terminalId).toEqual(expect.any(String));
      expect(info.qrImage).toMatch(/^data:image\/png;base64,/);

      // The escapes were decoded and the capitalised PhoneNumber bound to phoneNumber.
      const status = await pluginCall(STATUS, `{"originalPartnerReferenceNo":"${info.trxId}","additionalInfo":{"partnerReferenceNo":"Q-1"}}`, '4321874');
      expect(status.body.responseCode).toBe('2001300');
      expect(status.body.additionalInfo).toMatchObject({ fullName: 'José Müller', phoneNo: '+6281234567890', desc: '1 x Kopi Susu 1/2 Liter, 2 x Café Latte' });
    });

    it('accepts an X-EXTERNAL-ID used before (the plugin repeats them: order id + 2–5 random digits)', async () => {
      const first = await pluginCall(CREATE, pluginCreateBody(merchantId, '20261203Xy12345678-77'), '7712345');
      const again = await pluginCall(CREATE, pluginCreateBody(merchantId, '20261203Zz87654321-77'), '7712345');
      expect(first.body.responseCode).toBe('2004700');
      expect(again.body.responseCode).toBe('2004700');
    });

    it.each([
      ['"0.7" (the plugin\'s documented example)', '"0.7"'],
      ['"0.0" (the plugin\'s default)', '"0.0"'],
      ['"0" (the docs)', '"0"'],
      ['"12.5"', '"12.5"'],
      ['"100"', '"100"'],
      ['the number 0', '0'],
    ])('accepts commissionPercentage %s', async (_name, literal) => {
      const body = `{"custIdMerchant":"${merchantId}","partnerReferenceNo":"CP-${Date.now()}-${Math.random()}","amount":{"value":"10000.00","currency":"IDR"},"payMethod":"QRIS","commissionPercentage":${literal}}`;
      const answer = await pluginCall(CREATE, body, '1234567');
      expect(answer.body.responseCode).toBe('2004700');
    });

    it.each([
      ['"abc"', '"abc"'],
      ['"101"', '"101"'],
      ['"-1"', '"-1"'],
      ['"0,7"', '"0,7"'],
    ])('refuses commissionPercentage %s as Invalid Field Format', async (_name, literal) => {
      const body = `{"custIdMerchant":"${merchantId}","partnerReferenceNo":"CPX-${Date.now()}-${Math.random()}","amount":{"value":"10000.00","currency":"IDR"},"payMethod":"QRIS","commissionPercentage":${literal}}`;
      const answer = await pluginCall(CREATE, body, '1234567');
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ responseCode: '4004701', responseMessage: 'Invalid Field Format CommissionPercentage' });
    });

    it.each([
      ['José Müller (raw UTF-8)', '"José Müller"', 'José Müller'],
      ['Budi2', '"Budi2"', 'Budi2'],
      ['R2-D2', '"R2-D2"', 'R2-D2'],
      ["Siti Nur'aini, S.Kom.", '"Siti Nur\'aini, S.Kom."', "Siti Nur'aini, S.Kom."],
      ['a name in another script', '"\\u738b\\u5c0f\\u660e"', '王小明'],
    ])('accepts the buyer name %s unchanged', async (_name, literal, expected) => {
      const body = `{"custIdMerchant":"${merchantId}","partnerReferenceNo":"FN-${Date.now()}-${Math.random()}","amount":{"value":"10000.00","currency":"IDR"},"payMethod":"QRIS","additionalInfo":{"fullname":${literal}}}`;
      const answer = await pluginCall(CREATE, body, '2345678');
      expect(answer.body.responseCode).toBe('2004700');
      const status = await pluginCall(
        STATUS,
        `{"originalPartnerReferenceNo":"${answer.body.additionalInfo.trxId}","additionalInfo":{"partnerReferenceNo":"Q-2"}}`,
        '2345679',
      );
      expect(status.body.additionalInfo.fullName).toBe(expected);
    });

    it.each(['VA_CIMB', 'VA_BCA_PZ'])("accepts pay method %s (offered by Netzme's QA tool) with virtual accounts", async (payMethod) => {
      const body = `{"custIdMerchant":"${merchantId}","partnerReferenceNo":"VA-${payMethod}-${Date.now()}","amount":{"value":"250000.00","currency":"IDR"},"payMethod":"${payMethod}","expireInSecond":"3600"}`;
      const answer = await pluginCall(CREATE, body, '3456789');
      expect(answer.body).toMatchObject({ responseCode: '2004700', payMethod });
      expect(answer.body.additionalInfo.virtualAccountData.length).toBeGreaterThan(0);
    });

    it("binds field names in another case (PayMethod, as the docs' table spells it)", async () => {
      const body = `{"CustIdMerchant":"${merchantId}","PartnerReferenceNo":"CASE-${Date.now()}","Amount":{"Value":"10000.00","Currency":"IDR"},"PayMethod":"QRIS"}`;
      const answer = await pluginCall(CREATE, body, '4567890');
      expect(answer.body).toMatchObject({ responseCode: '2004700', payMethod: 'QRIS' });
    });
  });

  describe("Netzme's QA tool", () => {
    it('Get Balance Detail with AccountNo capitalised, as the QA tool sends it', async () => {
      const body = `{"partnerReferenceNo":"2020102900000000000001","AccountNo":"${merchantId}"}`;
      const answer = await pluginCall('/api/v1.0/payment/balance-inquiry', body, '41807553358950093184162180797837');
      expect(answer.status).toBe(200);
      expect(answer.body.responseCode).toBe('2001100');
      expect(answer.body.additionalInfo).toMatchObject({ custIdMerchant: merchantId });
    });

    it('consumer calls succeed without X-CLIENT-SECRET (the QA tool never sends it)', async () => {
      // The Get Account Status body of the doc page, for the sandbox's seeded app user.
      const custId = (await h.control('GET', '/sandbox/credentials')).body.consumer.custId;
      const body = `{\n    "partnerReferenceNo": "2020102900000000000001",\n    "additionalInfo": {\n        "custId": "${custId}"\n    }\n}`;
      // The QA tool hashes the body minified (json.dumps without spaces), whatever layout it sends.
      const minified = `{"partnerReferenceNo":"2020102900000000000001","additionalInfo":{"custId":"${custId}"}}`;
      const answer = await pluginCall('/api/v1.0/account/registration-account-inquiry', body, '41807553358950093184162180797837', {}, minified);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ responseCode: '2000800', partnerReferenceNo: '2020102900000000000001' });
    });

    it('consumer calls that do send X-CLIENT-SECRET must send the right one', async () => {
      const custId = (await h.control('GET', '/sandbox/credentials')).body.consumer.custId;
      const body = `{"partnerReferenceNo":"2020102900000000000002","additionalInfo":{"custId":"${custId}"}}`;
      const right = await pluginCall('/api/v1.0/account/registration-account-inquiry', body, '123', { 'X-CLIENT-SECRET': clientSecret });
      expect(right.body.responseCode).toBe('2000800');
      const wrong = await pluginCall('/api/v1.0/account/registration-account-inquiry', body, '124', { 'X-CLIENT-SECRET': 'b9b32c9f42514e9aa1562c09826d8b32' });
      expect(wrong.status).toBe(401);
      expect(wrong.body).toEqual({ responseCode: '4010801', responseMessage: 'Unauthorized. X-CLIENT-SECRET is Invalid' });
    });
  });
});
